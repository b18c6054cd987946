"""When the request being handled arrived, so a wait before its ack is counted from then.

Slack wants its ack within 3 s of sending; time spent before a listener runs
(reading the body, a loop busy with a storm) is part of that. The HTTP route
sets `ARRIVED` (monotonic seconds) for the whole dispatch; Socket Mode
leaves it unset and waits are counted from when they start.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

ARRIVED: ContextVar[float | None] = ContextVar("kubemedic_request_arrived", default=None)


def left_of(budget: float) -> float:
    """Seconds left of `budget` counted from the request's arrival (all of it when unknown)."""
    arrived = ARRIVED.get()
    return budget if arrived is None else max(0.0, arrived + budget - time.monotonic())
