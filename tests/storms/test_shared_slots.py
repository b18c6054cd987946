"""Issue 51 item 8: the worker processes of one replica share KUBEMEDIC_QUEUE_LIMIT's slots
(bot/runtime/slots.py). A worker admits up to the replica's whole limit; a slot another worker
gives back starts what waits in this one's line (instead of it being told busy); a worker started
in a dead one's place frees the dead one's slots. (End to end, with two real worker processes and
one kept-alive connection: tests/replicas/test_worker_processes.py.)"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.metrics import Metrics
from bot.runtime.background import Background
from bot.runtime.clock import utc_now
from bot.runtime.slots import SharedSlots
from bot.runtime.work import WorkQueue
from tests.remediation.conftest import sqlite_store
from tests.waiting import PATIENCE


def test_a_worker_takes_up_to_the_replicas_limit_and_a_replacement_frees_a_dead_ones_slots() -> (
    None
):
    shared = SharedSlots(2, limit=3)
    first, second = shared.of_worker(0), shared.of_worker(1)
    assert [first.take(), first.take(), first.take()] == [
        True,
        True,
        True,
    ]  # all of them, not a share
    assert not second.take() and second.free() == 0
    first.give_back()
    assert second.take() and shared.in_use() == 3
    shared.of_worker(0)  # worker 0 died; its replacement starts with nothing held
    assert shared.in_use() == 1 and first.free() == 2


async def test_a_slot_given_back_by_another_worker_starts_what_waits_in_line(
    tmp_path: Path,
) -> None:
    shared = SharedSlots(2, limit=1)
    async with sqlite_store(tmp_path) as store:
        queues = [
            WorkQueue(
                store=store,
                background=Background(concurrency=4),
                metrics=Metrics(),
                clock=utc_now,
                lease_seconds=15,
                limit=1,
                wait=5.0,
                slots=shared.of_worker(n),
                owner=f"worker-{n}",
            )
            for n in range(2)
        ]
        done = {name: asyncio.Event() for name in ("holder", "waiter")}
        release = asyncio.Event()
        told_busy: list[str] = []

        async def work(payload: dict[str, Any], _attempt: int) -> None:
            if payload["name"] == "holder":
                await release.wait()
            done[payload["name"]].set()

        async def busy(payload: dict[str, Any], _ahead: int, _retry: int) -> None:
            told_busy.append(payload["name"])

        for queue in queues:
            queue.handler("test")(work)
            queue.shedder("test")(busy)
        holder, waiter = queues
        assert await holder.submit("test", "holder", {"name": "holder"}, slot=holder.try_reserve())
        assert not waiter.try_reserve()  # the replica's one slot is taken, by the other worker
        assert await waiter.submit("test", "waiter", {"name": "waiter"}, slot=False)
        release.set()  # the other worker finishes and gives its slot back
        await asyncio.wait_for(done["waiter"].wait(), timeout=PATIENCE)
        assert told_busy == [] and done["holder"].is_set()
        await asyncio.sleep(0.1)
        assert shared.in_use() == 0
