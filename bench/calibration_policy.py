"""Score the learned rule's answers on labelled pastes, exactly as the product gives them.

A `Tally` counts what a user notices: right first answers, the right entry among the three
listed, answers that are wrong (confident wrong), and answers given to pastes that should get
none, per negative class. `after` is the learned rule's verdict on a paste's candidates
(intents.calibration.judge, what the `learned` rule applies) and the ids the reply lists;
bench/calibration_search.py chooses the policy with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from bench.calibration_data import Pooled
from intents.calibration import Assessment, Candidate, Policy, judge

LISTED = 3
NEGATIVE_CLASSES = ("healthy", "out-of-catalog", "chat")

Row = tuple[Pooled, dict[str, float]]
"""A pooled paste and the model's (out-of-fold) probability of every class."""


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
            self.answered[k] <= budget.answered[k] for k in NEGATIVE_CLASSES)

    @property
    def bad(self) -> int:
        return self.wrong + sum(self.answered.values())

    def merged(self, other: Tally) -> Tally:
        return Tally(self.positives + other.positives, self.right + other.right,
                     self.listed + other.listed, self.wrong + other.wrong, self.answered + other.answered)


def listed_three(listing: Sequence[str], because: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """The ids a reply lists: three slots, a symptom explained by a kept cause taking none
    (as intents.decision.rules.within_slots counts them)."""
    kept: list[str] = []
    slots = 0
    for entry_id in listing:
        if not set(because.get(entry_id, ())) & set(kept):
            if slots >= LISTED:
                continue
            slots += 1
        kept.append(entry_id)
    return tuple(kept)


def verdict_and_listed(candidates: Sequence[Candidate], probabilities: dict[str, float], policy: Policy,
                       refuted: Collection[str] = ()) -> tuple[Assessment, tuple[str, ...]]:
    """The learned rule's verdict and the ids the reply lists."""
    verdict = judge(candidates, probabilities, policy, refuted)
    return verdict, listed_three(verdict.listing, {c.id: c.because for c in candidates})


def before(rows: Iterable[Pooled]) -> Tally:
    """The rules' own answers and listings."""
    tally = Tally()
    for pooled in rows:
        tally.add(pooled, pooled.before_answer, pooled.before_listed)
    return tally


def tally_after(rows: Iterable[Row], policy: Policy) -> Tally:
    """The answers and listings with the learned rule under `policy`."""
    tally = Tally()
    for pooled, probabilities in rows:
        verdict, listed = verdict_and_listed(pooled.candidates, probabilities, policy, pooled.refuted)
        tally.add(pooled, verdict.answer, listed)
    return tally
