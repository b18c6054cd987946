"""Button clicks: remediation, feedback, and "show other matches".

Every click is acked first.  A remediation click is stored as durable work
(another replica finishes it if this one dies; see `recover`) and is
decided entirely by the remediation service from the stored pending action
(never from names in the button value); its outcome replaces the button
row so it cannot be clicked twice, and is posted in the thread.  Refusals
and expired buttons are told only to the clicker.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

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
UNKNOWN_BUTTON = "kubemedic does not know this button; nothing was done."


def _value(action: dict[str, Any]) -> str | None:
    value = action.get("value")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_VALUE else None


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Register the button listeners."""

    async def private(respond: AsyncRespond, text: str) -> None:
        await respond(response_type="ephemeral", replace_original=False, text=text)

    work = deps.work
    assert work is not None, "create_app sets up the work queue first"

    @app.action(re.compile(f"^{REMEDIATE_PREFIX}"))
    async def remediate(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        message = body.get("message") or {}
        container = body.get("container") or {}
        payload = {
            "value": str(action.get("value", ""))[:4096],
            "user_id": str((body.get("user") or {}).get("id", "")),
            "channel": str((body.get("channel") or {}).get("id") or container.get("channel_id", "")),
            "ts": str(message.get("ts") or container.get("message_ts") or ""),
            "thread_ts": message.get("thread_ts"),
            "text": message.get("text"),
            "blocks": message.get("blocks") or [],
            "response_url": body.get("response_url"),
        }
        # Every delivery is its own item: consuming the pending action is what makes a
        # click act once, and a second delivery must still hear "already used".
        await work.submit("click", str(uuid.uuid4()), payload)

    @work.handler("click")
    async def carry_out(click: dict[str, Any], attempt: int) -> None:
        respond = AsyncRespond(response_url=click.get("response_url"))
        if deps.remediation is None:
            await private(respond, NOT_ENABLED)
            return
        act = deps.remediation.click if attempt == 1 else deps.remediation.recover
        result = await act(click["value"], user_id=click["user_id"], channel_id=click["channel"])
        deps.metrics.remediations.labels(result.kind, result.status).inc()
        if result.private:
            await private(respond, result.text)
            return
        client, channel, ts = work.client, click["channel"], click["ts"]
        await client.chat_postMessage(channel=channel, thread_ts=click.get("thread_ts") or ts, text=result.text)
        outcome = Outcome(result.status, result.text, click["user_id"], deps.clock())
        await client.chat_update(channel=channel, ts=ts, text=str(click.get("text") or result.text),
                                 blocks=outcome_blocks(click.get("blocks") or [], outcome))

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

    @app.action(re.compile(".*"))  # registered last: only buttons no listener above claims
    async def unknown_button(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        log.info("unknown button %r clicked", str(((body.get("actions") or [{}])[0]).get("action_id"))[:80])
        if body.get("response_url"):
            deps.spawn(private(respond, UNKNOWN_BUTTON))
