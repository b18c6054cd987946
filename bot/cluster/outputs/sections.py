"""A recorded file cut into sections: each command line and the output under it.

A section runs from a command line to the next one.  Text with no command line
above it (a file that is just a `kubectl get pods` table, or several outputs pasted
one after another) is cut where a new recognisable output starts after a blank
line: a table header, a describe block's `Name:`, a YAML or JSON object, a systemd
unit's status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.cluster.outputs.commands import Command, command_text, parse_command
from bot.cluster.outputs.table import is_header

_MANIFEST_START = re.compile(r"^(?:apiVersion:|kind:|items:|---\s*$|[{\[]\s*$|\{\")")
_UNIT_START = re.compile(
    r"^(?:Status:\s*)?[\u25cf\u25cb\u00d7]\s*[\w@:.\\-]+\.service\b|"
    r"^Service:\s+\S+\s*$"
)


@dataclass
class Section:
    """One output: the file, where it starts (1-based), its command if any, its lines."""

    file: str
    line: int
    command: Command | None
    lines: list[str]
    first: int
    """1-based line number of lines[0]."""

    @property
    def command_shown(self) -> str:
        return self.command.text if self.command else ""


def shape_of(line: str) -> str | None:
    """Which output a line starts, when it starts one: table, describe, manifest or unit."""
    if is_header(line):
        return "table"
    if line.startswith("Name:"):
        return "describe"
    if _MANIFEST_START.match(line):
        return "manifest"
    if _UNIT_START.match(line.strip()):
        return "unit"
    return None


_CANDIDATE = re.compile(r"\n(?=[$#>%P\[]|kubectl|[ \t]{0,4}[\w.-]{1,64}@)")
"""Where a command line can start (checked properly by command_text): a prompt or kubectl
after a newline (a literal first, so the search skips ahead fast)."""


def _candidates(text: str) -> list[int]:
    """Offsets of the lines that may be command lines."""
    found = [m.start() + 1 for m in _CANDIDATE.finditer(text)]
    return [0, *found] if _CANDIDATE.match("\n" + text[:80]) else found


_FENCE = re.compile(
    r"^[ \t]*(?:```|~~~)[\w+-]*[ \t]*$|^\{(?:code|noformat)(?::[^}\n]*)?\}[ \t]*$", re.MULTILINE
)
"""Markdown and Jira fences around pasted outputs (blanked, so line numbers stay right)."""
_FENCE_MARKS = ("```", "~~~", "{code", "{noformat")
_CONTINUED = frozenset({"manifest", "describe"})
"""Shapes that go on after a blank line and a new start (`---` documents, several objects)."""


def split_sections(file: str, text: str) -> list[Section]:
    if any(mark in text for mark in _FENCE_MARKS):
        text = _FENCE.sub("", text)
    starts = _command_lines(text)
    head = text[: starts[0][0]] if starts else text
    sections = _headless_parts(_section(file, 1, None, head)) if head.strip() else []
    stops = [at for at, _, _ in starts[1:]] + [len(text)]  # one more when there is no command
    for (at, number, found), stop in zip(starts, stops, strict=False):
        sections.append(
            Section(file, number, parse_command(found), text[at:stop].split("\n")[1:], number + 1)
        )
    return sections


def _command_lines(text: str) -> list[tuple[int, int, str]]:
    """(offset, line number, command) of each command line of `text`."""
    starts: list[tuple[int, int, str]] = []
    line_number, counted = 1, 0
    for at in _candidates(text):
        end = text.find("\n", at)
        line = text[at:] if end < 0 else text[at:end]
        found = command_text(line, after_blank=at <= 1 or text[at - 2 : at] == "\n\n")
        if found is not None:
            line_number += text.count("\n", counted, at)
            counted = at
            starts.append((at, line_number, found))
    return starts


def _section(file: str, number: int, command: Command | None, text: str) -> Section:
    """A section of `text` starting at line `number`, its leading blank lines dropped."""
    lines = text.split("\n")
    skip = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return Section(file, number + skip, command, lines[skip:], number + skip)


def _headless_parts(section: Section) -> list[Section]:
    """A section with no command, cut where another output starts after a blank line."""
    starts = _output_starts(section.lines)
    stops = [*starts[1:], len(section.lines)]
    parts = [_part(section, start, stop) for start, stop in zip(starts, stops, strict=True)]
    return [p for p in parts if any(line.strip() for line in p.lines)]


def _output_starts(lines: list[str]) -> list[int]:
    """Where each output starts: the first line, then a new shape's first line after a blank."""
    starts, kind = [0], shape_of(lines[0]) if lines else None
    for i in range(1, len(lines)):
        if lines[i - 1].strip() or not lines[i].strip():
            continue
        shape = shape_of(lines[i])
        if shape is not None and (shape != kind or kind not in _CONTINUED):
            starts.append(i)
            kind = shape
    return starts


def _part(section: Section, start: int, stop: int) -> Section:
    return Section(
        section.file, section.first + start, None, section.lines[start:stop], section.first + start
    )
