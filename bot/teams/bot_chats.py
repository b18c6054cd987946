"""The Teams bot's alert and summary chats: posted through the Connector, edited in place.

Unlike the Workflows webhook (bot/teams/chats.py), the bot's messages have ids: an alert's message
is edited as its state changes, its notes go in its thread, and its address is a Teams deep link.
`KUBEMEDIC_ALERT_CHANNEL` (or the routing file) names a channel's conversation id
(`19:...@thread.tacv2`). A post in doubt is posted again (the Connector lists no history). The
incident-channel summaries need a history the bot cannot read without Microsoft Graph: a summary
is posted and kept current from what the bot itself saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

from bot.noise.chat import ChatFailed, refused, view_of
from bot.outbound.http import OutboundFailed
from bot.storage.alert_records import AlertThread
from bot.storage.records import ChannelMessage
from bot.summary.chat import ChatError
from bot.teams.connector import BotConnector
from bot.teams.surface import threaded
from responses.adaptive_card import alert_card, note_card, rollup_card, summary_card
from responses.summary import Summary
from responses.teams_chat import activity

DEEP_LINK = "https://teams.microsoft.com/l/message"


def chat_failed(exc: OutboundFailed) -> ChatFailed:
    return refused(
        exc.status or 0, exc.reason, transient=exc.transient, retry_after=exc.retry_after
    )


class TeamsBotAlertChat:
    """`AlertChat` over the Connector."""

    def __init__(self, connector: BotConnector) -> None:
        self.connector = connector

    async def _call(self, call: Any) -> Any:
        try:
            return await call
        except OutboundFailed as exc:
            raise chat_failed(exc) from exc

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        content = alert_card(view_of(thread, now))
        posted = await self._call(
            self.connector.send(thread.channel, activity(content, fallback=thread.title))
        )
        return str(posted)

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        return None  # the Connector reads no history: a post in doubt is posted again

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        content = alert_card(view_of(thread, now))
        await self._call(
            self.connector.update(
                thread.channel, str(thread.message_ts), activity(content, fallback=thread.title)
            )
        )

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        shown = activity(note_card(thread.title, note), fallback=thread.title)
        if threaded(thread.channel) and thread.message_ts:
            await self._call(self.connector.reply(thread.channel, thread.message_ts, shown))
        else:
            await self._call(self.connector.send(thread.channel, shown))

    async def link(self, thread: AlertThread) -> str | None:
        if not thread.message_ts:
            return None
        return f"{DEEP_LINK}/{quote(thread.channel, safe='')}/{quote(thread.message_ts, safe='')}"

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        shown = activity(rollup_card(titles, total), fallback=f"{total} alert groups")
        return str(await self._call(self.connector.send(channel, shown)))

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        shown = activity(rollup_card(titles, total), fallback=f"{total} alert groups")
        await self._call(self.connector.update(channel, ts, shown))


class TeamsBotSummaryChat:
    """`SummaryChat` over the Connector, from what the bot saw itself (no history reads)."""

    def __init__(self, connector: BotConnector) -> None:
        self.connector = connector

    async def channel_name(self, channel: str) -> str:
        return channel

    async def user_name(self, user: str) -> str | None:
        return None

    async def join(self, channel: str) -> None:
        return None

    async def history(
        self, channel: str, *, since: datetime
    ) -> AsyncIterator[tuple[ChannelMessage, bool]]:
        return
        yield  # an async iterator of nothing

    async def replies(self, channel: str, thread: str) -> AsyncIterator[ChannelMessage]:
        return
        yield

    async def recent(self, channel: str, limit: int) -> list[ChannelMessage]:
        return []

    async def post_summary(self, channel: str, summary: Summary) -> str:
        try:
            return await self.connector.send(channel, activity(summary_card(summary)))
        except OutboundFailed as exc:
            raise ChatError(exc.reason, gone=exc.status == 404) from exc

    async def update_summary(self, channel: str, message_id: str, summary: Summary) -> None:
        try:
            await self.connector.update(channel, message_id, activity(summary_card(summary)))
        except OutboundFailed as exc:
            raise ChatError(exc.reason, gone=exc.status == 404) from exc

    async def pin(self, channel: str, message_id: str) -> None:
        return None  # bots cannot pin in Teams
