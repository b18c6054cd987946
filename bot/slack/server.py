"""HTTP mode: Slack's POST /slack/events, checked before bolt sees it.

The signature (against the composed clock), the encoding and the payload
shape are checked here; a refused request gets its status and one line.
The body must arrive within its own timeout, else 408 and the connection is
closed (slow clients; the idle/header timeout is the runner's, see
`bot.web.server.http_runner`). The route is served by `bot.web.server`
beside the probes.
"""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.logs import REQUEST_ID, request_id_for
from bot.metrics import Metrics
from bot.runtime.arrival import ARRIVED
from bot.runtime.clock import Clock, utc_now
from bot.slack.middleware import describe
from bot.slack.request_shape import Refused, check_signature, decode, parse_checked
from bot.web.server import Route

log = logging.getLogger(__name__)


async def read_body(request: web.Request, timeout: float) -> bytes | None:
    """The body, or None when the client did not send it within `timeout` seconds."""
    try:
        async with asyncio.timeout(timeout):
            return await request.read()
    except TimeoutError:
        return None


def _kind(body: str) -> str:
    if body.startswith("payload="):
        return "interaction"
    if "command=" in body[:2000] and not body.startswith("{"):
        return "command"
    return "event"


def slack_route(
    bolt: AsyncApp,
    *,
    signing_secret: str,
    metrics: Metrics,
    body_timeout: float,
    clock: Clock = utc_now,
) -> Route:
    """POST /slack/events: slash commands, events and interactivity (one URL)."""
    secret = signing_secret

    async def slack_events(request: web.Request) -> web.Response:
        started, arrived_at = time.perf_counter(), time.monotonic()
        raw = await read_body(request, body_timeout)
        if raw is None:
            log.info("dropped a slow client: no complete body within %.0f s", body_timeout)
            response = web.Response(status=408, text="request body not received in time\n")
            response.force_close()
            return response
        try:
            check_signature(secret, raw, request.headers, now=clock().timestamp())
            text = decode(raw)
            parse_checked(text, request.content_type)
            bolt_request = AsyncBoltRequest(
                body=text,
                query=request.query_string,
                headers=request.headers,  # type: ignore[arg-type]
            )
        except Refused as refused:
            log.info("refused a Slack request (%d): %s", refused.status, refused.reason)
            return web.Response(status=refused.status, text=f"{refused.reason}\n")
        request_id = REQUEST_ID.set(
            request_id_for(bolt_request.body)
        )  # for its logs, see bot/logs.py
        arrived = ARRIVED.set(
            arrived_at
        )  # a wait for a queue slot counts from here (bot/runtime/arrival.py)
        try:
            bolt_response = await bolt.async_dispatch(bolt_request)
            if log.isEnabledFor(logging.INFO):  # nothing built when the line is not written
                elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
                log.info(
                    "handled %s: %d in %.1f ms",
                    describe(bolt_request.body),
                    bolt_response.status,
                    elapsed_ms,
                    extra={"elapsed_ms": elapsed_ms},
                )
        finally:
            ARRIVED.reset(arrived)
            REQUEST_ID.reset(request_id)
        if bolt_response.status == 404:  # signed and well-formed, but no listener: nothing to do
            return web.Response(status=200, text="")
        response = await to_aiohttp_response(bolt_response)
        metrics.ack_seconds.labels(_kind(bolt_request.raw_body)).observe(
            time.perf_counter() - started
        )
        return response

    return "POST", "/slack/events", slack_events
