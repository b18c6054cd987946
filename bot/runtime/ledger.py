"""The writes of every request in flight, group-committed: what arrives together is one transaction.

Event claims and work items (before the ack), diagnoses with their pending
actions and reply look-ups (before the answer is posted), new replies and
finished work (after) all go through one `GroupCommit`, so a storm of
answers costs one transaction per batch, not five per answer
(`Store.write_batch`, bot/storage/writes.py). Writes are made in the order
they were handed over: a reply remembered without waiting is written no
later than the end of its work, handed over after it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from bot.runtime.group_commit import GroupCommit
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import ReplyRecord, WorkItem
from bot.storage.writes import (
    AcceptWork,
    ClaimEvent,
    FinishWork,
    RecordAnswer,
    RememberReply,
    Write,
    WriteResult,
)

log = logging.getLogger(__name__)


class Ledger:
    """Claims, work, answers and replies of one process, written a batch at a time."""

    def __init__(self, store: Store) -> None:
        self._batches: GroupCommit[Write, WriteResult] = GroupCommit(self._write)
        self._store = store

    async def _write(self, writes: list[Write]) -> list[WriteResult]:
        try:
            return await self._store.write_batch(writes)
        except StoreUnavailable:
            raise
        except Exception:  # never leave a waiter waiting: every write of the batch hears it
            log.exception("writing %d request record(s) failed", len(writes))
            raise

    async def claim_event(self, event_id: str, *, now: datetime) -> bool:
        """True the first time `event_id` is claimed by any replica (StoreUnavailable)."""
        return bool(await self._batches.submit(ClaimEvent(event_id, now)))

    async def accept(self, item: WorkItem) -> bool:
        """True once stored, False if an item with its id was there already (StoreUnavailable)."""
        return bool(await self._batches.submit(AcceptWork(item)))

    async def record(self, answer: RecordAnswer) -> ReplyRecord | None:
        """Store the diagnosis and its pending actions; the recent reply to the same problem, its count
        bumped (StoreUnavailable)."""
        earlier = await self._batches.submit(answer)
        return earlier if isinstance(earlier, ReplyRecord) else None

    def remember(self, reply: ReplyRecord) -> None:
        """Remember a new reply without waiting (a failure is logged: a repeat gets a new reply)."""
        self._batches.add(RememberReply(reply)).add_done_callback(_log_unremembered)

    def finish_soon(self, id: str, *, now: datetime) -> None:
        """Mark work done with the next batch, without waiting (a failure is logged: the item stays open and
        another replica would take it over once its lease ran out)."""
        self._batches.add(FinishWork(id, now)).add_done_callback(_log_unfinished)

    async def finish(self, id: str, *, now: datetime) -> None:
        """Mark work done, with whatever else is being written (StoreUnavailable)."""
        await self._batches.submit(FinishWork(id, now))


def _warn_if_unavailable(message: str) -> Callable[[asyncio.Future[WriteResult]], None]:
    """A done-callback for a write nobody awaits: logs `message` (its %s: the error) when the
    store was down (any other error was logged when its batch failed)."""

    def warn(written: asyncio.Future[WriteResult]) -> None:
        if written.cancelled():
            return
        error = written.exception()
        if isinstance(error, StoreUnavailable):
            log.warning(message, error)

    return warn


_log_unremembered = _warn_if_unavailable("reply not remembered (%s); a repeat will get a new reply")
_log_unfinished = _warn_if_unavailable("work told busy but not marked done (%s)")
