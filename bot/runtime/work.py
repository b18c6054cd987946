"""Durable background work: accepted in the database, finished here or by another replica.

A listener acks and hands its work to `WorkQueue.submit`, which stores the
request (kind + JSON payload) before the ack leaves and then runs it as
background work. While this replica lives it renews the lease of everything
it holds; when it dies (OOM kill, node loss) the lease runs out and another
replica's sweep takes the item over and runs it again, so an acked request
is answered even though the replica that acked it is gone. A graceful
shutdown releases whatever it could not finish, for the others to take at
once. Handlers get the attempt number: a taken-over click must not simply
act twice (see the remediation service's `recover`).

When the database is down the work still runs, without that guarantee.

The queue is bounded: `try_reserve` takes one of `limit` slots (of the
whole replica: its worker processes share them, bot/runtime/slots.py), the
work holds it until it finishes. A request that gets none is stored and acked
all the same, then waits in line (first come, first served) for a slot
until `wait` seconds after it arrived; one that gets none by then is shed:
its kind's shedder tells the asker `kubemedic is busy` (once: the item is
then done), a few at a time after admitted work (`bot.runtime.busy_notes`).
So no ack ever waits for a slot. Work taken over from a dead
replica is never refused; it counts in the depth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import os
import socket
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.logs import REQUEST_ID
from bot.metrics import Metrics
from bot.runtime.arrival import left_of
from bot.runtime.background import Background
from bot.runtime.busy_notes import BusyNotes
from bot.runtime.clock import Clock
from bot.runtime.ledger import Ledger
from bot.runtime.slots import LocalSlots, Slots
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import WorkItem

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], int], Awaitable[None]]
"""Runs one item: (payload, attempt); attempt > 1 means another replica began it."""
Shedder = Callable[[dict[str, Any], int, int], Awaitable[None]]
"""Tells the asker of an item that got no slot in time: (payload, requests ahead, seconds to retry after)."""

REQUEST_KEY = "_request_id"
"""Payload key keeping the request id, so a replica taking the work over logs under it too."""
MAX_ATTEMPTS = 3
RATE_WINDOW = 30.0
"""Seconds of finished work the retry estimate looks back on."""
RETRY_BOUNDS = (5, 300)
LINE_PER_SLOT = 10
"""Requests that may wait in line per queue slot; past that a request is shed at once (after its ack)."""
TAKEOVER_AT_LEAST = 20
"""Expired items one sweep takes over even when this replica's queue is full (taken-over work is never
refused); with free slots it takes up to that many."""
PULL_SECONDS = 0.05
"""While requests wait in line, how often a worker looks for a slot another worker of the replica gave back."""

_Busy = tuple[str, str, dict[str, Any], bool, int]
"""A shed item owed its busy line: (id, kind, payload less its text, durable, requests ahead when shed)."""
_NOT_FOR_TELLING = frozenset({"text", "blocks"})
"""Payload keys a busy line never needs (the pasted text is most of a payload): not kept while it is owed."""


def replica_name() -> str:
    """This process, as the owner of its work: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class WorkQueue:
    """Submit, run, renew, take over and release durable work for one replica."""

    def __init__(
        self,
        *,
        store: Store,
        background: Background,
        metrics: Metrics,
        clock: Clock,
        lease_seconds: float,
        ledger: Ledger | None = None,
        owner: str | None = None,
        limit: int = 1_000_000,
        wait: float = 0.0,
        slots: Slots | None = None,
    ) -> None:
        """`slots`: the replica's slots when its worker processes share them (else `limit` of this one)."""
        self.store = store
        self.ledger = ledger or Ledger(store)
        self.background = background
        self.metrics = metrics
        self.clock = clock
        self.owner = owner or replica_name()
        self.lease = timedelta(seconds=lease_seconds)
        self.handlers: dict[str, Handler] = {}
        self.shedders: dict[str, Shedder] = {}
        self.limit = limit
        self.slots: Slots = slots or LocalSlots(limit)
        self.wait = wait
        """Seconds after its arrival a request without a slot may wait in line for one."""
        self.depth = 0
        """Requests holding a slot: reserved, stored or running in this process."""
        self._pulling: asyncio.TimerHandle | None = None
        """While requests wait in line: the next look for a slot another worker gave back."""
        self._line: dict[str, _InLine] = {}
        """Requests waiting for a slot, oldest first."""
        self._finished: deque[float] = deque()
        self.busy: BusyNotes[_Busy] = BusyNotes(self._tell_busy, background=background)
        """Busy lines owed to shed requests, told a few at a time after admitted work."""

    def handler(self, kind: str) -> Callable[[Handler], Handler]:
        """Decorator: `handler` runs the items of `kind`."""

        def register(function: Handler) -> Handler:
            self.handlers[kind] = function
            return function

        return register

    def shedder(self, kind: str) -> Callable[[Shedder], Shedder]:
        """Decorator: `shedder` tells the asker of an item of `kind` that got no slot in time."""

        def register(function: Shedder) -> Shedder:
            self.shedders[kind] = function
            return function

        return register

    def try_reserve(self) -> bool:
        """Take a queue slot if one is free and nobody waits in line; never waits."""
        if not self._line and self.slots.take():
            self._grow(1)
            return True
        return False

    def _release(self) -> None:
        """One slot is free: hand it to the longest waiting request, else drop the depth."""
        self._finished.append(time.monotonic())
        if self._line:
            waiting = self._line.pop(next(iter(self._line)))
            waiting.timer.cancel()
            self._line_changed()
            self.background.spawn(self._run(waiting.item, durable=waiting.durable))
            return
        self.slots.give_back()
        self._grow(-1)

    def _pull(self) -> None:
        """Start what waits in line on slots the replica's other workers gave back; look again soon
        while anything still waits."""
        self._pulling = None
        while self._line and self.slots.take():
            waiting = self._line.pop(next(iter(self._line)))
            waiting.timer.cancel()
            self._grow(1)
            self.background.spawn(self._run(waiting.item, durable=waiting.durable))
        self._line_changed()
        if self._line:
            self._pulling = asyncio.get_running_loop().call_later(PULL_SECONDS, self._pull)

    def _grow(self, by: int) -> None:
        self.depth += by
        self.metrics.queue_depth.set(self.depth)

    def retry_after(self) -> int:
        """Seconds until the requests queued now are likely done (from the recent finishing rate)."""
        now = time.monotonic()
        while self._finished and now - self._finished[0] > RATE_WINDOW:
            self._finished.popleft()
        rate = len(self._finished) / RATE_WINDOW
        seconds = self.depth / rate if rate > 0 else RETRY_BOUNDS[1] / 10
        return max(RETRY_BOUNDS[0], min(RETRY_BOUNDS[1], math.ceil(seconds)))

    async def submit(
        self, kind: str, key: str, payload: dict[str, Any], *, slot: bool | None = None
    ) -> bool:
        """Store the request (before its ack), then run it in the background (once per kind and key);
        False when it was there already (a repeated delivery: nothing more is done).

        `slot`: True when the caller holds one from `try_reserve`; False when it got none (the request
        waits in line, then is shed); None to take one regardless of the limit (clicks).
        """
        if slot is None:
            self.slots.take_anyway()
            self._grow(1)
        deadline = time.monotonic() + left_of(self.wait)
        try:
            item, durable = await self._stored(kind, key, payload)
        except BaseException:
            if slot is not False:
                self._release()
            raise
        if item is None:  # the same request again: it is already being answered
            if slot is not False:
                self._release()
            return False
        if slot is False:
            self._wait_in_line(item, durable=durable, deadline=deadline)
        else:
            self.background.spawn(self._run(item, durable=durable))
        return True

    async def _stored(
        self, kind: str, key: str, payload: dict[str, Any]
    ) -> tuple[WorkItem | None, bool]:
        """The item and whether it is durable (stored); None when it was there already."""
        now = self.clock()
        payload = {**payload, REQUEST_KEY: REQUEST_ID.get()}
        item = WorkItem(
            id=f"{kind}:{key}"[:255],
            kind=kind,
            payload=payload,
            owner=self.owner,
            lease_until=now + self.lease,
            created_at=now,
        )
        stored = await self._store(item)
        if stored is False:
            self.metrics.skipped.labels("duplicate_work").inc()
            return None, False
        return item, stored is True

    def _wait_in_line(self, item: WorkItem, *, durable: bool, deadline: float) -> None:
        """Wait for a slot until `deadline` (monotonic); shed at once when the line is full or the time is up."""
        if not self._line and self.slots.take():  # a slot came free while it was being stored
            self._grow(1)
            self.background.spawn(self._run(item, durable=durable))
            return
        delay = deadline - time.monotonic()
        if delay <= 0 or len(self._line) >= self.limit * LINE_PER_SLOT:
            self._shed(item, durable=durable)
            return
        timer = asyncio.get_running_loop().call_later(delay, self._time_up, item.id)
        self._line[item.id] = _InLine(item, durable, timer)
        self._line_changed()
        if self._pulling is None:
            self._pulling = asyncio.get_running_loop().call_later(PULL_SECONDS, self._pull)

    def _time_up(self, id: str) -> None:
        waiting = self._line.pop(id, None)
        if waiting is not None:
            self._line_changed()
            self._shed(waiting.item, durable=waiting.durable)

    def _shed(self, item: WorkItem, *, durable: bool) -> None:
        """Owe the asker `kubemedic is busy` (told by `busy`, after admitted work), then the item is done."""
        self.metrics.shed.labels("queue_full").inc()
        told = {key: value for key, value in item.payload.items() if key not in _NOT_FOR_TELLING}
        self.busy.add((item.id, item.kind, told, durable, self.depth + len(self._line)))

    async def _tell_busy(self, note: _Busy) -> None:
        id, kind, payload, durable, ahead = note
        REQUEST_ID.set(payload.get(REQUEST_KEY) or id)
        shedder = self.shedders.get(kind)
        try:
            if shedder is None:
                log.error("%s got no slot and its kind %r cannot be told so", id, kind)
            else:
                await shedder(payload, ahead, self.retry_after())
        except Exception:
            log.exception("%s: telling it that kubemedic is busy failed", id)
        if durable:  # with the next batched write; the sender goes on to the next line meanwhile
            self.ledger.finish_soon(id, now=self.clock())

    def _line_changed(self) -> None:
        self.metrics.queue_waiting.set(len(self._line))

    async def _store(self, item: WorkItem) -> bool | None:
        """True once stored, False if already there, None if the database is down.

        Items arriving together are stored in one transaction (the ledger's group commit):
        in a burst, acks wait for one commit instead of queueing for the
        database's write lock one by one.
        """
        try:
            return await self.ledger.accept(item)
        except StoreUnavailable as exc:
            log.warning("running %s without a durable record: %s", item.id, exc)
            return None

    async def _run(self, item: WorkItem, *, durable: bool) -> None:
        REQUEST_ID.set(item.payload.get(REQUEST_KEY) or item.id)  # this task's own context
        try:
            await self.handlers[item.kind](item.payload, item.attempts)
        except asyncio.CancelledError:  # the process ends mid-answer: another replica answers it
            self._release()
            raise
        except Exception:
            log.exception("%s failed (attempt %d)", item.id, item.attempts)
        self._release()
        if durable:
            try:
                await self._mark_done(item.id)
            except StoreUnavailable as exc:
                log.warning("%s done but not marked done: %s", item.id, exc)

    async def _mark_done(self, id: str) -> None:
        """Mark `id` done, in one transaction with whatever else is being written."""
        await self.ledger.finish(id, now=self.clock())

    async def sweep(self) -> list[WorkItem]:
        """Renew this replica's leases, then take over and start expired items."""
        now = self.clock()
        until = now + self.lease
        await self.store.renew_work(self.owner, until=until)
        taken = (
            await self.store.take_over_work(  # as many as there are free slots: a dead replica's
                self.owner,
                now=now,
                until=until,
                max_attempts=MAX_ATTEMPTS,  # queue is taken in one sweep
                limit=max(TAKEOVER_AT_LEAST, self.slots.free()),
            )
        )
        for item in taken:
            if item.kind not in self.handlers:
                log.error("%s: no handler for kind %r; dropping it", item.id, item.kind)
                await self.store.finish_work(item.id, now=now)
                continue
            log.warning(
                "taking over %s (attempt %d): the replica that accepted it stopped",
                item.id,
                item.attempts,
            )
            self.metrics.skipped.labels("taken_over").inc()
            self.slots.take_anyway()
            self._grow(1)
            self.background.spawn(self._run(item, durable=True))
        return taken

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep every third of a lease until `stop` is set."""
        await self._every_third_of_a_lease(stop, self.sweep, "work sweep skipped")

    async def renew_until(self, done: asyncio.Event) -> None:
        """Keep renewing this replica's leases (taking nothing over) until `done` is set.

        A graceful shutdown drains its work for up to 20 s, longer than a lease
        may last: without renewal another replica would take over, and answer
        again, work that is being finished here.
        """

        async def renew() -> None:
            await self.store.renew_work(self.owner, until=self.clock() + self.lease)

        await self._every_third_of_a_lease(done, renew, "leases not renewed while draining")

    async def _every_third_of_a_lease(
        self, stop: asyncio.Event, step: Callable[[], Awaitable[object]], skipped: str
    ) -> None:
        """Run `step` now and every third of a lease until `stop` is set; a database outage skips one."""
        interval = self.lease.total_seconds() / 3
        while not stop.is_set():
            try:
                await step()
            except StoreUnavailable as exc:
                log.warning("%s: %s", skipped, exc)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)

    async def release(self) -> None:
        """Hand back what this replica did not finish (graceful shutdown)."""
        try:
            released = await self.store.release_work(self.owner, now=self.clock())
        except StoreUnavailable as exc:
            log.warning("could not release unfinished work: %s", exc)
            return
        if released:
            log.warning("released %d unfinished item(s) to the other replicas", released)


@dataclass(frozen=True)
class _InLine:
    """A stored request waiting for a slot, and the timer that sheds it when its time is up."""

    item: WorkItem
    durable: bool
    timer: asyncio.TimerHandle
