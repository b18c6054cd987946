"""One run for identical work in flight, and a short-lived cache of its result.

In an incident two hundred people may ask for the same pod within seconds.
Reading the cluster two hundred times tells nothing new and hammers the API
server, so the first ask runs and the others wait for its result; asks that
come within `ttl` seconds after it finished get the same result, with its
age, so the answer can say how fresh the evidence is. Failures are shared
with the asks waiting on them but never cached. The cache holds only what is
younger than `ttl` (the expired are dropped whenever a result is kept, not
only when asked for again) and at most `max_entries` (oldest dropped first):
a stream of distinct asks, each result holding its paste and its facts, costs
memory for the last `ttl` seconds only, never for every ask since start.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

V = TypeVar("V")
How = Literal["ran", "joined", "cached"]
"""How a result was got: this ask ran it, joined a run in flight, or found it cached."""


@dataclass(frozen=True)
class Shared(Generic[V]):
    """A result and how it was got; `age` is seconds since it was made (0 when just made)."""

    value: V
    how: How
    age: float = 0.0


class Coalescer(Generic[V]):
    """Runs each key once at a time and keeps its result `ttl` seconds."""

    def __init__(
        self, *, ttl: float, max_entries: int = 256, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._running: dict[Hashable, asyncio.Future[tuple[V, float]]] = {}
        self._done: OrderedDict[Hashable, tuple[V, float]] = OrderedDict()

    async def get(self, key: Hashable, make: Callable[[], Awaitable[V]]) -> Shared[V]:
        """The result for `key`: cached, from the run in flight, or from running `make` now."""
        cached = self._cached(key)
        if cached is not None:
            return cached
        running = self._running.get(key)
        if running is not None:
            value, _made = await asyncio.shield(running)
            return Shared(value, "joined")
        return Shared(await self._run(key, make), "ran")

    def _cached(self, key: Hashable) -> Shared[V] | None:
        entry = self._done.get(key)
        if entry is None:
            return None
        age = self.clock() - entry[1]
        if age > self.ttl:
            del self._done[key]
            return None
        return Shared(entry[0], "cached", age)

    async def _run(self, key: Hashable, make: Callable[[], Awaitable[V]]) -> V:
        future: asyncio.Future[tuple[V, float]] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            value = await make()
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody waiting is not an error
            raise
        finally:
            del self._running[key]
        made = self.clock()
        future.set_result((value, made))
        if self.ttl > 0:
            self._keep(key, value, made)
        return value

    def _keep(self, key: Hashable, value: V, made: float) -> None:
        self._done[key] = (value, made)
        self._done.move_to_end(key)
        while (
            len(self._done) > self.max_entries
            or made - next(iter(self._done.values()))[1] > self.ttl
        ):
            self._done.popitem(last=False)

    def __len__(self) -> int:
        return len(self._done)
