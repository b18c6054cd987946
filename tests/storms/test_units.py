"""The coalescer and the token buckets on a stepped clock (no sleeping)."""

from __future__ import annotations

import asyncio

import pytest

from bot.answering.ratelimit import TokenBuckets
from bot.runtime.coalescing import Coalescer


class Stepped:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_failure_is_shared_with_the_asks_waiting_but_never_cached() -> None:
    async def scenario() -> None:
        clock, runs = Stepped(), []
        shared: Coalescer[str] = Coalescer(ttl=20, clock=clock)
        gate = asyncio.Event()

        async def failing() -> str:
            runs.append("run")
            await gate.wait()
            raise LookupError("pod not found")

        asks = [asyncio.ensure_future(shared.get("pod", failing)) for _ in range(3)]
        await asyncio.sleep(0)
        gate.set()
        outcomes = await asyncio.gather(*asks, return_exceptions=True)
        assert [type(o) for o in outcomes] == [LookupError] * 3 and runs == ["run"]
        with pytest.raises(LookupError):
            await shared.get("pod", failing)  # not cached: run again
        assert runs == ["run", "run"]

    asyncio.run(scenario())


def test_results_age_out_and_the_cache_stays_bounded() -> None:
    async def scenario() -> None:
        clock = Stepped()
        shared: Coalescer[int] = Coalescer(ttl=20, max_entries=2, clock=clock)

        async def make(n: int) -> int:
            return n

        assert (await shared.get("a", lambda: make(1))).how == "ran"
        clock.now += 7
        again = await shared.get("a", lambda: make(2))
        assert (again.value, again.how, again.age) == (1, "cached", 7)
        clock.now += 14  # 21 s old: past the window
        assert (await shared.get("a", lambda: make(3))).value == 3
        for key in "bcd":
            await shared.get(key, lambda: make(0))
        assert len(shared) == 2
        clock.now += 21
        await shared.get("e", lambda: make(0))
        assert len(shared) == 1  # the expired went when "e" was kept, though nobody asked for them

    asyncio.run(scenario())


def test_a_bucket_refills_continuously_and_says_when() -> None:
    clock = Stepped()
    buckets = TokenBuckets(6, clock=clock)  # one token every 10 s
    assert [buckets.allow("U1") for _ in range(7)] == [True] * 6 + [False]
    assert buckets.retry_after("U1") == 10
    clock.now += 10
    assert buckets.allow("U1") and not buckets.allow("U1")
    assert buckets.allow("U2")  # another key has its own bucket


def test_full_buckets_are_forgotten() -> None:
    clock = Stepped()
    buckets = TokenBuckets(60, clock=clock)
    for n in range(3000):
        buckets.allow(f"C{n}")
        clock.now += 0.1
    assert len(buckets) < 2100  # a bucket refills in 1 s here; old ones are swept
