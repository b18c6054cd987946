"""Fit the learned decision and choose its thresholds (training only: numpy and scikit-learn).

Rows are candidates: each candidate of each labelled paste (the development half, and the
suite's case-table rows, bench/calibration_suite.py) with its named features
(intents.calibration.features) and whether it is a right answer. A logistic regression over
the standardised features gives P(right); its out-of-fold values (cross-validation grouped by
source repository, a case table's module standing for its source) choose the thresholds:

1. what is answered: the thresholds for a silent paste, a medium and a high answer on the
   words alone, and the margin by which another candidate's P(right) must lead the rules'
   first to be answered instead. Chosen: the most right answers net of bad ones (wrong, or
   given to a negative) on the development half and the suite's rows together, with no more
   confident wrong answers and no more answers to any negative class of the development half
   than the rules give there; a suite row weighs `SUITE_WEIGHT` development pastes (a label,
   not a veto);
2. what is listed: how many suggestions from the text model, at what weight, and whether only
   on a silent paste. Chosen: the most positives of the development half with a right id among
   the three listed.
Ties go to what changes less (higher thresholds, a larger margin, fewer suggestions).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bench.calibration_data import Pooled
from bench.calibration_policy import NEGATIVE_CLASSES, Row, Tally, tally_after
from intents.calibration import Decision, Thresholds
from intents.calibration.decision import answerable, chosen, stands
from intents.calibration.features import PASTE_KINDS, candidate_features, paste_kind

ANSWER = tuple(round(0.05 + 0.025 * n, 3) for n in range(37)) + (2.0,)
SWITCH = (0.1, 0.2, 0.3, 0.5, 2.0)
"""The answer thresholds and switch margins searched (a threshold above 1: never)."""
SUGGEST = ((0, 0.0, True, 0.0),) + tuple(
    itertools.product((1, 2), (0.5, 1.0, 2.0), (True,), (0.0, 0.05))
)
"""The suggestions searched (count, weight, silent pastes only, least probability): only on a paste
the rules leave silent, where they are what "Is it one of these?" offers; beside an answer they
would list again what the rules judged old or refuted."""
C = 1.0
SUITE_WEIGHT = 3
"""A suite row counts as this many development pastes when the thresholds are chosen: a
hand-written case states what a user must see, a development paste what one user saw."""


@dataclass
class Matrix:
    """Every candidate of every row as a feature vector."""

    x: np.ndarray
    right: np.ndarray
    owner: np.ndarray
    """The row each candidate belongs to."""
    ids: list[str]
    features: list[str]


def matrix(rows: Sequence[Row], rule_names: Sequence[str]) -> Matrix:
    vectors, right, owner, ids = [], [], [], []
    features: list[str] = []
    for number, (pooled, probabilities) in enumerate(rows):
        ranked = sorted(pooled.candidates, key=lambda c: c.rank)
        for candidate in ranked:
            found = candidate_features(
                candidate, ranked, probabilities, pooled.question.signs, rule_names
            )
            features = features or list(found)
            vectors.append([found[name] for name in features])
            right.append(pooled.positive and candidate.id in pooled.case.expected)
            owner.append(number)
            ids.append(candidate.id)
    width = len(features) or len(candidate_features_names(rule_names))
    return Matrix(
        np.array(vectors, dtype=float).reshape(-1, width),
        np.array(right, dtype=bool),
        np.array(owner, dtype=int),
        ids,
        features or candidate_features_names(rule_names),
    )


def candidate_features_names(rule_names: Sequence[str]) -> list[str]:
    from intents.calibration import Candidate, PasteSigns

    probe = Candidate("x", 0.0, 0, "low")
    return list(candidate_features(probe, [probe], {}, PasteSigns(), rule_names))


@dataclass(frozen=True)
class Fitted:
    centre: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    intercept: float

    def chances(self, x: np.ndarray) -> np.ndarray:
        margin = ((x - self.centre) / self.scale) @ self.weights + self.intercept
        chances: np.ndarray = 1.0 / (1.0 + np.exp(-np.clip(margin, -60, 60)))
        return chances


def fit(x: np.ndarray, right: np.ndarray, seed: int) -> Fitted:
    """A logistic regression on standardised features (a constant feature keeps scale 1)."""
    from sklearn.linear_model import LogisticRegression  # training only: the `train` extra

    centre = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=C, max_iter=5000, random_state=seed).fit(
        (x - centre) / scale, right
    )
    return Fitted(centre, scale, model.coef_[0].copy(), float(model.intercept_[0]))


def out_of_fold(m: Matrix, groups: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """P(right) of each candidate from a model fitted without its row's group."""
    from sklearn.model_selection import GroupKFold  # training only: the `train` extra

    chances = np.zeros(len(m.right))
    row_groups = np.array([groups[i] for i in m.owner])
    for train, held in GroupKFold(n_splits=folds).split(m.x, m.right, row_groups):
        chances[held] = fit(m.x[train], m.right[train], seed).chances(m.x[held])
    return chances


