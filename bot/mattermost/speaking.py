"""How the Mattermost bot speaks to an asker, and how it renders the use cases' typed results.

`Say` sends one Markdown message: in a thread (mentions, direct messages, pasted errors), or
through a slash command's response_url (ephemeral: only the asker sees it; in_channel: when the
bot cannot post there itself). A failed send is logged, never raised: telling is best effort.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.answering.handoff import AgentAnswered, Forwarding, HandoffNote, Tell
from bot.answering.results import Answer, Failed, NotPosted, Refused, Unsure
from bot.mattermost.client import MattermostClient, MattermostError
from bot.summary.incidents import SummaryAnswer
from responses import messages
from responses.answer_build import answer_view
from responses.handoff_blocks import failed_text, forwarding_text
from responses.mattermost_post import answer_message, notice, text
from responses.summary_text import render_summary_text

log = logging.getLogger(__name__)

Say = Callable[[str], Awaitable[None]]
CANNOT_POST_HERE = ("api.context.permissions.app_error", "app.channel.get.existing.app_error")


def in_thread(client: MattermostClient, channel: str, root: str | None) -> Say:
    async def say(message: str) -> None:
        try:
            await client.create_post(channel, message, root_id=root)
        except MattermostError as exc:
            log.warning("could not reply in %s: %s", channel, exc.error)

    return say


def via_response_url(client: MattermostClient, url: str | None, kind: str = "ephemeral") -> Say:
    async def say(message: str) -> None:
        if not url:
            return
        try:
            await client.post_json(url, {"response_type": kind, "text": message})
        except MattermostError as exc:
            log.warning("could not answer through the response_url: %s", exc.error)

    return say


def usage() -> str:
    lines = [f"#### {messages.USAGE_TITLE}"] + [f"- `{form}` — {what}" for form, what in messages.USAGE]
    return "\n".join(lines)


async def tell_answer(answer: Answer, *, subject: str, say_private: Say | None, say_public: Say | None = None) -> None:
    """What the asker needs to know about `answer` (a posted answer needs nothing more)."""
    if isinstance(answer, NotPosted):
        if say_public is not None and answer.error in CANNOT_POST_HERE:
            await say_public(answer_message(answer_view(answer.diagnosis)))
            return
        log.warning("the answer to %s was not posted: Mattermost answered %s", subject, answer.error)
        if say_private is not None:
            await say_private(notice(messages.not_posted(answer.error)))
        return
    if say_private is None:
        return
    if isinstance(answer, Unsure):
        await say_private(answer_message(answer_view(answer.diagnosis)))
    elif isinstance(answer, Refused):
        await say_private(notice(messages.user_error(answer.reason)))
    elif isinstance(answer, Failed):
        await say_private(messages.GENERIC_APOLOGY)


async def tell_summary(answer: SummaryAnswer, say: Say) -> None:
    if answer.summary is None:
        await say(notice(answer.note or messages.NO_SUMMARY))
        return
    await say(render_summary_text(answer.summary, markdown=True).replace("@", "@\u200d"))


def teller(say: Say | None) -> Tell:
    """The hand-off's notes, told where the ask was answered."""

    async def tell(note: HandoffNote) -> None:
        if say is None:
            return
        if isinstance(note, Forwarding):
            await say(forwarding_text(note.agent, note.timeout))
        elif isinstance(note, AgentAnswered):
            await say(f"**{text(note.agent, 100)}** answered (an AI agent, not kubemedic's catalog) in "
                      f"{note.seconds:.0f} s:\n{text(note.text, 12000)}")
        else:
            await say(failed_text(note.agent, note.why))

    return tell
