"""How many times one pasted message is redacted on its way through the real bot, and where.

The bot (Slack stand-in, a SQLite file) answers one pasted message (the OOMKilled describe of
examples/pastes/); every call of the redaction entry point is counted by the module and function
that made it, and so is every full pass (a call that reads the text, not one that finds it
`Redacted` already or remembered clean). Issue 69 asked for one call per boundary instead of the
seven call sites a paste met.

Run from the project root:  .venv/bin/python -m bench.redact_calls
"""

from __future__ import annotations

import asyncio
import collections
import sys
import tempfile
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PASTE = (ROOT / "examples" / "pastes" / "oom-killed-describe.txt").read_text()


def _entry() -> ModuleType:
    """The module whose `redact` is the entry point (its place before issue 69, or now)."""
    try:
        from responses.redaction import entry
    except ImportError:  # the code before the room
        import responses.redact as entry  # type: ignore[import-not-found, no-redef]
    return entry


def _caller(frame: FrameType | None, entry: ModuleType) -> str:
    while frame is not None and frame.f_code.co_filename == entry.__file__:
        frame = frame.f_back
    if frame is None:
        return "?"
    path = Path(frame.f_code.co_filename)
    if not path.is_relative_to(ROOT):  # a thread's own frame: asyncio.to_thread ran the call
        return "a worker thread (asyncio.to_thread)"
    return f"{path.relative_to(ROOT)}:{frame.f_code.co_name}"


def counted() -> tuple[collections.Counter[str], list[int]]:
    """Calls by call site, and [full passes]: while one paste is answered."""
    entry = _entry()
    calls: collections.Counter[str] = collections.Counter()
    passes = [0]
    known, once = entry.known_clean, entry._redact_once

    def counting_known(text: str) -> Any:
        calls[_caller(sys._getframe(1), entry)] += 1
        return known(text)

    def counting_once(text: str) -> Any:
        passes[0] += 1
        return once(text)

    entry.known_clean, entry._redact_once = counting_known, counting_once
    asyncio.run(_answer(calls, passes))
    return calls, passes


async def _answer(calls: collections.Counter[str], passes: list[int]) -> None:
    from tests.slack.harness import running_bot

    with tempfile.TemporaryDirectory() as scratch:
        async with running_bot(Path(scratch)) as bot:
            calls.clear()
            passes[0] = 0
            await bot.send(bot.requests.message("C0PASTE001", PASTE, ts="1710000000.000100"))
            await bot.slack.wait_for("chat.postMessage", timeout=60)
            await bot.settle()


def main() -> int:
    calls, passes = counted()
    print(f"{sum(calls.values())} calls from {len(calls)} call sites; {passes[0]} full passes\n")
    print("| call site | calls |\n|---|---|")
    for site, count in calls.most_common():
        print(f"| `{site}` | {count} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
