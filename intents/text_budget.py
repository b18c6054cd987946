"""How much CPU reading one text may cost this thread: checked at regex calls on it.

Every regex kubemedic runs on a user's text is linear in it (RE2 for the catalog's, and for
Python's `re` the patterns `tests/hardening/test_regex_linear.py` proves), and a text is
bounded where it arrives, so no single call is long. `text_budget` bounds their sum: within
it, a regex call started once this thread has spent its CPU seconds raises `TooCostlyToRead`
(the clock is read once a window of calls), so a worker thread reading a hostile paste stops
within a few short calls of its budget, and
the paste is answered "too costly to read" instead of holding a worker (and, through Python's
GIL, the event loop) for minutes.

CPU, not wall time: a budget that a loaded machine or a busy event loop ate into would refuse
ordinary pastes; the thread's own CPU counts only the reading itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_DEADLINE = threading.local()
MAX_UNTIMED_CALLS = 64
"""Regex calls between two reads of the thread's clock. Each call is linear in a bounded text,
so a window overruns the budget by a few short calls at most, and the clock (about 1.5 us a
read) is read once a window instead of before every call (a 1 MB paste makes 130,000)."""


class TooCostlyToRead(RuntimeError):
    """Reading a text ran past the CPU budget `text_budget` set for this thread."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"reading this text took more than {seconds:g} s of CPU")
        self.seconds = seconds


@dataclass
class _Budget:
    """One budget: when it ends (thread CPU), its seconds, and the calls left in its window."""

    ends: float
    seconds: float
    left: int = 1
    """The first call reads the clock: a budget spent before it began stops that call."""


@contextmanager
def text_budget(seconds: float) -> Iterator[None]:
    """Within the block, a regex call on this thread started after it spent `seconds` of CPU
    raises TooCostlyToRead, within a window of calls (an enclosing budget that ends sooner
    stays in force)."""
    previous = getattr(_DEADLINE, "at", None)
    budget = _Budget(time.thread_time() + seconds, seconds)
    _DEADLINE.at = budget if previous is None or budget.ends < previous.ends else previous
    try:
        yield
    finally:
        _DEADLINE.at = previous


def check_budget() -> None:
    """Raise TooCostlyToRead if this thread is inside a budget it has spent (the clock read
    once every MAX_UNTIMED_CALLS calls)."""
    budget = getattr(_DEADLINE, "at", None)
    if budget is None:
        return
    budget.left -= 1
    if budget.left > 0:
        return
    budget.left = MAX_UNTIMED_CALLS
    if time.thread_time() >= budget.ends:
        budget.left = 1  # (spent: every later call stops too)
        raise TooCostlyToRead(budget.seconds)
