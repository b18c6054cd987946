"""Token buckets: how often one user, or one channel, may make kubemedic work or speak.

A bucket holds up to `per_minute` tokens and refills continuously at
`per_minute` a minute; each request spends one. Buckets that are full again
carry no information and are dropped, so a storm from thousands of channels
leaves no lasting state. With `shared` (several worker processes in one
replica) the buckets live in memory the workers share, so a budget holds
whichever worker a request reaches.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.runtime.shared_buckets import Bucket, SharedBuckets

SWEEP_EVERY = 1024
"""Keys (at least) before full buckets are swept away."""


@dataclass
class TokenBuckets:
    """A token bucket per key (a user, a channel): `per_minute` tokens, refilled continuously."""

    per_minute: int
    clock: Callable[[], float] = time.monotonic
    shared: SharedBuckets | None = None
    """The workers' shared buckets (None: this process's own)."""
    name: str = ""
    """Keeps these buckets' keys apart from other buckets in `shared`."""
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _sweep_at: int = SWEEP_EVERY

    def allow(self, key: str) -> bool:
        """Spend one token of `key`'s bucket if it has one."""
        now = self.clock()
        if self.shared is not None:
            return self._allow_shared(self.shared, key, now)
        tokens = self._tokens(key, now)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self._sweep_at:
            self._sweep(now)
        return allowed

    def retry_after(self, key: str) -> int:
        """Whole seconds until `key` has a token again (0: it has one now)."""
        now = self.clock()
        if self.shared is not None:
            tokens = self._refilled(self.shared.read(f"{self.name}:{key}"), now)
        else:
            tokens = self._tokens(key, now)
        missing = 1.0 - tokens
        return 0 if missing <= 0 else math.ceil(missing * 60.0 / self.per_minute)

    def _tokens(self, key: str, now: float) -> float:
        return self._refilled(self._buckets.get(key), now)

    def _refilled(self, bucket: Bucket | None, now: float) -> float:
        tokens, last = bucket or (float(self.per_minute), now)
        return min(float(self.per_minute), tokens + (now - last) * self.per_minute / 60.0)

    def _allow_shared(self, shared: SharedBuckets, key: str, now: float) -> bool:
        allowed: list[bool] = []

        def spend(bucket: Bucket | None) -> Bucket:
            tokens = self._refilled(bucket, now)
            allowed.append(tokens >= 1.0)
            return (tokens - 1.0 if allowed[0] else tokens, now)

        shared.update(f"{self.name}:{key}", spend)
        return allowed[0]

    def _sweep(self, now: float) -> None:
        full = [key for key in self._buckets if self._tokens(key, now) >= self.per_minute]
        for key in full:
            del self._buckets[key]
        self._sweep_at = max(
            SWEEP_EVERY, 2 * len(self._buckets)
        )  # amortised: never a sweep per request

    def __len__(self) -> int:
        return len(self._buckets)


class ChannelRateLimiter(TokenBuckets):
    """Replies to pasted messages per channel, so a flood of pasted logs does not make the bot spam."""

    def allow(self, channel: str) -> bool:
        return super().allow(channel)
