"""Admission control: whether a request is worked on, shed as busy, or refused as too frequent.

Checked before anything costly (matching, reading the cluster) and before
the request is stored, so a storm costs one cheap decision per request:

- a user or a channel past its token bucket gets a private "slow down" line;
- past the bounded work queue the request waits a moment for a slot (until
  `wait` seconds after it arrived, so the ack stays within Slack's 3 s even
  when the loop is slow; the wait also slows a client that waits for its
  ack) and is otherwise answered at once with one line that begins
  `kubemedic is busy` and says when to retry.

An admitted request holds a queue slot until its work finishes (see
`bot.runtime.work.WorkQueue.reserve`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.answering.ratelimit import TokenBuckets
from bot.metrics import Metrics
from bot.runtime.arrival import left_of
from bot.runtime.work import WorkQueue

TELL_EVERY = 60.0
"""Seconds between two private "slow down" lines to one user for pasted messages."""
BUSY = "kubemedic is busy"


def busy_line(ahead: int, retry_after: int) -> str:
    """The one line a shed request gets (contract: it begins `kubemedic is busy`)."""
    return f"{BUSY}: {ahead} requests are ahead of yours; please try again in about {retry_after} s."


def slow_down_line(who: Literal["user", "channel"], per_minute: int, retry_after: int) -> str:
    """The private line for a user or channel past its budget."""
    whose = "you have" if who == "user" else "this channel has"
    return (f"🐢 Slow down: {whose} asked kubemedic more than {per_minute} times in a minute; "
            f"try again in {max(retry_after, 1)} s.")


@dataclass(frozen=True)
class Admitted:
    """Worked on: the request holds a queue slot, handed to `WorkQueue.submit(reserved=True)`."""


@dataclass(frozen=True)
class Busy:
    """Shed: the queue stayed full; `line` is what the asker is told."""

    line: str


@dataclass(frozen=True)
class SlowDown:
    """Refused: the user or the channel is past its budget; `line` is told privately."""

    line: str


Decision = Admitted | Busy | SlowDown


class Admission:
    """Token buckets per user and per channel, then the bounded queue."""

    def __init__(self, *, work: WorkQueue, metrics: Metrics, user_per_minute: int, channel_per_minute: int,
                 wait: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.work = work
        self.metrics = metrics
        self.users = TokenBuckets(user_per_minute, clock=clock)
        self.channels = TokenBuckets(channel_per_minute, clock=clock)
        self.wait = wait
        self.clock = clock
        self._told: dict[str, float] = {}

    async def admit(self, *, user: str | None, channel: str | None) -> Decision:
        """Spend the user's and the channel's tokens, then take a queue slot (waiting at most `wait` s)."""
        limited = self._over_budget(user, channel)
        if limited is not None:
            return limited
        if await self.work.reserve(left_of(self.wait)):
            return Admitted()
        self.metrics.shed.labels("queue_full").inc()
        return Busy(busy_line(self.work.depth, self.work.retry_after()))

    def _over_budget(self, user: str | None, channel: str | None) -> SlowDown | None:
        if user and not self.users.allow(user):
            self.metrics.shed.labels("user_rate").inc()
            return SlowDown(slow_down_line("user", self.users.per_minute, self.users.retry_after(user)))
        if channel and not self.channels.allow(channel):
            self.metrics.shed.labels("channel_rate").inc()
            return SlowDown(slow_down_line("channel", self.channels.per_minute, self.channels.retry_after(channel)))
        return None

    def tell_now(self, user: str) -> bool:
        """Whether to tell `user` privately now (at most once a `TELL_EVERY` for pasted messages)."""
        now = self.clock()
        if now - self._told.get(user, -TELL_EVERY) < TELL_EVERY:
            return False
        if len(self._told) > 4096:
            self._told = {key: at for key, at in self._told.items() if now - at < TELL_EVERY}
        self._told[user] = now
        return True