def row_chances(m: Matrix, chances: np.ndarray, rows: int) -> list[dict[str, float]]:
    found: list[dict[str, float]] = [{} for _ in range(rows)]
    for number, (row, entry_id) in enumerate(zip(m.owner, m.ids)):
        found[row][entry_id] = float(chances[number])
    return found


@dataclass
class Situations:
    """Per paste, what each threshold decides (arrays over pastes)."""

    kind: np.ndarray
    """0 silent, 1 medium, 2 high (on the words alone), 3 stands (confirmed or named), 4 no candidate."""
    p_first: np.ndarray
    p_best: np.ndarray
    best_is_first: np.ndarray
    first_right: np.ndarray
    best_right: np.ndarray
    positive: np.ndarray
    klass: np.ndarray
    """-1: positive (or a suite row), else the index of its negative class."""
    suite: np.ndarray
    quiet_row: np.ndarray
    """A suite row whose answer must be silence."""


def situations(rows: Sequence[Row], chances: Sequence[dict[str, float]]) -> Situations:
    n = len(rows)
    kind, pf, pb = np.full(n, 4), np.zeros(n), np.zeros(n)
    bif, fr, br = np.ones(n, bool), np.zeros(n, bool), np.zeros(n, bool)
    for number, ((pooled, _), known) in enumerate(zip(rows, chances)):
        ranked = sorted(pooled.candidates, key=lambda c: c.rank)
        if not ranked:
            continue
        first = ranked[0]
        kind[number] = 3 if stands(first) else {"low": 0, "medium": 1}.get(first.confidence, 2)
        best = chosen(ranked, known, 0.0)  # the answerable candidate of highest P(right)
        if best is None:
            kind[number] = 4 if kind[number] != 3 else 3
            continue
        if not answerable(
            first
        ):  # the decision never answers it: the best answerable one stands in
            first = best
        pf[number], pb[number] = known[first.id], known[best.id]
        bif[number] = best is first
        fr[number], br[number] = pooled.right(first.id), pooled.right(best.id)
    suite = np.array([p.case.kind == "suite" for p, _ in rows])
    return Situations(
        kind,
        pf,
        pb,
        bif,
        fr,
        br,
        np.array([p.positive for p, _ in rows]),
        np.array(
            [
                NEGATIVE_CLASSES.index(p.case.klass) if p.case.klass in NEGATIVE_CLASSES else -1
                for p, _ in rows
            ]
        ),
        suite,
        np.array([p.case.kind == "suite" and not p.positive for p, _ in rows]),
    )


COUNTS = ("right", "wrong", *NEGATIVE_CLASSES, "suite right", "suite wrong", "suite quiet answered")


def counts(s: Situations, kind: int, among: np.ndarray | None = None) -> np.ndarray:
    """[count, threshold, margin]: what pastes of one situation (`among` these rows) give under
    each threshold and margin."""
    mine = (s.kind == kind) if among is None else (s.kind == kind) & among
    t = np.array(ANSWER)[:, None]
    out = np.zeros((len(COUNTS), len(ANSWER), len(SWITCH)))
    for k, margin in enumerate(SWITCH):
        switch = ~s.best_is_first & (s.p_best - s.p_first >= margin)
        p = np.where(switch, s.p_best, s.p_first)[None, :]
        right = np.where(switch, s.best_right, s.first_right)[None, :]
        answered = (p >= t) & mine[None, :]
        dev = ~s.suite[None, :]
        pos = (s.positive & ~s.suite)[None, :]
        out[0, :, k] = (answered & pos & right).sum(1)
        out[1, :, k] = (answered & pos & ~right).sum(1)
        for c in range(len(NEGATIVE_CLASSES)):
            out[2 + c, :, k] = (answered & dev & (s.klass == c)[None, :]).sum(1)
        spos = (s.positive & s.suite)[None, :]
        out[5, :, k] = (answered & spos & right).sum(1)
        out[6, :, k] = (answered & spos & ~right).sum(1)
        out[7, :, k] = (answered & s.quiet_row[None, :]).sum(1)
    return out


