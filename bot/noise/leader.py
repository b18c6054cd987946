"""One replica leads: it alone works the alert inbox, watches the clusters and posts.

A lease row in the database (compare-and-set, see bot/storage/sql_alerts.py)
names the leader until a time it keeps pushing forward. Every replica tries
every third of a lease: the holder renews, the others take over once it has
expired (the leader died or lost the database). A leader that cannot renew
in time stops its work before another replica can take over, so two
replicas never post at once for longer than a renewal round.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.storage.alert_base import AlertStore
from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)

LEASE_NAME = "alerts"


class Leadership:
    """Run `lead()` while this replica holds the lease; cancel it when the lease is lost."""

    def __init__(
        self,
        *,
        store: AlertStore,
        holder: str,
        lease_seconds: float,
        clock: Callable[[], datetime],
        name: str = LEASE_NAME,
    ) -> None:
        self.store = store
        self.holder = holder
        self.lease = timedelta(seconds=lease_seconds)
        self.clock = clock
        self.name = name
        self.leading = asyncio.Event()
        self._held_until: datetime | None = None

    async def run(self, lead: Callable[[], Awaitable[None]]) -> None:
        """Until cancelled; the lease is given up on the way out (graceful shutdown)."""
        task: asyncio.Task[None] | None = None
        try:
            while True:
                task = await self._round(await self._try(), task, lead)
                await asyncio.sleep(self.lease.total_seconds() / 3)
        finally:
            if task is not None:
                await _cancel(task)
            self.leading.clear()
            if self._held_until is not None:
                with contextlib.suppress(StoreUnavailable):
                    await self.store.release_lease(self.name, self.holder, now=self.clock())

    async def _round(
        self, holding: bool, task: asyncio.Task[None] | None, lead: Callable[[], Awaitable[None]]
    ) -> asyncio.Task[None] | None:
        """Start the work on taking the lease (again, if it stopped on an error), stop it on losing it."""
        if holding and task is not None and task.done():
            task = None  # the work stopped on an error (logged): start it again
        if holding and task is None:
            log.info("leading: this replica now watches and posts alerts (%s)", self.holder)
            self.leading.set()
            return asyncio.get_running_loop().create_task(_logged(lead))
        if not holding and task is not None:
            log.warning("lost the alert lease; another replica watches and posts now")
            await _cancel(task)
            self.leading.clear()
            return None
        return task

    async def _try(self) -> bool:
        now = self.clock()
        try:
            held = await self.store.acquire_lease(
                self.name, self.holder, now=now, until=now + self.lease
            )
        except StoreUnavailable as exc:
            log.warning("cannot renew the alert lease: %s", exc)
            # keep leading only while the lease we hold has a safe margin left
            return self._held_until is not None and now < self._held_until - self.lease / 3
        self._held_until = now + self.lease if held else None
        return held


async def _logged(lead: Callable[[], Awaitable[None]]) -> None:
    try:
        await lead()
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("leader work stopped")


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
