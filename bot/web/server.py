"""The HTTP server: probes and metrics, plus the routes each HTTP input adds.

/healthz answers while the process runs; /readyz only when the database
answers too (a replica that cannot de-duplicate events or audit actions
should not get traffic) and every check added to `app[READINESS]` passes
(Socket Mode adds its connection to Slack); /metrics is Prometheus text. They are served in
HTTP mode and Socket Mode alike, for the Kubernetes probes. Inputs that
arrive over HTTP (Slack's /slack/events; next, an Alertmanager receiver)
add their routes through `bot.wiring`.

Slow clients are dropped: aiohttp closes a connection whose request head is
not complete when its idle (keep-alive) timer runs out - it starts at
connect, so headers dripped a byte at a time do not hold it open
(`http_runner`); each input bounds the time its body may take.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.metrics import Metrics
from bot.storage.base import Store, StoreUnavailable

MAX_BODY = 1024 * 1024
LINGER_SECONDS = 1.0
"""How long an unread body is drained after answering (aiohttp's default is 10 s)."""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Route = tuple[str, str, Handler]
"""(method, path, handler)."""
ReadinessCheck = Callable[[], Awaitable[str | None]]
"""Why this replica should get no traffic now, or None."""
READINESS = web.AppKey("readiness", list[ReadinessCheck])
"""Checks /readyz runs after the database's (a list the serving code may add to once started)."""


def build_web_app(*, store: Store, metrics: Metrics, routes: list[Route]) -> web.Application:
    """The aiohttp application: the probes, /metrics and the inputs' `routes`."""
    web_app = web.Application(client_max_size=MAX_BODY)
    checks: list[ReadinessCheck] = []
    web_app[READINESS] = checks

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_: web.Request) -> web.Response:
        try:
            await store.get_summary("__readyz__")
        except StoreUnavailable as exc:
            return web.Response(status=503, text=f"database unavailable: {exc}\n")
        for check in checks:
            problem = await check()
            if problem is not None:
                return web.Response(status=503, text=f"{problem}\n")
        return web.Response(text="ready\n")

    async def exported(_: web.Request) -> web.Response:
        return web.Response(body=metrics.render(), headers={"Content-Type": metrics.content_type})

    for method, path, handler in routes:
        web_app.router.add_route(method, path, handler)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", exported)
    return web_app


async def read_limited(request: web.Request, limit: int) -> bytes:
    """The body, or its first `limit` + 1 bytes (past the app's client_max_size, read as it comes)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit and (chunk := await request.content.read(64 * 1024)):
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def http_runner(web_app: web.Application, *, idle_timeout: float, **options: Any) -> web.AppRunner:
    """The runner that serves `web_app`, dropping connections idle for `idle_timeout` seconds."""
    return web.AppRunner(
        web_app, keepalive_timeout=idle_timeout, lingering_time=LINGER_SECONDS, **options
    )
