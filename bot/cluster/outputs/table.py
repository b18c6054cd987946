"""`kubectl get` tables: a header line, then one row per object, cut into named cells.

The one table reader of kubemedic: a paste and a folder of recorded outputs are read by it
alike. kubectl aligns columns with a tabwriter, so each cell starts where its header name
starts; cells may hold spaces (`5 (2m ago)`, `Ubuntu 22.04.5 LTS`, an event message) and may
be empty (a claim with no storage class), so rows are cut at the header's offsets. When the
spacing was lost (Slack, an email) and the offsets no longer fit, a row of pods, nodes or
claims is read token by token the way kubectl prints its columns (a READY fraction, a restart
count with its `(5m ago)`, an age), any other row is split on runs of spaces, then on single
spaces, and kept only when it then has exactly one cell per column (the last column takes the
rest of a free-text row). A row that fits none of these is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeGuard

from bot.cluster.outputs.ages import age_seconds

_HEADER_WORD = re.compile(
    r"^[A-Z][A-Z0-9()%_/.-]*(?:\(cores\)|\(bytes\))?$|^[A-Z]+\((?:cores|bytes)\)$"
)
_CELL = re.compile(r"\S+(?: \S+)*")
_GAP = re.compile(r"\s{2,}")
_READY = re.compile(r"^\d{1,6}/\d{1,6}$")
TWO_WORDS = frozenset(
    {
        ("LAST", "SEEN"),
        ("FIRST", "SEEN"),
        ("NOMINATED", "NODE"),
        ("READINESS", "GATES"),
        ("ACCESS", "MODES"),
        ("RECLAIM", "POLICY"),
        ("NODE", "SELECTOR"),
        ("LAST", "SCHEDULE"),
        ("CREATED", "AT"),
        ("APP", "VERSION"),
        ("MIN", "AVAILABLE"),  # get pdb
        ("MAX", "UNAVAILABLE"),
        ("ALLOWED", "DISRUPTIONS"),
    }
)
"""Column names of two words, read as one when a header's spacing was lost."""
FIRST_COLUMNS = frozenset({"NAME", "NAMESPACE", "LAST SEEN", "POD", "REVISION"})
"""What a table's first column is (POD: `top --containers`; REVISION: `helm history`)."""
FREE_TEXT_LAST = frozenset({"MESSAGE", "LABELS", "IMAGES", "REQUEST", "LIMIT", "ENDPOINTS"})
KIND_COLUMNS: tuple[tuple[str, frozenset[str]], ...] = (
    ("pods", frozenset({"NAME", "READY", "STATUS", "RESTARTS", "AGE"})),
    ("nodes", frozenset({"NAME", "STATUS", "ROLES", "AGE", "VERSION"})),
    ("events", frozenset({"LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"})),
    ("persistentvolumeclaims", frozenset({"NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES"})),
    ("resourcequotas", frozenset({"NAME", "AGE", "REQUEST", "LIMIT"})),
    ("persistentvolumes", frozenset({"NAME", "CAPACITY", "RECLAIM POLICY", "STATUS", "CLAIM"})),
)
"""The kinds a header names outright by its columns (others: "other", or the command's kind)."""


@dataclass(frozen=True)
class Header:
    """A table's header: the kind its columns say, its column names, and each column's name
    and start when the header kept kubectl's spacing."""

    kind: str
    names: tuple[str, ...]
    layout: tuple[tuple[str, int], ...] | None

    @property
    def namespaced(self) -> bool:
        return self.names[:1] == ("NAMESPACE",)

    @property
    def wide(self) -> bool:
        return "SOURCE" in self.names or "IP" in self.names

    def has(self, columns: frozenset[str]) -> bool:
        return columns <= set(self.names)


def read_header(line: str, *, min_names: int = 3) -> Header | None:
    """A kubectl table header (NAME ... / NAMESPACE NAME ... / LAST SEEN TYPE ...), else None.
    Three columns at least, unless a command line says a table follows (`min_names`)."""
    stripped = line.strip()
    if not stripped[:1].isupper() or not stripped.startswith(("NAME", "LAST", "POD", "REVISION")):
        return None
    if not all(_HEADER_WORD.match(word) for word in stripped.split()):
        return None
    header = columns_of(line)
    if len(header.names) < min_names or header.names[0] not in FIRST_COLUMNS:
        return None
    return header


def columns_of(line: str) -> Header:
    """The columns of a header line, as they stand (a table inside describe: `TYPE STATUS ...`)."""
    spaced = tuple((m.group(), m.start()) for m in _CELL.finditer(line.rstrip()))
    names = _column_names(line.split())
    present = set(names)
    kind = next((kind for kind, needed in KIND_COLUMNS if needed <= present), "other")
    return Header(kind, names, spaced if len(spaced) > 1 else None)


def is_header(line: str) -> bool:
    """A line that opens a table (any number of columns)."""
    return read_header(line, min_names=1) is not None


