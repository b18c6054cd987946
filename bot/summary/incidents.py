"""The summary use case for incident channels: joining, creation, messages, `/diagnose summary`.

Inputs call in here; a summary problem never breaks a reply (failures are
logged). There is one `IncidentSummaries` per running bot (built by
`bot.wiring`), so debounce timers and name caches are shared.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from bot.storage.base import StoreUnavailable
from bot.storage.records import ChannelMessage
from bot.summary.chat import ChatError, SummaryChat
from bot.summary.service import SummaryService
from responses import messages
from responses.summary import Summary

log = logging.getLogger(__name__)

EPHEMERAL_HISTORY = 200
"""Messages read (one page) for the summary of an ordinary channel."""


@dataclass(frozen=True)
class SummaryAnswer:
    """The answer to `/diagnose summary`: a summary to show privately, or one line."""

    summary: Summary | None = None
    note: str | None = None


class IncidentSummaries:
    """Turns channel activity into `SummaryService` calls, best effort."""

    def __init__(self, *, service: SummaryService, chat: SummaryChat) -> None:
        self.service = service
        self.chat = chat

    async def on_message(self, event: dict[str, Any], *, overloaded: bool = False) -> None:
        """Record a Slack-shaped message event of an incident channel (best effort). `overloaded`: the
        bot is shedding work, so a channel whose name is not known yet costs no chat call."""
        try:
            await self.service.on_message(event, self.chat, look_up=not overloaded)
        except (StoreUnavailable, ChatError) as exc:
            log.warning("message not recorded for the summary: %s", exc)
        except Exception:
            log.exception("recording a message for the summary failed")

    async def on_record(self, record: ChannelMessage, *, overloaded: bool = False) -> None:
        """Record a message another chat turned into a record (best effort)."""
        try:
            await self.service.on_record(record, self.chat, look_up=not overloaded)
        except (StoreUnavailable, ChatError) as exc:
            log.warning("message not recorded for the summary: %s", exc)
        except Exception:
            log.exception("recording a message for the summary failed")

    async def on_diagnosis(
        self, *, channel: str, ts: str | None, diagnosis_id: str | None, thread_ts: str | None
    ) -> None:
        """Note a diagnosis kubemedic posted (best effort)."""
        try:
            await self.service.on_diagnosis(
                self.chat, channel=channel, ts=ts, diagnosis=diagnosis_id, thread_ts=thread_ts
            )
        except Exception:
            log.exception("noting a diagnosis for the summary failed")

    def channel_named(self, channel: str, name: str | None) -> None:
        """A slash command reported its channel's name: no lookup is needed to answer it."""
        self.service.channels.reported(channel, name)

    async def on_member_joined(
        self, *, channel: str, user: str | None, bot_user_id: str | None
    ) -> None:
        """The bot was added to an incident channel: back-fill once, then post the summary."""
        if not channel or not bot_user_id or user != bot_user_id:
            return
        if await self.service.channels.name_if_incident(self.chat, channel) is None:
            return
        await self._start(channel)

    async def on_channel_created(self, *, channel: str, name: str) -> None:
        """An incident channel was created: join it, then post the summary."""
        if not channel or not self.service.channels.is_incident_name(name):
            return
        self.service.channels.remember(channel, name)
        try:
            await self.chat.join(channel)
        except ChatError as exc:
            log.warning("cannot join incident channel %s: %s", name, exc.error)
            return
        await self._start(channel)

    def after_click(self, channel: str) -> None:
        """A button was clicked in `channel`: its audit log changed, so refresh its summary."""
        channels = self.service.channels
        if channel and channels.is_incident_name(channels.known(channel) or ""):
            self.service.schedule_update(channel, self.chat)

    async def _start(self, channel: str) -> None:
        try:
            await self.service.start(channel, self.chat)
        except (StoreUnavailable, ChatError) as exc:
            log.warning("no summary for %s: %s", channel, exc)

    async def answer(self, channel: str) -> SummaryAnswer:
        """`/diagnose summary`: the pinned message in incident channels, a private one elsewhere."""
        service = self.service
        try:
            if await service.channels.name_if_incident(self.chat, channel) is not None:
                await service.start(channel, self.chat)
                return SummaryAnswer(note=messages.SUMMARY_PINNED)
            summary = await service.build(channel, self.chat, extra=await self._recent(channel))
        except Exception:
            log.exception("summary of %s failed", channel)
            return SummaryAnswer(note=messages.NO_SUMMARY)
        return SummaryAnswer(summary=summary)

    async def _recent(self, channel: str) -> list[ChannelMessage]:
        """One page of an ordinary channel's recent history (not stored); empty when unreadable."""
        try:
            return await self.chat.recent(channel, EPHEMERAL_HISTORY)
        except ChatError as exc:
            log.info("history of %s not read: %s", channel, exc.error)
            return []
