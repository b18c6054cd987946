"""A JSON value cut short by the paste (`kubectl get -o json | head`, an issue trimmed by hand).

People paste the first screen of `-o json` and stop: the text opens an object it
never closes, so no decoder reads it and the fields it does show
(`deletionTimestamp`, `phase`, a condition) are lost.  `cut_value` finds the
last line where the value could have ended, closes the brackets still open
there, and decodes that: the fields shown are read as fields.  A value that
closes before its block ends is not cut short (it is broken), and a block
whose end is inside a string is read up to the line before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

MAX_TRIES = 8
"""Line ends tried, from the last one backwards."""
MAX_CUT_CHARS = 100_000
_CLOSERS = {"{": "}", "[": "]"}


@dataclass(frozen=True)
class Cut:
    """What was read from a value cut short, and where the text it came from ends."""

    value: Any
    end: int
    """Offset (in the text given) after the last line read."""


def cut_short(text: str, start: int, error_at: int) -> bool:
    """The decoder failed where a value cut short fails: on the block's last line or past the
    blank line that ends it (so every line before read as JSON).  A failure earlier in the block
    is broken JSON, and no cut is tried (which keeps a paste of many broken values linear)."""
    if text.find("\n\n", start, error_at) >= 0:
        return True
    line_end = text.find("\n", error_at)
    if line_end < 0 or text.startswith("\n", line_end + 1):
        return True
    rest = text[line_end : line_end + 1001]
    return len(rest) <= 1000 and not rest.strip()  # only blank space after that line


def block_end(text: str, start: int) -> int:
    """The end of the lines from `start` up to the first blank line (or the end of the text)."""
    blank = text.find("\n\n", start)
    return min(len(text), start + MAX_CUT_CHARS) if blank < 0 else min(blank, start + MAX_CUT_CHARS)


def _line_states(text: str, start: int, end: int) -> list[tuple[int, str]] | None:
    """(offset of each line end, brackets open there) for line ends outside a string; None when the
    value closes before `end` (then it is not cut short)."""
    states: list[tuple[int, str]] = []
    stack: list[str] = []
    in_string = escaped = False
    for position in range(start, end):
        char = text[position]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
            elif char == "\n":
                return None  # a raw newline inside a string: not JSON at all
            continue
        if char == '"':
            in_string = True
        elif char in _CLOSERS:
            stack.append(_CLOSERS[char])
        elif char in "}]":
            if not stack or stack.pop() != char:
                return None
            if not stack:
                return None
        elif char == "\n":
            states.append((position, "".join(reversed(stack))))
    if not in_string:
        states.append((end, "".join(reversed(stack))))
    return states


def cut_value(text: str, start: int) -> Cut | None:
    """The JSON value starting at `start` read up to where the paste stops, or None (callers
    first check `cut_short`: the scan reads the whole block)."""
    end = block_end(text, start)
    states = _line_states(text, start, end)
    if not states:
        return None
    for line_end, closers in reversed(states[-MAX_TRIES:]):
        body = text[start:line_end].rstrip().removesuffix(",")
        if not closers or body.endswith(":"):
            continue
        try:
            return Cut(json.loads(body + closers), line_end)
        except (ValueError, RecursionError):
            continue
    return None
