"""How much CPU reading one text may cost, and the one line the asker gets when it runs out.

Redaction and matching run on worker threads (asyncio.to_thread), never on the event loop;
every regex on the text is linear in it (RE2 for the catalog's, proven patterns for Python's
`re`: tests/hardening/test_regex_linear.py), so one call is short. `within_budget` bounds the
sum: a text that costs more than its CPU seconds stops within a few regex calls (the clock is
read once a window of them, intents.text_budget) and is answered "too costly to read"
(`TooCostly`, one line in every chat, MCP and the CLI's exit 2), once:
its durable work is finished like any answered ask, so a restart never reads it again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from bot.command_settings import TEXT_CPU_SECONDS
from bot.errors import TooCostly, too_costly_to_read
from intents.text_budget import TooCostlyToRead, text_budget

Given = ParamSpec("Given")
Result = TypeVar("Result")
__all__ = ["TEXT_CPU_SECONDS", "TooCostly", "within_budget"]


def within_budget(
    seconds: float, read: Callable[Given, Result], *args: Given.args, **kwargs: Given.kwargs
) -> Result:
    """`read(*args, **kwargs)` within `seconds` of this thread's CPU; TooCostly past them."""
    try:
        with text_budget(seconds):
            return read(*args, **kwargs)
    except TooCostlyToRead as exc:
        raise TooCostly(too_costly_to_read(exc.seconds)) from None
