"""The one-time read of an incident channel's history when kubemedic joins it.

Bounded in time (7 days), in messages (5,000) and in threads (the replies of
at most 50 threads whose parent is a recognised error). Slack limits history
reads for some apps to one request a minute: the Web API client already
waits out a 429's Retry-After a couple of times; if Slack still says
"ratelimited" the back-fill stops and the summary is built from what was
recorded, marked as partial. Nothing here blocks the first summary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.storage.base import Store
from bot.summary.recording import from_message

log = logging.getLogger(__name__)

HISTORY_DAYS = 7
MAX_MESSAGES = 5000
MAX_THREADS = 50
MAX_REPLIES = 1000
PAGE = 200


@dataclass
class BackfillResult:
    """How much was read, and whether Slack stopped the reading early."""

    messages: int = 0
    threads: int = 0
    partial: bool = False


@dataclass
class Backfill:
    """Reads one channel's history into the store."""

    client: AsyncWebClient
    store: Store
    is_error: Callable[[str], bool]
    bot_user_id: str | None = None

    async def run(self, channel: str, *, now: datetime) -> BackfillResult:
        result = BackfillResult()
        oldest = f"{(now - timedelta(days=HISTORY_DAYS)).timestamp():.6f}"
        threads: list[str] = []
        try:
            async for message in self._pages("conversations_history", result, MAX_MESSAGES,
                                             channel=channel, oldest=oldest):
                if await self._record(channel, message, result) and self._error_thread(message):
                    threads.append(str(message["ts"]))
            for ts in threads[-MAX_THREADS:]:
                async for reply in self._pages("conversations_replies", result, MAX_REPLIES, channel=channel, ts=ts):
                    if reply.get("ts") != ts:
                        await self._record(channel, reply, result)
                result.threads += 1
        except SlackApiError as exc:
            result.partial = True
            log.warning("history of %s read partly (%s)", channel, exc.response.get("error"))
        return result

    def _error_thread(self, message: dict[str, Any]) -> bool:
        return bool(message.get("reply_count")) and self.is_error(str(message.get("text") or ""))

    async def _record(self, channel: str, message: dict[str, Any], result: BackfillResult) -> bool:
        record = from_message(channel, message, bot_user_id=self.bot_user_id)
        if record is None:
            return False
        await self.store.record_channel_message(record)
        result.messages += 1
        return True

    async def _pages(self, method: str, result: BackfillResult, most: int, **params: Any) -> Any:
        """The messages of a paginated method, at most `most` of them."""
        cursor, seen = None, 0
        call = getattr(self.client, method)
        while True:
            response = await call(limit=PAGE, **params, **({"cursor": cursor} if cursor else {}))
            for message in response.get("messages") or []:
                if seen >= most:
                    result.partial = True
                    return
                seen += 1
                yield message
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                return
