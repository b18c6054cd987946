"""Score the learned rule's answers on labelled pastes, and choose its thresholds.

A `Tally` counts what a user notices: right first answers, the right entry among the three
listed, answers that are wrong (confident wrong), and answers given to pastes that should get
none, per negative class. Thresholds are chosen on out-of-fold probabilities of the
development half only: the highest top-1 with no more confident wrong answers and no more
answers to any negative class than the product gives there.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from bench.calibration_data import Pooled
from intents.calibration import Assessment, Policy, judge
from intents.calibration.assess import decide

LISTED = 3
NEGATIVE_CLASSES = ("healthy", "out-of-catalog", "chat")
PROMOTE = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 2.0)
GATE = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3)
SWITCH = (0.5, 0.6, 0.7, 0.8, 0.9, 2.0)
SUGGEST = (0, 1, 2, 3)
"""The grids searched (2.0: never)."""

Row = tuple[Pooled, dict[str, float]]
"""A pooled paste and the model's out-of-fold probability of every class."""


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
    (as bot.diagnosis.ranking.within_slots counts them)."""
    kept: list[str] = []
    slots = 0
    for entry_id in listing:
        if not set(because.get(entry_id, ())) & set(kept):
            if slots >= LISTED:
                continue
            slots += 1
        kept.append(entry_id)
    return tuple(kept)


def after(pooled: Pooled, probabilities: dict[str, float], policy: Policy) -> tuple[Assessment, tuple[str, ...]]:
    """The learned rule's verdict and the ids the reply would list."""
    verdict = judge(pooled.candidates, probabilities, policy)
    return verdict, listed_three(verdict.listing, pooled.because)


def before(rows: Iterable[Pooled]) -> Tally:
    tally = Tally()
    for pooled in rows:
        tally.add(pooled, pooled.before_answer, pooled.before_listed)
    return tally


def _answers(rows: Sequence[Row], policy: Policy) -> Tally:
    tally = Tally()
    for pooled, probabilities in rows:
        ranked = pooled.candidates
        known = {c.id: probabilities[c.id] for c in ranked if c.id in probabilities}
        _action, answer = decide(ranked, known, policy)
        tally.add(pooled, answer, ())
    return tally


def choose_policy(rows: Sequence[Row]) -> tuple[Policy, Tally]:
    """The thresholds with the highest top-1 within the product's budget of bad answers.

    Promoting acts only on pastes the rules leave silent, gating and switching only on medium
    answers the words alone support, so the two searches are separate and their tallies add."""
    quiet = [not pooled.candidates or pooled.candidates[0].confidence == "low" for pooled, _ in rows]
    silent = [row for row, is_quiet in zip(rows, quiet) if is_quiet]
    spoken = [row for row, is_quiet in zip(rows, quiet) if not is_quiet]
    budget = before(pooled for pooled, _ in rows)
    by_promote = {p: _answers(silent, Policy(p, 0.0, 2.0, 0)) for p in PROMOTE}
    by_gate = {(g, s): _answers(spoken, Policy(2.0, g, s, 0)) for g, s in itertools.product(GATE, SWITCH)}
    best: tuple[tuple[float, ...], Policy, Tally] | None = None
    for promote, (gate, switch) in itertools.product(PROMOTE, by_gate):
        tally = by_promote[promote].merged(by_gate[gate, switch])
        if not tally.within(budget):
            continue
        key = (tally.right, -tally.bad, promote, -gate, switch)
        if best is None or key > best[0]:
            best = (key, Policy(promote, gate, switch, 0), tally)
    if best is None:
        raise RuntimeError("no threshold keeps within the product's bad answers (never promoting should)")
    policy = best[1]
    listed = {n: _listed(rows, Policy(policy.promote, policy.gate, policy.switch, n)) for n in SUGGEST}
    suggest = min(n for n in SUGGEST if listed[n] == max(listed.values()))
    return Policy(policy.promote, policy.gate, policy.switch, suggest), best[2]


def _listed(rows: Sequence[Row], policy: Policy) -> int:
    return sum(bool(set(after(pooled, probabilities, policy)[1]) & set(pooled.case.expected))
               for pooled, probabilities in rows if pooled.positive)


def tally_after(rows: Iterable[Row], policy: Policy) -> Tally:
    tally = Tally()
    for pooled, probabilities in rows:
        verdict, listed = after(pooled, probabilities, policy)
        tally.add(pooled, verdict.answer, listed)
    return tally
