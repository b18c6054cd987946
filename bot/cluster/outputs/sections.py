"""A recorded file cut into sections: each command line and the output under it.

A section runs from a command line to the next one.  Text with no command line
above it (a file that is just a `kubectl get pods` table, or several outputs pasted
one after another) is cut where a new recognisable output starts after a blank
line: a table header, a describe block's `Name:`, a YAML or JSON object, a systemd
unit's status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.cluster.outputs import scan
from bot.cluster.outputs.commands import Command, command_text, parse_command, typed_command


@dataclass
class Section:
    """One output: the file, where it starts (1-based), its command if any, its lines."""

    file: str
    line: int
    command: Command | None
    lines: list[str]
    first: int
    """1-based line number of lines[0]."""
    cut: int = 0
    """Lines left out past MAX_SECTION_COST (the output is read in part)."""
    part: scan.Part | None = None
    """The output a section without a command line holds (None: text, or a command's output)."""

    @property
    def command_shown(self) -> str:
        return self.command.text if self.command else ""


_FENCE = re.compile(r"^[ \t]*(?:```|~~~)[\w+-]*[ \t]*$|^\{(?:code|noformat)(?::[^}\n]*)?\}[ \t]*$")
"""Markdown and Jira fences around pasted outputs (blanked, so line numbers stay right)."""
_FENCE_STARTS = ("`", "~", "{", " ", "\t")
_COMMAND_STARTS = frozenset("$#>%P[k")
"""First characters of a line that can be a command line (a prompt, `kubectl`, `user@host`)."""
MAX_SECTION_COST = 32 * 1024 * 1024
"""The most one output keeps (its lines' lengths plus LINE_COST each); the rest is counted and
left out, so a 60 MB table costs a bounded amount of memory."""
LINE_COST = 64


def split_sections(file: str, text: str) -> list[Section]:
    """The sections of a text held whole (a paste): a command typed anywhere starts one."""
    return list(sections_of(file, text.split("\n"), typed=True))


def sections_of(file: str, lines: Iterable[str], *, typed: bool = False) -> Iterator[Section]:
    """The sections of a stream of lines, each yielded once its end is read; `typed`: a line
    typed at a shell starts one wherever it stands (a paste), not only after a blank line."""
    current = Section(file, 1, None, [], 1)
    cost, previous = 0, ""
    for number, line in enumerate(lines, start=1):
        if line[:1] in _FENCE_STARTS and _FENCE.match(line):
            line = ""
        found = _command(line, after_blank=number == 1 or not previous.strip())
        if found is None and typed:
            found = typed_command(line)
        previous = line
        if found is not None:
            yield from _finished(current)
            current, cost = Section(file, number, parse_command(found), [], number + 1), 0
            continue
        cost += len(line) + LINE_COST
        if cost > MAX_SECTION_COST:
            current.cut += 1
        else:
            current.lines.append(line)
    yield from _finished(current)


def _finished(section: Section) -> Iterator[Section]:
    """A section once read: with its command as it is; the text before any command line cut
    into the outputs it holds."""
    if section.command is not None:
        yield section
    elif any(line.strip() for line in section.lines):
        parts = outputs_in(_section(section.file, 1, None, section.lines))
        if parts:
            parts[-1].cut = section.cut
        yield from parts


def _command(line: str, *, after_blank: bool) -> str | None:
    if not line or (line[0] not in _COMMAND_STARTS and "@" not in line[:80]):
        return None
    return command_text(line, after_blank=after_blank)


def _section(file: str, number: int, command: Command | None, lines: list[str]) -> Section:
    """A section of `lines` starting at line `number`, its leading blank lines dropped."""
    skip = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    return Section(file, number + skip, command, lines[skip:], number + skip)


def outputs_in(section: Section) -> list[Section]:
    """A section's lines cut into the outputs they hold (by shape, command or not) and the
    text between them."""
    lines = section.lines
    out: list[Section] = []
    at = 0
    for part in scan.parts(lines):
        if any(line.strip() for line in lines[at : part.start]):
            out.append(_part(section, at, part.start))
        out.append(_part(section, part.start, part.stop, part))
        at = part.stop
    if any(line.strip() for line in lines[at:]):
        out.append(_part(section, at, len(lines)))
    return out


def _part(section: Section, start: int, stop: int, part: scan.Part | None = None) -> Section:
    """Lines [start, stop) of `section`: an output of a shape `part` says, or text."""
    lines = section.lines[start:stop]
    skip = next((i for i, line in enumerate(lines) if line.strip()), 0)
    first = section.first + start + skip
    return Section(section.file, first, None, lines[skip:], first, part=part)