def fixed(s: Situations, rows: Sequence[Row]) -> np.ndarray:
    """What the pastes the decision leaves alone give (answers that stand, pastes without candidates)."""
    out = np.zeros(len(COUNTS))
    for number, (pooled, _) in enumerate(rows):
        if s.kind[number] not in (3, 4):
            continue
        answer = pooled.before_answer
        if answer is None:
            continue
        suite = s.suite[number]
        if pooled.positive:
            out[(5 if suite else 0) + (0 if pooled.right(answer) else 1)] += 1
        elif suite:
            out[7] += 1
        elif s.klass[number] >= 0:
            out[2 + s.klass[number]] += 1
    return out


def choose_answering(
    rows: Sequence[Row], chances: Sequence[dict[str, float]], budget: Tally, keep: int | None = None
) -> tuple[Thresholds, dict[str, int]]:
    """The answer thresholds and margin with the most right net of bad answers (development half
    and suite rows together), within the rules' own bad answers on the development half;
    `keep`: a row that must be answered right (or stay quiet, for a quiet row)."""
    s = situations(rows, chances)
    base = fixed(s, rows)
    by_kind = [counts(s, kind) for kind in (0, 1, 2)]
    best: tuple[tuple[float, ...], Thresholds, np.ndarray] | None = None
    limits = np.array([budget.wrong, *(budget.answered[c] for c in NEGATIVE_CLASSES)])
    for k, margin in enumerate(SWITCH):
        silent, medium, high = (c[:, :, k] for c in by_kind)
        total = (
            base[:, None, None, None]
            + silent[:, :, None, None]
            + medium[:, None, :, None]
            + high[:, None, None, :]
        )
        feasible = np.all(total[1:5] <= limits[:, None, None, None], axis=0)
        if keep is not None:
            feasible &= _keeps(s, keep, margin)
        net = total[0] - total[1:5].sum(0) + SUITE_WEIGHT * (total[5] - total[6] - total[7])
        net = np.where(feasible, net, -np.inf)
        # the highest thresholds among the best (argmax of the reversed grid: ties go to what changes less)
        a, b, c = (
            n - 1 - int(i)
            for n, i in zip(
                net.shape, np.unravel_index(np.argmax(net[::-1, ::-1, ::-1]), net.shape)
            )
        )
        key = (float(net[a, b, c]), margin, ANSWER[a], ANSWER[b], ANSWER[c])
        if best is None or key > best[0]:
            best = (
                key,
                Thresholds(silent=ANSWER[a], medium=ANSWER[b], high=ANSWER[c], switch=margin),
                total[:, a, b, c],
            )
    assert best is not None
    return best[1], dict(zip(COUNTS, (int(v) for v in best[2])))


ROUNDS = 3
"""Passes over the paste kinds when their own thresholds are chosen (each pass one at a time)."""


def choose_by_kind(
    rows: Sequence[Row], chances: Sequence[dict[str, float]], budget: Tally, chosen: Thresholds
) -> tuple[Thresholds, dict[str, int]]:
    """Each paste kind's own thresholds for a silent paste and a medium answer (features.
    PASTE_KINDS), from the ones chosen for all: one kind's one threshold at a time, the most
    right answers net of bad ones within the same budget, for `ROUNDS` passes."""
    s = situations(rows, chances)
    kinds = np.array([paste_kind(p.question.signs) for p, _ in rows])
    margin = SWITCH.index(chosen.switch)
    limits = np.array([budget.wrong, *(budget.answered[c] for c in NEGATIVE_CLASSES)])
    parts = {
        (kind, situation): counts(s, situation, kinds == kind)[:, :, margin]
        for kind in PASTE_KINDS
        for situation in (0, 1)
    }
    at = {key: ANSWER.index(chosen.silent if key[1] == 0 else chosen.medium) for key in parts}
    total = (
        fixed(s, rows)
        + counts(s, 2)[:, ANSWER.index(chosen.high), margin]
        + sum(parts[key][:, at[key]] for key in parts)
    )
    for _ in range(ROUNDS):
        for key, part in parts.items():
            trials = total[:, None] - part[:, at[key], None] + part
            feasible = np.all(trials[1:5] <= limits[:, None], axis=0)
            net = (
                trials[0] - trials[1:5].sum(0) + SUITE_WEIGHT * (trials[5] - trials[6] - trials[7])
            )
            net = np.where(feasible, net, -np.inf)
            best = len(ANSWER) - 1 - int(np.argmax(net[::-1]))  # ties: the higher threshold
            if net[best] > net[at[key]]:
                total, at[key] = trials[:, best], best
    by_kind = {
        kind: {
            name: ANSWER[at[(kind, situation)]]
            for situation, name, given in (
                (0, "silent", chosen.silent),
                (1, "medium", chosen.medium),
            )
            if ANSWER[at[(kind, situation)]] != given
        }
        for kind in PASTE_KINDS
    }
    found = replace(chosen, by_kind={kind: own for kind, own in by_kind.items() if own})
    return found, dict(zip(COUNTS, (int(v) for v in total)))


