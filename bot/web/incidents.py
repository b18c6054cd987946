"""POST /incidents/pagerduty, /incidents/opsgenie and /incidents/jsm: pages in, on the port of /healthz.

Each request's sender is checked first (PagerDuty's `X-PagerDuty-Signature`, the shared secret
Opsgenie and Jira Service Management send in `Authorization: Bearer`): a forged or missing one
gets 401 and nothing is read further.
A body over `MAX_BODY` gets 413, one that is not the tool's payload 400, an event kubemedic does
not act on 200 ("ignored"), a page refused by the intake its status (409 replay, 422 unknown
cluster, 503 when the tool's API or the database cannot answer now, so the tool sends it again),
and a stored page 202: the diagnosis follows. Every answer is one line; none is a traceback. The
body is read, and the page's texts redacted, on a worker thread within the text CPU budget (413
past it), never on the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web

from bot.incidents.intake import IncidentIntake, Refused
from bot.incidents.opsgenie_webhook import AlertTool, parse_opsgenie
from bot.incidents.pagerduty_webhook import parse_pagerduty
from bot.incidents.pages import BadPage, Page
from bot.incidents.signatures import SIGNATURE_HEADER, pagerduty_signed
from bot.metrics import Metrics
from bot.runtime.budget import TooCostly, off_loop
from bot.runtime.shared_secrets import bearer_matches
from bot.storage.base import StoreUnavailable
from bot.web.server import Handler, Route, read_limited

log = logging.getLogger(__name__)

PAGERDUTY_PATH = "/incidents/pagerduty"
OPSGENIE_PATH = "/incidents/opsgenie"
PATHS = {"pagerduty": PAGERDUTY_PATH, "opsgenie": OPSGENIE_PATH, "jsm": "/incidents/jsm"}
MAX_BODY = 512 * 1024
"""A page is a few KiB; Opsgenie clips its description and details to 1,000 characters each."""
Parse = Callable[[bytes], Page | None]
Check = Callable[[web.Request, bytes], str | None]
"""Why the request is not the tool's (None: it is)."""


def pagerduty_route(
    intake: IncidentIntake,
    *,
    secret: str,
    body_timeout: float,
    metrics: Metrics | None = None,
    on_stored: Callable[[], None] = lambda: None,
) -> Route:
    def check(request: web.Request, body: bytes) -> str | None:
        header = request.headers.get(SIGNATURE_HEADER, "")
        if not header:
            return f"missing {SIGNATURE_HEADER}"
        return None if pagerduty_signed(body, header, secret) else f"wrong {SIGNATURE_HEADER}"

    handler = _handler(
        "pagerduty", check, parse_pagerduty, _Sink(intake, on_stored), body_timeout, metrics
    )
    return ("POST", PAGERDUTY_PATH, handler)


def opsgenie_route(
    intake: IncidentIntake,
    *,
    secret: str,
    body_timeout: float,
    clock: Callable[[], datetime],
    metrics: Metrics | None = None,
    on_stored: Callable[[], None] = lambda: None,
    tool: AlertTool = "opsgenie",
) -> Route:
    """Opsgenie's alert webhook, or (`tool`) Jira Service Management's: the same body and secret."""

    def check(request: web.Request, body: bytes) -> str | None:
        header = request.headers.get("Authorization", "")
        return None if bearer_matches(header, secret) else "missing or wrong bearer secret"

    def parse(body: bytes) -> Page | None:
        return parse_opsgenie(body, now=clock(), tool=tool)

    handler = _handler(tool, check, parse, _Sink(intake, on_stored), body_timeout, metrics)
    return ("POST", PATHS[tool], handler)


class _Sink:
    """The intake, and who to wake once a page is stored (this replica's inbox worker)."""

    def __init__(self, intake: IncidentIntake, on_stored: Callable[[], None]) -> None:
        self.intake = intake
        self.on_stored = on_stored

    async def receive(self, page: Page) -> None:
        await self.intake.receive(page)
        self.on_stored()


def _handler(
    tool: str,
    check: Check,
    parse: Parse,
    intake: _Sink,
    body_timeout: float,
    metrics: Metrics | None,
) -> Handler:
    async def counted(request: web.Request) -> web.Response:
        response = await receive(request)
        if metrics is not None:
            metrics.incident_webhooks.labels(tool, str(response.status)).inc()
        return response

    async def receive(request: web.Request) -> web.Response:
        try:
            async with asyncio.timeout(body_timeout):
                body = await read_limited(request, MAX_BODY)
        except TimeoutError:
            response = _line(408, "request body not received in time")
            response.force_close()
            return response
        if len(body) > MAX_BODY:
            return _line(413, f"payload larger than {MAX_BODY} bytes")
        refused = check(request, body)
        if refused is not None:
            log.info("refused a %s webhook: %s", tool, refused)
            return _line(401, refused)
        return await _accept(tool, parse, intake, body)

    return counted


async def _accept(tool: str, parse: Parse, intake: _Sink, body: bytes) -> web.Response:
    try:
        page = await off_loop(intake.intake.text_seconds, parse, body)
        if page is None:
            return _line(200, "ignored (not an event kubemedic acts on)")
        await intake.receive(page)
    except BadPage as exc:
        return _line(400, str(exc))
    except TooCostly as exc:
        log.info("refused a %s page: %s", tool, exc)
        return _line(413, str(exc))
    except Refused as exc:
        log.info("refused a %s page: %s", tool, exc.reason)
        return _line(exc.status, exc.reason)
    except StoreUnavailable as exc:
        log.warning("%s page not stored (%s); answering 503 so it is sent again", tool, exc)
        return _line(503, "database unavailable; send it again")
    return _line(202, f"accepted {page.named}")


def _line(status: int, text: str) -> web.Response:
    return web.Response(status=status, text=" ".join(text.split())[:500] + "\n")
