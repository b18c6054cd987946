"""Score the learned decision's answers on labelled pastes, exactly as the product gives them.

A `Tally` counts what a user notices: right first answers, the right entry among the three
listed, answers that are wrong (confident wrong), and answers given to pastes that should get
none, per negative class. `after` is the decision's verdict on a paste's question
(intents.calibration.decision, what the `learned` rule applies) and the ids the reply lists.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bench.calibration_data import Pooled
from intents.calibration import Decision, Verdict, decide

LISTED = 3
NEGATIVE_CLASSES = ("healthy", "out-of-catalog", "chat")

Row = tuple[Pooled, dict[str, float]]
"""A pooled paste and the text model's (out-of-fold) probability of every class."""


@dataclass
class Tally:
    """What a user notices, counted over pastes."""

    positives: int = 0
    right: int = 0
    listed: int = 0
    wrong: int = 0
    answered: Counter[str] = field(default_factory=Counter)

    def add(self, pooled: Pooled, answer: str | None, listed: Sequence[str]) -> None:
        if pooled.positive:
            self.positives += 1
            self.right += pooled.right(answer)
            self.listed += bool(set(listed) & set(pooled.case.expected))
            self.wrong += answer is not None and not pooled.right(answer)
        elif answer is not None:
            self.answered[pooled.case.klass] += 1

    def within(self, budget: Tally) -> bool:
        """No more confident wrong answers, and no more answers to any negative class."""
        return self.wrong <= budget.wrong and all(
            self.answered[k] <= budget.answered[k] for k in NEGATIVE_CLASSES
        )

    @property
    def bad(self) -> int:
        return self.wrong + sum(self.answered.values())

    def figures(self) -> dict[str, object]:
        return {
            "positives": self.positives,
            "top1": self.right,
            "top3": self.listed,
            "confident_wrong": self.wrong,
            "negatives_answered": dict(sorted(self.answered.items())),
        }

    def line(self) -> str:
        n = self.positives or 1
        return (
            f"top-1 {self.right}/{self.positives} = {self.right / n:.3f}, top-3 {self.listed / n:.3f}, "
            f"confident wrong {self.wrong} ({self.wrong / n:.3f}), "
            f"negatives answered {dict(sorted(self.answered.items()))}"
        )


def listed_three(listing: Sequence[str], because: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The ids a reply lists: three slots, a symptom explained by a kept cause taking none
    (as intents.decision.judgements.within_slots counts them)."""
    kept: list[str] = []
    slots = 0
    for entry_id in listing:
        if not set(because.get(entry_id, ())) & set(kept):
            if slots >= LISTED:
                continue
            slots += 1
        kept.append(entry_id)
    return tuple(kept)


def verdict_and_listed(
    pooled: Pooled,
    probabilities: dict[str, float],
    decision: Decision,
    chances: dict[str, float] | None = None,
) -> tuple[Verdict, tuple[str, ...]]:
    """The decision's verdict and the ids the reply lists (`chances`: P(right) given, e.g. out of fold)."""
    verdict = decide(pooled.question, probabilities, decision, chances)
    return verdict, listed_three(verdict.listing, {c.id: c.because for c in pooled.candidates})


def before(rows: Iterable[Pooled]) -> Tally:
    """The rules' own answers and listings."""
    tally = Tally()
    for pooled in rows:
        tally.add(pooled, pooled.before_answer, pooled.before_listed)
    return tally


def tally_after(
    rows: Iterable[Row], decision: Decision, chances: Sequence[dict[str, float]] | None = None
) -> Tally:
    """The answers and listings with the learned decision (`chances`: each row's P(right) given)."""
    tally = Tally()
    for number, (pooled, probabilities) in enumerate(rows):
        verdict, listed = verdict_and_listed(
            pooled, probabilities, decision, chances[number] if chances is not None else None
        )
        tally.add(pooled, verdict.answer, listed)
    return tally
