"""Admission control: whether a request is worked on now, waits for a slot, or is refused as too frequent.

Checked before anything costly (matching, reading the cluster) and before
the request is stored, so a storm costs one cheap decision per request,
and no decision waits:

- a user or a channel past its token bucket gets a private "slow down" line;
- otherwise the request takes a slot of the bounded work queue when one is
  free; when none is, it is acked all the same and waits in line for one
  after its ack (until `KUBEMEDIC_ADMISSION_WAIT_SECONDS` after it arrived),
  and is then told, once, in one line that begins `kubemedic is busy` and
  says when to retry (see `bot.runtime.work.WorkQueue`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.answering.ratelimit import TokenBuckets
from bot.metrics import Metrics
from bot.runtime.shared_buckets import SharedBuckets
from bot.runtime.work import WorkQueue

TELLS_PER_MINUTE = 1
"""Private "slow down" lines to one user a minute, for pasted messages."""
BUSY = "kubemedic is busy"


def busy_line(ahead: int, retry_after: int) -> str:
    """The one line a shed request gets (contract: it begins `kubemedic is busy`)."""
    return (
        f"{BUSY}: {ahead} requests are ahead of yours; please try again in about {retry_after} s."
    )


def slow_down_line(who: Literal["user", "channel"], per_minute: int, retry_after: int) -> str:
    """The private line for a user or channel past its budget."""
    whose = "you have" if who == "user" else "this channel has"
    return (
        f"🐢 Slow down: {whose} asked kubemedic more than {per_minute} times in a minute; "
        f"try again in {max(retry_after, 1)} s."
    )


@dataclass(frozen=True)
class Admitted:
    """Worked on: `slot` when it holds a queue slot now, else it waits in line for one after its ack
    (handed to `WorkQueue.submit(slot=...)`)."""

    slot: bool = True


@dataclass(frozen=True)
class SlowDown:
    """Refused: the user or the channel is past its budget; `line` is told privately."""

    line: str


Decision = Admitted | SlowDown


class Admission:
    """Token buckets per user and per channel, then the bounded queue."""

    def __init__(
        self,
        *,
        work: WorkQueue,
        metrics: Metrics,
        user_per_minute: int,
        channel_per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        shared: SharedBuckets | None = None,
    ) -> None:
        """`shared`: the worker processes' shared buckets, so budgets hold across them."""
        self.work = work
        self.metrics = metrics
        self.users = TokenBuckets(user_per_minute, clock=clock, shared=shared, name="user")
        self.channels = TokenBuckets(channel_per_minute, clock=clock, shared=shared, name="channel")
        self._told = TokenBuckets(TELLS_PER_MINUTE, clock=clock, shared=shared, name="told")

    def admit(self, *, user: str | None, channel: str | None) -> Decision:
        """Spend the user's and the channel's tokens, then take a queue slot if one is free (never waits)."""
        limited = self._over_budget(user, channel)
        if limited is not None:
            return limited
        return Admitted(slot=self.work.try_reserve())

    def _over_budget(self, user: str | None, channel: str | None) -> SlowDown | None:
        if user and not self.users.allow(user):
            self.metrics.shed.labels("user_rate").inc()
            return SlowDown(
                slow_down_line("user", self.users.per_minute, self.users.retry_after(user))
            )
        if channel and not self.channels.allow(channel):
            self.metrics.shed.labels("channel_rate").inc()
            return SlowDown(
                slow_down_line(
                    "channel", self.channels.per_minute, self.channels.retry_after(channel)
                )
            )
        return None

    def tell_now(self, user: str) -> bool:
        """Whether to tell `user` privately now (at most `TELLS_PER_MINUTE` for pasted messages)."""
        return self._told.allow(user)