def _keeps(s: Situations, row: int, margin: float) -> np.ndarray:
    """[silent, medium, high threshold]: does the row come out right?"""
    kind = int(s.kind[row])
    shape = (len(ANSWER),) * 3
    if kind > 2:
        return np.ones(shape, bool)
    switch = not s.best_is_first[row] and s.p_best[row] - s.p_first[row] >= margin
    p = s.p_best[row] if switch else s.p_first[row]
    right = s.best_right[row] if switch else s.first_right[row]
    answered = p >= np.array(ANSWER)
    ok = (answered & right) if s.positive[row] else ~answered
    return np.broadcast_to(ok.reshape([-1 if axis == kind else 1 for axis in range(3)]), shape)


def choose_listing(
    rows: Sequence[Row], chances: Sequence[dict[str, float]], decision: Decision
) -> tuple[Decision, Tally]:
    """The suggestions with the most development positives right among the three listed."""
    dev = [
        (i, row) for i, row in enumerate(rows) if row[0].case.kind != "suite" and row[0].positive
    ]
    found: tuple[tuple[float, ...], Decision, Tally] | None = None
    for count, weight, silent_only, least in SUGGEST:
        trial = replace(
            decision,
            thresholds=replace(
                decision.thresholds,
                suggest=count,
                suggest_scale=weight,
                suggest_silent_only=silent_only,
                suggest_min=least,
            ),
        )
        tally = tally_after([row for _, row in dev], trial, [chances[i] for i, _ in dev])
        key = (tally.listed, -count, -weight, silent_only, least)
        if found is None or key > found[0]:
            found = (key, trial, tally)
    assert found is not None
    return found[1], found[2]


def decision_of(
    fitted: Fitted, features: Sequence[str], rule_names: Sequence[str], thresholds: Thresholds
) -> Decision:
    return Decision(
        features=tuple(features),
        centre=tuple(float(v) for v in fitted.centre),
        scale=tuple(float(v) for v in fitted.scale),
        weights=tuple(float(v) for v in fitted.weights),
        intercept=fitted.intercept,
        rule_names=tuple(rule_names),
        thresholds=thresholds,
    )


def wrong_rows(
    rows: Sequence[Row], decision: Decision, chances: Sequence[dict[str, float]]
) -> list[tuple[int, str]]:
    """The suite rows the decision gets wrong (out of fold): their index and name, with what they want."""
    found = []
    for number, ((pooled, probabilities), known) in enumerate(zip(rows, chances)):
        if pooled.case.kind != "suite":
            continue
        verdict = tally_after([(pooled, probabilities)], decision, [known])
        if verdict.right + (0 if pooled.positive else int(not sum(verdict.answered.values()))) == 0:
            want = pooled.case.expected[0] if pooled.positive else "silence"
            found.append((number, f"{pooled.case.path} (wants {want})"))
    return found


def development(rows: Sequence[Row]) -> list[Row]:
    return [row for row in rows if row[0].case.kind != "suite"]


def describe(thresholds: Thresholds) -> str:
    return (
        f"answer a silent paste from P(right) {thresholds.silent:.3f}, keep a medium answer from "
        f"{thresholds.medium:.3f}, a high one from {thresholds.high:.3f}, switch at a lead of "
        f"{thresholds.switch:.2f}; suggest {thresholds.suggest} (weight {thresholds.suggest_scale}, "
        f"{'silent pastes only' if thresholds.suggest_silent_only else 'any paste'})"
        + "".join(
            f"; {kind}: " + ", ".join(f"{name} {value:.3f}" for name, value in own.items())
            for kind, own in thresholds.by_kind.items()
        )
    )


__all__ = [
    "Matrix",
    "Pooled",
    "choose_answering",
    "choose_by_kind",
    "choose_listing",
    "decision_of",
    "describe",
    "development",
    "fit",
    "matrix",
    "out_of_fold",
    "row_chances",
    "wrong_rows",
]
