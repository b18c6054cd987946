"""Where each output starts and ends in text no command line cuts: a paste, a ticket's file.

People paste outputs without their command lines and between their own sentences: a table's
header under "pods after the rollback:", rows without their header, a `describe` (or only its
Containers, or only its Events), YAML or JSON, a unit's status.  An output may start at any
line; each shape says where it ends, and the lines outside every output are text (chat, logs,
error lines).  One pass, each line looked at a bounded number of times.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.cluster.outputs.events import EVENT_TYPES, describe_row, get_row
from bot.cluster.outputs.row_pods import pod_from_row
from bot.cluster.outputs.table import (
    TOKEN_READERS,
    Header,
    default_header,
    read_header,
    split_row,
)
from intents.partial_json import cut_short, cut_value

TABLE, ROWS, DESCRIBE, EVENTS, MANIFEST, UNIT = (
    "table",
    "rows",
    "describe",
    "events",
    "manifest",
    "unit",
)
MAX_PART_LINES = 20_000
MAX_CONTINUATION = 20
"""Lines one event's message may run over (kubectl prints its newlines as they are)."""


@dataclass(frozen=True)
class Part:
    """Lines [start, stop) of one output of `shape`; `header`: the default header of rows
    pasted without theirs (shape ROWS)."""

    start: int
    stop: int
    shape: str
    header: Header | None = None


