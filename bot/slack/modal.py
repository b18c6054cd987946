""""Not this" in Slack: the vote, the dialog (views.open), the catalog search, the pick.

The click is acked first; the vote is recorded and thanked as before, and the dialog opens
with the click's trigger_id (Slack honours it for 3 s). Slack asks for search options as the
person types (a `block_suggestion`, answered at once; what it answers is offered too). A
submission that names nothing, an entry the catalog does not have, or one the dialog never
offered, is refused in the dialog itself; otherwise it is acked (the dialog closes) and the
pick replaces the answer with chat.update: the picked entry's answer,
marked as chosen, with its feedback buttons and Undo.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.choice_clicks import Click, Refusal
from bot.answering.chosen import catalog_entry
from bot.answering.picking import Dialog, Picked, Picking
from bot.runtime.background import Background
from bot.slack.choices import click_of
from bot.slack.posting import slack_error
from bot.slack.responding import responder
from responses import ask_messages as say
from responses import messages
from responses.answer_build import answer_view
from responses.block_kit import diagnosis_blocks, fallback_text
from responses.buttons import FEEDBACK_NOT_THIS, details_button, feedback_buttons
from responses.choice_blocks import undo_button
from responses.choice_modal import (
    MAX_OPTIONS,
    NOT_THIS_CALLBACK,
    SEARCH_ACTION,
    SEARCH_BLOCK,
    catalog_options,
    not_this_view,
    picked_entry,
)

log = logging.getLogger(__name__)


class NotThisListeners:
    """The "Not this" button, the dialog's search and its submission."""

    def __init__(self, *, picking: Picking, background: Background, client: AsyncWebClient) -> None:
        self.picking = picking
        self.background = background
        self.client = client

    def register(self, app: AsyncApp) -> None:
        app.action(FEEDBACK_NOT_THIS)(self.on_not_this)
        app.options(SEARCH_ACTION)(self.on_search)
        app.view(NOT_THIS_CALLBACK)(self.on_pick)

    async def on_not_this(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        private = responder(body.get("response_url"), self.client, "ephemeral")
        self.background.spawn(self._open(click_of(body, action), str(body.get("trigger_id") or ""), private))

    async def _open(self, click: Click, trigger_id: str, private: Any) -> None:
        dialog = await self.picking.open(click)
        if isinstance(dialog, Refusal):
            await private(text=dialog.text)
            return
        assert isinstance(dialog, Dialog)
        try:
            await self.client.views_open(trigger_id=trigger_id, view=not_this_view(
                dialog.question.id, answered=dialog.answered, others=dialog.others))
        except SlackApiError as exc:
            log.info("the Not this dialog did not open: %s", slack_error(exc))
        offered = [entry for entry, _title in await self.picking.options(dialog)]
        await private(text=await self.picking.keep(dialog, click, offered))

    async def on_search(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        query = str(body.get("value") or "")
        found = await asyncio.to_thread(self.picking.search, query)
        await ack(**catalog_options(found))
        view = body.get("view") or {}
        question = str(view.get("private_metadata") or "") if isinstance(view, dict) else ""
        await self.picking.offer(question, [entry for entry, _title in found[:MAX_OPTIONS]])

    async def on_pick(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        entry_id = picked_entry(view.get("state") or {})
        if entry_id is None:
            await ack(response_action="errors", errors={SEARCH_BLOCK: say.MODAL_NOTHING_PICKED})
            return
        if catalog_entry(self.picking.diagnoser.matcher, entry_id) is None:
            await ack(response_action="errors", errors={SEARCH_BLOCK: say.MODAL_UNKNOWN_ENTRY})
            return
        if not await self.picking.offered(str(view.get("private_metadata") or ""), entry_id):
            await ack(response_action="errors", errors={SEARCH_BLOCK: say.MODAL_NOT_OFFERED})
            return
        await ack()
        user = body.get("user") or {}
        click = Click(question_id=str(view.get("private_metadata") or "")[:200], user=str(user.get("id", "")),
                      user_name=str(user.get("username") or user.get("name") or ""))
        self.background.spawn(self._pick(click, entry_id))

    async def _pick(self, click: Click, entry_id: str) -> None:
        picked = await self.picking.pick(click, entry_id)
        if isinstance(picked, Refusal):
            question = await self.picking.store.get_question(click.question_id) if click.question_id else None
            if question is not None:
                await self.client.chat_postEphemeral(channel=question.channel, user=click.user, text=picked.text)
            return
        assert isinstance(picked, Picked)
        question = picked.question
        folded = [details_button(picked.diagnosis_id)] if picked.diagnosis_id and answer_view(picked.diagnosis).details \
            else []
        buttons = [*folded, *feedback_buttons(picked.diagnosis_id, show_others=False), undo_button(question.id)] \
            if picked.diagnosis_id else [undo_button(question.id)]
        try:
            await self.client.chat_update(channel=question.channel, ts=question.message_ts or "",
                                          blocks=diagnosis_blocks(picked.diagnosis, buttons=buttons),
                                          text=fallback_text(picked.diagnosis))
        except SlackApiError as exc:
            log.warning("the picked answer did not replace the old one: %s", slack_error(exc))
            await self.client.chat_postEphemeral(channel=question.channel, user=click.user,
                                                 text=messages.not_posted(slack_error(exc)))
