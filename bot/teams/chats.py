"""Teams as the alert loop's chat and as a mirror of another chat's alerts and incident summaries.

A webhook cannot edit a message, so an alert's later states are new cards ("Update: ..."), posted
when its status changes (firing, resolved, muted) rather than on every new count, which the next
update shows anyway; thread notes become update cards. `TeamsAlertChat` is the chat of a Teams-only
bot; `Mirrored` posts to the interactive chat first (its message ids are the ones stored) and then
copies to Teams, best effort: a Teams failure is logged and never holds back the chat.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from bot.noise.chat import AlertChat, ChatFailed, view_of
from bot.storage.alert_records import AlertThread
from bot.storage.records import ChannelMessage
from bot.summary.chat import SummaryChat
from bot.teams.webhook import TeamsWebhook
from responses.adaptive_card import alert_card, message, note_card, rollup_card, summary_card
from responses.alert_view import AlertView
from responses.summary import Summary

log = logging.getLogger(__name__)


def _state(view: AlertView) -> str:
    return f"{view.status}{':muted' if view.muted else ''}"


class TeamsAlertChat:
    """`AlertChat` over a Workflows webhook: posts, and update cards for changes of state."""

    def __init__(self, webhook: TeamsWebhook) -> None:
        self.webhook = webhook
        self._shown: dict[str, str] = {}
        self._rollups: dict[str, int] = {}

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        view = view_of(thread, now)
        await self.webhook.send(message(alert_card(view)))
        self._shown[thread.key] = _state(view)
        return f"teams-{uuid.uuid4().hex[:16]}"

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        return None  # a webhook reads nothing back: a post in doubt is posted again

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        view = view_of(thread, now)
        if self._shown.get(thread.key, "firing") == _state(view):
            return
        await self.webhook.send(message(alert_card(view, update=True)))
        self._shown[thread.key] = _state(view)

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        await self.webhook.send(message(note_card(thread.title, note)))

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        await self.webhook.send(message(rollup_card(titles, total)))
        self._rollups[channel] = total
        return f"teams-{uuid.uuid4().hex[:16]}"

    async def link(self, thread: AlertThread) -> str | None:
        return None  # a webhook's post has no address kubemedic learns

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        if total < 2 * self._rollups.get(channel, 0):  # a new card each time the list doubles
            return
        await self.webhook.send(message(rollup_card(titles, total)))
        self._rollups[channel] = total


class MirroredAlerts:
    """An `AlertChat` that also posts to Teams."""

    def __init__(self, chat: AlertChat, teams: TeamsAlertChat) -> None:
        self.chat = chat
        self.teams = teams

    async def _copy(self, call: Any) -> None:
        try:
            await call
        except ChatFailed as exc:
            log.warning("alert not copied to Teams: %s", exc.error)

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        posted = await self.chat.post(thread, now=now)
        await self._copy(self.teams.post(thread, now=now))
        return posted

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        return await self.chat.find(thread, since=since)

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        await self.chat.update(thread, now=now)
        await self._copy(self.teams.update(thread, now=now))

    async def link(self, thread: AlertThread) -> str | None:
        return await self.chat.link(thread)

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        await self.chat.reply(thread, note, now=now)
        await self._copy(self.teams.reply(thread, note, now=now))

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        posted = await self.chat.post_rollup(channel, titles, total)
        await self._copy(self.teams.post_rollup(channel, titles, total))
        return posted

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        await self.chat.update_rollup(channel, ts, titles, total)
        await self._copy(self.teams.update_rollup(channel, ts, titles, total))


class MirroredSummaries:
    """A `SummaryChat` whose summaries are also posted to Teams: the first in full, then an update card
    each time the set of incidents changes."""

    def __init__(self, chat: SummaryChat, webhook: TeamsWebhook) -> None:
        self.chat = chat
        self.webhook = webhook
        self._incidents: dict[str, frozenset[str]] = {}

    async def channel_name(self, channel: str) -> str:
        return await self.chat.channel_name(channel)

    async def user_name(self, user: str) -> str | None:
        return await self.chat.user_name(user)

    async def join(self, channel: str) -> None:
        await self.chat.join(channel)

    def history(
        self, channel: str, *, since: datetime
    ) -> AsyncIterator[tuple[ChannelMessage, bool]]:
        return self.chat.history(channel, since=since)

    def replies(self, channel: str, thread: str) -> AsyncIterator[ChannelMessage]:
        return self.chat.replies(channel, thread)

    async def recent(self, channel: str, limit: int) -> list[ChannelMessage]:
        return await self.chat.recent(channel, limit)

    async def post_summary(self, channel: str, summary: Summary) -> str:
        posted = await self.chat.post_summary(channel, summary)
        await self._copy(channel, summary, update=False)
        return posted

    async def update_summary(self, channel: str, message_id: str, summary: Summary) -> None:
        await self.chat.update_summary(channel, message_id, summary)
        if frozenset(i.catalog_id for i in summary.incidents) != self._incidents.get(channel):
            await self._copy(channel, summary, update=channel in self._incidents)

    async def pin(self, channel: str, message_id: str) -> None:
        await self.chat.pin(channel, message_id)

    async def _copy(self, channel: str, summary: Summary, *, update: bool) -> None:
        try:
            await self.webhook.send(message(summary_card(summary, update=update)))
            self._incidents[channel] = frozenset(i.catalog_id for i in summary.incidents)
        except ChatFailed as exc:
            log.warning("summary of %s not copied to Teams: %s", channel, exc.error)
