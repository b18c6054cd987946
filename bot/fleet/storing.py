"""The fleet's writes through a database restart: tried again, never dropped for a blip.

A PostgreSQL restart takes about a second. What an agent sends meanwhile (that it took a
request, its answer) is stored once the database is back, within `STORE_SECONDS`, instead of
being logged and lost while its asker waits; the asker's own reads wait it out the same way
(bot/fleet/remote.py). An answer is bounded before it is stored (`MAX_ANSWER_BYTES`): a larger
one is stored as a failure that says so, so its asker hears why.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

from bot.fleet.timing import FleetParts
from bot.fleet.wire import MAX_ANSWER_BYTES, Answer
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_records import OPEN_STATES

log = logging.getLogger(__name__)
T = TypeVar("T")

STORE_SECONDS = 30.0
"""How long a write is tried again while the database is unavailable."""
RETRY_STEPS = (0.1, 0.2, 0.5, 1.0, 2.0)
"""Seconds between attempts (the last one repeats)."""


async def store_retrying(
    parts: FleetParts, write: Callable[[], Awaitable[T]], *, seconds: float = STORE_SECONDS
) -> T:
    """`write()`, tried again while the database is unavailable, for up to `seconds` (then the
    StoreUnavailable of the last attempt)."""
    deadline = time.monotonic() + seconds
    attempt = 0
    while True:
        try:
            return await write()
        except StoreUnavailable:
            delay = RETRY_STEPS[min(attempt, len(RETRY_STEPS) - 1)]
            if time.monotonic() + delay > deadline:
                raise
            attempt += 1
            await asyncio.sleep(delay)


def bounded(answer: Answer) -> Answer:
    """`answer`, or a failure saying it was too large to keep."""
    size = len(answer.model_dump_json(exclude_none=True))
    if size <= MAX_ANSWER_BYTES:
        return answer
    return Answer(
        id=answer.id,
        outcome="failed",
        reason=f"the agent's answer was too large to keep ({size // 1024} KiB; the hub keeps "
        f"{MAX_ANSWER_BYTES // 1024} KiB at most)",
    )


async def store_answer(parts: FleetParts, cluster: str, answer: Answer) -> None:
    """Store `cluster`'s answer to its request (bounded, through a database restart) and wake its asker."""
    kept = bounded(answer)
    if kept is not answer:
        log.warning("agent of %s: answer to %s too large, stored as a failure", cluster, answer.id)
    stored = await store_retrying(
        parts,
        lambda: parts.store.move_request(
            answer.id,
            cluster=cluster,
            leaving=OPEN_STATES,
            to="done",
            now=parts.clock(),
            answer=kept.model_dump(mode="json"),
        ),
    )
    if not stored:
        log.info("agent of %s answered request %s, which is not open for it", cluster, answer.id)
    parts.answered(answer.id)
