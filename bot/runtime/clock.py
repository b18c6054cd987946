"""The wall clock, as one injectable function (tests pass their own)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current time, timezone-aware (UTC)."""


def utc_now() -> datetime:
    return datetime.now(UTC)
