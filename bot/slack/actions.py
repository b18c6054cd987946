"""Button clicks: remediation, feedback, and "show other matches".

Every click is acked first. A remediation click is stored as durable work
(another replica finishes it if this one dies) and is decided entirely by
the remediation use case from the stored pending action (never from names
in the button value); its outcome replaces the button row so it cannot be
clicked twice, and is posted in the thread. Refusals and expired buttons
are told only to the clicker.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.feedback import Feedback
from bot.answering.ports import ClickResult, RemediationPort
from bot.runtime.background import Background
from bot.runtime.clock import Clock
from bot.runtime.work import WorkQueue
from bot.slack.render import Say
from bot.slack.responding import responder
from bot.slack.work_items import ClickWork
from bot.summary.incidents import IncidentSummaries
from responses import messages
from responses.alert_view import MUTE_ACTION_PREFIX
from responses.block_kit import Outcome, outcome_blocks
from responses.block_notices import outcome_text
from responses.buttons import (
    FEEDBACK_HELPFUL,
    REMEDIATE_PREFIX,
    SHOW_OTHER_MATCHES,
)

log = logging.getLogger(__name__)

MAX_VALUE = 200


def _value(action: dict[str, Any]) -> str | None:
    value = action.get("value")
    return value if isinstance(value, str) and 0 < len(value) <= MAX_VALUE else None


def _click(body: dict[str, Any], action: dict[str, Any]) -> ClickWork:
    message = body.get("message") or {}
    container = body.get("container") or {}
    return ClickWork(
        signed_button=str(action.get("value", ""))[:4096],
        user_id=str((body.get("user") or {}).get("id", "")),
        channel=str((body.get("channel") or {}).get("id") or container.get("channel_id", "")),
        ts=str(message.get("ts") or container.get("message_ts") or ""),
        thread_ts=message.get("thread_ts"), text=message.get("text"),
        blocks=message.get("blocks") or [], response_url=body.get("response_url"),
    )


class ButtonListeners:
    """The button listeners, with what they need."""

    def __init__(self, *, work: WorkQueue, remediation: RemediationPort | None, feedback: Feedback,
                 summaries: IncidentSummaries, background: Background, client: AsyncWebClient,
                 clock: Clock) -> None:
        self.work = work
        self.remediation = remediation
        self.feedback = feedback
        self.summaries = summaries
        self.background = background
        self.client = client
        self.clock = clock

    def register(self, app: AsyncApp) -> None:
        """Register the listeners (the catch-all for unknown buttons last) and the click handler."""
        app.middleware(self.summary_after_clicks)
        app.action(re.compile(f"^{REMEDIATE_PREFIX}"))(self.remediate)
        self.work.handler(ClickWork.kind)(self.carry_out)
        app.action(FEEDBACK_HELPFUL)(self.vote)  # "Not this" opens its dialog (bot/slack/modal.py)
        app.action(SHOW_OTHER_MATCHES)(self.show_others)
        # not the Mute buttons under alert messages: bot/slack/mute.py claims those
        app.action(re.compile(f"^(?!{MUTE_ACTION_PREFIX})"))(self.unknown_button)

    async def summary_after_clicks(self, body: dict[str, Any], next: Any) -> Any:
        """A click in an incident channel changes its audit log: refresh its summary."""
        response = await next()
        if body.get("type") == "block_actions":
            self.summaries.after_click(str((body.get("channel") or {}).get("id") or ""))
        return response

    async def remediate(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        # Every delivery is its own item: consuming the pending action is what makes a
        # click act once, and a second delivery must still hear "already used".
        await self.work.submit(ClickWork.kind, str(uuid.uuid4()), _click(body, action).payload())

    async def carry_out(self, payload: dict[str, Any], attempt: int) -> None:
        """Run a stored click; attempt > 1: another replica began it (never act twice)."""
        click = ClickWork.of(payload)
        respond = responder(click.response_url, self.client, "ephemeral")
        if self.remediation is None:
            await respond(text=messages.REMEDIATION_NOT_ENABLED)
            return
        act = self.remediation.click if attempt == 1 else self.remediation.recover
        result = await act(click.signed_button, user_id=click.user_id, channel_id=click.channel)
        if result.private:
            await respond(text=outcome_text(result.text))
            return
        await self._show_outcome(click, result)

    async def _show_outcome(self, click: ClickWork, result: ClickResult) -> None:
        await self.client.chat_postMessage(channel=click.channel, thread_ts=click.thread_ts or click.ts,
                                           text=outcome_text(result.text, 3000))
        outcome = Outcome(result.status, result.text, click.user_id, self.clock())
        await self.client.chat_update(channel=click.channel, ts=click.ts, text=str(click.text or result.text),
                                      blocks=outcome_blocks(click.blocks, outcome))

    def _respond(self, body: dict[str, Any]) -> Say:
        """Private answers to a click go through its response_url, over the bot's shared session."""
        return responder(body.get("response_url"), self.client, "ephemeral")

    async def vote(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._record_vote(body, action, self._respond(body)))

    async def _record_vote(self, body: dict[str, Any], action: dict[str, Any], respond: Say) -> None:
        await respond(text=await self.feedback.vote(_value(action), user=str(body["user"]["id"]), helpful=True))

    async def show_others(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._list_others(action, self._respond(body)))

    async def _list_others(self, action: dict[str, Any], respond: Say) -> None:
        await respond(text=await self.feedback.others(_value(action)))

    async def unknown_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        """Only buttons no listener above claims (registered last)."""
        await ack()
        log.info("unknown button %r clicked", str(((body.get("actions") or [{}])[0]).get("action_id"))[:80])
        if body.get("response_url"):
            self.background.spawn(self._tell_unknown(body))

    async def _tell_unknown(self, body: dict[str, Any]) -> None:
        await self._respond(body)(text=messages.UNKNOWN_BUTTON)
