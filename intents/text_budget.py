"""How much CPU reading one text may cost this thread: checked before every regex call on it.

Every regex kubemedic runs on a user's text is linear in it (RE2 for the catalog's, and for
Python's `re` the patterns `tests/hardening/test_regex_linear.py` proves), and a text is
bounded where it arrives, so no single call is long. `text_budget` bounds their sum: within
it, a regex call started once this thread has spent its CPU seconds raises `TooCostlyToRead`,
so a worker thread reading a hostile paste stops within one short call of its budget, and
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

_DEADLINE = threading.local()


class TooCostlyToRead(RuntimeError):
    """Reading a text ran past the CPU budget `text_budget` set for this thread."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"reading this text took more than {seconds:g} s of CPU")
        self.seconds = seconds


@contextmanager
def text_budget(seconds: float) -> Iterator[None]:
    """Within the block, a regex call on this thread started after it spent `seconds` of CPU
    raises TooCostlyToRead (an enclosing budget that ends sooner stays in force)."""
    previous = getattr(_DEADLINE, "at", None)
    deadline = (time.thread_time() + seconds, seconds)
    _DEADLINE.at = deadline if previous is None or deadline[0] < previous[0] else previous
    try:
        yield
    finally:
        _DEADLINE.at = previous


def check_budget() -> None:
    """Raise TooCostlyToRead if this thread is inside a budget it has spent."""
    deadline = getattr(_DEADLINE, "at", None)
    if deadline is not None and time.thread_time() >= deadline[0]:
        raise TooCostlyToRead(deadline[1])
