"""POST /alertmanager: Alertmanager's webhook receiver, on the port of /healthz and /metrics.

Alertmanager sends `Authorization: Bearer <token>` (its http_config
`authorization`); a missing or wrong token gets 401 and nothing is stored
or posted. A body that is not a version-4 payload gets 400 with one line.
Otherwise the delivery is stored durably and the answer is 200 at once;
the diagnosis and the Slack message follow (the leader replica works the
inbox). When the database cannot take it the answer is 503, so
Alertmanager retries: a delivery is never acknowledged and then lost.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.alerting.payload import BadPayload, parse
from bot.alerting.processing import Intake
from bot.metrics import Metrics
from bot.runtime.budget import TEXT_CPU_SECONDS, TooCostly, off_loop
from bot.runtime.shared_secrets import bearer_matches
from bot.storage.base import StoreUnavailable
from bot.web.server import read_limited

log = logging.getLogger(__name__)

PATH = "/alertmanager"
MAX_BODY = 8 * 1024 * 1024
"""Alertmanager sends a whole group per request; large groups can pass 1 MiB (see max_alerts)."""
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def receiver_off_handler(*, token: str, reason: str) -> Handler:
    """The route while the receiver is off (its token set, nowhere to post): a missing or wrong
    token still gets 401; Alertmanager itself gets 503 and the reason, and retries later."""

    async def refuse(request: web.Request) -> web.Response:
        if not bearer_matches(request.headers.get("Authorization", ""), token):
            return web.Response(
                status=401,
                text="missing or wrong bearer token\n",
                headers={"WWW-Authenticate": 'Bearer realm="kubemedic"'},
            )
        return web.Response(status=503, text=f"{reason}\n")

    return refuse


def alertmanager_handler(
    intake: Intake,
    *,
    token: str,
    on_stored: Callable[[], None],
    body_timeout: float,
    text_seconds: float = TEXT_CPU_SECONDS,
    metrics: Metrics | None = None,
) -> Handler:
    """The route's handler; `on_stored` wakes this replica's inbox worker; a body not received
    within `body_timeout` seconds gets 408 (a slow client cannot hold the server); the payload is
    read on a worker thread within `text_seconds` of CPU (413 past them)."""

    async def counted(request: web.Request) -> web.Response:
        response = await receive(request)
        if metrics is not None:
            metrics.alert_deliveries.labels(str(response.status)).inc()
        return response

    async def receive(request: web.Request) -> web.Response:
        if not bearer_matches(request.headers.get("Authorization", ""), token):
            log.info("refused an Alertmanager delivery: missing or wrong bearer token")
            return web.Response(
                status=401,
                text="missing or wrong bearer token\n",
                headers={"WWW-Authenticate": 'Bearer realm="kubemedic"'},
            )
        try:
            async with asyncio.timeout(body_timeout):
                body = await read_limited(request, MAX_BODY)
        except TimeoutError:
            response = web.Response(status=408, text="request body not received in time\n")
            response.force_close()
            return response
        if len(body) > MAX_BODY:
            return web.Response(
                status=413, text=f"payload larger than {MAX_BODY} bytes; set max_alerts\n"
            )
        try:
            stored = await intake.receive(await off_loop(text_seconds, parse, body))
        except (BadPayload, TooCostly) as exc:  # not a payload, or too costly to read: one line
            log.info("refused an Alertmanager delivery: %s", exc)
            return web.Response(status=400 if isinstance(exc, BadPayload) else 413, text=f"{exc}\n")
        except StoreUnavailable as exc:
            log.warning(
                "Alertmanager delivery not stored (%s); answering 503 so it is retried", exc
            )
            return web.Response(status=503, text="database unavailable; retry\n")
        if stored:
            on_stored()
        return web.Response(text="ok\n" if stored else "ok (already received)\n")

    return counted
