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

The queue is bounded: `reserve` takes one of `limit` slots (waiting a
moment for one), the work holds it until it finishes, and a request that
gets none is shed by the caller (see `bot.answering.admission`). Work taken
over from a dead replica is never refused; it counts in the depth.
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
from datetime import timedelta
from typing import Any

from bot.logs import REQUEST_ID
from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.clock import Clock
from bot.runtime.ledger import Ledger
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import WorkItem

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], int], Awaitable[None]]
"""Runs one item: (payload, attempt); attempt > 1 means another replica began it."""

REQUEST_KEY = "_request_id"
"""Payload key keeping the request id, so a replica taking the work over logs under it too."""
MAX_ATTEMPTS = 3
RATE_WINDOW = 30.0
"""Seconds of finished work the retry estimate looks back on."""
RETRY_BOUNDS = (5, 300)
TAKEOVER_AT_LEAST = 20
"""Expired items one sweep takes over even when this replica's queue is full (taken-over work is never
refused); with free slots it takes up to that many."""


def replica_name() -> str:
    """This process, as the owner of its work: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class WorkQueue:
    """Submit, run, renew, take over and release durable work for one replica."""

    def __init__(self, *, store: Store, background: Background, metrics: Metrics, clock: Clock,
                 lease_seconds: float, ledger: Ledger | None = None, owner: str | None = None,
                 limit: int = 1_000_000) -> None:
        self.store = store
        self.ledger = ledger or Ledger(store)
        self.background = background
        self.metrics = metrics
        self.clock = clock
        self.owner = owner or replica_name()
        self.lease = timedelta(seconds=lease_seconds)
        self.handlers: dict[str, Handler] = {}
        self.limit = limit
        self.depth = 0
        """Requests holding a slot: reserved, stored, waiting or running here."""
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._finished: deque[float] = deque()

    def handler(self, kind: str) -> Callable[[Handler], Handler]:
        """Decorator: `handler` runs the items of `kind`."""

        def register(function: Handler) -> Handler:
            self.handlers[kind] = function
            return function

        return register

    async def reserve(self, wait: float) -> bool:
        """Take a queue slot, waiting at most `wait` seconds for one; False when the queue stayed full."""
        if self.depth < self.limit and not self._waiting:
            self._grow(1)
            return True
        if wait <= 0:
            return False
        handed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append(handed)
        await asyncio.wait([handed], timeout=wait)
        if handed.done():
            return True  # a finishing item handed its slot over
        self._waiting.remove(handed)
        handed.cancel()
        return False

    def _release(self) -> None:
        """One slot is free: hand it to the longest waiting request, else drop the depth."""
        self._finished.append(time.monotonic())
        while self._waiting:
            handed = self._waiting.popleft()
            if not handed.done():
                handed.set_result(None)
                return
        self._grow(-1)

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

    async def submit(self, kind: str, key: str, payload: dict[str, Any], *, reserved: bool = False) -> None:
        """Store the request, then run it in the background (once per kind and key).

        `reserved`: the caller holds a slot from `reserve`; else one is taken regardless of the limit.
        """
        if not reserved:
            self._grow(1)
        try:
            await self._submit(kind, key, payload)
        except BaseException:
            self._release()
            raise

    async def _submit(self, kind: str, key: str, payload: dict[str, Any]) -> None:
        now = self.clock()
        payload = {**payload, REQUEST_KEY: REQUEST_ID.get()}
        item = WorkItem(id=f"{kind}:{key}"[:255], kind=kind, payload=payload, owner=self.owner,
                        lease_until=now + self.lease, created_at=now)
        stored = await self._store(item)
        if stored is False:
            self.metrics.skipped.labels("duplicate_work").inc()
            self._release()
            return
        self.background.spawn(self._run(item, durable=stored is True))

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
        except Exception:
            log.exception("%s failed (attempt %d)", item.id, item.attempts)
        finally:
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
        taken = await self.store.take_over_work(  # as many as there are free slots: a dead replica's
            self.owner, now=now, until=until, max_attempts=MAX_ATTEMPTS,  # queue is taken in one sweep
            limit=max(TAKEOVER_AT_LEAST, self.limit - self.depth))
        for item in taken:
            if item.kind not in self.handlers:
                log.error("%s: no handler for kind %r; dropping it", item.id, item.kind)
                await self.store.finish_work(item.id, now=now)
                continue
            log.warning("taking over %s (attempt %d): the replica that accepted it stopped",
                        item.id, item.attempts)
            self.metrics.skipped.labels("taken_over").inc()
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

    async def _every_third_of_a_lease(self, stop: asyncio.Event, step: Callable[[], Awaitable[object]],
                                      skipped: str) -> None:
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
