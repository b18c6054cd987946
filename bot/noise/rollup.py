"""One roll-up message per channel for a storm of alert groups, edited at most every few seconds.

Past a minute of a channel's posts waiting, the sync loop lists the newest
groups in one roll-up message instead of posting them one by one. A
600-group flood used to edit that message in every round (517 edits at 27
a second, where Slack's chat.update allows about 50 a minute); now the
groups rolled up in between are batched and shown by one edit at most every
`ROLLUP_EDIT_SECONDS`, and a 429 holds back only that message (or, for its
first post, only its channel's posts) until the Retry-After.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.noise.budget import ChannelBudget
from bot.noise.chat import CANNOT_POST_HERE, AlertChat, ChatFailed
from bot.noise.holds import Holds, edits_of, posts_in

log = logging.getLogger(__name__)

ROLLUP_WINDOW = timedelta(minutes=30)
"""How long one roll-up message keeps collecting before the next storm gets its own."""
ROLLUP_EDIT_SECONDS = 3.0
"""Least seconds between two calls (post or edit) for one roll-up message."""


@dataclass
class RollUp:
    """One channel's roll-up: what Slack shows, what waits for the next edit."""

    began: datetime
    ts: str | None = None
    shown: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    tried_at: datetime | None = None
    """When the last call for it ended (so the next one reaches Slack at least an interval later)."""


class RollUps:
    """The roll-up of each channel while this replica leads."""

    def __init__(
        self,
        *,
        chat: AlertChat,
        holds: Holds,
        budget: ChannelBudget,
        clock: Callable[[], datetime],
        edit_every: float = ROLLUP_EDIT_SECONDS,
    ) -> None:
        self.chat = chat
        self.clock = clock
        self.holds = holds
        self.budget = budget
        self.edit_every = timedelta(seconds=edit_every)
        self.current: dict[str, RollUp] = {}

    def add(self, channel: str, titles: list[str], now: datetime) -> None:
        """List `titles` at the channel's next roll-up edit (an old storm's message stays as it was)."""
        rollup = self.current.get(channel)
        if rollup is None or (now - rollup.began > ROLLUP_WINDOW and not rollup.waiting):
            rollup = self.current[channel] = RollUp(began=now)
        rollup.waiting.extend(titles)

    async def show(self) -> int:
        """Post or edit every roll-up that has titles waiting and is due; the chat calls made."""
        calls = 0
        for channel, rollup in self.current.items():
            if rollup.waiting and self._due(channel, rollup, self.clock()):
                calls += await self._show(channel, rollup)
        return calls

    def _due(self, channel: str, rollup: RollUp, now: datetime) -> bool:
        if rollup.tried_at is not None and now - rollup.tried_at < self.edit_every:
            return False
        if rollup.ts is None:
            return not self.holds.held(posts_in(channel), now) and self.budget.take(channel)
        return not self.holds.held(edits_of(rollup.ts), now)

    async def _show(self, channel: str, rollup: RollUp) -> int:
        listed = [*rollup.shown, *rollup.waiting]
        try:
            if rollup.ts is None:
                rollup.ts = await self.chat.post_rollup(channel, listed, len(listed))
                self.budget.spent(channel)
            else:
                await self.chat.update_rollup(channel, rollup.ts, listed, len(listed))
        except ChatFailed as exc:
            rollup.tried_at = self.clock()
            self._failed(channel, rollup, exc, rollup.tried_at)
            return 1
        rollup.tried_at = self.clock()
        rollup.shown, rollup.waiting = listed, []
        return 1

    def _failed(self, channel: str, rollup: RollUp, exc: ChatFailed, now: datetime) -> None:
        """A 429 holds the message (or the channel's posts); a channel that refuses us loses the
        list (its groups were counted as rolled up); anything else is tried at the next edit."""
        if exc.rate_limited:
            target = posts_in(channel) if rollup.ts is None else edits_of(rollup.ts)
            self.holds.hold(target, now, exc.retry_after)
            log.warning(
                "Slack rate-limits the roll-up in %s; trying again in %s s",
                channel,
                exc.retry_after if exc.retry_after is not None else "a few",
            )
            return
        log.warning(
            "cannot show the roll-up of %d alert groups in %s: %s",
            len(rollup.shown) + len(rollup.waiting),
            channel,
            exc.error,
        )
        if not exc.transient and exc.error in CANNOT_POST_HERE:
            rollup.waiting = []
