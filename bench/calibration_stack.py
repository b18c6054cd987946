"""The alternatives the training command measures and does not ship: learned combiners.

For the two decisions the learned rule makes (answer the likeliest candidate of a silent
paste; silence a medium answer the words alone support), three scores are compared on the
development half, each with its best threshold within the product's bad answers:
- the text model's probability alone (what ships),
- a logistic regression over the rules' own features (score, rank, confidence, confirmed,
  named outright, how many lines matched, the lead over the next candidate),
- the same with the model's probability and its "no entry" probability added.
The regressions are fitted out of fold (grouped by repository) on the out-of-fold
probabilities. Training only (scikit-learn).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from bench.calibration_data import Pooled
from bench.calibration_policy import Row, Tally, before
from intents.calibration import Candidate
from intents.calibration.model import NONE

THRESHOLDS = tuple(round(0.01 * n, 2) for n in range(1, 100))


def _rule_features(chosen: Candidate, candidates: Sequence[Candidate]) -> list[float]:
    others = [c.score for c in candidates if c is not chosen]
    return [chosen.score, 1 / (1 + chosen.rank), float(chosen.rank == 0), float(chosen.confidence == "medium"),
            float(chosen.confirmed), float(chosen.named_outright), min(len(chosen.lines), 5) / 5,
            chosen.score - max(others, default=0.0), len(candidates) / 10]


def _model_features(chosen: Candidate, probabilities: dict[str, float]) -> list[float]:
    p = probabilities.get(chosen.id, 0.0)
    return [p, math.log(p + 1e-6), probabilities[NONE], math.log(probabilities[NONE] + 1e-6)]


def _situations(rows: Sequence[Row]) -> tuple[list[tuple[Row, Candidate]], list[tuple[Row, Candidate]]]:
    """(silent pastes with their likeliest candidate, pastes with a medium text-only answer)."""
    silent, medium = [], []
    for pooled, probabilities in rows:
        cands = pooled.candidates
        if not cands:
            continue
        first = cands[0]
        if first.confidence == "low":
            silent.append(((pooled, probabilities), max(cands, key=lambda c: probabilities.get(c.id, -1.0))))
        elif first.confidence == "medium" and not first.confirmed and not first.named_outright:
            medium.append(((pooled, probabilities), first))
    return silent, medium


def _out_of_fold(items: list[tuple[Row, Candidate]], features: Callable[[Row, Candidate], list[float]]) -> list[float]:
    x = np.array([features(row, chosen) for row, chosen in items], dtype=float)
    y = np.array([row[0].right(chosen.id) for row, chosen in items])
    groups = [row[0].case.repo for row, _ in items]
    scores = np.zeros(len(items))
    for train, held in GroupKFold(n_splits=5).split(x, y, groups):
        model = LogisticRegression(C=1.0, max_iter=5000).fit(x[train], y[train])
        scores[held] = model.predict_proba(x[held])[:, 1]
    return [float(s) for s in scores]


def _best(rows: Sequence[Row], silent: list[tuple[Row, Candidate]], medium: list[tuple[Row, Candidate]],
          promote_score: list[float], gate_score: list[float]) -> Tally:
    budget = before(pooled for pooled, _ in rows)
    changed = {id(row[0]) for row, _ in silent} | {id(row[0]) for row, _ in medium}
    rest = before(pooled for pooled, _ in rows if id(pooled) not in changed)

    def tally(items: list[tuple[Row, Candidate]], scores: list[float], keep: Callable[[float], bool],
              answer: Callable[[Pooled, Candidate], str | None]) -> Tally:
        found = Tally()
        for ((pooled, _), chosen), score in zip(items, scores):
            found.add(pooled, answer(pooled, chosen) if keep(score) else None, ())
        return found

    promoted = {t: tally(silent, promote_score, lambda s, t=t: s >= t, lambda p, c: c.id) for t in (*THRESHOLDS, 2.0)}
    gated = {t: tally(medium, gate_score, lambda s, t=t: s >= t, lambda p, c: c.id) for t in (0.0, *THRESHOLDS)}
    best = rest.merged(promoted[2.0]).merged(gated[0.0])
    for p_tally in promoted.values():
        for g_tally in gated.values():
            total = rest.merged(p_tally).merged(g_tally)
            if total.within(budget) and total.right > best.right:
                best = total
    return best


def compare(rows: Sequence[Row]) -> list[tuple[str, Tally]]:
    """Development-half top-1 (within the product's bad answers) for each way of scoring."""
    silent, medium = _situations(rows)
    found = []
    scorers: list[tuple[str, Callable[[Row, Candidate], list[float]] | None]] = [
        ("text model probability (shipped)", None),
        ("regression over the rules' features", lambda row, c: _rule_features(c, row[0].candidates)),
        ("regression over the rules' features and the model's",
         lambda row, c: _rule_features(c, row[0].candidates) + _model_features(c, row[1])),
    ]
    for name, features in scorers:
        if features is None:
            promote = [row[1].get(c.id, 0.0) for row, c in silent]
            gate = [row[1].get(c.id, 0.0) for row, c in medium]
        else:
            promote, gate = _out_of_fold(silent, features), _out_of_fold(medium, features)
        found.append((name, _best(rows, silent, medium, promote, gate)))
    return found