def _column_names(words: Sequence[str]) -> tuple[str, ...]:
    """Header words as column names, two-word names (`LAST SEEN`) joined."""
    names: list[str] = []
    for word in words:
        if names and (names[-1], word) in TWO_WORDS:
            names[-1] = f"{names[-1]} {word}"
        else:
            names.append(word)
    return tuple(names)


def _by_offsets(line: str, header: Header) -> dict[str, str] | None:
    """The row cut at the header's offsets; None when a cut falls inside a word."""
    return cut_at(line, header.layout or ())


def cut_at(line: str, layout: Sequence[tuple[str, int]]) -> dict[str, str] | None:
    """A row cut at a header's column offsets; None when a cut falls inside a word."""
    cells: dict[str, str] = {}
    for number, (name, start) in enumerate(layout):
        if 0 < start <= len(line) and line[start - 1] != " ":
            return None
        end = layout[number + 1][1] if number + 1 < len(layout) else len(line)
        cells[name] = line[start:end].strip()
    return cells


def split_row(line: str, header: Header) -> dict[str, str] | None:
    """The row's cells by column name, or None when the row does not fit the header."""
    line = line.rstrip()
    first = "NAME" if "NAME" in header.names else header.names[0]
    cells = _by_offsets(line, header) if header.layout is not None else None
    reader = TOKEN_READERS.get(header.kind)
    if _offsets_fit(cells, first, header.kind, tokens=reader is not None):
        return cells
    if reader is not None:
        return reader(line.split(), header)
    found = _by_spaces(line, header.names)
    return dict(zip(header.names, found, strict=True)) if found and found[0] else None


def _offsets_fit(
    cells: dict[str, str] | None, first: str, kind: str, *, tokens: bool
) -> TypeGuard[dict[str, str]]:
    """Cells read by offsets stand when they name the row and, for a kind that has a reader of
    its tokens, fit that kind."""
    return bool(cells and cells.get(first) and (not tokens or _fits(kind, cells)))


def loose_cells(line: str, header: Header) -> dict[str, str]:
    """A row of a table no reader reads row by row: by offsets, else its words in column order
    (enough to judge it healthy or not)."""
    cells = _by_offsets(line.rstrip(), header) if header.layout is not None else None
    if cells and cells.get("NAME"):
        return cells
    return dict(zip(header.names, line.split(), strict=False))


def _by_spaces(line: str, names: tuple[str, ...]) -> list[str] | None:
    """Cells split on runs of spaces, else on single spaces: one per column, or None."""
    count = len(names)
    for parts in (_GAP.split(line.strip()), line.split()):
        if len(parts) == count:
            return parts
        if len(parts) > count and names[-1] in FREE_TEXT_LAST:
            return [*parts[: count - 1], " ".join(parts[count - 1 :])]
    return None


def is_age(text: str) -> bool:
    return text in ("<unknown>", "<invalid>") or age_seconds(text) is not None


def _pod_tokens(words: list[str], header: Header) -> dict[str, str] | None:
    """A `get pods` row whose spacing was lost: NAME READY STATUS RESTARTS [(Xm ago)] AGE
    [IP NODE ...] [LABELS]."""
    namespaced = header.namespaced
    at = 1 if namespaced else 0
    if len(words) < at + 5 or not _READY.match(words[at + 1]) or not words[at + 3].isdigit():
        return None
    row = {"NAME": words[at], "READY": words[at + 1], "STATUS": words[at + 2]}
    row["RESTARTS"] = words[at + 3]
    at += 4
    if at + 1 < len(words) and words[at].startswith("(") and words[at + 1] == "ago)":
        row["RESTARTS"] += f" {words[at]} ago)"
        at += 2
    if at >= len(words) or not is_age(words[at]):
        return None
    row["AGE"] = words[at]
    if namespaced:
        row["NAMESPACE"] = words[0]
    if "LABELS" in header.names and at + 1 < len(words):
        row["LABELS"] = words.pop()
    if at + 2 < len(words):
        row["IP"], row["NODE"] = words[at + 1], words[at + 2]
    return row


def _node_tokens(words: list[str], _header: Header) -> dict[str, str] | None:
    """A `get nodes` row whose spacing was lost: NAME STATUS ROLES AGE VERSION."""
    if len(words) < 5 or not is_age(words[3]) or not words[4].startswith("v"):
        return None
    return dict(zip(("NAME", "STATUS", "ROLES", "AGE", "VERSION"), words, strict=False))


def _claim_tokens(words: list[str], header: Header) -> dict[str, str] | None:
    """A `get pvc` row whose spacing was lost: a Bound row names its volume, capacity and
    class; a Pending one only its class."""
    at = 1 if header.namespaced else 0
    if len(words) < at + 3 or (not is_age(words[-1]) and not is_age(words[-2])):
        return None
    row = _named(words, header, "STATUS")
    rest = words[at + 2 :]
    if row["STATUS"] == "Bound" and len(rest) >= 5:
        row.update(VOLUME=rest[0], CAPACITY=rest[1], STORAGECLASS=rest[3])
    elif rest and not is_age(rest[0]):
        row["STORAGECLASS"] = rest[0]
    return row


