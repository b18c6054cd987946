"""What the incident tools' stand-ins share: recorded calls, injected faults, a server that can die.

Each stand-in (PagerDuty, Opsgenie, Jira, the Bot Framework) answers its documented paths in
`answer(call, request)`, raising `VendorError` for an error answer. This base records every call,
injects faults (a status a number of times, with a Retry-After for 429s, or a delay), and serves
on 127.0.0.1: `running(standin)` for a test, `standin.stop()` / `standin.start()` to kill it and
bring it back on the same port mid-run (the bench).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.waiting import PATIENCE


@dataclass
class Call:
    """One request as received and answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    status: int = 0
    answer: Any = None
    at: float = field(default_factory=time.monotonic)


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    times: int | None = 1
    retry_after: float | None = None
    delay: float = 0.0
    drop: bool = False
    """Do what the request asks, then drop the connection before answering (an answer lost)."""


class VendorError(Exception):
    """An error answer: its status and JSON body."""

    def __init__(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


class VendorStandIn:
    """Subclasses implement `answer`; `url` is the base URL while it runs."""

    name = "vendor"

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.faults: list[Fault] = []
        self.url = ""
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._changed = asyncio.Condition()

    # ------------------------------------------------------------------ overridden
    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        raise NotImplementedError

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message}

    # ------------------------------------------------------------------ faults and calls
    def fail(
        self,
        method: str,
        path: str,
        status: int = 500,
        *,
        times: int | None = 1,
        retry_after: float | None = None,
        delay: float = 0.0,
        drop: bool = False,
    ) -> Fault:
        fault = Fault(method, re.compile(path), status, times, retry_after, delay, drop)
        self.faults.append(fault)
        return fault

    def calls_to(self, method: str, path: str, *, ok: bool | None = None) -> list[Call]:
        pattern = re.compile(path)
        return [
            c
            for c in self.calls
            if c.method == method
            and pattern.search(c.path)
            and (ok is None or (c.status < 400) == ok)
        ]

    async def wait_for(
        self,
        method: str,
        path: str,
        count: int = 1,
        *,
        ok: bool | None = True,
        timeout: float = PATIENCE,
    ) -> list[Call]:
        """The first `count` answered calls to `path` (a regex), waiting for them."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(
                        lambda: len(self.calls_to(method, path, ok=ok)) >= count
                    ),
                    timeout,
                )
            except TimeoutError:
                seen = [f"{c.method} {c.path} {c.status}" for c in self.calls]
                raise AssertionError(
                    f"{count} x {method} {path} not answered in {timeout}s; calls: {seen}"
                ) from None
        return self.calls_to(method, path, ok=ok)[:count]

    # ------------------------------------------------------------------ the server
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_route("*", "/{path:.*}", self._serve)
        return app

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        try:
            import json

            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw.decode(errors="replace")
        call = Call(
            request.method,
            "/" + request.match_info["path"],
            dict(request.query),
            dict(request.headers),
            body,
        )
        headers: dict[str, str] = {}
        dropped = self._dropping(call)
        try:
            if not dropped:
                await self._fault(call)
            call.status, call.answer = self.answer(call, request)
        except VendorError as exc:
            call.status, call.answer, headers = exc.status, exc.body, exc.headers
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()
        if dropped and request.transport is not None:
            request.transport.abort()  # done, but the caller never hears it
            raise ConnectionResetError("answer dropped by the stand-in")
        if call.answer is None:
            return web.Response(status=call.status, headers=headers)
        return web.json_response(call.answer, status=call.status, headers=headers)

    def _dropping(self, call: Call) -> bool:
        for fault in self.faults:
            if fault.drop and fault.method == call.method and fault.path.search(call.path):
                if fault.times == 0:
                    continue
                if fault.times is not None:
                    fault.times -= 1
                return True
        return False

    async def _fault(self, call: Call) -> None:
        for fault in self.faults:
            if fault.drop:
                continue
            if fault.method == call.method and fault.path.search(call.path) and fault.times != 0:
                if fault.times is not None:
                    fault.times -= 1
                if fault.delay:
                    await asyncio.sleep(fault.delay)
                headers = (
                    {"Retry-After": f"{fault.retry_after:g}"}
                    if fault.retry_after is not None
                    else {}
                )
                raise VendorError(
                    fault.status, self.error_body(fault.status, "injected by the stand-in"), headers
                )

    async def start(self) -> str:
        """Serve on 127.0.0.1 (the port it had before, after a `stop`); the base URL."""
        self._runner = web.AppRunner(self.make_app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.url = f"http://127.0.0.1:{self.port}"
        return self.url

    async def stop(self) -> None:
        """Stop answering: connections are refused until `start` (the tool is down)."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


@asynccontextmanager
async def running(standin: VendorStandIn) -> AsyncIterator[str]:
    """Serve `standin` on a free loopback port for the block; its base URL."""
    url = await standin.start()
    try:
        yield url
    finally:
        await standin.stop()
