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
from pathlib import Path

from bot.cluster.outputs.commands import Command, command_text, parse_command
from bot.cluster.outputs.table import is_header

_MANIFEST_START = re.compile(r"^(?:apiVersion:|kind:|items:|---\s*$|[{\[]\s*$|\{\")")
_UNIT_START = re.compile(r"^(?:Status:\s*)?[\u25cf\u25cb\u00d7]\s*[\w@:.\\-]+\.service\b|"
                         r"^Service:\s+\S+\s*$")


@dataclass
class Section:
    """One output: the file, where it starts (1-based), its command if any, its lines."""

    file: Path
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


def split_sections(file: Path, text: str) -> list[Section]:
    sections: list[Section] = []
    current: Section | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        found = command_text(line)
        if found is not None:
            current = Section(file, number, parse_command(found), [], number + 1)
            sections.append(current)
            continue
        if current is None:
            if not line.strip():
                continue
            current = Section(file, number, None, [], number)
            sections.append(current)
        current.lines.append(line)
    out: list[Section] = []
    for section in sections:
        out.extend(_headless_parts(section) if section.command is None else [section])
    return out


def _headless_parts(section: Section) -> list[Section]:
    """A section with no command, cut where another output starts after a blank line."""
    parts: list[Section] = []
    start, kind = 0, shape_of(section.lines[0]) if section.lines else None
    for i in range(1, len(section.lines)):
        line = section.lines[i]
        if section.lines[i - 1].strip() or not line.strip():
            continue
        shape = shape_of(line)
        if shape is not None and not (shape == kind == "manifest") and not (
                kind == "describe" and shape == "describe"):
            parts.append(_part(section, start, i))
            start, kind = i, shape
    parts.append(_part(section, start, len(section.lines)))
    return [p for p in parts if any(line.strip() for line in p.lines)]


def _part(section: Section, start: int, stop: int) -> Section:
    return Section(section.file, section.first + start, None, section.lines[start:stop],
                   section.first + start)
