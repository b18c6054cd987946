"""Cut a paste into bounded segments: lines, windows of long lines, short-line groups.

Matching is per segment, so the work is bounded by the number of distinct
segments, never by a single huge line: a 500 KB line becomes overlapping
windows, and 10,000 copies of one error line become one segment.  Groups of
three consecutive short lines let a symptom that `kubectl describe` spreads
over several lines ("Reason: OOMKilled" / "Exit Code: 137") match as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from intents.normalize import canonical, clean_text
from intents.tokens import tokenize

MAX_INPUT_CHARS = 2_000_000
WINDOW_CHARS = 400
WINDOW_STEP = 300
MAX_SEGMENTS = 20_000
SHORT_LINE_CHARS = 120
MAX_LINES_FOR_GROUPS = 2_000


@dataclass(frozen=True)
class Segment:
    """One comparable piece of a paste."""

    text: str
    canonical: str
    tokens: frozenset[str]


def _windows(line: str) -> list[str]:
    if len(line) <= WINDOW_CHARS:
        return [line]
    last_start = max(len(line) - WINDOW_CHARS, 0)
    starts = list(range(0, last_start, WINDOW_STEP)) + [last_start]
    return [line[start : start + WINDOW_CHARS] for start in starts]


def _pieces(lines: list[str]) -> list[str]:
    pieces: list[str] = []
    for line in lines:
        pieces.extend(_windows(line))
    if len(lines) <= MAX_LINES_FOR_GROUPS:
        for index in range(len(lines) - 2):
            group = lines[index : index + 3]
            if all(len(line) <= SHORT_LINE_CHARS for line in group):
                pieces.append(" ".join(group))
    return pieces


def split_segments(raw: str) -> list[Segment]:
    """Distinct, non-empty segments of a paste, in order of first appearance."""
    text = clean_text(raw[:MAX_INPUT_CHARS])
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in dict.fromkeys(lines) if line]
    segments: dict[str, Segment] = {}
    for piece in _pieces(lines):
        key = canonical(piece)
        tokens = tokenize(key)
        if tokens and key not in segments:
            segments[key] = Segment(piece, key, frozenset(tokens))
            if len(segments) >= MAX_SEGMENTS:
                break
    return list(segments.values())
