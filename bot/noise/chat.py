"""The chat port of the sync loop, and how a chat call fails.

The Slack adapter (bot/slack/alert_chat.py) implements `AlertChat`; every
failure reaches the loop as a `ChatFailed` that says whether to try again
next round (`transient`), after a wait Slack named (`retry_after`, a 429),
or only when the problem changes (a refusal such as channel_not_found).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from bot.storage.alert_records import AlertThread
from responses.alert_detail import AlertDetail
from responses.alert_view import AlertView

CANNOT_POST_HERE = frozenset(
    {
        "not_in_channel",
        "channel_not_found",
        "is_archived",
        "restricted_action",
        "access_denied",
        "ekm_access_denied",
    }
)
"""Refusals of one channel: the message goes to the default channel instead, with a note."""


def view_of(thread: AlertThread, now: datetime) -> AlertView:
    """The state every chat renders: counts over the subjects failing now."""
    restarts = sum(thread.counters.get(subject, 0) for subject in thread.subjects)
    return AlertView(
        key=thread.key,
        source=thread.source,
        status=thread.status,
        title=thread.title,
        detail=AlertDetail.read(thread.detail),
        subjects=len(thread.subjects),
        restarts=restarts,
        seen=thread.seen,
        first_seen=thread.first_seen,
        last_seen=thread.last_seen,
        resolved_at=thread.resolved_at,
        mention=thread.mention,
        muted_until=thread.muted_until,
        mute_until_resolved=thread.mute_until_resolved,
        muted_by=thread.muted_by,
        now=now,
    )


class ChatFailed(Exception):
    """The chat refused a call; `error` is its code (e.g. channel_not_found). A `transient`
    failure (the chat unreachable) is tried again next round; a `rate_limited` one (429) after
    `retry_after` seconds; a refusal waits for a change."""

    def __init__(
        self,
        error: str,
        *,
        transient: bool = False,
        retry_after: float | None = None,
        rate_limited: bool = False,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.rate_limited = rate_limited or retry_after is not None
        self.transient = transient or self.rate_limited
        self.retry_after = retry_after


def refused(
    status: int, error: str, *, transient: bool, retry_after: float | None = None
) -> ChatFailed:
    """A chat's HTTP refusal as the loop reads it: 403 is `not_in_channel`, 404
    `channel_not_found` (both reroute to the default channel), a 429 waits its Retry-After."""
    named = {403: "not_in_channel", 404: "channel_not_found"}.get(status, error)
    limited = status == 429
    return ChatFailed(
        named,
        transient=transient and not limited,
        retry_after=retry_after if limited else None,
        rate_limited=limited,
    )


class AlertChat(Protocol):
    """What the sync loop needs from the chat (the Slack adapter renders the thread)."""

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        """Post the message; its id (Slack ts). ChatFailed."""
        ...

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        """Show the thread's current state in its message. ChatFailed."""
        ...

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        """Add one note to the message's thread. ChatFailed."""
        ...

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        """The id of this thread's message if it was posted after `since` (a post in doubt). ChatFailed."""
        ...

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        """Post the roll-up message listing groups not posted one by one; its id. ChatFailed."""
        ...

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        """Show the roll-up's current list. ChatFailed."""
        ...

    async def link(self, thread: AlertThread) -> str | None:
        """The posted message's address people can open (None: the chat has none). ChatFailed."""
        ...
