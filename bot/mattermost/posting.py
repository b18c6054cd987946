"""The answering layer's ports in Mattermost: answers and questions as posts, edited in place.

`Place.thread_ts` is the thread's root post id. Answers render from the same `AnswerView` as
Slack's (responses.mattermost_post); buttons carry sealed contexts (bot.mattermost.callbacks).
Mattermost's refusals become `PostFailed` with its error id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.answering.candidates import Candidate
from bot.answering.ports import PostFailed
from bot.answering.requests import Place
from bot.mattermost.callbacks import Callbacks
from bot.mattermost.client import MattermostClient, MattermostError
from bot.storage.ask_records import QuestionRecord
from responses import ask_messages as say
from responses.answer_actions import ButtonSpec, SeenInfo
from responses.answer_build import answer_view
from responses.choice_blocks import CHOOSE_NONE, UNDO_CHOICE, choose_action, own_line, pasted_line
from responses.diagnosis import Diagnosis
from responses.mattermost_post import answer_post, buttons_attachment, notice, text

_SLACK_MENTION = re.compile(r"<@([^>|]+)(?:\|[^>]*)?>")


def words(line: str) -> str:
    """One of the bot's sentences (written with Slack's `<@user>`) as Mattermost Markdown: the person
    named, not pinged; `*bold*` as `**bold**`."""
    named = _SLACK_MENTION.sub(lambda m: m.group(1), line)
    return notice(re.sub(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", r"**\1**", named))


class MattermostPoster:
    """`Poster` (answers) and `QuestionPoster` ("Is it one of these?") over the REST client."""

    def __init__(self, client: MattermostClient, callbacks: Callbacks) -> None:
        self.client = client
        self.callbacks = callbacks

    async def post(self, place: Place, diagnosis: Diagnosis, *, buttons: list[ButtonSpec]) -> str | None:
        rendered = answer_post(answer_view(diagnosis), buttons, self.callbacks.integration)
        try:
            posted = await self.client.create_post(place.channel, rendered.message, root_id=place.thread_ts,
                                                   props=rendered.props())
        except MattermostError as exc:
            raise PostFailed(exc.error) from exc
        return str(posted["id"])

    async def update(self, channel: str, message_id: str, diagnosis: Diagnosis, *,
                     buttons: list[ButtonSpec], seen: SeenInfo) -> None:
        rendered = answer_post(answer_view(diagnosis), buttons, self.callbacks.integration, seen=seen)
        try:
            await self.client.patch_post(message_id, rendered.message, props=rendered.props())
        except MattermostError as exc:
            raise PostFailed(exc.error) from exc

    async def ask(self, place: Place, question: QuestionRecord, candidates: Sequence[Candidate]) -> str | None:
        try:
            posted = await self.client.create_post(place.channel, question_message(question, candidates),
                                                   root_id=place.thread_ts,
                                                   props={"attachments": question_buttons(question, candidates,
                                                                                          self.callbacks)})
        except MattermostError as exc:
            raise PostFailed(exc.error) from exc
        return str(posted["id"])


def question_message(question: QuestionRecord, candidates: Sequence[Candidate]) -> str:
    which = question.kind == "which"
    lines = [f"### {say.WHICH_TITLE if which else say.QUESTION_TITLE}", say.WHICH_LEAD if which else say.QUESTION_LEAD]
    shown = "" if which else pasted_line(candidates)
    lines += [f"> {text(shown, 300)}", ""] if shown else []
    for number, candidate in enumerate(candidates, 1):
        lines.append(f"{number}. **{text(candidate.title, 150)}**" + ("" if which else f" `{candidate.id}`"))
        own = own_line(candidate, shown) if not which else ""
        lines += [f"   > {text(own, 300)}"] if own else []
        lines += [f"   _{text(candidate.why, 400)}_"] if candidate.why else []
    return "\n".join(lines)


def question_buttons(question: QuestionRecord, candidates: Sequence[Candidate], callbacks: Callbacks) -> list[dict[
        str, object]]:
    label = say.DIAGNOSE_THIS if question.kind == "which" else say.THIS_ONE
    specs = [ButtonSpec(choose_action(number), f"{number}. {label}", question.id, "primary")
             for number in range(1, len(candidates) + 1)]
    specs.append(ButtonSpec(CHOOSE_NONE, say.NONE_OF_THESE, question.id))
    return list(buttons_attachment(specs, callbacks.integration))


def undo_buttons(question_id: str, callbacks: Callbacks) -> list[dict[str, object]]:
    return list(buttons_attachment([ButtonSpec(UNDO_CHOICE, say.UNDO, question_id)], callbacks.integration))
