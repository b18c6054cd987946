"""Group commit: items submitted together are written in one call, each caller awaiting its own result.

In a burst, callers (acks, alert deliveries, finished work) wait for one
transaction instead of queueing for the database's write lock one by one.
Items submitted while a batch is being written form the next batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class GroupCommit(Generic[Item, Result]):
    """Batches `submit` calls into calls of `write`, which returns one result per item, in order.

    An error raised by `write` is raised to every caller of that batch. A caller
    that went away (its wait cancelled) is skipped.
    """

    def __init__(self, write: Callable[[list[Item]], Awaitable[list[Result]]]) -> None:
        self._write = write
        self._arriving: list[tuple[Item, asyncio.Future[Result]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        """Write `item` with whatever else arrives at the same time; its result."""
        return await self.add(item)

    def add(self, item: Item) -> asyncio.Future[Result]:
        """Queue `item` for the next batch without waiting: its result, when written. Items are written
        in the order they were added (a later item never in an earlier batch)."""
        loop = asyncio.get_running_loop()
        arrived: asyncio.Future[Result] = loop.create_future()
        self._arriving.append((item, arrived))
        if self._writing is None or self._writing.done():
            self._writing = loop.create_task(self._write_arrivals())
        return arrived

    async def _write_arrivals(self) -> None:
        while self._arriving:
            await asyncio.sleep(0)  # let the items being read right now join this batch
            batch, self._arriving = self._arriving, []
            try:
                results = await self._write([item for item, _ in batch])
            except Exception as exc:  # noqa: BLE001 - every waiter of the batch hears it
                for _, arrived in batch:
                    if not arrived.done():
                        arrived.set_exception(exc)
                continue
            for (_, arrived), result in zip(batch, results, strict=True):
                if not arrived.done():
                    arrived.set_result(result)
