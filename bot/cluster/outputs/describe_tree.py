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

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.cluster.outputs.table import none_if_unset

_EMPTY: tuple[Any, ...] = (None, "", [], {})


def present(**fields: Any) -> dict[str, Any]:
    """The fields that hold something (not None, "", [] or {}), in order: an object as the API
    serves it leaves empty fields out, so a parser builds its parts with this."""
    return {name: value for name, value in fields.items() if value not in _EMPTY}


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
        """The first child entry with this key (as describe prints it)."""
        if self._index is None:
            self._index = {}
            for c in self.children:
                if c.key and c.key not in self._index:
                    self._index[c.key] = c
        return self._index.get(key)

    def get(self, *path: str) -> Entry | None:
        """The first entry at `path` of keys (exactly as describe prints them)."""
        node: Entry | None = self
        for key in path:
            node = node.child(key) if node else None
        return node

    def value_of(self, *path: str) -> str | None:
        node = self.get(*path)
        return node.value if node else None

    def values(self, fields: Mapping[str, str]) -> dict[str, str]:
        """{field: value} of each key (as describe prints it) that is set (not `<none>`)."""
        found = {field: none_if_unset(self.value_of(key)) for key, field in fields.items()}
        return {field: value for field, value in found.items() if value}

    def lines(self) -> list[str]:
        """The value and every deeper line's text (a multi-line value such as Labels)."""
        head = [self.value] if self.value else []
        return head + [raw.strip() for raw in self.raw_lines()] if self.children else head

    def raw_lines(self) -> list[str]:
        """The raw lines under this entry, at any depth, in order."""
        return [entry.raw for entry in self.descendants()]

    def descendants(self) -> list[Entry]:
        """The entries under this one, at any depth, in order (no recursion: a hostile output
        can nest thousands of levels)."""
        out: list[Entry] = []
        stack = list(reversed(self.children))
        while stack:
            entry = stack.pop()
            out.append(entry)
            stack.extend(reversed(entry.children))
        return out


def _entry(raw: str, number: int) -> Entry:
    body = raw.lstrip(" ")
    indent = len(raw) - len(body)
    stripped = body.rstrip()
    key, colon, rest = stripped.partition(":")
    if colon and (not rest or rest[0] in " \t") and _key_like(key):
        return Entry(key, rest.strip(), indent, raw, number)
    return Entry(None, stripped, indent, raw, number)


def _key_like(key: str) -> bool:
    """A describe key: up to 121 characters, starting with a letter, digit, `_`, `.`, `[` or
    `(`, no run of two spaces (an Events row's columns) and no trailing space."""
    return (
        0 < len(key) <= 121
        and (key[0].isalnum() or key[0] in "_.[(")
        and "  " not in key
        and not key.endswith(" ")
    )


def parse_tree(lines: Sequence[str], first_line: int = 0) -> Entry:
    """The tree of one object's describe lines; the root has indent -1."""
    root = Entry(None, "", -1, "", first_line)
    stack = [root]
    top = root
    for i, raw in enumerate(lines):
        if not raw or raw.isspace():
            continue
        entry = _entry(raw.replace("\t", "    ") if "\t" in raw else raw, first_line + i)
        indent = entry.indent
        if _continued(entry, top):
            top.value = (
                f"{top.value}\n{entry.raw.strip()}"  # a message's next line, from the margin
            )
            continue
        while top.indent >= indent and len(stack) > 1:
            stack.pop()
            top = stack[-1]
        top.children.append(entry)
        stack.append(entry)
        top = entry
    return root


def _continued(entry: Entry, top: Entry) -> bool:
    """A line back towards the margin under a value with nothing under it: the value's next line
    (a message printed with its newlines), unless it is a key. At the margin itself describe's
    keys are capitalised: a lower-case `word:` there is the message's (`nvidia-container-cli:
    initialization error`), where deeper it names a volume or a container. Only a text goes on:
    a count or a single word does not."""
    plain = entry.key is None or (entry.indent == 0 and entry.key[:1].islower())
    text = top.key == "Message" or " " in top.value  # (a count or a word goes on over no line)
    return plain and text and entry.indent < top.indent and bool(top.key) and not top.children


def split_objects(lines: Sequence[str]) -> list[tuple[int, list[str]]]:
    """(first line index, lines) of each object in a describe output (none without `Name:`)."""
    return list(_objects(lines))


def _objects(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    start: int | None = None
    for i, line in enumerate(lines):
        if line.startswith("Name:") and (start is None or i > start):
            if start is not None:
                yield start, list(lines[start:i])
            start = i
    if start is not None:
        yield start, list(lines[start:])
