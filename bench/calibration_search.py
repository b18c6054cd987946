"""Choose the learned rule's policy on the development half, within the suite's own cases.

Two steps, each over a grid, on out-of-fold probabilities (cross-validation grouped by source
repository, bench/train_calibration.py):
1. what may change the answer: the promotion threshold and its guards (a minimum rule score;
   may a candidate the pasted facts refute, or whose required context is absent, be promoted;
   only one a tie silenced?), the veto thresholds for medium and high answers the words alone
   support, and the switch threshold. Chosen: the most right answers net of wrong ones
   (right - confident wrong), with no more confident wrong answers and no more answers to
   any negative class than the rules give on the development half, and no suite case broken
   (bench/calibration_constraints.py);
2. what the listing shows: from which rule score the unsaid candidates are ordered by the
   model, and how many suggestions from which probability. Chosen: the most positives with a
   right id among the three listed, no suite case broken.
Ties go to the policy that changes less (higher floors, fewer suggestions, guards on).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from bench.calibration_constraints import SuiteCase
from bench.calibration_policy import (
    NEGATIVE_CLASSES,
    Row,
    Tally,
    before,
    tally_after,
)
from intents.calibration import Candidate, Policy
from intents.calibration.model import NONE

FLOORS = (0.0, 0.25, 0.3, 0.35, 0.4, 0.45)
PROMOTE = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99, 2.0)
GATE = (0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3)
GATE_HIGH = (0.0, 0.005, 0.01, 0.02, 0.05)
SWITCH = (0.5, 0.6, 0.7, 0.8, 0.9, 2.0)
ORDER_FLOORS = (0.0, 0.3, 0.45, 2.0)
SUGGEST = (0, 1, 2, 3)
SUGGEST_MIN = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5)
"""The grids searched (a probability above 1: never; an order floor above 1: the rules' order)."""
NEVER = Policy(promote=2.0, order_floor=2.0)
"""The policy that changes nothing."""


BLOCKING = ((), ("evidence",), ("evidence", "requires context"),
            ("evidence", "requires context", "needs a rare word"),
            ("evidence", "requires context", "needs a rare word", "catch-all", "catch-all yields", "scheduler clauses"))
"""Which rules' judgement the model may not overturn, from none to every rule that lowers a
candidate for what the paste lacks or shows (facts, context, common words, a catch-all)."""


@dataclass(frozen=True)
class Guards:
    """Which candidates the model may make the answer."""

    floor: float
    blocked_by: tuple[str, ...]
    ties_only: bool

    def policy(self, **thresholds: float) -> Policy:
        return replace(NEVER, promote_floor=self.floor, promote_blocked_by=self.blocked_by,
                       promote_ties_only=self.ties_only, **thresholds)

    def strictness(self) -> tuple[float, ...]:
        return (self.floor, len(self.blocked_by), self.ties_only)


GUARDS = [Guards(*g) for g in itertools.product(FLOORS, BLOCKING, (False, True))]


@dataclass
class Situations:
    """Each paste's situation under each set of guards, as arrays (one entry per paste)."""

    silent: np.ndarray
    kind: np.ndarray
    """0: silent, or an answer the model may not touch (confirmed, named outright, unknown to
    it); 1: a medium answer on the words alone; 2: a high one."""
    p_first: np.ndarray
    best_p: np.ndarray
    """[guards, paste]: the likeliest promotable candidate's probability (-1: none)."""
    best_is_first: np.ndarray


def situations(candidate_lists: Sequence[Sequence[Candidate]], probabilities: Sequence[dict[str, float]]) -> Situations:
    n = len(candidate_lists)
    silent, kind, p_first = np.zeros(n, bool), np.zeros(n, int), np.zeros(n)
    best_p, best_first = np.full((len(GUARDS), n), -1.0), np.zeros((len(GUARDS), n), bool)
    for row, (candidates, known) in enumerate(zip(candidate_lists, probabilities)):
        ranked = sorted(candidates, key=lambda c: c.rank)
        if not ranked:
            continue
        first = ranked[0]
        silent[row] = first.confidence == "low"
        p_first[row] = known.get(first.id, -1.0)
        if not silent[row] and not (first.confirmed or first.named_outright or first.id not in known):
            kind[row] = 1 if first.confidence == "medium" else 2
        for g, guards in enumerate(GUARDS):
            policy = guards.policy()
            for candidate in ranked:
                p = known.get(candidate.id) if candidate.id != NONE else None
                if p is not None and policy.promotable(candidate) and p > best_p[g, row]:
                    best_p[g, row], best_first[g, row] = p, candidate is first
    return Situations(silent, kind, p_first, best_p, best_first)


COMBOS = np.array(list(itertools.product(GATE, GATE_HIGH, SWITCH, SWITCH)))
"""Every (gate, gate_high, switch, switch_high): what acts on an answer the rules give."""


def promoted(s: Situations, g: int) -> np.ndarray:
    """[paste, promote threshold]: is the paste's likeliest promotable candidate answered?"""
    return s.silent[:, None] & (s.best_p[g][:, None] >= np.array(PROMOTE)[None, :])


def switched_vetoed(s: Situations, g: int) -> tuple[np.ndarray, np.ndarray]:
    """[paste, combo]: is the rules' answer switched to the likeliest promotable candidate,
    or vetoed?"""
    gate, gate_high, switch, switch_high = (COMBOS[:, k][None, :] for k in range(4))
    best, pf = s.best_p[g][:, None], s.p_first[:, None]
    medium, high = (s.kind == 1)[:, None], (s.kind == 2)[:, None]
    switched = (((medium & (best >= switch)) | (high & (best >= switch_high)))
                & ~s.best_is_first[g][:, None] & (best > pf))
    vetoed = ~switched & ((medium & (pf < gate)) | (high & (pf < gate_high)))
    return switched, vetoed


@dataclass
class Outcomes:
    """Per paste: is it positive, its negative class (-1: positive), is the rules' answer right,
    is each guard's likeliest promotable candidate right."""

    positive: np.ndarray
    klass: np.ndarray
    answered: np.ndarray
    first_right: np.ndarray
    best_right: np.ndarray


def outcomes(rows: Sequence[Row]) -> Outcomes:
    n = len(rows)
    best_right = np.zeros((len(GUARDS), n), bool)
    for row, (pooled, known) in enumerate(rows):
        for g, guards in enumerate(GUARDS):
            policy = guards.policy()
            promotable = [c for c in sorted(pooled.candidates, key=lambda c: c.rank)
                          if c.id in known and policy.promotable(c)]
            best = max(promotable, key=lambda c: known[c.id], default=None)
            best_right[g, row] = best is not None and pooled.right(best.id)
    return Outcomes(
        positive=np.array([p.positive for p, _ in rows]),
        klass=np.array([NEGATIVE_CLASSES.index(p.case.klass) if not p.positive else -1 for p, _ in rows]),
        answered=np.array([p.before_answer is not None for p, _ in rows]),
        first_right=np.array([p.right(p.before_answer) for p, _ in rows]),
        best_right=best_right)


def _counts(o: Outcomes, answered: np.ndarray, right: np.ndarray) -> np.ndarray:
    """[right, wrong, healthy, out-of-catalog, chat] per column of the [paste, x] matrices."""
    pos = o.positive[:, None]
    rows = [(pos & answered & right).sum(0), (pos & answered & ~right).sum(0)]
    rows += [((o.klass == k)[:, None] & answered).sum(0) for k in range(len(NEGATIVE_CLASSES))]
    return np.stack(rows)


def answer_grid(s: Situations, o: Outcomes, suite: Situations, broken: Broken,
                limit: int = 5000) -> tuple[list[tuple[tuple[float, ...], Policy]], dict[str, int]]:
    """The best `limit` answer policies within the budget and the suite, best first, and how
    many policies the budget and the suite let through."""
    budget = _counts(o, o.answered[:, None], o.first_right[:, None])[:, 0]
    found: list[np.ndarray] = []
    counted = {"answer_policies": 0, "within_the_budget": 0, "and_breaking_no_suite_case": 0}
    for g in range(len(GUARDS)):
        up = promoted(s, g)
        silent = _counts(o, up, np.broadcast_to(o.best_right[g][:, None], up.shape))
        switched, vetoed = switched_vetoed(s, g)
        answered = (o.answered[:, None] & ~vetoed & ~s.silent[:, None]) | switched
        right = np.where(switched, o.best_right[g][:, None], o.first_right[:, None])
        spoken = _counts(o, answered, right)
        total = silent[:, :, None] + spoken[:, None, :]
        feasible = (total[1] <= budget[1]) & np.all(total[2:] <= budget[2:, None, None], axis=0)
        kept = feasible & (broken.count(suite, g) == 0)
        counted["answer_policies"] += feasible.size
        counted["within_the_budget"] += int(feasible.sum())
        counted["and_breaking_no_suite_case"] += int(kept.sum())
        p, c = np.nonzero(kept)
        right_n, bad = total[0, p, c], total[1:, p, c].sum(0)
        found.append(np.stack([right_n - bad, right_n, np.full(len(p), g), p, c]))
    table = np.concatenate(found, axis=1)
    strict = np.array([GUARDS[int(g)].strictness() for g in table[2]]).T
    combos = COMBOS[table[4].astype(int)].T
    promote = np.array(PROMOTE)[table[3].astype(int)]
    # best first: net, right, then the policy that changes less
    order = np.lexsort((combos[3], combos[2], -combos[1], -combos[0], promote, *strict[::-1], table[1], table[0]))[::-1]
    ranked = []
    for column in order[:limit]:
        net, right_n, g, p, c = (int(v) for v in table[:, column])
        gate, gate_high, switch, switch_high = (float(v) for v in COMBOS[c])
        key = (net, right_n, *GUARDS[g].strictness(), PROMOTE[p], -gate, -gate_high, switch, switch_high)
        ranked.append((key, GUARDS[g].policy(promote=PROMOTE[p], gate=gate, gate_high=gate_high,
                                             switch=switch, switch_high=switch_high)))
    return ranked, counted


@dataclass
class Broken:
    """Per suite case: does promoting, switching to each guard's likeliest promotable candidate,
    or vetoing the rules' answer break it?"""

    promote: np.ndarray
    switch: np.ndarray
    veto: np.ndarray

    def count(self, s: Situations, g: int) -> np.ndarray:
        """[promote threshold, combo]: suite cases broken."""
        up = (promoted(s, g) & self.promote[g][:, None]).sum(0)
        switched, vetoed = switched_vetoed(s, g)
        kept = ((switched & self.switch[g][:, None]) | (vetoed & self.veto[:, None])).sum(0)
        return up[:, None] + kept[None, :]


def broken_cases(suite: Sequence[SuiteCase], known: Sequence[dict[str, float]]) -> Broken:
    """What each way of acting breaks, per suite case (listing as the rules order it)."""
    n = len(suite)
    promote, switch = np.zeros((len(GUARDS), n), bool), np.zeros((len(GUARDS), n), bool)
    veto = np.zeros(n, bool)
    for row, (case, probabilities) in enumerate(zip(suite, known)):
        veto[row] = bool(case.broken(case.verdict(probabilities, replace(NEVER, gate=1.01, gate_high=1.01))))
        for g, guards in enumerate(GUARDS):
            promote[g, row] = bool(case.broken(case.verdict(probabilities, guards.policy(promote=0.0))))
            switch[g, row] = bool(case.broken(case.verdict(probabilities, guards.policy(switch=0.0, switch_high=0.0))))
    return Broken(promote, switch, veto)


def listings() -> list[dict[str, Any]]:
    """Every listing policy searched."""
    orders = [(floor, guarded) for floor in ORDER_FLOORS for guarded in (False, True) if floor <= 1 or not guarded]
    suggestions = [(0, 0.0, False, True)] + [
        (n, least, silent_only, alone) for n in SUGGEST if n for least in SUGGEST_MIN
        for silent_only in (False, True) for alone in (True, False)]
    return [{"order_floor": floor, "order_guarded": guarded, "suggest": n, "suggest_min": least,
             "suggest_silent_only": silent_only, "suggest_alone": alone}
            for (floor, guarded), (n, least, silent_only, alone) in itertools.product(orders, suggestions)]


def _changes(policy: Policy) -> tuple[float, ...]:
    """How much a listing policy changes the rules' listing (less is preferred on a tie)."""
    return (-policy.order_floor, policy.order_guarded is False, policy.suggest, -policy.suggest_min,
            not policy.suggest_silent_only, policy.suggest_alone)


def listing_grid(rows: Sequence[Row], suite: Sequence[SuiteCase], known: Sequence[dict[str, float]],
                 answer: Policy) -> tuple[Policy, Tally] | None:
    """The listing policy with the most right ids among the three listed that breaks no suite
    case (None: even the rules' own order breaks one under this answer policy)."""
    positives = [row for row in rows if row[0].positive]
    trials = []
    for changes in listings():
        policy = replace(answer, **changes)
        trials.append((tally_after(positives, policy).listed, policy))
    trials.sort(key=lambda trial: (trial[0], tuple(-v for v in _changes(trial[1]))), reverse=True)
    labelled = sum(case.listed_right(None) for case in suite)
    for _listed, policy in trials:
        verdicts = [case.verdict(p, policy) for case, p in zip(suite, known)]
        if (not any(case.broken(v) for case, v in zip(suite, verdicts))
                and sum(case.listed_right(v) for case, v in zip(suite, verdicts)) >= labelled):
            return policy, tally_after(rows, policy)
    return None


def best_answer_key(rows: Sequence[Row]) -> tuple[float, ...]:
    """The best answer policy's key on the development half alone (to compare models)."""
    ranked, _counted = answer_grid(situations([p.candidates for p, _ in rows], [k for _, k in rows]),
                                   outcomes(rows), situations([], []), _no_suite())
    return ranked[0][0]


def _no_suite() -> Broken:
    return Broken(np.zeros((len(GUARDS), 0), bool), np.zeros((len(GUARDS), 0), bool), np.zeros(0, bool))


def choose_policy(rows: Sequence[Row], suite: Sequence[SuiteCase],
                  known: Sequence[dict[str, float]]) -> tuple[Policy, Tally, dict[str, Any]]:
    """The policy, its development tally, and what the search saw (how many policies the
    budget and the suite let through; the best the development half alone would choose)."""
    s = situations([p.candidates for p, _ in rows], [k for _, k in rows])
    o = outcomes(rows)
    free, _counted = answer_grid(s, o, situations([], []), _no_suite(), limit=1)
    ranked, counted = answer_grid(s, o, situations([c.candidates for c in suite], known), broken_cases(suite, known))
    seen: dict[str, Any] = {**counted, "without_the_suite": {"right_minus_bad": free[0][0][0], "right": free[0][0][1]}}
    for tried, (_key, answer) in enumerate(ranked):
        chosen = listing_grid(rows, suite, known, answer)
        if chosen is not None:
            return chosen[0], chosen[1], {**seen, "turned_down_for_their_listing": tried}
    return NEVER, before(p for p, _ in rows), {**seen, "turned_down_for_their_listing": len(ranked)}
