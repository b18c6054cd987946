"""Token buckets: how often one user, or one channel, may make kubemedic work or speak.

A bucket holds up to `per_minute` tokens and refills continuously at
`per_minute` a minute; each request spends one. Buckets that are full again
carry no information and are dropped, so a storm from thousands of channels
leaves no lasting state.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

SWEEP_EVERY = 1024
"""Keys (at least) before full buckets are swept away."""


@dataclass
class TokenBuckets:
    """A token bucket per key (a user, a channel): `per_minute` tokens, refilled continuously."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _sweep_at: int = SWEEP_EVERY

    def allow(self, key: str) -> bool:
        """Spend one token of `key`'s bucket if it has one."""
        now = self.clock()
        tokens = self._tokens(key, now)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self._sweep_at:
            self._sweep(now)
        return allowed

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again (0: it has one now)."""
        missing = 1.0 - self._tokens(key, self.clock())
        return 0 if missing <= 0 else math.ceil(missing * 60.0 / self.per_minute)

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (float(self.per_minute), now))
        return min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)

    def _sweep(self, now: float) -> None:
        full = [key for key in self._buckets if self._tokens(key, now) >= self.per_minute]
        for key in full:
            del self._buckets[key]
        self._sweep_at = max(SWEEP_EVERY, 2 * len(self._buckets))  # amortised: never a sweep per request

    def __len__(self) -> int:
        return len(self._buckets)


class ChannelRateLimiter(TokenBuckets):
    """Replies to pasted messages per channel, so a flood of pasted logs does not make the bot spam."""

    def allow(self, channel: str) -> bool:
        return super().allow(channel)
