"""What a reading is: one shape of kubectl (or component) output, how to spot it, what it yields.

A paste is read top to bottom.  At each line the readings of `bot.paste.registry.READINGS`
are asked in their order: `may_start` is a cheap look at the line (a prefix, a character),
`read` reads the block that starts there, or says it is not one (None).  The first reading
whose `read` answers takes the line, so the order in the registry is the order of
precedence, and nothing else decides it.  Once every block is read, the after-readings
(`AFTER_READINGS`) look across the whole paste in their declared order (a `kubectl get
storageclass` says whether a claim's class exists; a later snapshot of a table says an
earlier row is history).

`yields` names the typed facts a reading fills (`PodFacts.containers`, `NodeFacts.taints`,
...); a test holds every reading to it (tests/readings).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.paste.model import Block, PastedFacts, Subject


@dataclass(frozen=True)
class Consumed:
    """Lines a reading took without finding anything to keep (broken JSON, YAML of no kind
    it knows): the scan goes on after them, and no other reading sees them."""

    end: int


class Offsets:
    """Where each line of the cleaned paste starts (lines are cut for reading, offsets are not);
    worked out once, on first use: only JSON, decoded from the text itself, needs them."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] = []

    def of(self, number: int) -> int:
        if not self._starts:
            self._starts.append(0)
            at = self.text.find("\n")
            while at >= 0:
                self._starts.append(at + 1)
                at = self.text.find("\n", at + 1)
        return self._starts[number]


@dataclass(slots=True)
class At:
    """Where the scan stands: the paste's lines, the current line's number, and the line stripped."""

    lines: list[str]
    number: int
    stripped: str
    offsets: Offsets

    @property
    def line(self) -> str:
        return self.lines[self.number]


Read = Block | Consumed | None
"""A reading's answer: the block it read, lines it took for nothing, or None (not its shape)."""


@dataclass(frozen=True)
class Reading:
    """One shape a paste may hold, and how it is read."""

    name: str
    may_start: Callable[[At], bool]
    """A cheap test of the line: False means `read` would find nothing here."""
    read: Callable[[At], Read]
    yields: frozenset[str]
    """The facts it fills, as `Class.field` (PodFacts.containers, NodeFacts.conditions, ...)."""


@dataclass(frozen=True)
class AfterReading:
    """A look across everything read (several blocks at once), run after every block is read."""

    name: str
    run: Callable[[PastedFacts], None]
    reads: str
    """What it looks at, in a few words."""


def filled(subject: Subject) -> frozenset[str]:
    """The facts a subject holds, as `Class.field` for every field not at its default."""
    facts = subject.facts
    kind = type(facts).__name__
    found = set()
    for spec in dataclasses.fields(facts):
        value = getattr(facts, spec.name)
        default = (
            spec.default_factory()
            if spec.default_factory is not dataclasses.MISSING
            else spec.default
        )
        if spec.name not in ("namespace", "name") and value != default:
            found.add(f"{kind}.{spec.name}")
    return frozenset(found)


def scan(text: str, lines: list[str], readings: Sequence[Reading], limit: int) -> list[Block]:
    """Every block the readings find in the paste, in order (at most `limit` lines looked at)."""
    blocks: list[Block] = []
    offsets = Offsets(text)
    number = 0
    while number < min(len(lines), limit):
        stripped = lines[number].strip()
        found = _first(At(lines, number, stripped, offsets), readings) if stripped else None
        if isinstance(found, Block) and found.end > number:
            blocks.append(found)
            number = found.end
        elif isinstance(found, Consumed):
            number = max(found.end, number + 1)
        else:
            number += 1
    return blocks


def _first(at: At, readings: Sequence[Reading]) -> Read:
    for reading in readings:
        if reading.may_start(at):
            found = reading.read(at)
            if found is not None:
                if isinstance(found, Block):
                    found.reading = found.reading or reading.name
                return found
    return None
