"""How much CPU reading one text may cost, and the one line the asker gets when it runs out.

Every text from outside (a paste, an alert, a page, an activity, an agent's message) is read,
redacted and matched by `off_loop`: on asyncio's worker threads (the one bounded pool
`asyncio.to_thread` uses), never on the event loop, so /healthz and every other request are
answered meanwhile; every regex on the text is linear in it and so is every whole reader
(tests/hardening/test_regex_linear.py, test_whole_linear.py). `within_budget` bounds the sum: a
text that costs more than its CPU seconds stops within a window of regex calls (the clock is
read once a window, intents.text_budget) and is answered "too costly to read" (`TooCostly`,
one line in every chat, MCP and the CLI's exit 2; a webhook's 413), once: its durable work is
finished like any answered ask, so a restart never reads it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from bot.command_settings import TEXT_CPU_SECONDS
from bot.errors import TooCostly, too_costly_to_read
from intents.text_budget import TooCostlyToRead, text_budget

Given = ParamSpec("Given")
Result = TypeVar("Result")
__all__ = ["TEXT_CPU_SECONDS", "TooCostly", "off_loop", "within_budget"]


def within_budget(
    seconds: float, read: Callable[Given, Result], *args: Given.args, **kwargs: Given.kwargs
) -> Result:
    """`read(*args, **kwargs)` within `seconds` of this thread's CPU; TooCostly past them."""
    try:
        with text_budget(seconds):
            return read(*args, **kwargs)
    except TooCostlyToRead as exc:
        raise TooCostly(too_costly_to_read(exc.seconds)) from None


async def off_loop(
    seconds: float, read: Callable[Given, Result], *args: Given.args, **kwargs: Given.kwargs
) -> Result:
    """`within_budget(seconds, read, ...)` on a worker thread: what reads outside text."""
    import asyncio  # here: `kubemedic match` reads its paste within budget and starts without it

    return await asyncio.to_thread(lambda: within_budget(seconds, read, *args, **kwargs))
