"""Secrets a terminal wrapped: found whole in the joined line, removed from every piece.

A terminal W columns wide (80, 100, 120...) cuts a long line into W-character pieces. A secret
cut in two loses its shape and its key: `DB_PASSWORD=abc` stays on the first line, `def...`
starts the next. The answer path undoes the wrap before matching (`intents.normalize.unwrap`,
when the whole paste looks wrapped); everything else (storage, logs, posts, the hand-off)
keeps the text as it came. So redaction reads both views and removes what either finds:
- `wrapped_spans`: every run of lines exactly W long plus the line after it (unless that line
  starts a new record) is joined and redacted as one line; what that redacts across a line
  break is a wrapped secret. Any text may hold such a run (a wrapped block in a chat message,
  a traceback around a logged paste), so every run is read: a run that is no wrap changes
  nothing unless two lines glue into a secret's shape. `with_wrapped` then removes those
  spans piece by piece, line by line, on top of what the lines' own redaction removed, so
  the layout does not move;
- `mask_found` and `mask_joined`: for the answer path, what the raw lines show is masked
  before the paste is unwrapped, so a line the joining glues to its neighbour (a command
  exactly 80 wide, then the password it printed) keeps its secret's mark, and what the
  joined lines show is masked on top.
A mask is as long as what it hides (so widths, and the wrap, are kept) and becomes [REDACTED]
once the text is redacted (`unmask`). Which characters a redaction replaced is read by
aligning the text with its redaction (`replaced_spans`): redaction only ever replaces parts
of the text with the mark.
"""

from __future__ import annotations

from collections.abc import Callable

from intents.lazy_re import lazy_compile
from intents.normalize import WRAP_WIDTHS, starts_record

REDACTED = "[REDACTED]"
MASK = "\U000f0000"
"""A private-use character no paste holds: marks a secret until the text is redacted."""
_MASKED = lazy_compile(MASK + "++")
_SHORTEST = min(WRAP_WIDTHS)
Span = tuple[int, int]
Redact = Callable[[str], str]


def replaced_spans(before: str, after: str) -> list[Span] | None:
    """The spans of `before` that became [REDACTED] in `after`; None when `after` is not `before`
    with parts replaced by the mark."""
    segments = after.split(REDACTED)
    if not before.startswith(segments[0]) or not before.endswith(segments[-1]):
        return None
    spans: list[Span] = []
    at = len(segments[0])
    for index, segment in enumerate(segments[1:], 1):
        last = index == len(segments) - 1
        found = len(before) - len(segment) if last else before.find(segment, at)
        if found < at:
            return None
        spans.append((at, found))
        at = found + len(segment)
    return spans


def mask(text: str, spans: list[Span]) -> str:
    """`text` with each span's characters masked (line breaks kept)."""
    chars = list(text)
    for start, end in spans:
        for at in range(start, end):
            if chars[at] != "\n":
                chars[at] = MASK
    return "".join(chars)


def unmask(text: str) -> str:
    """Every masked run becomes [REDACTED]."""
    return _MASKED.sub(REDACTED, text) if MASK in text else text


def _runs(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) line of every wrapped run: lines exactly W long (W a terminal width), then
    the line they continue on, unless it is empty or starts a new record."""
    runs: list[tuple[int, int]] = []
    at = 0
    while at < len(lines) - 1:
        width = len(lines[at])
        if width < _SHORTEST or width not in WRAP_WIDTHS:
            at += 1
            continue
        last = at
        while last + 1 < len(lines) and len(lines[last]) == width:
            last += 1
        single = last == at + 1
        if last > at and lines[last].strip() and not (single and starts_record(lines[last])):
            runs.append((at, last))
        at = last + 1
    return runs


def wrapped_spans(text: str, redact: Redact) -> list[Span]:
    """Spans of `text` that `redact` finds across the breaks of a wrapped run, joined."""
    if len(text) <= _SHORTEST or "\n" not in text:
        return []
    lines = text.split("\n")
    runs = _runs(lines)
    starts = [0]
    for line in lines if runs else ():
        starts.append(starts[-1] + len(line) + 1)
    spans: list[Span] = []
    for first, last in runs:
        joined = "".join(lines[first : last + 1])
        found = replaced_spans(joined, redact(joined))
        cuts = [sum(len(line) for line in lines[first : at + 1]) for at in range(first, last)]
        for start, end in [(0, len(joined))] if found is None else found:  # not aligned: all
            if any(start < cut < end for cut in cuts):  # the secret crosses a break
                spans.append((_raw(start, first, lines, starts), _raw(end, first, lines, starts)))
    return spans


def _raw(offset: int, first: int, lines: list[str], starts: list[int]) -> int:
    """Where `offset` in the run starting at line `first`, joined, is in the raw text."""
    line = first
    while offset > len(lines[line]) and line + 1 < len(lines):
        offset -= len(lines[line])
        line += 1
    return starts[line] + offset


def with_wrapped(text: str, redacted: str, wrapped: list[Span], redact: Redact) -> str:
    """`redacted` (the lines' own redaction of `text`) with the `wrapped` spans removed too, each
    piece on its line; masked, for `unmask`."""
    found = replaced_spans(text, redacted)
    if found is None:  # not aligned: mask first, then redact
        return redact(mask(text, wrapped))
    masked = mask(text, wrapped)
    parts: list[str] = []
    done = 0
    for start, end in found:
        parts += (masked[done:start], REDACTED)
        done = end
    parts.append(masked[done:])
    return "".join(parts)


def mask_found(text: str, redact: Redact) -> str:
    """`text` with what `redact` finds in it masked (so a later joining of lines keeps it)."""
    found = replaced_spans(text, redact(text))
    return text if not found else mask(text, found)


def mask_joined(joined: str, masked: str, redact: Redact) -> str:
    """`masked` (the joined text with what the raw lines showed masked) with what `redact` finds
    in the unmasked joined text masked too; `joined` itself when the two do not line up."""
    found = replaced_spans(joined, redact(joined))
    if len(masked) != len(joined):
        return mask(joined, [(0, len(joined))] if found is None else found)
    return masked if not found else mask(masked, found)
