"""Busy lines owed to shed requests: each told once, in order, a few per loop turn, a bounded number at once."""

from __future__ import annotations

import asyncio

from bot.runtime.background import Background
from bot.runtime.busy_notes import BusyNotes


def test_lines_are_told_once_in_order_a_few_per_turn_and_bounded_in_flight() -> None:
    async def scenario() -> None:
        background = Background(concurrency=4)
        told: list[int] = []
        in_flight = most_in_flight = 0
        release = asyncio.Event()

        async def tell(note: int) -> None:
            nonlocal in_flight, most_in_flight
            in_flight += 1
            most_in_flight = max(most_in_flight, in_flight)
            told.append(note)
            await release.wait()
            in_flight -= 1

        notes = BusyNotes(tell, background=background, concurrency=6, per_turn=2)
        for note in range(20):
            notes.add(note)  # never waits
        assert told == []  # nothing begun before the loop turns
        seen = []
        for _ in range(10):
            await asyncio.sleep(0)
            seen.append(len(told))
        assert all(
            0 <= later - earlier <= 2 for earlier, later in zip([0, *seen], seen, strict=False)
        )  # 2 a turn
        assert told == list(range(6)) and len(notes) == 14  # then no more than 6 at once
        release.set()
        await background.idle()
        assert told == list(range(20)) and most_in_flight == 6 and len(notes) == 0

    asyncio.run(scenario())


def test_a_failing_line_does_not_stop_the_others() -> None:
    async def scenario() -> None:
        background = Background(concurrency=4)
        told: list[int] = []

        async def tell(note: int) -> None:
            if note == 1:
                raise ConnectionError("slack went away")
            told.append(note)

        notes = BusyNotes(tell, background=background)
        for note in range(4):
            notes.add(note)
        await background.idle()
        assert told == [0, 2, 3]

    asyncio.run(scenario())
