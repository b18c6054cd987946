"""The Teams bot's alert and summary chats: posted through the Connector, edited in place.

Unlike the Workflows webhook (bot/teams/chats.py), the bot's messages have ids: an alert's message
is edited as its state changes, its notes go in its thread, and its address is a Teams deep link.
`KUBEMEDIC_ALERT_CHANNEL` (or the routing file) names a channel's conversation id
(`19:...@thread.tacv2`). The Connector lists no history: with Microsoft Graph (bot/teams/graph.py,
`KUBEMEDIC_TEAMS_GRAPH`) a post in doubt is found in the channel by the marker its card carries,
and an incident channel's summary is built from the channel's history; without it a post in doubt
is posted again and a summary comes from what the bot itself saw.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import quote

from bot.noise.chat import ChatFailed, refused, view_of
from bot.outbound.http import OutboundFailed
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.storage.alert_records import AlertThread
from bot.storage.records import ChannelMessage
from bot.summary.chat import ChatError
from bot.teams.connector import BotConnector
from bot.teams.graph import TeamsGraph, by_app, carries, is_message, person, record_of
from bot.teams.surface import threaded
from responses.adaptive_card import alert_card, note_card, rollup_card, summary_card
from responses.summary import Summary
from responses.teams_chat import activity

log = logging.getLogger(__name__)
T = TypeVar("T")
DEEP_LINK = "https://teams.microsoft.com/l/message"
MARKER = "kubemedic-alert:"
"""On an alert card (its heading's `id`), with the alert's key: how a post in doubt is found."""


def marked(content: dict[str, Any], key: str) -> dict[str, Any]:
    """The alert card with its marker (an element's `id`, which Teams does not show)."""
    body = [dict(element) for element in content.get("body") or []]
    if body:
        body[0]["id"] = f"{MARKER}{key}"
    return {**content, "body": body}


async def delivered(call: Awaitable[T]) -> T:
    """The Connector's answer; its failure as the alert loop's `ChatFailed`."""
    try:
        return await call
    except OutboundFailed as exc:
        raise chat_failed(exc) from exc


def chat_failed(exc: OutboundFailed) -> ChatFailed:
    return refused(
        exc.status or 0, exc.reason, transient=exc.transient, retry_after=exc.retry_after
    )


class TeamsBotAlertChat:
    """`AlertChat` over the Connector."""

    def __init__(self, connector: BotConnector, graph: TeamsGraph | None = None) -> None:
        self.connector = connector
        self.graph = graph

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        content = marked(alert_card(view_of(thread, now)), thread.key)
        posted = await delivered(
            self.connector.send(thread.channel, activity(content, fallback=thread.title))
        )
        return str(posted)

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        """The bot's post carrying this alert's marker (Graph), else None: posted again."""
        if self.graph is None:
            return None
        marker = f"{MARKER}{thread.key}"
        try:
            async for message in self.graph.messages(thread.channel, since=since):
                if by_app(message, self.connector.app_id) and carries(message, marker):
                    return str(message["id"])
        except OutboundFailed as exc:
            raise chat_failed(exc) from exc
        return None

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        content = marked(alert_card(view_of(thread, now)), thread.key)
        await delivered(
            self.connector.update(
                thread.channel, str(thread.message_ts), activity(content, fallback=thread.title)
            )
        )

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        shown = activity(note_card(thread.title, note), fallback=thread.title)
        if threaded(thread.channel) and thread.message_ts:
            await delivered(self.connector.reply(thread.channel, thread.message_ts, shown))
        else:
            await delivered(self.connector.send(thread.channel, shown))

    async def link(self, thread: AlertThread) -> str | None:
        if not thread.message_ts:
            return None
        return f"{DEEP_LINK}/{quote(thread.channel, safe='')}/{quote(thread.message_ts, safe='')}"

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        shown = activity(rollup_card(titles, total), fallback=f"{total} alert groups")
        return str(await delivered(self.connector.send(channel, shown)))

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        shown = activity(rollup_card(titles, total), fallback=f"{total} alert groups")
        await delivered(self.connector.update(channel, ts, shown))


class TeamsBotSummaryChat:
    """`SummaryChat` over the Connector; the channel's history from Microsoft Graph when it is
    configured, else none (a summary of what the bot itself saw)."""

    def __init__(self, connector: BotConnector, graph: TeamsGraph | None = None) -> None:
        self.connector = connector
        self.graph = graph
        self._people: dict[str, str] = {}

    async def channel_name(self, channel: str) -> str:
        if self.graph is None:
            return channel
        try:
            return await self.graph.channel_name(channel) or channel
        except OutboundFailed as exc:  # ChannelSettings.Read.Group not granted: named by its id
            log.info("name of %s not read: %s", channel, exc.reason)
            return channel

    async def user_name(self, user: str) -> str | None:
        return self._people.get(user)

    async def join(self, channel: str) -> None:
        return None

    async def history(
        self, channel: str, *, since: datetime
    ) -> AsyncIterator[tuple[ChannelMessage, bool]]:
        if self.graph is None:
            return
        try:
            async for message in self.graph.messages(channel, since=since):
                if is_message(message):
                    yield await self._record(message, channel), True  # replies read if an error
        except OutboundFailed as exc:
            raise ChatError(exc.reason, rate_limited=exc.status == 429) from exc

    async def replies(self, channel: str, thread: str) -> AsyncIterator[ChannelMessage]:
        if self.graph is None:
            return
        try:
            async for message in self.graph.replies(channel, thread):
                if is_message(message):
                    yield await self._record(message, channel)
        except OutboundFailed as exc:
            raise ChatError(exc.reason, rate_limited=exc.status == 429) from exc

    async def recent(self, channel: str, limit: int) -> list[ChannelMessage]:
        found: list[ChannelMessage] = []
        async for record, _ in self.history(channel, since=datetime.min.replace(tzinfo=UTC)):
            found.append(record)
            if len(found) >= limit:
                break
        return sorted(found, key=lambda r: r.posted_at or datetime.min.replace(tzinfo=UTC))

    async def _record(self, message: dict[str, Any], channel: str) -> ChannelMessage:
        """The message as recorded, its text redacted off the event loop; its sender's name kept."""
        named = person(message)
        if named is not None:
            self._people[named[0]] = named[1]
        app_id = self.connector.app_id
        return await off_loop(TEXT_CPU_SECONDS, record_of, message, channel=channel, app_id=app_id)

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
