"""What `kubectl describe` output of any kind shares: keyed lines, sections, the Events table.

describe writes `Key:  value` lines, sections whose entries follow on the
next lines (indented, unless Slack collapsed the spacing), and ends with an
Events table.  These readers work on the stripped line so they do not
depend on indentation.
"""

from __future__ import annotations

from dataclasses import replace

from bot.cluster.outputs.events import offsets_row
from bot.cluster.outputs.table import columns_of
from bot.evidence.common import event_facts
from bot.evidence.health import event_healthy
from bot.evidence.history import creations_got_past, probes_got_past, scheduling_got_past
from bot.paste.events import describe_row
from bot.paste.model import EVENTS, POD_EVENTS
from bot.paste.text import is_command
from intents.facts.model import EventFacts
from intents.lazy_re import lazy_compile

MAX_CONTINUATION = 20
"""Lines of one event's multi-line message (kubectl prints a message's newlines as they are)."""
_NEW_SHAPE = ("Name:", "NAME ", "NAMESPACE ", "LAST SEEN", "apiVersion:", "kind:", "{", "[")

_KEY = lazy_compile(r"[A-Z][A-Za-z0-9 ()/-]{0,40}")
_EVENT_HEADER = lazy_compile(r"^Type\s+Reason\s+Age\s+From\s+Message$")
_DASHES = lazy_compile(r"^-{2,}(?:\s+-{2,})+$")


def keyed(stripped: str) -> tuple[str, str] | None:
    """`Restart Count:  3` -> ("Restart Count", "3")."""
    key, colon, value = stripped.partition(":")
    if not colon or (value and value[0] not in " \t") or _KEY.fullmatch(key) is None:
        return None
    return key, value.strip()


def is_event_header(stripped: str) -> bool:
    return _EVENT_HEADER.match(stripped) is not None


def is_dashes(stripped: str) -> bool:
    return _DASHES.match(stripped) is not None


class EventsReader:
    """Reads an Events table (header, dashes, rows) for one described object."""

    def __init__(self, kind: str, name: str) -> None:
        self.kind, self.name = kind, name
        self.layout: tuple[tuple[str, int], ...] | None = None
        self.events: list[EventFacts] = []
        self.healthy = True
        self.continued = 0
        self.numbers: list[int | None] = []
        """The paste line of each event, when the caller numbers its lines."""

    def header(self, line: str) -> None:
        self.layout = columns_of(line).layout

    def read(self, line: str, number: int | None = None) -> bool | None:
        """Read any line of the table: True when it is quiet (header, dashes, a healthy row or its
        continuation), False for a failure's row, None when the line is not part of the table."""
        stripped = line.strip()
        if is_event_header(stripped):
            self.header(line)
        if is_event_header(stripped) or is_dashes(stripped):
            return True
        healthy = self.row(line, number)
        return self.continuation(line) if healthy is None else healthy

    def row(self, line: str, number: int | None = None) -> bool | None:
        """Read one row: True healthy, False a failure, None not an event row."""
        event = self._by_offsets(line) or describe_row(line.strip(), kind=self.kind, name=self.name)
        if event is None:
            return None
        self.events.append(event)
        self.numbers.append(number)
        self.continued = 0
        healthy = event_healthy(event)
        self.healthy = self.healthy and healthy
        return healthy

    @property
    def unrefuting(self) -> frozenset[str]:
        """The Events sections when a failure's message ends inside a quoted name (an odd count
        of double quotes: the terminal or the user cut the row): what the table lacks was maybe
        only cut off, so its absence refutes nothing."""
        cut = any(e.message.count('"') % 2 for e in self.events if not event_healthy(e))
        return frozenset({EVENTS, POD_EVENTS}) if cut else frozenset()

    def settle(self, *, steady: bool = False) -> set[int]:
        """Drop the failures the object got past (a pod's scheduling, bot.evidence.history; a
        controller's pod creations, bot.evidence.history; a `steady` pod's start-up probes,
        bot.paste.ready_since); their lines, now quiet.  describe lists an object's events oldest
        first: a row's place is its time."""
        order = list(range(len(self.events)))
        gone = scheduling_got_past(self.events, order) | creations_got_past(self.events, order)
        if steady:
            gone |= probes_got_past(self.events)
        if not gone:
            return set()
        lines = {
            number for at, number in enumerate(self.numbers) if at in gone and number is not None
        }
        self.events = [e for at, e in enumerate(self.events) if at not in gone]
        self.numbers = [n for at, n in enumerate(self.numbers) if at not in gone]
        self.healthy = all(event_healthy(e) for e in self.events)
        return lines

    def continuation(self, line: str) -> bool | None:
        """Read a line of the last event's multi-line message: healthy or not, None if it is not one."""
        stripped = line.strip()
        if (
            not self.events
            or self.continued >= MAX_CONTINUATION
            or is_command(line)
            or stripped.startswith(_NEW_SHAPE)
        ):
            return None
        last = self.events[-1]
        self.events[-1] = replace(last, message=f"{last.message} {stripped}"[:2000])
        self.continued += 1
        healthy = event_healthy(self.events[-1])
        self.healthy = self.healthy and healthy
        return healthy

    def _by_offsets(self, line: str) -> EventFacts | None:
        found = offsets_row(line, self.layout, {"kind": self.kind, "name": self.name})
        return event_facts(found) if found is not None else None
