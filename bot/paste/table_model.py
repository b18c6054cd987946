"""What a `kubectl get` table reading works with: the header, a row's cells, the table's block.

A table reading (`TableReading`) says which tables it reads by their header and what it does
with them: `row` reads each row of its tables into facts, `failing` says what a failing row
of any other table shows, `finish` looks at the whole table once its rows are read.  They are
listed, in order, in `bot.paste.registry.TABLE_READINGS`; bot.paste.tables runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.cluster.outputs.table import Header
from bot.paste import events as event_rows
from bot.paste.model import Block, Subject
from intents.facts.model import NodeFacts, PodFacts


@dataclass(frozen=True)
class HealthyRow:
    """A healthy pod, node or claim row: the sections it shows (no facts kept)."""

    sections: frozenset[str]
    steady_pod: str | None = None
    """A pod row Running, every container ready, never restarted: its name (bot.paste.ready_since)."""
    settled: str | None = None
    """The name of a node row Ready or of a steady pod row: a later look at an object that may
    have failed before (bot.paste.readings.latest_rows)."""


Row = Subject | event_rows.PastedEvent | HealthyRow | None
"""A row read as a subject, an event, a healthy row (no facts kept), or nothing."""


@dataclass(frozen=True)
class Listed:
    """The names a `get services` or `get pvc` table lists (bot.paste.readings.quota_room)."""

    resource: str
    names: frozenset[str]


@dataclass
class TableBlock(Block):
    """A table, with what a later look across the paste may revise: its rows' subjects and events."""

    first_row: int = 0
    """The line of the first row (the header's, for rows pasted without one)."""
    rows_failing: bool = False
    """A row that is no subject or event shows a failure."""
    object_subjects: list[Subject] = field(default_factory=list)
    subject_lines: list[int] = field(default_factory=list)
    """The line of each of `object_subjects`, in the same order."""
    event_rows: list[tuple[int, event_rows.PastedEvent]] = field(default_factory=list)
    steady_pods: set[str] = field(default_factory=set)
    """Pods a `get pods` table shows Running, every container ready, never restarted."""
    settled_rows: list[tuple[int, str]] = field(default_factory=list)
    """(line, name) of each node row Ready and each pod row steady (bot.paste.readings.latest_rows)."""

    def add_subject(self, subject: Subject, line: int) -> None:
        self.object_subjects.append(subject)
        self.subject_lines.append(line)

    def forget_rows(self, lines: set[int]) -> None:
        """Drop the object rows on `lines`, whose failure the paste shows the object got past
        (bot.paste.readings.latest_rows): they are quiet, and the block is settled again."""
        keep = [line not in lines for line in self.subject_lines]
        if all(keep):
            return
        self.quiet.update(lines)
        from_events = self.subjects[len(self.object_subjects) :]
        self.object_subjects = [
            s for s, kept in zip(self.object_subjects, keep, strict=True) if kept
        ]
        self.subject_lines = [
            line for line, kept in zip(self.subject_lines, keep, strict=True) if kept
        ]
        self.subjects = self.object_subjects + from_events
        self.resettle()

    def resettle(self) -> None:
        """Judge the block again after rows were dropped."""
        self.healthy = not self.rows_failing
        self.settle()


def failing_subject(label: str, shape: str, facts: PodFacts | NodeFacts) -> Subject:
    """A failing row's subject: the facts it shows, no section (its absence refutes nothing)."""
    return Subject(label, shape, facts, set(), False)


RowReader = Callable[[str, Header, str], Row]
FailingRow = Callable[[str, Header, str], Subject | None]
Finish = Callable[[TableBlock, Sequence[str], Header], None]


@dataclass(frozen=True)
class TableReading:
    """One kind of `kubectl get` table (by its header), and what is read from it."""

    name: str
    fits: Callable[[Header], bool]
    yields: frozenset[str] = frozenset()
    row: RowReader | None = None
    """Reads every row of the table (the first fitting reading that has one)."""
    failing: FailingRow | None = None
    """What a failing row of a table no `row` reads shows (the first fitting one that says)."""
    finish: Finish | None = None
    """A look at the whole table once its rows are read (every fitting one, in order)."""
