"""The chat poster in Mattermost: answers and questions as posts, edited in place.

`Place.thread_ts` is the thread's root post id. Messages are drawn by Mattermost's renderer from
the registry (responses.renderers); their buttons' contexts are sealed here and pointed at the
callback URL (bot.mattermost.callbacks). Mattermost's refusals become `PostFailed` with its error id.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.answering.candidates import Candidate
from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from bot.mattermost.callbacks import Callbacks
from bot.mattermost.client import MattermostClient, MattermostError
from bot.storage.ask_records import QuestionRecord
from responses import ask_messages as say
from responses.answer_actions import ButtonSpec
from responses.chat import ChatMessage, QuestionMessage
from responses.choice_blocks import UNDO_CHOICE
from responses.mattermost_chat import question_text, words
from responses.mattermost_post import Post, buttons_attachment
from responses.renderers import MATTERMOST

__all__ = ["MattermostPoster", "question_buttons", "question_message", "undo_buttons", "words"]


def sealed_post(message: ChatMessage, callbacks: Callbacks) -> Post:
    """The message as Mattermost's renderer draws it, each button's context sealed for `callbacks`."""
    post = MATTERMOST.draw(message)
    for attachment in post.attachments:
        for action in attachment.get("actions") or []:
            context = (action.get("integration") or {}).get("context") or {}
            action["integration"] = callbacks.sealed(context)
    return post


class MattermostPoster:
    """`ChatPoster` (answers, questions) over the REST client."""

    def __init__(self, client: MattermostClient, callbacks: Callbacks) -> None:
        self.client = client
        self.callbacks = callbacks

    async def post(self, place: Place, message: ChatMessage) -> str | None:
        shown = sealed_post(message, self.callbacks)
        try:
            posted = await self.client.create_post(place.channel, shown.message, root_id=place.thread_ts,
                                                   props=shown.props())
        except MattermostError as exc:
            raise PostFailed(exc.error) from exc
        return str(posted["id"])

    async def replace(self, channel: str, message_id: str, message: ChatMessage) -> None:
        shown = sealed_post(message, self.callbacks)
        try:
            await self.client.patch_post(message_id, shown.message, props=shown.props())
        except MattermostError as exc:
            raise PostFailed(exc.error) from exc


def question_message(question: QuestionRecord, candidates: Sequence[Candidate]) -> str:
    return question_text(candidates, which=question.kind == "which")


def question_buttons(question: QuestionRecord, candidates: Sequence[Candidate],
                     callbacks: Callbacks) -> list[dict[str, Any]]:
    drawn = sealed_post(QuestionMessage(question.id, tuple(candidates), which=question.kind == "which"), callbacks)
    return drawn.attachments


def undo_buttons(question_id: str, callbacks: Callbacks) -> list[dict[str, object]]:
    return list(buttons_attachment([ButtonSpec(UNDO_CHOICE, say.UNDO, question_id)], callbacks.integration))
