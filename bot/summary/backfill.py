"""The one-time read of an incident channel's history when kubemedic joins it.

Bounded in time (7 days), in messages (5,000) and in threads (the replies of
at most 50 threads whose parent is a recognised error). Slack limits history
reads for some apps to one request a minute: the Web API client already
waits out a 429's Retry-After a couple of times; if Slack still says
"ratelimited" the back-fill stops and the summary is built from what was
recorded, marked as partial. Nothing here blocks the first summary. The chat
(bot.summary.chat) turns its own message shapes into records; pages are its business.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from bot.storage.base import Store
from bot.storage.records import ChannelMessage
from bot.summary.chat import ChatError, SummaryChat

log = logging.getLogger(__name__)

HISTORY_DAYS = 7
MAX_MESSAGES = 5000
MAX_THREADS = 50
MAX_REPLIES = 1000

Item = TypeVar("Item")


@dataclass
class BackfillResult:
    """How much was read, and whether the chat stopped the reading early."""

    messages: int = 0
    threads: int = 0
    partial: bool = False


@dataclass
class Backfill:
    """Reads one channel's history into the store."""

    chat: SummaryChat
    store: Store
    is_error: Callable[[str], bool]

    async def run(self, channel: str, *, now: datetime) -> BackfillResult:
        result = BackfillResult()
        threads: list[str] = []
        try:
            history = self.chat.history(channel, since=now - timedelta(days=HISTORY_DAYS))
            async for message, has_replies in _at_most(history, MAX_MESSAGES, result):
                await self._record(message, result)
                if has_replies and self.is_error(message.text):
                    threads.append(message.ts)
            for thread in threads[-MAX_THREADS:]:
                async for reply in _at_most(
                    self.chat.replies(channel, thread), MAX_REPLIES, result
                ):
                    await self._record(reply, result)
                result.threads += 1
        except ChatError as exc:
            result.partial = True
            log.warning("history of %s read partly (%s)", channel, exc.error)
        return result

    async def _record(self, record: ChannelMessage, result: BackfillResult) -> None:
        await self.store.record_channel_message(record)
        result.messages += 1


async def _at_most(
    items: AsyncIterator[Item], most: int, result: BackfillResult
) -> AsyncIterator[Item]:
    """The first `most` items; one more marks the reading partial and stops it."""
    seen = 0
    async for item in items:
        if seen >= most:
            result.partial = True
            return
        seen += 1
        yield item
