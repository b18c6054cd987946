"""`kubectl describe` output as a tree of `Key: value` entries, by indentation.

describe prints `Key:  value` lines whose sub-entries follow, indented deeper
(`State: Waiting` then `Reason: CrashLoopBackOff`); values that run over several
lines continue deeper with no key (Labels, Command); some entries hold a small
table (Conditions, Events, Subsets' Ports).  The tree keeps every entry in order
(a Service repeats `Port:` per port), each with its raw line so a table under an
entry can be cut at its header's offsets.  Several objects in one output (`kubectl
describe pods`) each start with `Name:` in the first column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

_KEY = re.compile(r"^(?P<key>[A-Za-z0-9_.\[(][^:]{0,120}?):(?:\s+(?P<value>.*))?$")


@dataclass(slots=True)
class Entry:
    """One line of describe output and the deeper lines under it."""

    key: str | None
    value: str
    indent: int
    raw: str
    line: int
    children: list[Entry] = field(default_factory=list)
    _index: dict[str, Entry] | None = field(default=None, repr=False)

    def child(self, key: str) -> Entry | None:
        """The first child entry with this key (compared without case)."""
        if self._index is None:
            self._index = {}
            for c in self.children:
                if c.key:
                    self._index.setdefault(c.key.lower(), c)
        return self._index.get(key.lower())

    def get(self, *path: str) -> Entry | None:
        """The first entry at `path` of keys."""
        node: Entry | None = self
        for key in path:
            node = node.child(key) if node else None
        return node

    def value_of(self, *path: str) -> str | None:
        node = self.get(*path)
        return node.value if node else None

    def all(self, key: str) -> list[Entry]:
        return [c for c in self.children if c.key and c.key.lower() == key.lower()]

    def lines(self) -> list[str]:
        """The value and every deeper line's text (a multi-line value such as Labels)."""
        return ([self.value] if self.value else []) + [raw.strip() for raw in self.raw_lines()]

    def raw_lines(self) -> list[str]:
        """The raw lines under this entry, at any depth, in order."""
        out: list[str] = []
        for child in self.children:
            out.append(child.raw)
            out.extend(child.raw_lines())
        return out


def _entry(raw: str, number: int) -> Entry:
    stripped = raw.strip()
    indent = len(raw) - len(raw.lstrip(" "))
    m = _KEY.match(stripped) if ":" in stripped else None
    if m and "  " not in m["key"] and not m["key"].endswith(" "):
        return Entry(m["key"].strip(), (m["value"] or "").strip(), indent, raw, number)
    return Entry(None, stripped, indent, raw, number)


def parse_tree(lines: Sequence[str], first_line: int = 0) -> Entry:
    """The tree of one object's describe lines; the root has indent -1."""
    root = Entry(None, "", -1, "", first_line)
    stack = [root]
    for i, raw in enumerate(lines):
        if not raw.strip():
            continue
        entry = _entry(raw.replace("\t", "    ") if "\t" in raw else raw, first_line + i)
        while len(stack) > 1 and stack[-1].indent >= entry.indent:
            stack.pop()
        stack[-1].children.append(entry)
        stack.append(entry)
    return root


def split_objects(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """(first line index, lines) of each object in a describe output."""
    start: int | None = None
    for i, line in enumerate(lines):
        if line.startswith("Name:") and (start is None or i > start):
            if start is not None:
                yield start, list(lines[start:i])
            start = i
    if start is not None:
        yield start, list(lines[start:])
