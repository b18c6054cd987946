"""Wait for a condition instead of sleeping on a guess: returns as soon as it holds, fails loudly if it never does."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

POLL = 0.01
PATIENCE = 300.0
"""How long any wait in the tests polls before it fails: minutes, so that a machine at load 10
(the suite run twice at once on 2 cores, or `stress --cpu 8`) only makes a test slower, never
red. It is there to stop a hung run, not to time the product: a speed target is a benchmark's
(bench/), never a test's."""


async def until(
    condition: Callable[[], bool | Awaitable[bool]], *, what: str, timeout: float = PATIENCE
) -> None:
    """Poll `condition` (sync or async) until it is true; AssertionError naming `what` after `timeout` s."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = condition()
        if inspect.isawaitable(value):
            value = await value
        if value:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(POLL)
