"""A WebSocket relay on loopback between fleet agents and their hub, keeping what agents send.

An agent dials the relay's `/fleet/connect` as it would the hub; the relay dials the hub with
the agent's own `Authorization` header and copies every message both ways until either side
closes. `sent` holds every text message an agent sent up, as it crossed: what a test scans for
secrets that left a cluster.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

PATH = "/fleet/connect"


class Relay:
    """Relays `PATH` to `hub_url`, recording what agents send (`sent`)."""

    def __init__(self, hub_url: str) -> None:
        self.hub_url = hub_url.rstrip("/")
        self.sent: list[str] = []

    async def _copy(
        self,
        source: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
        target: web.WebSocketResponse | aiohttp.ClientWebSocketResponse,
        *,
        record: bool,
    ) -> None:
        async for message in source:
            if message.type == aiohttp.WSMsgType.TEXT:
                if record:
                    self.sent.append(message.data)
                await target.send_str(message.data)
            elif message.type == aiohttp.WSMsgType.BINARY:
                await target.send_bytes(message.data)
        with contextlib.suppress(ConnectionError, RuntimeError):
            await target.close()

    async def _agent(self, request: web.Request) -> web.StreamResponse:
        headers = {"Authorization": request.headers.get("Authorization", "")}
        async with aiohttp.ClientSession() as session:
            try:
                upstream = await session.ws_connect(self.hub_url + PATH, headers=headers)
            except aiohttp.WSServerHandshakeError as refused:
                return web.Response(status=refused.status, text=refused.message)
            downstream = web.WebSocketResponse()
            await downstream.prepare(request)
            await asyncio.gather(
                self._copy(downstream, upstream, record=True),
                self._copy(upstream, downstream, record=False),
            )
            return downstream

    @asynccontextmanager
    async def running(self) -> AsyncIterator[str]:
        """Serve on a free loopback port; yields the URL agents dial instead of the hub's."""
        app = web.Application()
        app.router.add_get(PATH, self._agent)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            await runner.cleanup()
