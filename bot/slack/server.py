"""HTTP mode (aiohttp): Slack on POST /slack/events, probes and metrics beside it.

/healthz answers while the process runs; /readyz only when the database
answers too (a replica that cannot de-duplicate events or audit actions
should not get traffic); /metrics is Prometheus text.  The same probes are
served in Socket Mode, for the Kubernetes probes.
"""

from __future__ import annotations

import logging
import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.logs import REQUEST_ID, request_id_for
from bot.slack.deps import BotDeps
from bot.slack.middleware import describe
from bot.slack.request_shape import Refused, check_signature, decode, parse_checked
from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024


def _kind(body: str) -> str:
    if body.startswith("payload="):
        return "interaction"
    if "command=" in body[:2000] and not body.startswith("{"):
        return "command"
    return "event"


def build_web_app(deps: BotDeps, bolt: AsyncApp | None) -> web.Application:
    """The aiohttp application; `bolt` is None in Socket Mode (probes only)."""
    web_app = web.Application(client_max_size=MAX_BODY)

    secret = deps.settings.slack_signing_secret.get_secret_value() if deps.settings.slack_signing_secret else None

    async def slack_events(request: web.Request) -> web.Response:
        assert bolt is not None and secret is not None
        started = time.perf_counter()
        raw = await request.read()
        try:
            check_signature(secret, raw, request.headers)
            text = decode(raw)
            parse_checked(text, request.content_type)
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string,
                                            headers=request.headers)  # type: ignore[arg-type]
        except Refused as refused:
            log.info("refused a Slack request (%d): %s", refused.status, refused.reason)
            return web.Response(status=refused.status, text=f"{refused.reason}\n")
        request_id = REQUEST_ID.set(request_id_for(bolt_request.body))  # for its logs, see bot/logs.py
        try:
            bolt_response = await bolt.async_dispatch(bolt_request)
            elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
            log.info("handled %s: %d in %.1f ms", describe(bolt_request.body), bolt_response.status,
                     elapsed_ms, extra={"elapsed_ms": elapsed_ms})
        finally:
            REQUEST_ID.reset(request_id)
        if bolt_response.status == 404:  # signed and well-formed, but no listener: nothing to do
            return web.Response(status=200, text="")
        response = await to_aiohttp_response(bolt_response)
        deps.metrics.ack_seconds.labels(_kind(bolt_request.raw_body)).observe(time.perf_counter() - started)
        return response

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def readyz(_: web.Request) -> web.Response:
        try:
            await deps.store.get_summary("__readyz__")
        except StoreUnavailable as exc:
            return web.Response(status=503, text=f"database unavailable: {exc}\n")
        return web.Response(text="ready\n")

    async def metrics(_: web.Request) -> web.Response:
        return web.Response(body=deps.metrics.render(), headers={"Content-Type": deps.metrics.content_type})

    if bolt is not None:
        web_app.router.add_post("/slack/events", slack_events)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)
    return web_app
