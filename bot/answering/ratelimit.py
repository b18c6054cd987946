"""Per-channel reply budget, so a flood of pasted logs does not make the bot spam."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ChannelRateLimiter:
    """A token bucket per channel: `per_minute` replies, refilled continuously."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)

    def allow(self, channel: str) -> bool:
        """Spend one reply for `channel` if its budget allows."""
        now = self.clock()
        tokens, last = self._buckets.get(channel, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)
        if tokens < 1.0:
            self._buckets[channel] = (tokens, now)
            return False
        self._buckets[channel] = (tokens - 1.0, now)
        return True
