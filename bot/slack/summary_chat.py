"""The incident summaries' chat port in Slack: names, history, and the pinned summary message.

Slack's message objects become records with bot.summary.recording (the same conversion the
live events and a Slack export use); the summary is rendered as Block Kit here. Slack's refusals
become `ChatError` with Slack's error code.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.storage.records import ChannelMessage
from bot.summary.chat import ChatError
from bot.summary.recording import from_message
from responses.summary import Summary
from responses.summary_blocks import summary_blocks, summary_fallback

PAGE = 200
GONE = frozenset({"message_not_found", "cant_update_message", "channel_not_found"})
"""Errors after which the summary message is posted again."""


def chat_error(exc: SlackApiError) -> ChatError:
    error = str(exc.response.get("error") or "error")
    return ChatError(error, gone=error in GONE, rate_limited=error == "ratelimited")


class SlackSummaryChat:
    """`SummaryChat` over the bot's Web API client."""

    def __init__(self, client: AsyncWebClient, *, bot_user_id: str | None) -> None:
        self.client = client
        self.bot_user_id = bot_user_id

    async def channel_name(self, channel: str) -> str:
        if channel[:1] not in ("C", "G"):  # a direct message has no name
            return ""
        response = await self._call(self.client.conversations_info, channel=channel)
        return str((response.get("channel") or {}).get("name") or "")

    async def user_name(self, user: str) -> str | None:
        if not user.startswith(("U", "W")):
            return None
        found = (await self._call(self.client.users_info, user=user)).get("user") or {}
        profile = found.get("profile") or {}
        return str(
            profile.get("display_name") or found.get("real_name") or found.get("name") or user
        )

    async def join(self, channel: str) -> None:
        await self._call(self.client.conversations_join, channel=channel)

    async def history(
        self, channel: str, *, since: datetime
    ) -> AsyncIterator[tuple[ChannelMessage, bool]]:
        async for message in self._pages(
            self.client.conversations_history, channel=channel, oldest=f"{since.timestamp():.6f}"
        ):
            record = await self._record(channel, message)
            if record is not None:
                yield record, bool(message.get("reply_count"))

    async def replies(self, channel: str, thread: str) -> AsyncIterator[ChannelMessage]:
        async for message in self._pages(
            self.client.conversations_replies, channel=channel, ts=thread
        ):
            record = await self._record(channel, message)
            if record is not None and record.ts != thread:
                yield record

    async def recent(self, channel: str, limit: int) -> list[ChannelMessage]:
        response = await self._call(self.client.conversations_history, channel=channel, limit=limit)
        found = [await self._record(channel, m) for m in response.get("messages") or []]
        return sorted((m for m in found if m is not None), key=lambda m: float(m.ts))

    async def _record(self, channel: str, message: dict[str, Any]) -> ChannelMessage | None:
        """The message as recorded, its text redacted off the event loop."""
        return await off_loop(
            TEXT_CPU_SECONDS, from_message, channel, message, bot_user_id=self.bot_user_id
        )

    async def post_summary(self, channel: str, summary: Summary) -> str:
        blocks = await asyncio.to_thread(summary_blocks, summary)
        response = await self._call(
            self.client.chat_postMessage,
            channel=channel,
            blocks=blocks,
            text=summary_fallback(summary),
        )
        return str(response["ts"])

    async def update_summary(self, channel: str, message_id: str, summary: Summary) -> None:
        blocks = await asyncio.to_thread(summary_blocks, summary)
        await self._call(
            self.client.chat_update,
            channel=channel,
            ts=message_id,
            blocks=blocks,
            text=summary_fallback(summary),
        )

    async def pin(self, channel: str, message_id: str) -> None:
        await self._call(self.client.pins_add, channel=channel, timestamp=message_id)

    async def _pages(self, method: Any, **params: Any) -> AsyncIterator[dict[str, Any]]:
        cursor = None
        while True:
            response = await self._call(
                method, limit=PAGE, **params, **({"cursor": cursor} if cursor else {})
            )
            for message in response.get("messages") or []:
                yield message
            cursor = (response.get("response_metadata") or {}).get("next_cursor")
            if not response.get("has_more") or not cursor:
                return

    @staticmethod
    async def _call(method: Any, **params: Any) -> Any:
        try:
            return await method(**params)
        except SlackApiError as exc:
            raise chat_error(exc) from exc
