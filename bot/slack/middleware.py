"""Cross-cutting rules for every request: a request id for its logs, and answer each Slack
event once.

The request id (the event id for events, which Slack's retries share, else a
fresh short id) is set in a context variable for the whole dispatch, so the
listeners' log lines and the background work they spawn (asyncio copies the
context into new tasks) carry it; see bot/logs.py.

Slack retries an event it thinks was not acknowledged (X-Slack-Retry-Num),
and with several replicas the retry may reach another process.  The event
id is claimed in the database (a unique key, with whatever else is being
written) before any listener runs; a second claim gets an empty 200 and
nothing else happens. An event that becomes work (a pasted message, a
mention) is not claimed apart: its work item, stored before the ack under
the event id, is the claim (one write instead of two).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.logs import REQUEST_ID, request_id_for
from bot.metrics import Metrics
from bot.runtime.clock import Clock
from bot.runtime.ledger import Ledger
from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)


def describe(body: dict[str, Any]) -> str:
    """What kind of request this is, without anything a user typed: "command /diagnose",
    "event app_mention", "block_actions"."""
    if body.get("command"):
        return f"command {body['command']}"
    event = body.get("event")
    if body.get("type") == "event_callback" and isinstance(event, dict):
        return f"event {event.get('type')}"
    return str(body.get("type") or "request")


def register(
    app: AsyncApp,
    *,
    ledger: Ledger,
    metrics: Metrics,
    clock: Clock,
    stored_as_work: Callable[[dict[str, Any], dict[str, Any]], bool],
) -> None:
    """Install the request-id and event de-duplication middlewares (in that order); `stored_as_work(body,
    context)` says which events the listeners' work items de-duplicate."""

    @app.middleware
    async def request_context(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        # HTTP mode set (and will reset) the id around the dispatch (bot/slack/server.py); in
        # Socket Mode each message is dispatched in its own task, so setting it here is scoped
        # to that message. (bolt's next() only flags: the listeners run after this returns.)
        if REQUEST_ID.get() is None:
            REQUEST_ID.set(request_id_for(body))
            log.info("received %s over Socket Mode", describe(body))
        return await next()

    @app.middleware
    async def answer_each_event_once(
        body: dict[str, Any], context: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not stored_as_work(body, context):
            try:
                first = await ledger.claim_event(str(event_id), now=clock())
            except StoreUnavailable as exc:
                log.warning("cannot de-duplicate event %s (%s); handling it", event_id, exc)
                first = True
            if not first:
                metrics.skipped.labels("duplicate_event").inc()
                return BoltResponse(status=200, body="")
        return await next()
