"""`kubectl get` tables: a header line, then one row per object, cut into named cells.

kubectl aligns columns with a tabwriter, so each cell starts where its header name
starts; cells may hold spaces (`5 (2m ago)`, `Ubuntu 22.04.5 LTS`, an event message)
and may be empty (a claim with no storage class), so rows are cut at the header's
offsets.  When spacing was lost (Slack, an email) and the offsets no longer fit, a
row is split on runs of spaces, then on single spaces, and kept only when it then
has exactly one cell per column (the last column takes the rest of a free-text row).
A row that fits none of these is reported, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

_HEADER_WORD = re.compile(r"^[A-Z][A-Z0-9()_./-]*$")
_CELL = re.compile(r"\S+(?: \S+)*")
_SPACED = re.compile(r"\S {2,}\S")
_GAP = re.compile(r"\s{2,}")
_MULTI_WORD = (
    "LAST SEEN",
    "FIRST SEEN",
    "NOMINATED NODE",
    "READINESS GATES",
    "ACCESS MODES",
    "RECLAIM POLICY",
    "NODE SELECTOR",
    "LAST SCHEDULE",
    "CREATED AT",
)
FREE_TEXT_LAST = frozenset({"MESSAGE", "LABELS", "IMAGES", "REQUEST", "LIMIT", "ENDPOINTS"})


@dataclass(frozen=True)
class Header:
    names: tuple[str, ...]
    starts: tuple[int, ...] | None
    """Where each column starts, when the header kept kubectl's spacing."""


def is_header(line: str) -> bool:
    """A kubectl table header: starts with NAME, NAMESPACE or LAST SEEN, all upper-case words."""
    stripped = line.strip()
    if not stripped.startswith(("NAME ", "NAMESPACE ", "LAST SEEN ")) and stripped != "NAME":
        return False
    return all(_HEADER_WORD.match(w) for w in stripped.split())


def read_header(line: str) -> Header:
    line = line.rstrip()
    spaced = [(m.start(), m.group()) for m in _CELL.finditer(line)]
    if len(spaced) > 1 and _SPACED.search(line):
        return Header(tuple(n for _, n in spaced), tuple(s for s, _ in spaced))
    return Header(_column_names(line.split()), None)


def _column_names(words: list[str]) -> tuple[str, ...]:
    """Header words as column names, two-word names (`LAST SEEN`) joined."""
    names: list[str] = []
    i = 0
    while i < len(words):
        pair = f"{words[i]} {words[i + 1]}" if i + 1 < len(words) else ""
        names.append(pair if pair in _MULTI_WORD else words[i])
        i += 2 if pair in _MULTI_WORD else 1
    return tuple(names)


def _by_offsets(line: str, starts: Sequence[int]) -> list[str] | None:
    if len(line) <= starts[0] or line[: starts[0]].strip():
        return None
    for start in starts[1:]:
        if start < len(line) and line[start - 1] != " ":
            return None
    bounds = [*starts[1:], max(len(line), starts[-1])]
    return [line[a:b].strip() for a, b in zip(starts, bounds, strict=True)]


def split_row(line: str, header: Header) -> dict[str, str] | None:
    """The row's cells by column name, or None when the row does not fit the header."""
    cells = _by_offsets(line.rstrip(), header.starts) if header.starts else None
    if cells is None or not cells[0]:
        cells = _by_spaces(line, header.names)
    if cells is None or not cells[0]:
        return None
    return dict(zip(header.names, cells, strict=True))


def _by_spaces(line: str, names: tuple[str, ...]) -> list[str] | None:
    """Cells split on runs of spaces, else on single spaces: one per column, or None."""
    count = len(names)
    for parts in (_GAP.split(line.strip()), line.split()):
        if len(parts) == count:
            return parts
        if len(parts) > count and names[-1] in FREE_TEXT_LAST:
            return [*parts[: count - 1], " ".join(parts[count - 1 :])]
    return None


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
    return Header((("NAMESPACE",) if namespaced else ()) + names, None)
