"""Cut a paste into bounded segments: lines, windows of long lines, short-line groups.

Matching is per segment, so the work is bounded by the number of distinct
segments, never by a single huge line: a 500 KB line becomes overlapping
windows, and 10,000 copies of one error line (or lines that differ only in
their digits: timestamps, ids, durations) become one segment.  A healthy
field value is erased first (see intents.fields).  Groups of
three consecutive short lines let a symptom that `kubectl describe` spreads
over several lines ("Reason: OOMKilled" / "Exit Code: 137") match as one.

An optional `relevant` test lets the matcher skip, before the costly
normalisation, lines that share no word with any discriminating catalog
token: in a 40 KB application log that is nearly every line.

An optional `read` grammar (intents.messages.reader) reads each line as the
messages components print: a line it explains (claims) is no segment and in
no group, so no fuzzy symptom can read it as something else; the lines whose
verdict names entries come back with their segment, for the matcher to
credit those entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from intents.fields import erase_healthy_fields
from intents.normalize import (
    SIGNIFICANT_NUMBER,
    canonical,
    canonical_lines,
    clean_text,
    fold_misspellings,
)
from intents.policy import POLICY
from intents.tokens import tokenize

if TYPE_CHECKING:
    from intents.messages.reader import LineVerdict, MessageGrammar

MAX_INPUT_CHARS = 2_000_000
MAX_SEGMENTS = 20_000
MAX_LINES_FOR_GROUPS = 5_000


@dataclass(frozen=True)
class Segment:
    """One comparable piece of a paste."""

    text: str
    canonical: str
    tokens: frozenset[str]
    span: tuple[int, int] = (-1, -1)
    """First and last line (in order of first appearance of distinct lines) it covers."""

    def overlaps(self, other: Segment) -> bool:
        """Do the two segments share a line? (unknown spans count as shared)"""
        if self.span[0] < 0 or other.span[0] < 0:
            return True
        return self.span[0] <= other.span[1] and other.span[0] <= self.span[1]


def _windows(line: str) -> list[str]:
    if len(line) <= POLICY.window_chars:
        return [line]
    last_start = max(len(line) - POLICY.window_chars, 0)
    starts = list(range(0, last_start, POLICY.window_step)) + [last_start]
    return [line[start : start + POLICY.window_chars] for start in starts]


class _Builder:
    """Collects distinct segments; each line is normalised once, in one block pass."""

    def __init__(self) -> None:
        self.segments: dict[str, Segment] = {}

    def add(self, text: str, key: str, tokens: frozenset[str], span: tuple[int, int]) -> None:
        if tokens and key not in self.segments and len(self.segments) < MAX_SEGMENTS:
            self.segments[key] = Segment(text, key, tokens, span)


_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")
_DIGITS_AS_LETTERS = str.maketrans("0123456789", "abcdefghij")
_VALUE_WORDS = ("code", "status", "errno", "signal")
_VALUED_NUMBER = re.compile(SIGNIFICANT_NUMBER.pattern, re.IGNORECASE)


def _keep_value(match: re.Match[str]) -> str:
    return match.group(1) + match.group(2) + match.group(3).translate(_DIGITS_AS_LETTERS)


def _repeat_key(line: str, lowered: str) -> str:
    """The line with its digits blanked, except the numbers that keep their value after
    normalising (exit/status codes, errno, signals: see intents.normalize)."""
    if any(word in lowered for word in _VALUE_WORDS):
        line = _VALUED_NUMBER.sub(_keep_value, line)
    return line.translate(_DIGITS_AS_ZERO)


def _distinct_lines(text: str) -> list[str]:
    """Each distinct non-empty line, stripped, in order of first appearance.

    Lines equal but for their digits count as one (log lines differ by ids,
    timestamps and timings), unless the digits differ in a number that keeps
    its value (exit code 1 and exit code 137 are two lines).
    """
    first: dict[str, str] = {}
    for raw_line, lowered in zip(text.split("\n"), text.lower().split("\n")):
        line = raw_line.strip()
        if line:
            first.setdefault(_repeat_key(line, lowered), line)
    return list(first.values())


def _grouped(lines: list[str], start: int) -> bool:
    return all(len(line) <= POLICY.short_line_chars for line in lines[start : start + 3])


@dataclass
class ReadPaste:
    """A paste's segments, and the lines the grammar read (with their own segment)."""

    segments: list[Segment]
    verdicts: list[tuple[Segment, LineVerdict]] = field(default_factory=list)
    regex_only: list[Segment] = field(default_factory=list)
    """Claimed lines other than scheduler messages: an entry's own regex may still read them."""


def _continued(
    grammar: MessageGrammar, lines: list[str], number: int, verdict: LineVerdict
) -> tuple[LineVerdict, int]:
    """A scheduler message broken over lines (wrapped by a terminal or by hand, "1 node(s) had
    taint {...},\nthat the pod didn't tolerate, 2 node(s) ..."): the verdict on the lines
    joined, while joining reads more of it, and how many lines it took."""
    best, taken, text = verdict, 1, lines[number]
    for extra in range(1, POLICY.continuation_lines + 1):
        if text.rstrip().endswith(".") or number + extra >= len(lines):
            break
        text = f"{text} {lines[number + extra]}"
        joined = grammar.read(text)
        if joined is None or not _reads_more(joined, best):
            break
        best, taken = joined, extra + 1
    return best, taken


