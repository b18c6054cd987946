"""Which channels are incident channels: the name starts with the configured prefix.

Message events carry a channel id, not its name, so the name is asked of the
chat once (SummaryChat.channel_name) and remembered (bounded). Slash commands carry the
name, so answering one needs no lookup. A channel that cannot be looked up
is treated as an ordinary channel: the summary is a bonus, never a reason
to fail a reply.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict

from bot.summary.chat import ChatError, SummaryChat

log = logging.getLogger(__name__)

MAX_CACHED = 2000
NAME_TTL_SECONDS = 3600.0
PLACEHOLDER_NAMES = frozenset({"privategroup", "directmessage", "mpdm"})
"""What older Slack apps are sent as a slash command's channel_name instead of the name."""


class IncidentChannels:
    """Remembers channel names; `name_if_incident` answers with at most one API call per hour."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._names: OrderedDict[str, tuple[float, str]] = OrderedDict()

    def remember(self, channel: str, name: str) -> None:
        self._names[channel] = (time.monotonic(), name)
        self._names.move_to_end(channel)
        while len(self._names) > MAX_CACHED:
            self._names.popitem(last=False)

    def reported(self, channel: str, name: str | None) -> None:
        """Remember the name a slash command reported for its channel (placeholders are not names, nor
        a direct message's: Slack's D channels, Mattermost's `user__user`)."""
        if (
            name
            and not channel.startswith("D")
            and name not in PLACEHOLDER_NAMES
            and "__" not in name
            and not name.startswith("mpdm-")
        ):
            self.remember(channel, name)

    def known(self, channel: str) -> str | None:
        cached = self._names.get(channel)
        if cached is None or time.monotonic() - cached[0] > NAME_TTL_SECONDS:
            return None
        return cached[1]

    def is_incident_name(self, name: str) -> bool:
        return bool(self.prefix) and name.startswith(self.prefix)

    async def name(self, chat: SummaryChat, channel: str, *, look_up: bool = True) -> str:
        """The channel's name ("" when it has none or cannot be read; without `look_up`, when it is
        not known yet: no API call)."""
        known = self.known(channel)
        if known is not None or not look_up:
            return known or ""
        try:
            name = await chat.channel_name(channel)
        except ChatError as exc:
            log.info("name of channel %s not read: %s", channel, exc.error)
            name = ""
        self.remember(channel, name)
        return name

    async def name_if_incident(
        self, chat: SummaryChat, channel: str, *, look_up: bool = True
    ) -> str | None:
        name = await self.name(chat, channel, look_up=look_up)
        return name if self.is_incident_name(name) else None
