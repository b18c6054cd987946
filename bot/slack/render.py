"""Turn the use cases' typed results into Slack messages for the asker.

`Say` sends a message: privately (an ephemeral through response_url, or a
thread reply for a mention) or publicly (in_channel through response_url,
when the bot cannot post in the channel itself).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.answering.results import Answer, Failed, NotPosted, Refused, Unsure
from bot.summary.incidents import SummaryAnswer
from responses import messages
from responses.block_kit import diagnosis_blocks, fallback_text, usage_blocks
from responses.summary_blocks import summary_blocks, summary_fallback

log = logging.getLogger(__name__)

Say = Callable[..., Awaitable[Any]]
CANNOT_POST_HERE = ("not_in_channel", "channel_not_found")
"""Slack errors after which a slash command's answer goes through its response_url instead."""


async def render_answer(answer: Answer, *, subject: str, channel: str, say_private: Say | None,
                        say_public: Say | None = None) -> None:
    """Tell the asker what they need to know about `answer` (posted answers need nothing more)."""
    if isinstance(answer, NotPosted):
        await _not_posted(answer, subject=subject, channel=channel, say_private=say_private,
                          say_public=say_public)
        return
    if say_private is None:
        return
    if isinstance(answer, Unsure):
        await say_private(blocks=diagnosis_blocks(answer.diagnosis), text=fallback_text(answer.diagnosis))
    elif isinstance(answer, Refused):
        await say_private(text=messages.user_error(answer.reason))
    elif isinstance(answer, Failed):
        await say_private(text=messages.GENERIC_APOLOGY)


async def _not_posted(answer: NotPosted, *, subject: str, channel: str, say_private: Say | None,
                      say_public: Say | None) -> None:
    if say_public is not None and answer.error in CANNOT_POST_HERE:
        await say_public(blocks=diagnosis_blocks(answer.diagnosis), text=fallback_text(answer.diagnosis))
        return
    # the retry handlers gave up (persistent 5xx, ratelimited past the retries, ...)
    log.warning("the answer to %s was not posted in %s: Slack answered %s", subject, channel, answer.error)
    if say_private is not None:
        await say_private(text=messages.not_posted(answer.error))


async def render_usage(say: Say) -> None:
    await say(blocks=usage_blocks(), text=messages.USAGE_TITLE)


async def render_summary(answer: SummaryAnswer, say_private: Say) -> None:
    if answer.summary is None:
        await say_private(text=answer.note or messages.NO_SUMMARY)
        return
    await say_private(blocks=summary_blocks(answer.summary), text=summary_fallback(answer.summary))
