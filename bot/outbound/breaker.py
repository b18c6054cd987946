"""One circuit breaker per outbound call: stop calling a tool that keeps failing, try again later.

Closed: calls go through. After `failures` calls in a row failed (after their retries), it opens:
calls are refused at once for `cooldown` seconds, without touching the network. Then one call is
let through (half-open): its success closes the breaker, its failure opens it again. Only the
tool's unavailability counts (unreachable, 5xx, 429 past its retries); a 4xx answer is the tool
working and saying no.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

State = Literal["closed", "open", "half-open"]


class CircuitBreaker:
    """`allow()` before a call, `succeeded()` or `failed()` after it."""

    def __init__(
        self,
        name: str,
        *,
        failures: int = 5,
        cooldown: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name, self.failures, self.cooldown, self.clock = name, failures, cooldown, clock
        self.failed_in_a_row = 0
        self.opened_at: float | None = None
        self.last_error = ""
        self._probing = False

    @property
    def state(self) -> State:
        if self.opened_at is None:
            return "closed"
        if self.clock() - self.opened_at >= self.cooldown:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        """Whether a call may go out now (half-open: one at a time)."""
        state = self.state
        if state == "closed":
            return True
        if state == "half-open" and not self._probing:
            self._probing = True
            return True
        return False

    def retry_in(self) -> float:
        """Seconds until an open breaker lets a call through (0 when it does now)."""
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.cooldown - (self.clock() - self.opened_at))

    def succeeded(self) -> None:
        self.failed_in_a_row = 0
        self.opened_at = None
        self._probing = False

    def failed(self, error: str) -> bool:
        """Count one failed call; True when this opened the breaker."""
        self.last_error = error
        self.failed_in_a_row += 1
        was_open = self.opened_at is not None
        self._probing = False
        if was_open or self.failed_in_a_row >= self.failures:
            self.opened_at = self.clock()
            return not was_open
        return False
