"""Slack's button clicks, and the "Not this" modal's search and submission, read into the flow.

Every click is acked first. A remediation click (its button confirmed it) is stored as durable
work, so another replica finishes it if this one dies; every other button goes to the
interaction flow (bot.answering.flow) in the background. What the flow tells the clicker alone
goes through the click's response_url. The modal's search is answered at once (Slack asks as the
person types), and what it answers is offered too; a submission that names nothing, an entry the
catalog does not have, or one the modal never offered, is refused in the modal itself.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict
from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.answering.arrivals import first_text
from bot.answering.choice_clicks import Click, clicked
from bot.answering.chosen import catalog_entry
from bot.answering.flow import ChatFlow
from bot.answering.requests import Place
from bot.answering.surface import Reply
from bot.runtime.background import Background
from bot.runtime.work import WorkQueue
from responses import ask_messages as say
from responses.answer_actions import REMEDIATE_PREFIX
from responses.choice_modal import (
    MAX_OPTIONS,
    NOT_THIS_CALLBACK,
    SEARCH_ACTION,
    SEARCH_BLOCK,
    catalog_options,
    picked_entry,
)


class ClickWork(BaseModel):
    """A remediation click, stored as durable work (keys stable: the next release takes these over)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    kind: ClassVar[str] = "click"
    signed_button: str
    """The button's value as Slack sent it (minted and signed by the bot; kept unredacted)."""
    user_id: str
    channel: str
    ts: str
    thread_ts: str | None = None
    text: str | None = None
    blocks: list[dict[str, Any]] = []
    response_url: str | None = None

    def click(self) -> Click:
        return clicked(
            "remediate",
            self.signed_button,
            user=self.user_id,
            channel=self.channel,
            message_ts=self.ts or None,
            thread_ts=self.thread_ts,
            message={"blocks": self.blocks, "text": self.text},
        )


def click_of(body: dict[str, Any], action: dict[str, Any]) -> Click:
    """Who clicked which button, on which message (only the value comes from the button)."""
    user, container = body.get("user") or {}, body.get("container") or {}
    message, channel = body.get("message") or {}, body.get("channel") or {}
    return clicked(
        first_text(action.get("action_id")),
        action.get("value"),
        user=first_text(user.get("id")),
        user_name=first_text(user.get("username"), user.get("name")),
        channel=first_text(channel.get("id"), container.get("channel_id")),
        message_ts=first_text(container.get("message_ts"), message.get("ts")) or None,
        thread_ts=first_text(message.get("thread_ts"), container.get("thread_ts")) or None,
        trigger=first_text(body.get("trigger_id")),
        ephemeral=bool(container.get("is_ephemeral")),
        message=message,
    )


class ClickListeners:
    """Every button, and the "Not this" modal."""

    def __init__(self, *, flow: ChatFlow, work: WorkQueue, background: Background) -> None:
        self.flow, self.work, self.background = flow, work, background

    def register(self, app: AsyncApp) -> None:
        app.action(re.compile(f"^{REMEDIATE_PREFIX}"))(self.remediate)
        self.work.handler(ClickWork.kind)(self.carry_out)
        app.action(re.compile(".*"))(self.on_click)
        app.options(SEARCH_ACTION)(self.on_search)
        app.view(NOT_THIS_CALLBACK)(self.on_pick)

    def _private(self, body: dict[str, Any]) -> Reply:
        return self.flow.surface.reply_url(body.get("response_url"))

    async def on_click(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._clicked(click_of(body, action), self._private(body)))

    async def _clicked(self, click: Click, private: Reply) -> None:
        told = await self.flow.click(click)
        if told is not None:
            await private(told)

    async def remediate(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        click = click_of(body, action)
        item = ClickWork(
            signed_button=str(action.get("value", ""))[:4096],
            user_id=click.user,
            channel=click.channel,
            ts=str(click.message.get("ts") or click.message_ts or ""),
            thread_ts=click.message.get("thread_ts"),
            text=click.message.get("text"),
            blocks=click.message.get("blocks") or [],
            response_url=body.get("response_url"),
        )
        # Every delivery is its own item: consuming the pending action is what makes a
        # click act once, and a second delivery must still hear "already used".
        await self.work.submit(item.kind, str(uuid.uuid4()), item.model_dump(exclude_none=True))

    async def carry_out(self, payload: dict[str, Any], attempt: int) -> None:
        """Run a stored click; attempt > 1: another replica began it (never act twice)."""
        item = ClickWork.model_validate(payload)
        told = await self.flow.remediate(item.click(), attempt=attempt)
        if told is not None:
            await self.flow.surface.reply_url(item.response_url)(told)

    async def on_search(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        picking = self.flow.picking
        found = await asyncio.to_thread(picking.search, str(body.get("value") or ""))
        await ack(**catalog_options(found))
        view = body.get("view") or {}
        question = str(view.get("private_metadata") or "") if isinstance(view, dict) else ""
        await picking.offer(question, [entry for entry, _title in found[:MAX_OPTIONS]])

    async def on_pick(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        entry = picked_entry(view.get("state") or {})
        question = str(view.get("private_metadata") or "")[:200]
        refusal = await self._refusal(question, entry)
        if refusal is not None or entry is None:
            await ack(
                response_action="errors", errors={SEARCH_BLOCK: refusal or say.MODAL_NOTHING_PICKED}
            )
            return
        await ack()
        user = body.get("user") or {}
        click = Click(
            question_id=question,
            user=str(user.get("id", "")),
            user_name=str(user.get("username") or user.get("name") or ""),
        )
        self.background.spawn(self._pick(click, entry))

    async def _refusal(self, question: str, entry: str | None) -> str | None:
        """Why the modal cannot take this pick (None: it can)."""
        if entry is None:
            return say.MODAL_NOTHING_PICKED
        if catalog_entry(self.flow.picking.diagnoser.matcher, entry) is None:
            return say.MODAL_UNKNOWN_ENTRY
        return None if await self.flow.picking.offered(question, entry) else say.MODAL_NOT_OFFERED

    async def _pick(self, click: Click, entry: str) -> None:
        told = await self.flow.pick(click, entry)
        asked = (
            await self.flow.picking.store.get_question(click.question_id)
            if told and click.question_id
            else None
        )
        if told is not None and asked is not None:
            await self.flow.surface.tell(Place(asked.channel, None, click.user), told)
