"""Run the matcher over the labelled corpus and measure what a user would see.

Shared by the corpus accuracy tests and `python -m bench.calibrate`, so the
figures the tests assert, the reliability table and the docs/matching.md table are
computed one way.  The bot's answer is the top match when its confidence
is high or medium; a low top match is no answer.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from intents.packs import PACKS_DIR
from intents.results import Match
from tests.corpus_cases import (
    CORPUS,
    NEGATIVE_CLASSES,
    multi_cases,
    negative_cases_by_class,
    positive_cases,
    read_case,
)

LEVELS = ("high", "medium", "low")
MatchFunction = Callable[[str], Sequence[Match]]


@dataclass(frozen=True)
class Outcome:
    """The matcher's top 3 for one corpus paste."""

    path: Path
    expected: tuple[str, ...]
    ranked: tuple[tuple[str, float, str], ...]

    @property
    def answer(self) -> str | None:
        """The id the bot would answer with, or None when it stays quiet."""
        if self.ranked and self.ranked[0][2] != "low":
            return self.ranked[0][0]
        return None

    @property
    def level(self) -> str:
        return self.ranked[0][2] if self.ranked else "low"

    @property
    def top1_right(self) -> bool:
        return bool(self.ranked) and self.ranked[0][0] in self.expected

    @property
    def top3_ids(self) -> list[str]:
        return [entry_id for entry_id, _score, _level in self.ranked]

    def describe(self) -> str:
        got = ", ".join(f"{i} {s:.2f} {c}" for i, s, c in self.ranked) or "nothing"
        where = self.path.relative_to(
            CORPUS if self.path.is_relative_to(CORPUS) else PACKS_DIR.parent
        )
        return f"{where}: got [{got}]"


@dataclass
class CorpusReport:
    """Every outcome on the corpus, with the figures derived from them."""

    positives: list[Outcome] = field(default_factory=list)
    multi: list[Outcome] = field(default_factory=list)
    negatives: dict[str, list[Outcome]] = field(default_factory=dict)

    @property
    def top1(self) -> int:
        """Positives answered (high or medium) with the expected id."""
        return sum(o.answer is not None and o.top1_right for o in self.positives)

    @property
    def top3(self) -> int:
        return sum(o.expected[0] in o.top3_ids for o in self.positives)

    def confusions(self) -> list[str]:
        """Positives not answered right, one line each."""
        return [o.describe() for o in self.positives if not (o.answer and o.top1_right)]

    def multi_failures(self) -> list[str]:
        return [o.describe() for o in self.multi if not set(o.expected) <= set(o.top3_ids)]

    def answered(self, negative_class: str) -> list[Outcome]:
        """Negatives of one class that got an answer (each one is a wrong public answer)."""
        return [o for o in self.negatives.get(negative_class, []) if o.answer is not None]

    def reliability(self) -> list[tuple[str, int, int, int]]:
        """Per confidence level: positives at that level, how many have the right top-1,
        and negatives (all classes) whose top match is at that level."""
        negatives = [o for outcomes in self.negatives.values() for o in outcomes if o.ranked]
        return [
            (
                level,
                sum(o.level == level for o in self.positives),
                sum(o.level == level and o.top1_right for o in self.positives),
                sum(o.level == level for o in negatives),
            )
            for level in LEVELS
        ]


def _outcome(match: MatchFunction, path: Path, expected: Sequence[str]) -> Outcome:
    ranked = tuple((m.id, m.score, m.confidence) for m in match(read_case(path)))
    return Outcome(path, tuple(expected), ranked)


def evaluate(match: MatchFunction) -> CorpusReport:
    """Run `match` (paste -> ranked matches, best first) over the whole corpus."""
    report = CorpusReport()
    report.positives = [_outcome(match, path, [label]) for path, label in positive_cases()]
    report.multi = [_outcome(match, path, labels) for path, labels in multi_cases()]
    by_class = negative_cases_by_class()
    report.negatives = {
        name: [_outcome(match, path, []) for path in by_class[name]] for name in NEGATIVE_CLASSES
    }
    return report


def ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} = {part / whole:.3f}" if whole else "0/0"
