"""Button clicks: remediation, feedback, and "show other matches".

Every click is acked first.  A remediation click is decided entirely by the
remediation service from the stored pending action (never from names in the
button value); its outcome replaces the button row so it cannot be clicked
twice, and is posted in the thread.  Refusals and expired buttons are told
only to the clicker.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.deps import BotDeps
from bot.storage.base import StoreUnavailable
from bot.storage.records import Verdict
from responses.block_kit import Outcome, outcome_blocks
from responses.buttons import (
    FEEDBACK_HELPFUL,
    FEEDBACK_NOT_THIS,
    REMEDIATE_PREFIX,
    SHOW_OTHER_MATCHES,
)

log = logging.getLogger(__name__)

MAX_VALUE = 200
NOT_ENABLED = "Remediation is not enabled on this kubemedic."
STORE_DOWN = "The database is unavailable right now; try again in a minute."
UNKNOWN_DIAGNOSIS = "That diagnosis is no longer stored; run /diagnose again."


def _value(action: dict[str, Any]) -> str | None:
    value = action.get("value")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_VALUE else None


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Register the button listeners."""

    async def private(respond: AsyncRespond, text: str) -> None:
        await respond(response_type="ephemeral", replace_original=False, text=text)

    @app.action(re.compile(f"^{REMEDIATE_PREFIX}"))
    async def remediate(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                        client: AsyncWebClient, respond: AsyncRespond) -> None:
        await ack()
        deps.spawn(carry_out(body, action, client, respond))

    async def carry_out(body: dict[str, Any], action: dict[str, Any], client: AsyncWebClient,
                        respond: AsyncRespond) -> None:
        if deps.remediation is None:
            await private(respond, NOT_ENABLED)
            return
        user_id = str((body.get("user") or {}).get("id", ""))
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", ""))
        result = await deps.remediation.click(str(action.get("value", ""))[:4096], user_id=user_id,
                                              channel_id=channel)
        deps.metrics.remediations.labels(result.kind, result.status).inc()
        if result.private:
            await private(respond, result.text)
            return
        message = body.get("message") or {}
        ts = str(message.get("ts") or (body.get("container") or {}).get("message_ts") or "")
        await client.chat_postMessage(channel=channel, thread_ts=message.get("thread_ts") or ts, text=result.text)
        outcome = Outcome(result.status, result.text, user_id, deps.clock())
        await client.chat_update(channel=channel, ts=ts, text=str(message.get("text") or result.text),
                                 blocks=outcome_blocks(message.get("blocks") or [], outcome))

    @app.action(re.compile(f"^({FEEDBACK_HELPFUL}|{FEEDBACK_NOT_THIS})$"))
    async def feedback(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any],
                       respond: AsyncRespond) -> None:
        await ack()
        deps.spawn(record_vote(body, action, respond))

    async def record_vote(body: dict[str, Any], action: dict[str, Any], respond: AsyncRespond) -> None:
        diagnosis_id = _value(action)
        try:
            record = await deps.store.get_diagnosis(diagnosis_id) if diagnosis_id else None
            if record is None or not record.catalog_ids:
                await private(respond, UNKNOWN_DIAGNOSIS)
                return
            verdict: Verdict = "helpful" if action.get("action_id") == FEEDBACK_HELPFUL else "not_this"
            await deps.store.add_feedback(diagnosis_id=record.id, catalog_id=record.catalog_ids[0],
                                          user=str(body["user"]["id"]), verdict=verdict, now=deps.clock())
        except StoreUnavailable:
            await private(respond, STORE_DOWN)
            return
        label = "helpful" if verdict == "helpful" else "not this"
        await private(respond, f"Thanks, noted: `{record.catalog_ids[0]}` was {label}.")

    @app.action(SHOW_OTHER_MATCHES)
    async def show_others(ack: AsyncAck, action: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        deps.spawn(list_others(action, respond))

    async def list_others(action: dict[str, Any], respond: AsyncRespond) -> None:
        diagnosis_id = _value(action)
        try:
            record = await deps.store.get_diagnosis(diagnosis_id) if diagnosis_id else None
        except StoreUnavailable:
            await private(respond, STORE_DOWN)
            return
        if record is None:
            await private(respond, UNKNOWN_DIAGNOSIS)
            return
        others = record.body.get("matches", [])[1:]
        lines = [f"• `{m['id']}` {m['title']} ({m['confidence']}, {m['score']:.2f})" for m in others]
        await private(respond, "Other likely matches:\n" + ("\n".join(lines) or "none"))
