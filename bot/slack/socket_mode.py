"""Socket Mode's connection to Slack, watched: the pod is ready only while it is up.

slack_sdk keeps retrying a connection it cannot open (logging each failure), so
a bot whose pod cannot reach Slack's socket host would otherwise serve /readyz
200 for ever while no event or command can reach it. Here the connection is
opened in the background (the probes, /metrics and /alertmanager are served
meanwhile, and SIGTERM is honoured), and /readyz answers 503 naming the socket
until it is connected, and again when it has been down for longer than a
reconnect takes (Slack rotates connections every few hours). Each failed attempt is logged in
one line, not with slack_sdk's traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

log = logging.getLogger(__name__)

RECONNECT_GRACE = 30.0
"""Seconds a connection that was up may be down (a reconnect) before the pod is not ready."""
URL_REFRESH = 60.0
"""Seconds between fresh connection URLs while the first connection cannot be made: slack_sdk
retries the URL it got first for ever, and Slack expires its ticket (apps.connections.open is
rate-limited Tier 1, about one call a minute)."""
FIX = (
    "let the pod reach Slack over HTTPS and its Socket Mode host (DNS, egress proxy, NetworkPolicy), "
    "or run in HTTP mode (serve --http)"
)


class OneLineRetries(logging.Filter):
    """slack_sdk logs each failed connection attempt with its traceback (every ping interval, 10 s
    in serve): the same one is said in one line, with its reason and what to fix."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and message.startswith("Failed to connect"):
            error = record.exc_info[1]
            reason = " ".join(f"{type(error).__name__}: {error}".split()) if error else message
            record.msg, record.args = f"Slack Socket Mode: cannot connect ({reason}); retrying", ()
            record.exc_info, record.exc_text = None, None
        return True


ONE_LINE_RETRIES = OneLineRetries()


class SocketConnection:
    """The Socket Mode handler's connection, opened in the background and reported to /readyz."""

    def __init__(
        self,
        handler: AsyncSocketModeHandler,
        *,
        grace: float = RECONNECT_GRACE,
        refresh: float = URL_REFRESH,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.handler = handler
        handler.client.logger.addFilter(ONE_LINE_RETRIES)
        self.grace = grace
        self.refresh = refresh
        self.clock = clock
        self.down_since = clock()
        self.was_up = False
        self._connecting: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Connect in the background (slack_sdk retries until it is connected)."""
        self._connecting = asyncio.get_running_loop().create_task(self._connect())

    async def _connect(self) -> None:
        log.info("connecting to Slack (Socket Mode)")
        refreshing = asyncio.get_running_loop().create_task(self._fresh_urls())
        try:
            await self.handler.connect_async()
        finally:
            refreshing.cancel()
        log.info("connected to Slack (Socket Mode)")

    async def _fresh_urls(self) -> None:
        """While not connected, have slack_sdk ask for a new URL now and then (see URL_REFRESH)."""
        while True:
            await asyncio.sleep(self.refresh)
            if not await self.handler.client.is_connected():
                self.handler.client.wss_uri = None

    async def problem(self) -> str | None:
        """Why the pod is not ready, or None while the connection is up (or briefly reconnecting)."""
        if await self.handler.client.is_connected():
            self.was_up, self.down_since = True, 0.0
            return None
        now = self.clock()
        if not self.down_since:
            self.down_since = now
        down = now - self.down_since
        if self.was_up and down < self.grace:
            return None
        host = urlsplit(self.handler.client.wss_uri or "").hostname
        where = (
            f"its socket host {host} cannot be reached"
            if host
            else "no connection URL yet (apps.connections.open has not answered)"
        )
        state = "down" if self.was_up else "not connected yet"
        return f"Slack Socket Mode connection {state} for {down:.0f} s: {where}; fix: {FIX}"

    async def stop(self) -> None:
        """Stop connecting, then close the connection (and the client's HTTP session)."""
        if self._connecting is not None and not self._connecting.done():
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._connecting
        await self.handler.close_async()
