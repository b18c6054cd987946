"""The work queue's slots: how many requests one replica works on at once (KUBEMEDIC_QUEUE_LIMIT).

One process counts its own. The worker processes of one replica
(KUBEMEDIC_WORKER_PROCESSES) share one count in memory made before they are
forked, so the replica admits up to its whole limit whichever worker a
request reaches: eight requests over one kept-alive connection (which stays
on one worker) are all worked on while the replica has eight free slots,
instead of four being told busy while the other worker's share sits idle.
Each worker keeps its own tally in the shared table, under a POSIX record
lock (the kernel drops a dead process's lock), and a worker started in a
dead one's place clears that tally, so a killed worker's slots come back.
"""

from __future__ import annotations

import fcntl
import mmap
import struct
import tempfile
from typing import IO, Protocol

_COUNT = struct.Struct("q")


class Slots(Protocol):
    """Taking and giving back queue slots."""

    def take(self) -> bool:
        """Take a slot if the limit allows (never waits)."""
        ...

    def take_anyway(self) -> None:
        """Take a slot past the limit (a click, work taken over from a dead replica)."""
        ...

    def give_back(self) -> None:
        """Give back one slot taken before."""
        ...

    def free(self) -> int:
        """Slots free now (0 at or past the limit)."""
        ...


class LocalSlots:
    """The slots of a single process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_use = 0

    def take(self) -> bool:
        if self.in_use >= self.limit:
            return False
        self.in_use += 1
        return True

    def take_anyway(self) -> None:
        self.in_use += 1

    def give_back(self) -> None:
        self.in_use = max(0, self.in_use - 1)

    def free(self) -> int:
        return max(0, self.limit - self.in_use)


class SharedSlots:
    """One replica's slots, shared by its worker processes (made in the parent before the fork)."""

    def __init__(self, workers: int, limit: int) -> None:
        self.workers = workers
        self.limit = limit
        self._memory = mmap.mmap(
            -1, workers * _COUNT.size
        )  # anonymous and shared: inherited by fork
        self._lock_file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the workers

    def of_worker(self, index: int) -> WorkerSlots:
        """Worker `index`'s view; its tally starts at zero (a dead worker's slots are freed)."""
        slots = WorkerSlots(self, index)
        self._change(index, lambda _total, _mine: 0)
        return slots

    def in_use(self) -> int:
        """Slots the replica's workers hold now."""
        return self._change(None, lambda total, _mine: None)

    def _change(self, index: int | None, change: _Change) -> int:
        """Under the lock: set worker `index`'s tally to `change(total, tally)` unless None; the total after."""
        fd = self._lock_file.fileno()
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            tallies = [
                _COUNT.unpack_from(self._memory, n * _COUNT.size)[0] for n in range(self.workers)
            ]
            if index is not None:
                new = change(sum(tallies), tallies[index])
                if new is not None:
                    _COUNT.pack_into(self._memory, index * _COUNT.size, new)
                    tallies[index] = new
            return sum(tallies)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)


class _Change(Protocol):
    def __call__(self, total: int, mine: int, /) -> int | None: ...


class WorkerSlots:
    """One worker's use of the replica's shared slots."""

    def __init__(self, shared: SharedSlots, index: int) -> None:
        self.shared = shared
        self.index = index

    def take(self) -> bool:
        taken = False

        def one_more(total: int, mine: int) -> int | None:
            nonlocal taken
            taken = total < self.shared.limit
            return mine + 1 if taken else None

        self.shared._change(self.index, one_more)
        return taken

    def take_anyway(self) -> None:
        self.shared._change(self.index, lambda _total, mine: mine + 1)

    def give_back(self) -> None:
        self.shared._change(self.index, lambda _total, mine: max(0, mine - 1))

    def free(self) -> int:
        return max(0, self.shared.limit - self.shared.in_use())
