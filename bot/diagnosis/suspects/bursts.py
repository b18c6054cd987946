"""CPU bursts over many objects: the cyclic garbage collector paused while they run.

A walk over a namespace of thousands builds many short-lived objects beside a large live heap
(the snapshot's API objects); each collection the allocations trigger scans that heap, and at
10,000 pods the scans cost more than the walk (bench/walk_cost.py). Reference counting still
frees what the burst drops; collection resumes when the last concurrent burst ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class _Pauses:
    """How many blocks run paused, and whether collection ran before the first began."""

    lock = threading.Lock()
    running = 0
    was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with cyclic collection paused (nested and concurrent blocks share it)."""
    with _Pauses.lock:
        if _Pauses.running == 0:
            _Pauses.was_enabled = gc.isenabled()
            gc.disable()
        _Pauses.running += 1
    try:
        yield
    finally:
        with _Pauses.lock:
            _Pauses.running -= 1
            if _Pauses.running == 0 and _Pauses.was_enabled:
                gc.enable()
