"""A warning that anyone outside can cause (a refused connection) is logged at most once a minute.

A copied or stale token redialling every second, or a scanner, would otherwise write a line per
attempt. The first warning of a window is logged; the rest are counted, and the next warning
logged says how many were held back.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable


class LogBudget:
    """Logs `warning(...)` at most once per `seconds` (see the module docstring)."""

    def __init__(
        self,
        logger: logging.Logger,
        *,
        seconds: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.logger = logger
        self.seconds = seconds
        self.clock = clock
        self._next = float("-inf")
        self._held = 0

    def warning(self, message: str, *args: object) -> None:
        now = self.clock()
        if now < self._next:
            self._held += 1
            return
        if self._held:
            message += (
                f" (and {self._held} more like it in the last {self.seconds:g} s, not logged)"
            )
        self.logger.warning(message, *args)
        self._next, self._held = now + self.seconds, 0
