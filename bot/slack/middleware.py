"""Cross-cutting rules for every request: answer each Slack event once.

Slack retries an event it thinks was not acknowledged (X-Slack-Retry-Num),
and with several replicas the retry may reach another process.  The event
id is claimed in the database (a unique key) before any listener runs; a
second claim gets an empty 200 and nothing else happens.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.slack.deps import BotDeps
from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Install the event de-duplication middleware."""

    @app.middleware
    async def answer_each_event_once(body: dict[str, Any], next: Callable[[], Awaitable[None]]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                first = await deps.store.claim_event(str(event_id), now=deps.clock())
            except StoreUnavailable as exc:
                log.warning("cannot de-duplicate event %s (%s); handling it", event_id, exc)
                first = True
            if not first:
                deps.metrics.skipped.labels("duplicate_event").inc()
                return BoltResponse(status=200, body="")
        return await next()
