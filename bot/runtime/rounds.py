"""A leader's loop: one round of work, again and again, at once when poked, else every tick.

A round that fails is logged and the next one comes: the database away (StoreUnavailable, a
warning) or a bug (an error with its traceback) never ends the loop, which runs until its task is
cancelled (the lease lost, shutdown) or `stop` is set.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)


async def rounds(
    work: Callable[[], Awaitable[object]],
    *,
    poke: asyncio.Event,
    tick: float,
    what: str,
    stop: asyncio.Event | None = None,
) -> None:
    """`work()` until `stop` (or cancelled); a set `poke` starts the next round at once."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        poke.clear()
        try:
            await work()
        except StoreUnavailable as exc:
            log.warning("%s skipped: %s", what, exc)
        except Exception:
            log.exception("%s round failed", what)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(first_of(stop, poke), timeout=tick)


async def first_of(*events: asyncio.Event) -> None:
    """Return when any of `events` is set."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for wait in waits:
            wait.cancel()
