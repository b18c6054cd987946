"""Read a line as the messages Kubernetes components print (see intents.messages.formats).

A line is tried only against the formats whose anchor word it holds, so
reading a long log costs one word split per line.  A format whose `cause`
argument wraps another component's error ("Failed to pull image %q: %v"
around containerd's "pull access denied ...") has that argument read in
turn, and the innermost reading that names an answer decides.

What a line's readings mean for matching (`LineVerdict`):
- an entry: the line is that problem; it answers for it, and no other entry's
  fuzzy symptom may read the line as something else;
- `not-a-problem` or `uncovered`: the line is explained (normal operation, or
  a known message no entry covers): it answers nothing and nothing else
  reads it;
- `symptom`, or no reading: the line is left to the matcher;
- a wrapper whose cause argument no format reads ("admission webhook %q
  denied the request: %s" around a policy's own words) names its entry but
  leaves the line to the matcher too: an entry that recognises the detail is
  the more specific answer.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from intents.messages.formats import (
    NOT_A_PROBLEM,
    SYMPTOM,
    UNCOVERED,
    FormatMatch,
    MessageFormat,
    load_formats,
)
from intents.messages.frames import joined
from intents.scheduling import UNREAD, Clause, clauses
from intents.scheduling import answers as clause_answers

WORDS = re.compile(r"[a-z]{3,}")
_SCHEDULER_WORDS = frozenset({"available", "predicates", "summary", "trigger"})
MAX_LINE_CHARS = 8_000
MAX_DEPTH = 4


@dataclass(frozen=True)
class Reading:
    """One format found in a text, the answer it gives, and where."""

    format: MessageFormat
    answer: str
    start: int
    end: int
    args: tuple[str, ...]
    open: bool = False
    """A wrapper whose cause argument no format reads: the detail is left to the matcher."""


@dataclass(frozen=True)
class LineVerdict:
    """What the grammar makes of one line."""

    answers: tuple[str, ...]
    """Catalog entry ids the line states, most important first."""
    open_answers: frozenset[str] = frozenset()
    """Those named only by a wrapper whose detail is left to the matcher (a weaker answer)."""
    readings: tuple[Reading, ...] = ()
    claimed: bool = False
    """The line is explained by the grammar: no fuzzy symptom may read it."""
    clauses: tuple[Clause, ...] = ()
    """The clauses of a scheduler message (see intents.scheduling)."""


class MessageGrammar:
    """Every message-family format, indexed by anchor word.  With `known`, an answer that is
    no entry of that catalog reads as a symptom (said, not explained: left to the matcher)."""

    def __init__(
        self, formats: Sequence[MessageFormat], known: frozenset[str] | None = None
    ) -> None:
        self.known = known
        self.top: dict[str, list[MessageFormat]] = defaultdict(list)
        self.inner: dict[str, list[MessageFormat]] = defaultdict(list)
        for fmt in formats:
            if fmt.family != "message" or not fmt.anchor:
                continue
            self.inner[fmt.anchor].append(fmt)
            if not fmt.nested:
                self.top[fmt.anchor].append(fmt)
        self.anchors = frozenset(self.top)

    @classmethod
    def default(cls) -> MessageGrammar:
        return _default()

    @classmethod
    def for_catalog(cls, entry_ids: Iterable[str]) -> MessageGrammar:
        """The grammar answering only with these entries (and not-a-problem / uncovered)."""
        return cls(load_formats(), frozenset(entry_ids))

    def _known(self, answer: str) -> bool:
        return (
            self.known is None
            or answer in self.known
            or answer in (NOT_A_PROBLEM, UNCOVERED, SYMPTOM)
        )

    def read(self, line: str, words: Iterable[str] | None = None) -> LineVerdict | None:
        """The verdict for one line, or None when no format reads it."""
        text = line[:MAX_LINE_CHARS]
        found = set(WORDS.findall(text.lower())) if words is None else set(words)
        if not _SCHEDULER_WORDS.isdisjoint(found):
            read = clauses(text)
            if read and self.known is not None:
                read = [c if self._known(c.answer) else replace(c, answer=UNREAD) for c in read]
            if read:
                return LineVerdict(
                    tuple(clause_answers(read)),
                    claimed=all(c.answer != UNREAD for c in read),
                    clauses=tuple(read),
                )
        if self.anchors.isdisjoint(found):
            return None
        verdict = self._verdict(text, found)
        framed = joined(text)
        if framed is not None:
            # a structured logger's message and error field, read as one wrapped error
            other = self._verdict(framed, set(WORDS.findall(framed.lower())))
            if other is not None and (verdict is None or _strength(other) > _strength(verdict)):
                return other
        return verdict

    def _verdict(self, text: str, found: set[str]) -> LineVerdict | None:
        readings = self._read(text, found, self.top, 0)
        if not readings:
            return None
        answers: list[str] = []
        weak: set[str] = set()
        claimed = True
        for reading in readings:
            if reading.answer == SYMPTOM or reading.open:
                claimed = False
            if (
                reading.answer not in (SYMPTOM, NOT_A_PROBLEM, UNCOVERED)
                and reading.answer not in answers
            ):
                answers.append(reading.answer)
                if reading.open:
                    weak.add(reading.answer)
        return LineVerdict(tuple(answers), frozenset(weak), tuple(readings), claimed)

    def _read(
        self, text: str, words: set[str], index: dict[str, list[MessageFormat]], depth: int
    ) -> list[Reading]:
        """Non-overlapping readings of `text`, outermost first, each with its resolved answer."""
        matches: list[tuple[int, int, MessageFormat, FormatMatch]] = []
        folded = text.casefold()
        for word in words & index.keys():
            for fmt in index[word]:
                if not fmt.may_match(folded):
                    continue
                found = fmt.pattern.search(text)
                if found is not None:
                    matches.append((found.start(), -(found.end() - found.start()), fmt, found))
        matches.sort(key=lambda m: (m[0], m[1], m[2].key))
        chosen: list[Reading] = []
        end = -1
        for start, _length, fmt, hit in matches:
            if start < end:
                continue  # inside an outer reading: read through its cause, if at all
            chosen.append(self._resolve(fmt, hit, depth))
            end = hit.end()
        return chosen

    def _resolve(self, fmt: MessageFormat, found: FormatMatch, depth: int) -> Reading:
        args = tuple(_unquote(arg or "") for arg in found.groups())
        answer = fmt.answer(args)
        if not self._known(answer):
            answer = SYMPTOM
        read_through = False
        if fmt.cause and depth < MAX_DEPTH and fmt.cause <= len(args):
            detail = found.group(fmt.cause) or ""
            inner = self._read(detail, set(WORDS.findall(detail.lower())), self.inner, depth + 1)
            named = [r for r in inner if r.answer != SYMPTOM and not r.open]
            if named:
                answer, read_through = fmt.recast_answer(named[0].answer), True
            elif any(r.answer != SYMPTOM for r in inner):
                answer = fmt.recast_answer(next(r.answer for r in inner if r.answer != SYMPTOM))
        return Reading(
            fmt, answer, found.start(), found.end(), args, open=bool(fmt.cause) and not read_through
        )


def _strength(verdict: LineVerdict) -> tuple[bool, bool, int]:
    """How much a verdict says: a firm answer, then a claimed line, then how many readings."""
    return (
        bool(set(verdict.answers) - verdict.open_answers),
        verdict.claimed,
        len(verdict.readings),
    )


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_GRAMMAR: list[MessageGrammar] = []


def _default() -> MessageGrammar:
    if not _GRAMMAR:
        _GRAMMAR.append(MessageGrammar(load_formats()))
    return _GRAMMAR[0]
