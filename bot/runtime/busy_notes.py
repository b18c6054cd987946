"""Busy lines owed to shed requests, told a few at a time, after the work that was admitted.

A request that got no queue slot is owed one `kubemedic is busy` line. Shedding
it only notes what is owed (a small tuple in a deque: nothing is built, no task
is spawned ahead); one dispatcher begins at most `per_turn` lines per turn of
the event loop, with at most `concurrency` in flight, so admitted diagnoses
and acks keep most of every turn and a flood of busy lines never holds more
than `concurrency` of the HTTP client's connections that answers need. A
note is told once: it leaves the deque as its line is begun; whoever tells
marks the item done (`WorkQueue`), with the ledger's next batched write.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from bot.runtime.background import Background

log = logging.getLogger(__name__)

Note = TypeVar("Note")

CONCURRENCY = 32
"""Busy lines in flight at once: well below the 100 connections of the bot's HTTP client, so answers always
find one."""
PER_TURN = 4
"""Busy lines begun per turn of the event loop: the rest of the turn is the admitted work's and the acks'."""


class BusyNotes(Generic[Note]):
    """What is owed, first in first out, told by one dispatcher: `per_turn` lines begun a loop turn, at most
    `concurrency` in flight."""

    def __init__(
        self,
        tell: Callable[[Note], Awaitable[None]],
        *,
        background: Background,
        concurrency: int = CONCURRENCY,
        per_turn: int = PER_TURN,
    ) -> None:
        self._tell = tell
        self._background = background
        self.concurrency = concurrency
        self.per_turn = per_turn
        self._due: deque[Note] = deque()
        self._in_flight = 0
        self._dispatching = False
        self._slot_free: asyncio.Event | None = None  # made in the running loop

    def __len__(self) -> int:
        return len(self._due)

    def add(self, note: Note) -> None:
        """Owe `note`; it is told after what is owed already (never waits)."""
        self._due.append(note)
        if not self._dispatching:
            self._dispatching = True
            self._background.spawn(self._dispatch(), bounded=False)  # tracked: drained at shutdown

    async def _dispatch(self) -> None:
        if self._slot_free is None:
            self._slot_free = asyncio.Event()
        try:
            while self._due:
                await asyncio.sleep(0)  # one turn of the loop: ready diagnoses and acks ran
                free = min(self.per_turn, self.concurrency - self._in_flight, len(self._due))
                if free <= 0:
                    self._slot_free.clear()
                    await self._slot_free.wait()
                    continue
                for _ in range(free):
                    self._in_flight += 1
                    self._background.spawn(self._told(self._due.popleft()), bounded=False)
        finally:
            self._dispatching = False

    async def _told(self, note: Note) -> None:
        try:
            await self._tell(note)
        except Exception:  # one failed line must not stop the others
            log.exception("telling a shed request that kubemedic is busy failed")
        finally:
            self._in_flight -= 1
            if self._slot_free is not None:
                self._slot_free.set()
