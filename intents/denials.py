"""What a paste says is not so: a failure denied or contrasted away, and what that leaves.

People paste a failure's words while saying it is not the failure: "exit code 137 but describe
shows no OOMKilled", "it is not a memory problem, usage is far below the limit", "the liveness
probe passes when I curl it". The words still match the denied entry, often outright. Each row
of the table names the denied entries and, where the catalog has one, the entry for what remains
(a SIGKILL that was no OOM kill is exit-code-137-sigkill): the decision's `denied` rule lowers the
denied entries, and `what remains` raises the remaining one to medium when the paste matched it
at all and shows what it needs (`when`).

The table is data (intents/denials.json, as the message formats are): no catalog id is written
in code. A denial is read in words someone wrote (single spaces, no clock time, not a line a
message format reads): a component does not deny its own message. Doubt is no denial: "not sure
why it was OOMKilled", "no idea", "I don't know" are left alone.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from intents.lazy_re import LazyPattern, lazy_compile
from intents.messages.reader import MessageGrammar

DATA = Path(__file__).parent / "denials.json"
"""The denials, as data: which words deny which entries, and what that leaves."""
_DOUBT = lazy_compile(
    r"\b(?:not (?:sure|certain|clear)|no (?:idea|clue)|(?:do|did)n'?t (?:know|understand)"
    r"|not knowing|wonder(?:ing)?|why)\b",
    flags=re.IGNORECASE,
)
_STAMP = lazy_compile(r"\d\d:\d\d:\d\d")
_WORD = lazy_compile(r"[A-Za-z]{2,}")
_NAMED = re.compile(r"\{([A-Z_0-9]+)\}")


@dataclass(frozen=True)
class Denial:
    """One way of saying an entry is not the problem."""

    name: str
    """What is denied, for the trace ("no OOM kill")."""
    pattern: LazyPattern
    denies: tuple[str, ...]
    instead: tuple[str, ...] = ()
    """Entries for what remains, raised when the paste matched them and shows `when`."""
    when: LazyPattern | None = None


def _expand(pattern: str, words: dict[str, str]) -> str:
    """`{NAME}` replaced by the named words (themselves expanded)."""
    for _ in range(len(words) + 1):
        expanded = _NAMED.sub(lambda found: words.get(found.group(1), found.group(0)), pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    raise ValueError(f"{DATA.name}: the named words refer to each other in a circle")


@cache
def denials() -> tuple[Denial, ...]:
    """Every denial the decision reads, in the order they are tried (read once)."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    words = data["words"]

    def pattern(text: str) -> LazyPattern:
        return lazy_compile(_expand(text, words), flags=re.IGNORECASE)

    return tuple(
        Denial(
            row["name"],
            pattern(row["pattern"]),
            tuple(row["denies"]),
            tuple(row.get("instead", ())),
            pattern(row["when"]) if row.get("when") else None,
        )
        for row in data["denials"]
    )


@cache
def _any_denial() -> LazyPattern:
    """Every denial's pattern in one, line by line (`$` at each line's end): a paste it does not
    find anywhere denies nothing (one search of the whole paste, most pastes stop there)."""
    return lazy_compile(
        "|".join(f"(?:{denial.pattern.pattern})" for denial in denials()),
        flags=re.IGNORECASE | re.MULTILINE,
    )


def written(words: str) -> bool:
    """Words someone wrote: in single spaces, no clock time, at least three of them."""
    stripped = words.strip()
    return (
        "  " not in stripped and not _STAMP.search(stripped) and len(_WORD.findall(stripped)) >= 3
    )


def _denies(text: str, match: re.Match[str]) -> bool:
    """A denial's words stand in written words, undoubted, in no component's own message (a
    component's own words deny nothing)."""
    around = text[max(0, match.start() - MAX_AROUND) : match.end() + MAX_AROUND]
    return (
        written(around)
        and not _DOUBT.search(text[max(0, match.start() - MAX_AROUND) : match.end()])
        and MessageGrammar.default().read(text.strip()) is None
    )


def denied_in(texts: Iterable[str]) -> list[tuple[Denial, str]]:
    """Each denial the paste's written words make, with the words that make it (once each). A
    line's neighbourhood of the denial (`MAX_AROUND` characters each side) must read as written."""
    lines = list(texts)
    if not _any_denial().search("\n".join(lines)):
        return []
    found: dict[str, tuple[Denial, str]] = {}
    for text in lines:
        lowered = text.lower()
        if not any(word in lowered for word in _HINTS):
            continue
        for denial in denials():
            if denial.name in found:
                continue
            match = denial.pattern.search(text)
            if match is not None and _denies(text, match):
                found[denial.name] = (denial, match.group(0))
    return list(found.values())


MAX_AROUND = 30
_HINTS = (
    "no",
    "not",
    "never",
    "n't",
    "without",
    "pass",
    "succeed",
    "work",
    "fine",
    "ok",
    "valid",
    "false",
    "normal",
    "healthy",
    "clean",
    "good",
    "correct",
    "low",
    "below",
    "restart",
    "resolve",
)
"""A text holding none of these denies nothing (most log and table lines): no pattern is tried."""