def _reads_more(joined: LineVerdict, best: LineVerdict) -> bool:
    """The joined lines keep every clause and answer more of them, or newly claim the line."""
    if len(joined.clauses) < len(best.clauses):
        return False
    answered = sum(c.answer != "" for c in joined.clauses) > sum(
        c.answer != "" for c in best.clauses
    )
    return answered or (joined.claimed and not best.claimed)


def split_segments(raw: str, *, relevant: Callable[[str], bool] | None = None) -> list[Segment]:
    """Distinct, non-empty segments of a paste, in order of first appearance."""
    return read_segments(raw, relevant=relevant).segments


def read_segments(
    raw: str,
    *,
    relevant: Callable[[str], bool] | None = None,
    grammar: MessageGrammar | None = None,
) -> ReadPaste:
    """The paste's segments, lines the grammar claims left out (see the module docstring)."""
    lines = _distinct_lines(fold_misspellings(clean_text(raw[:MAX_INPUT_CHARS])))
    keep = [relevant is None or relevant(line) for line in lines]
    read, claimed = _grammar_read(grammar, lines) if grammar is not None else ([], set())
    for number in claimed:
        keep[number] = False
    group_starts = _group_starts(lines, keep, claimed)
    kept = [n for n, wanted in enumerate(keep) if wanted]
    grouped = {start + offset for start in group_starts for offset in range(3)}
    text_of, keys = _texts_and_keys(lines, sorted(set(kept) | grouped))
    segments = _built(text_of, keys, kept, group_starts)
    return ReadPaste(segments, *_read_lines(lines, read))


def _texts_and_keys(lines: list[str], needed: list[int]) -> tuple[dict[int, str], dict[int, str]]:
    """Each needed line's text, healthy field statements erased, and its canonical key."""
    # a healthy field statement never reaches a symptom (only the lines matched are read)
    text_of = {n: erase_healthy_fields(lines[n]).strip() for n in needed}
    keys = dict(zip(needed, canonical_lines("\n".join(text_of[n] for n in needed))))
    return text_of, keys


def _grammar_read(
    grammar: MessageGrammar,
    lines: list[str],
) -> tuple[list[tuple[int, LineVerdict]], set[int]]:
    """The grammar's verdict on each line it reads, and the line numbers it claims."""
    read: list[tuple[int, LineVerdict]] = []
    claimed: set[int] = set()
    for number, line in enumerate(lines):
        verdict = grammar.read(line)
        if verdict is None:
            continue
        taken = 1
        if verdict.clauses:
            verdict, taken = _continued(grammar, lines, number, verdict)
        read.append((number, verdict))
        if verdict.claimed:
            claimed.update(range(number, number + taken))
    return read, claimed


def _group_starts(lines: list[str], keep: list[bool], claimed: set[int]) -> list[int]:
    """Where three unclaimed lines, one of them kept, read as one group (short pastes only)."""
    if len(lines) > MAX_LINES_FOR_GROUPS:
        return []
    return [
        start
        for start in range(len(lines) - 2)
        if any(keep[start : start + 3])
        and _grouped(lines, start)
        and claimed.isdisjoint(range(start, start + 3))
    ]


def _built(
    text_of: dict[int, str], keys: dict[int, str], kept: list[int], group_starts: list[int]
) -> list[Segment]:
    """Segments of the kept lines (long ones in windows), then of the groups of three."""
    tokens: dict[int, frozenset[str]] = {}

    def tokens_of(number: int) -> frozenset[str]:
        if number not in tokens:
            tokens[number] = frozenset(tokenize(keys[number]))
        return tokens[number]

    builder = _Builder()
    for number in kept:
        line = text_of[number]
        if len(line) <= POLICY.window_chars:
            builder.add(line, keys[number], tokens_of(number), (number, number))
            continue
        for window in _windows(line):
            window_key = canonical(window)
            builder.add(window, window_key, frozenset(tokenize(window_key)), (number, number))
    for start in group_starts:
        group = range(start, start + 3)
        builder.add(
            " ".join(text_of[n] for n in group),
            " ".join(keys[n] for n in group),
            frozenset().union(*(tokens_of(n) for n in group)),
            (start, start + 2),
        )
    return list(builder.segments.values())


def _read_lines(
    lines: list[str],
    read: list[tuple[int, LineVerdict]],
) -> tuple[list[tuple[Segment, LineVerdict]], list[Segment]]:
    """The lines with the grammar's answers, and the claimed lines left to entries' regexes."""
    verdicts: list[tuple[Segment, LineVerdict]] = []
    regex_only: list[Segment] = []
    for number, verdict in read:
        regex_left = verdict.claimed and not verdict.clauses
        if not verdict.answers and not regex_left:
            continue
        key = canonical(lines[number][: POLICY.window_chars])
        segment = Segment(lines[number], key, frozenset(tokenize(key)), (number, number))
        if verdict.answers:
            verdicts.append((segment, verdict))
        if regex_left:
            regex_only.append(segment)
    return verdicts, regex_only
