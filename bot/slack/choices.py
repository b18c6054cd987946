"""The question's buttons in Slack: post "Is it one of these?", take a choice, "None of these", Undo.

Every click is acked at once and carried out in the background; a refusal, or a question
already answered, is told only to the clicker (its response_url). A choice replaces the
question's buttons with who chose what (and Undo), its answer goes in the thread; "None of
these" leaves one line and hands the ask to the team's agent when there is one; an Undo
withdraws the answer and puts the buttons back. The checks and the audit are the use case's
(bot.answering.choosing); here only Slack's payload is read and Slack's messages written.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.asking import QuestionPoster
from bot.answering.candidates import Candidate
from bot.answering.choice_clicks import Click, Refusal
from bot.answering.choosing import Choosing, Chosen, NoneChosen, Undone
from bot.answering.direct import DirectAsks
from bot.answering.ports import PostFailed
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.runtime.background import Background
from bot.slack.handoff import slack_teller
from bot.slack.posting import slack_error
from bot.slack.render import Say, render_answer
from bot.slack.responding import responder
from bot.storage.ask_records import QuestionRecord
from responses import ask_messages as say
from responses import messages
from responses.choice_blocks import (
    CHOOSE_NONE,
    CHOOSE_PREFIX,
    UNDO_CHOICE,
    choice_number,
    chosen_blocks,
    notice_blocks,
    question_blocks,
    question_fallback,
)

log = logging.getLogger(__name__)

MAX_VALUE = 200
INPUT_KINDS: dict[str, InputKind] = {"command": "command", "mention": "mention", "dm": "dm"}


class SlackQuestions(QuestionPoster):
    """Posts questions with chat.postMessage."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def ask(self, place: Place, question: QuestionRecord, candidates: Sequence[Candidate]) -> str | None:
        which = question.kind == "which"
        try:
            response = await self.client.chat_postMessage(
                channel=place.channel, thread_ts=place.thread_ts, blocks=question_blocks(question.id, candidates,
                                                                                         which=which),
                text=question_fallback(candidates, which=which))
        except SlackApiError as exc:
            raise PostFailed(slack_error(exc)) from exc
        ts = response.get("ts")
        return str(ts) if ts else None


def click_of(body: dict[str, Any], action: dict[str, Any]) -> Click:
    """Who clicked which question's button, where (only the question id comes from the button)."""
    user = body.get("user") or {}
    container = body.get("container") or {}
    message = body.get("message") or {}
    value = action.get("value")
    return Click(question_id=value if isinstance(value, str) and 0 < len(value) <= MAX_VALUE else "",
                 user=str(user.get("id", "")), user_name=str(user.get("username") or user.get("name") or ""),
                 channel=str((body.get("channel") or {}).get("id") or container.get("channel_id") or ""),
                 message_ts=str(container.get("message_ts") or message.get("ts") or "") or None,
                 thread_ts=message.get("thread_ts") or container.get("thread_ts"),
                 number=choice_number(str(action.get("action_id", ""))))


class ChoiceListeners:
    """choose_<n>, choose_none and undo_choice."""

    def __init__(self, *, choosing: Choosing, direct: DirectAsks, background: Background,
                 client: AsyncWebClient) -> None:
        self.choosing = choosing
        self.direct = direct
        self.background = background
        self.client = client

    def register(self, app: AsyncApp) -> None:
        app.action(re.compile(rf"^{CHOOSE_PREFIX}_\d{{1,2}}$"))(self.on_choose)
        app.action(CHOOSE_NONE)(self.on_none)
        app.action(UNDO_CHOICE)(self.on_undo)

    def _private(self, body: dict[str, Any]) -> Say:
        return responder(body.get("response_url"), self.client, "ephemeral")

    async def on_choose(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._choose(click_of(body, action), self._private(body)))

    async def on_none(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._none(click_of(body, action), self._private(body)))

    async def on_undo(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._undo(click_of(body, action), self._private(body)))

    async def _choose(self, click: Click, private: Say) -> None:
        result = await self.choosing.choose(click)
        if isinstance(result, Refusal):
            await private(text=result.text)
            return
        assert isinstance(result, Chosen)
        if result.error is not None:
            await private(text=messages.not_posted(result.error))
        elif result.reason is not None:
            await private(text=messages.user_error(result.reason))
        question = result.question
        await self._update(question.channel, question.message_ts or click.message_ts,
                           chosen_blocks(question.id, by=click.user, title=result.candidate.title,
                                         entry=result.candidate.id),
                           say.chosen_line(click.user, result.candidate.title, result.candidate.id))

    async def _none(self, click: Click, private: Say) -> None:
        result = await self.choosing.none_of_these(click)
        if isinstance(result, Refusal):
            await private(text=result.text)
            return
        assert isinstance(result, NoneChosen)
        question = result.question
        handed = self.direct.handoff.agent is not None and result.unsure is not None
        line = say.none_line(click.user, handed and question.kind != "which")
        await self._update(question.channel, question.message_ts or click.message_ts, notice_blocks(line), line)
        thread = question.thread_ts or question.message_ts or click.message_ts
        in_thread = self._in_thread(question.channel, thread)
        kind = INPUT_KINDS.get(question.asked_via, "mention")
        if question.kind == "which" and question.text:  # none of the objects: the words are answered
            request = DiagnoseRequest.paste(question.text)
            place = Place(question.channel, thread, question.asker)

            async def render(answer: Any) -> None:
                await render_answer(answer, subject=request.subject, channel=question.channel, say_private=in_thread)

            await self.direct.answer(request, place, kind=kind, render=render, tell=slack_teller(in_thread),
                                     name_objects=False)
            return
        if result.unsure is not None and result.request is not None:
            await self.direct.handoff.after(result.unsure, result.request, kind=kind,
                                            tell=slack_teller(in_thread), user=click.user)

    async def _undo(self, click: Click, private: Say) -> None:
        result = await self.choosing.undo(click)
        if isinstance(result, Refusal):
            await private(text=result.text)
            return
        assert isinstance(result, Undone)
        question = result.question
        line = say.withdrawn(click.user, question.chosen_by, question.chosen_id)
        if question.kind == "not_this":
            await self._update(question.channel, question.message_ts, notice_blocks(line), line)
            return
        await self._update(question.channel, question.answer_ts, notice_blocks(line), line)
        which = question.kind == "which"
        await self._update(question.channel, question.message_ts or click.message_ts,
                           question_blocks(question.id, result.candidates, which=which),
                           question_fallback(result.candidates, which=which))

    def _in_thread(self, channel: str, thread: str | None) -> Say:
        async def post(**message: Any) -> None:
            await self.client.chat_postMessage(channel=channel, thread_ts=thread, **message)

        return post

    async def _update(self, channel: str, ts: str | None, blocks: list[dict[str, Any]], text: str) -> None:
        if not ts:
            return
        try:
            await self.client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
        except SlackApiError as exc:
            log.warning("could not update message %s in %s: %s", ts, channel, slack_error(exc))
