"""What the incident-summary use case needs from a chat, as one small port.

Each chat implements it in its own transport (Slack: bot/slack/summary_chat.py, Mattermost:
bot/mattermost/summary_chat.py) and renders the summary there; the use case sees only
`ChannelMessage` records and message ids, never a chat SDK. Every failure reaches it as a
`ChatError` carrying the chat's own error code.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from typing import Protocol

from bot.storage.records import ChannelMessage
from responses.summary import Summary


class ChatError(Exception):
    """The chat refused or failed a call; `error` is its code. `gone`: the message or channel no
    longer exists (a summary message to post again); `rate_limited`: told to slow down."""

    def __init__(self, error: str, *, gone: bool = False, rate_limited: bool = False) -> None:
        super().__init__(error)
        self.error = error
        self.gone = gone
        self.rate_limited = rate_limited


class SummaryChat(Protocol):
    """Channel names, people's names, history, and the summary message itself. ChatError."""

    async def channel_name(self, channel: str) -> str:
        """The channel's name ("" when it has none, e.g. a direct message)."""
        ...

    async def user_name(self, user: str) -> str | None:
        """A person's display name; None when `user` is no person's id (a bot, an app)."""
        ...

    async def join(self, channel: str) -> None:
        """Join a channel the bot was not added to (a new incident channel)."""
        ...

    def history(
        self, channel: str, *, since: datetime
    ) -> AsyncIterator[tuple[ChannelMessage, bool]]:
        """The channel's top-level messages since `since`, oldest or newest first, each with whether it
        has replies; noise (joins, topic changes) is left out."""
        ...

    def replies(self, channel: str, thread: str) -> AsyncIterator[ChannelMessage]:
        """The replies in a thread, without its first message."""
        ...

    async def recent(self, channel: str, limit: int) -> list[ChannelMessage]:
        """Up to `limit` recent messages of an ordinary channel (one page), oldest first."""
        ...

    async def post_summary(self, channel: str, summary: Summary) -> str:
        """Post the summary; its message id."""
        ...

    async def update_summary(self, channel: str, message_id: str, summary: Summary) -> None:
        """Show the current summary in the posted message."""
        ...

    async def pin(self, channel: str, message_id: str) -> None: ...