def _volume_tokens(words: list[str], _header: Header) -> dict[str, str] | None:
    """A `get pv` row whose spacing was lost: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS,
    then CLAIM (`namespace/name`, empty while Available), STORAGECLASS, REASON (mostly empty),
    AGE."""
    if len(words) < 6 or not is_age(words[-1]):
        return None
    row = dict(zip(("NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS"), words))
    rest = words[5:-1]
    if rest and "/" in rest[0]:
        row["CLAIM"] = rest.pop(0)
    if rest:
        row["STORAGECLASS"] = rest.pop(0)
    row["AGE"] = words[-1]
    return row


def _quota_tokens(words: list[str], header: Header) -> dict[str, str] | None:
    """A `get resourcequota` row wider than its header: NAME AGE, then `resource: used/hard`
    pairs, the `limits.` ones its LIMIT."""
    at = 1 if header.namespaced else 0
    if len(words) < at + 2 or not is_age(words[at + 1]):
        return None
    pairs = [p.strip() for p in " ".join(words[at + 2 :]).split(",") if p.strip()]
    row = _named(words, header, "AGE")
    row["REQUEST"], row["LIMIT"] = _requests_and_limits(pairs)
    return row


def _requests_and_limits(pairs: list[str]) -> tuple[str, str]:
    """A quota's `resource: used/hard` pairs: the others, then the `limits.` ones."""
    requests = ", ".join(p for p in pairs if not p.startswith("limits."))
    return requests, ", ".join(p for p in pairs if p.startswith("limits."))


def _named(words: list[str], header: Header, second: str) -> dict[str, str]:
    """A row's NAMESPACE (where the table has one), NAME and the column after NAME."""
    at = 1 if header.namespaced else 0
    row = {"NAME": words[at], second: words[at + 1]}
    return row | ({"NAMESPACE": words[0]} if header.namespaced else {})


def _pairs(cell: str) -> bool:
    """A quota's cell holds `resource: used/hard` pairs, whole (or none)."""
    parts = cell.split(", ") if cell else []
    return all(": " in part and "/" in part.partition(": ")[2] for part in parts)


def _fits(kind: str, cells: dict[str, str]) -> bool:
    """Cells cut at the offsets hold what the kind's columns do (a row whose spacing drifted
    from its header's is read by its tokens instead)."""
    if kind == "pods":
        return (
            bool(_READY.match(cells.get("READY", "")))
            and cells.get("RESTARTS", "").split(" ")[0].isdigit()
        )
    if kind == "resourcequotas":
        return all(_pairs(cells.get(column, "")) for column in ("REQUEST", "LIMIT"))
    return bool(cells.get("STATUS"))


TOKEN_READERS: dict[str, Callable[[list[str], Header], dict[str, str] | None]] = {
    "pods": _pod_tokens,
    "nodes": _node_tokens,
    "persistentvolumeclaims": _claim_tokens,
    "resourcequotas": _quota_tokens,
    "persistentvolumes": _volume_tokens,
}
"""How a row of a kind is read when its spacing was lost."""


def none_if_unset(value: str | None) -> str | None:
    """A cell's value, or None for kubectl's empty markers (`<none>`, `<unset>`, blank)."""
    if value is None:
        return None
    value = value.strip()
    return None if value in ("", "<none>", "<unset>", "<unknown>", "<invalid>", "-") else value


_DEFAULT_COLUMNS = {
    "pods": ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
    "services": ("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"),
    "deployments": ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
    "replicasets": ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
    "statefulsets": ("NAME", "READY", "AGE"),
    "nodes": ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
    "endpoints": ("NAME", "ENDPOINTS", "AGE"),
    "persistentvolumeclaims": (
        "NAME",
        "STATUS",
        "VOLUME",
        "CAPACITY",
        "ACCESS MODES",
        "STORAGECLASS",
        "VOLUMEATTRIBUTESCLASS",
        "AGE",
    ),
}
_WIDE_COLUMNS = {
    "pods": ("IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
    "nodes": ("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"),
    "services": ("SELECTOR",),
    "deployments": ("CONTAINERS", "IMAGES", "SELECTOR"),
    "replicasets": ("CONTAINERS", "IMAGES", "SELECTOR"),
}


def default_header(kind: str, *, wide: bool, labels: bool, namespaced: bool) -> Header | None:
    """The header kubectl prints for `kind` (rows kept by `| grep` or `--no-headers` lost it)."""
    names = _DEFAULT_COLUMNS.get(kind)
    if names is None:
        return None
    if wide:
        names += _WIDE_COLUMNS.get(kind, ())
    if labels:
        names += ("LABELS",)
    return Header(kind, (("NAMESPACE",) if namespaced else ()) + names, None)