_KEY = re.compile(r"^([A-Z][A-Za-z0-9 ()/-]{0,40}):(?:[ \t]++(.*))?$")
_STATE_WORDS = ("Running", "Waiting", "Terminated")
_YAML_START = re.compile(r"^(?:apiVersion: \S|kind: [A-Z]|items:\s*$)")
_YAML_LINE = re.compile(r"^(?:[A-Za-z_][\w.-]{0,100}:(?: |$)|- |---|\.\.\.)")
_UNIT_START = re.compile(
    r"^(?:Status:\s*)?[\u25cf\u25cb\u00d7]\s*[\w@:.\\-]+\.service\b|^Service:\s+\S+\s*$"
)
_ACTIVE = re.compile(r"^\s*Active:\s+[a-z]")
_JOURNAL = re.compile(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d \S+ [\w.@-]+(?:\[\d+\])?: ")
_DASHES = re.compile(r"^-{2,}(?:\s+-{2,})+$")
_EVENT_HEADER = ("Type", "Reason", "Age", "From", "Message")
_NEW_SHAPE = ("Name:", "NAME ", "NAMESPACE ", "LAST SEEN", "apiVersion:", "kind:", "{", "[")
_MAYBE_ROW = re.compile(r"\s\d{1,4}/\d{1,4}\s|Ready|Unknown|\sNormal\s|\sWarning\s")
_HEADERLESS: tuple[Header, ...] = tuple(
    h
    for h in (
        default_header("pods", wide=False, labels=False, namespaced=False),
        default_header("pods", wide=False, labels=False, namespaced=True),
        default_header("nodes", wide=False, labels=False, namespaced=False),
        Header("events", ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), None),
        Header("events", ("NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), None),
    )
    if h is not None
)


def keyed(stripped: str) -> tuple[str, str] | None:
    """`Restart Count:  3` -> ("Restart Count", "3"): a describe line, whatever its indentation."""
    found = _KEY.match(stripped)
    return (found[1], found[2] or "") if found else None


def row_of(line: str, header: Header) -> bool:
    """The line reads as a row of `header`'s table (its kind's own reader, when it has one)."""
    if header.kind == "events":
        return (
            get_row(line, namespaced=header.namespaced, wide=header.wide, namespace=None)
            is not None
        )
    if header.kind not in TOKEN_READERS:
        return True
    cells = split_row(line, header)
    if not cells or not cells.get("NAME"):
        return False
    return (
        header.kind != "pods"
        or pod_from_row({**cells, "NAME": cells["NAME"].rsplit("/", 1)[-1]}) is not None
    )


def looks_like_row(line: str) -> bool:
    """Not blank, starting like a row (a name or `<none>`), two words at least, no header."""
    stripped = line.lstrip()
    return (
        (stripped[:1].isalnum() or stripped[:1] == "<")
        and len(stripped.split(None, 2)) >= 2
        and read_header(line) is None
    )


def _table(lines: Sequence[str], start: int) -> Part | None:
    header = read_header(lines[start])
    if header is None:
        return None
    return Part(start, _rows_end(lines, start + 1, header), TABLE)


def _rows_end(lines: Sequence[str], stop: int, header: Header) -> int:
    """The line after the last of the rows of `header`'s table from `stop` on."""
    start = stop
    while stop < len(lines) and stop - start < MAX_PART_LINES and looks_like_row(lines[stop]):
        if not row_of(lines[stop], header):
            break
        stop += 1
    return stop


def headerless(line: str) -> Header | None:
    """The header a row of pods, nodes or events pasted without theirs fits (None: no such row)."""
    return next((h for h in _HEADERLESS if row_of(line, h)), None)


def _rows(lines: Sequence[str], start: int) -> Part | None:
    """Rows of pods, nodes or events pasted without their header."""
    if not _MAYBE_ROW.search(lines[start]) or not looks_like_row(lines[start]):
        return None
    header = headerless(lines[start])
    if header is None:
        return None
    return Part(start, _rows_end(lines, start + 1, header), ROWS, header)


_SECOND_KEYS = frozenset(
    {
        "Namespace",
        "Labels",
        "Roles",
        "Annotations",
        "API Version",
        "Kind",
        "CreationTimestamp",
        "Priority",
        "Service Account",
        "StorageClass",
        "Status",
    }
)
"""What describe prints right after `Name:` (a namespaced object, a cluster-scoped one, a
node, a custom resource, a claim, a volume)."""


def describe_starts(lines: Sequence[str], start: int) -> bool:
    """`Name:` then another describe key (Namespace, Labels, Roles, ...), or a part of a
    describe: `Containers:`, a container's `State:`, a node's `Taints:` and `Unschedulable:`."""
    stripped = lines[start].strip()
    pair = keyed(stripped)
    if pair is None:
        return False
    key, value = pair
    nxt = keyed(lines[start + 1].strip()) if start + 1 < len(lines) else None
    if key == "Name":
        # (at the margin: one space left of a fence, "``` Name:", is the paste's, not describe's)
        return nxt is not None and nxt[0] in _SECOND_KEYS and not lines[start].startswith("  ")
    if key in ("Containers", "Init Containers"):
        return not value
    if key in ("State", "Last State"):
        return value.split(" ", 1)[0] in _STATE_WORDS
    if key == "Conditions" and start + 1 < len(lines):  # a node's conditions alone
        return (
            lines[start + 1].strip().startswith("Type") and "LastHeartbeatTime" in lines[start + 1]
        )
    return key == "Taints" and nxt is not None and nxt[0] == "Unschedulable"


def _blank_argument(lines: Sequence[str], at: int) -> bool:
    """An empty command argument (`""`) kubectl prints as an indented blank line."""
    return (
        at + 1 < len(lines)
        and lines[at].startswith("      ")
        and not lines[at].strip()
        and lines[at + 1].startswith("      ")
    )


def _after_blank(lines: Sequence[str], stop: int) -> tuple[int, bool] | None:
    """Where a describe goes on after its blank line `stop`, and whether another object's
    describe starts there; None when it ends at it."""
    if _blank_argument(lines, stop):
        return stop + 1, False
    following = _next_text(lines, stop)
    if following is None or not describe_starts(lines, following):
        return None
    return following, True


def _describe(lines: Sequence[str], start: int) -> Part | None:
    """A describe runs to a blank line (another object's `Name:` after it continues it); in its
    Events table, to a line that is no row, header or message continued."""
    if not describe_starts(lines, start):
        return None
    stop, events = start, _EventsExtent()
    while stop < len(lines) and stop - start < MAX_PART_LINES:
        line = lines[stop]
        if not line.strip():
            after = _after_blank(lines, stop)
            if after is None:
                break
            stop, another = after
            events = _EventsExtent() if another else events
            continue
        if events.ends_at(line):
            break
        stop += 1
    return Part(start, stop, DESCRIBE)


def _next_text(lines: Sequence[str], at: int) -> int | None:
    while at < len(lines) and not lines[at].strip():
        at += 1
    return at if at < len(lines) else None


class _EventsExtent:
    """Which lines an Events table holds: its header, dashes, rows, and a row's message run on."""

    def __init__(self) -> None:
        self.inside = False
        self.rows = 0
        self.continued = 0

    def ends_at(self, line: str) -> bool:
        """Whether the Events table ends the describe at this (non-blank) line; its `Events:`
        starts the table."""
        if self.inside and not self.takes(line):
            return True
        self.inside = self.inside or line.strip().startswith("Events:")
        return False

    def takes(self, line: str) -> bool:
        stripped = line.strip()
        if not stripped:
            return False
        if stripped.split() == list(_EVENT_HEADER) or _DASHES.match(stripped):
            return True
        if describe_row(line, {}) is not None:
            self.rows, self.continued = self.rows + 1, 0
            return True
        if self.rows and self.continued < MAX_CONTINUATION and not stripped.startswith(_NEW_SHAPE):
            self.continued += 1
            return True
        return False


def events_start(stripped: str) -> bool:
    """`Events:`, describe's events header, or a `Normal`/`Warning` row of one."""
    if stripped.startswith("Events:"):
        return True
    words = stripped.split()
    return words == list(_EVENT_HEADER) or (
        bool(words) and words[0] in EVENT_TYPES and describe_row(stripped, {}) is not None
    )


def _events(lines: Sequence[str], start: int) -> Part | None:
    """An Events table pasted alone (about an object the paste does not name)."""
    if not events_start(lines[start].strip()):
        return None
    extent = _EventsExtent()
    stop = start + 1 if lines[start].strip().startswith("Events:") else start
    while stop < len(lines) and stop - start < MAX_PART_LINES and extent.takes(lines[stop]):
        stop += 1
    return Part(start, stop, EVENTS) if extent.rows else None


def _yaml(lines: Sequence[str], start: int) -> Part | None:
    if not _YAML_START.match(lines[start]):
        return None
    return Part(start, yaml_end(lines, start), MANIFEST)


def yaml_end(lines: Sequence[str], start: int) -> int:
    """The line after the YAML document(s) starting at `start`."""
    stop = start + 1
    while stop < len(lines) and stop - start < MAX_PART_LINES:
        line = lines[stop]
        if line[:1] not in ("", " ", "-") and not _YAML_LINE.match(line):
            break
        stop += 1
    while stop > start + 1 and not lines[stop - 1].strip():
        stop -= 1
    return stop


_DECODER = json.JSONDecoder()


def _json(lines: Sequence[str], start: int) -> Part | None:
    """A JSON value from the first column (`kubectl get -o json`), or one cut short."""
    if lines[start][:1] not in ("{", "["):
        return None
    text = "\n".join(lines[start : start + MAX_PART_LINES])
    try:
        _value, end = _DECODER.raw_decode(text)
    except json.JSONDecodeError as error:
        cut = cut_value(text, 0) if cut_short(text, 0, error.pos) else None
        if cut is None:
            return None
        end = cut.end
    except RecursionError:
        return None
    return Part(start, start + text.count("\n", 0, end) + 1, MANIFEST)


def _unit(lines: Sequence[str], start: int) -> Part | None:
    """`systemctl status` (its keys to a blank line, then its journal lines)."""
    if not _UNIT_START.match(lines[start].strip()) or not any(
        _ACTIVE.match(line) for line in lines[start + 1 : start + 6]
    ):
        return None
    stop = start + 1
    while stop < len(lines) and lines[stop].strip():
        stop += 1
    return Part(start, _journal_end(lines, stop), UNIT)


def _journal_end(lines: Sequence[str], stop: int) -> int:
    """Where a unit's journal lines (after its keys' blank line at `stop`) end."""
    after = _next_text(lines, stop)
    while after is not None and _JOURNAL.match(lines[after]):
        stop = after + 1
        after = stop if stop < len(lines) and lines[stop].strip() else None
    return stop


SHAPES: tuple[Callable[[Sequence[str], int], Part | None], ...] = (
    _json,
    _yaml,
    _unit,
    _describe,
    _events,
    _table,
    _rows,
)
"""Tried in this order at each line: the first that reads an output there takes its lines."""


def parts(lines: Sequence[str]) -> list[Part]:
    """Every output in `lines`, in order (the lines between them are text)."""
    found: list[Part] = []
    at = 0
    while at < len(lines):
        if not lines[at].strip():
            at += 1
            continue
        part = next((p for shape in SHAPES if (p := shape(lines, at)) is not None), None)
        if part is not None and part.stop > at:
            found.append(part)
            at = part.stop
        else:
            at += 1
    return found
