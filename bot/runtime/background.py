"""Work that runs after a listener returned, bounded so a burst cannot starve the acks.

Listeners ack and hand their work here; bolt answers Slack as soon as they
return. At most `concurrency` pieces run at once: the rest wait without
using the CPU, so a burst of diagnoses does not delay the acks of requests
still arriving. Every task is tracked, for a graceful shutdown (`drain`)
and for tests that wait until the bot is quiet (`idle`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")


class Background:
    """Bounded, tracked background tasks of one running bot."""

    def __init__(self, *, concurrency: int) -> None:
        self.concurrency = concurrency
        self.tasks: set[asyncio.Task[None]] = set()
        self._slots: asyncio.Semaphore | None = None  # made on first use, inside the running loop

    def spawn(self, work: Coroutine[Any, Any, None], *, bounded: bool = True) -> None:
        """Run `work` in the background (when a slot is free, unless not `bounded`: a short reply that
        must not wait behind diagnoses) and keep track of it."""
        if self._slots is None:
            self._slots = asyncio.Semaphore(self.concurrency)
        task = asyncio.get_running_loop().create_task(
            self._bounded(self._slots, work) if bounded else work
        )
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    async def within(self, work: Awaitable[T], seconds: float, *, what: str) -> T | None:
        """`work`'s result when it is done within `seconds`; otherwise it goes on here, in the
        background (a chat that waits only so long for a click's answer), and None."""
        task = asyncio.ensure_future(work)
        try:
            return await asyncio.wait_for(asyncio.shield(task), seconds)
        except TimeoutError:
            self.spawn(_finish(task, what), bounded=False)
            return None

    @staticmethod
    async def _bounded(slots: asyncio.Semaphore, work: Coroutine[Any, Any, None]) -> None:
        async with slots:
            await work

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background work failed", exc_info=task.exception())

    async def drain(self, timeout: float) -> None:
        """Wait (bounded) for in-flight work, as a graceful shutdown does: also for work that
        arrives meanwhile (a request the Service sent before it saw this replica go unready)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.tasks and (left := deadline - asyncio.get_running_loop().time()) > 0:
            await asyncio.wait(set(self.tasks), timeout=left)

    async def idle(self, timeout: float = 10.0) -> None:
        """Wait until no work is left, including work spawned by work (TimeoutError past `timeout`)."""
        async with asyncio.timeout(timeout):
            while self.tasks:
                await asyncio.wait(set(self.tasks))


async def _finish(task: asyncio.Future[Any], what: str) -> None:
    try:
        await task
    except Exception:
        log.exception("%s finished in the background failed", what)
