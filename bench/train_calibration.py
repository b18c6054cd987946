"""Train the learned decision on the development half, the catalog's own text and the suite's rows.

    pip install -e '.[train,test]'                # scikit-learn, for training only
    python -m bench.train_calibration             # fit, choose by grouped CV, write the model
    python -m bench.train_calibration --show      # the decision's weights and thresholds
    python -m bench.train_calibration --show oom-killed --terms 20   # and an id's heaviest words
    python -m bench.train_calibration --check     # is the shipped model older than its inputs?

Two models, both fitted here and read in pure Python by the bot:
1. the text model (intents/calibration/model.py): TF-IDF words and word pairs, a linear SVM,
   a softmax at a temperature, fitted on the development pastes of tests/corpus/real (the
   development half and fresh24, tests/real_corpus.py DEVELOPMENT) and each
   catalog entry's own text; its probabilities are computed out of fold (5 folds grouped by
   source repository) for the development half;
2. the decision (intents/calibration/decision.py): a logistic regression over each candidate's
   features (its trace, its evidence, the text model's probability, the paste's kind), trained
   on the development half's candidates and the suite's case-table rows (bench/calibration_suite.py),
   with thresholds chosen on its out-of-fold probabilities (bench/calibration_decision.py).
The test half and the held-out fresh batches are never read here. The same seed gives the same files.
Work runs in two processes (reading the pastes, the text model's folds).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intents.calibration.fingerprint import entry_texts, staleness
from intents.calibration.model import DATA, NONE, TextModel
from intents.calibration.text import Reading, model_text, terms

TEXT_C = 0.5
TEMPERATURES = (0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
KEEP = 0.05
"""Share of the SVM's weights kept (the largest): 5% chose as well as all of them in grouped
cross-validation, in a twentieth of the size and time."""
MAX_TERMS = 30_000
FOLDS = 5


def _fold(job: tuple[Any, ...]) -> Any:
    """One fold of the text model: fit without the held rows, margins of the held rows."""
    from bench.calibration_fit import fit

    counts, labels, own, classes, train, held, seed = job
    model = fit(
        [counts[i] for i in train] + [t for t, _ in own],
        [labels[i] for i in train] + [i for _, i in own],
        classes,
        c=TEXT_C,
        keep=KEEP,
        max_terms=MAX_TERMS,
        seed=seed,
    )
    return held, model.margins([counts[i] for i in held])


def _train(seed: int, out: Path) -> int:
    import numpy as np
    from sklearn import __version__ as sklearn_version
    from sklearn.model_selection import GroupKFold

    from bench.calibration_data import catalog_entries, development_cases, fingerprint, pool_all
    from bench.calibration_decision import (
        choose_answering,
        choose_by_kind,
        choose_listing,
        decision_of,
        describe,
        development,
        fit,
        matrix,
        out_of_fold,
        row_chances,
        wrong_rows,
    )
    from bench.calibration_fit import fit as fit_text
    from bench.calibration_fit import write
    from bench.calibration_policy import Row, before, tally_after
    from bench.calibration_suite import pooled_rows, suite_rows
    from intents.calibration.assess import read_text
    from intents.decision.rules import LEARNED, RULES

    wall, started = time.perf_counter(), time.process_time()
    reading = Reading()
    dev = pool_all(development_cases())
    suite = pooled_rows(suite_rows())
    counts = [
        terms(model_text(p.text, [line for c in p.candidates for line in c.lines], reading))
        for p in dev
    ]
    labels = [p.case.expected[0] if p.positive else NONE for p in dev]
    entries = catalog_entries()
    own = [(terms(text), entry.id) for entry in entries for text in entry_texts(entry)]
    classes = [entry.id for entry in entries] + [NONE]
    groups = [p.case.repo for p in dev]
    print(
        f"development half: {len(dev)} pastes from {len(set(groups))} repositories, {len(own)} catalog texts, "
        f"{len(classes)} classes; suite: {len(suite)} case-table rows; {time.perf_counter() - wall:.0f} s"
    )
    jobs = [
        (counts, labels, own, classes, train, held, seed)
        for train, held in GroupKFold(n_splits=FOLDS).split(counts, labels, groups)
    ]
    with multiprocessing.get_context("fork").Pool(2) as workers:
        folds = workers.map(_fold, jobs)
    margins = np.zeros((len(dev), len(classes)))
    for held, found in folds:
        margins[held] = found
    temperature = min(TEMPERATURES, key=lambda t: _nll(margins / t, dev, classes))
    probabilities = _softmax(margins / temperature)
    text = fit_text(
        counts + [t for t, _ in own],
        labels + [i for _, i in own],
        classes,
        c=TEXT_C,
        keep=KEEP,
        max_terms=MAX_TERMS,
        seed=seed,
    )
    meta: dict[str, Any] = {
        "format": 3,
        "reading": reading.__dict__,
        "temperature": temperature,
        "fingerprint": fingerprint(),
    }
    write(text, meta, out)  # the suite's rows are read by the text model as shipped
    shipped = TextModel.load(out)
    print(
        f"text model: temperature {temperature}, NLL {_nll(margins / temperature, dev, classes):.3f} "
        f"(out of fold); {time.perf_counter() - wall:.0f} s"
    )
    rows: list[Row] = [
        (p, dict(zip(classes, map(float, probabilities[i])))) for i, p in enumerate(dev)
    ]
    rows += [(p, read_text(p.text, p.candidates, shipped)) for p in suite]
    rule_names = [rule.name for rule in RULES[: RULES.index(LEARNED)]]
    m = matrix(rows, list(dict.fromkeys(rule_names)))
    row_groups = [p.case.repo for p, _ in rows]
    chances = row_chances(m, out_of_fold(m, row_groups, FOLDS, seed), len(rows))
    budget = before(development_pooled(rows))
    thresholds, chosen = choose_answering(rows, chances, budget)
    thresholds, chosen = choose_by_kind(rows, chances, budget, thresholds)
    decision = decision_of(
        fit(m.x, m.right, seed), m.features, list(dict.fromkeys(rule_names)), thresholds
    )
    decision, _listed = choose_listing(rows, chances, decision)
    after = tally_after(
        development(rows),
        decision,
        [chances[i] for i, (p, _) in enumerate(rows) if p.case.kind != "suite"],
    )
    wrong = wrong_rows(rows, decision, chances)
    bought = {name: _bought(rows, chances, budget, chosen, number) for number, name in wrong}
    ablations = _ablations(rows, m, row_groups, budget, decision, chances, seed)
    meta["decision"] = decision.to_json()
    meta["training"] = {
        "seed": seed,
        "folds": FOLDS,
        "text_c": TEXT_C,
        "keep": KEEP,
        "max_terms": MAX_TERMS,
        "scikit_learn": sklearn_version,
        "candidates": len(m.right),
        "development_cv": {"before": budget.figures(), "after": after.figures()},
        "chosen": chosen,
        "suite_rows": len(suite),
        "suite_rows_wrong": bought,
        "ablations": ablations,
    }
    write(text, meta, out)
    print(f"rules alone on the development half: {budget.line()}")
    print(f"with the decision (out of fold):     {after.line()}")
    print(f"chose: {describe(decision.thresholds)}")
    print(
        f"suite rows: {len(suite)}, the decision gets {len(wrong)} wrong (each: net answers it buys on the "
        f"development half):"
    )
    for name, gain in bought.items():
        print(f"  {name} ({gain:+d})")
    for name, figures in ablations.items():
        print(f"{name}: {figures}")
    print(
        f"wrote {out} ({sum(f.stat().st_size for f in out.iterdir()) / 1e6:.1f} MB) in "
        f"{time.perf_counter() - wall:.0f} s ({time.process_time() - started:.0f} s CPU in this process)"
    )
    return 0


TEXT_FEATURES = ("p", "log p", "p leads", "p margin", "p none", "log p none")


def _ablations(
    rows: Sequence[Any],
    m: Any,
    groups: Sequence[str],
    budget: Any,
    decision: Any,
    chances: Sequence[dict[str, float]],
    seed: int,
) -> dict[str, dict[str, Any]]:
    """What each learned part is worth: the decision without it, chosen the same way (development
    half, out of fold)."""
    from dataclasses import replace

    from bench.calibration_decision import choose_answering, development, out_of_fold, row_chances
    from bench.calibration_policy import tally_after

    dev = [i for i, (p, _) in enumerate(rows) if p.case.kind != "suite"]
    found = {
        "without the text model's suggestions": tally_after(
            development(rows),
            replace(decision, thresholds=replace(decision.thresholds, suggest=0)),
            [chances[i] for i in dev],
        ).figures()
    }
    kept = [i for i, feature in enumerate(m.features) if feature not in TEXT_FEATURES]
    narrower = replace(m, x=m.x[:, kept], features=[m.features[i] for i in kept])
    without = row_chances(narrower, out_of_fold(narrower, groups, FOLDS, seed), len(rows))
    thresholds, _counts = choose_answering(rows, without, budget)
    found["without the text model (no probability, no suggestion)"] = tally_after(
        development(rows),
        replace(decision, thresholds=replace(thresholds, suggest=0)),
        [without[i] for i in dev],
    ).figures()
    return found


def development_pooled(rows: Sequence[Any]) -> list[Any]:
    return [p for p, _ in rows if p.case.kind != "suite"]


def _bought(
    rows: Sequence[Any],
    chances: Sequence[dict[str, float]],
    budget: Any,
    chosen: dict[str, int],
    row: int,
) -> int:
    """Net right answers the chosen thresholds buy over the best ones that get this row right."""
    from bench.calibration_decision import choose_answering

    _thresholds, kept = choose_answering(rows, chances, budget, keep=row)
    return _net(chosen) - _net(kept)


def _net(found: dict[str, int]) -> int:
    """Right answers net of bad ones on the development half (what a suite row's keeping costs)."""
    return (
        found["right"] - found["wrong"] - found["healthy"] - found["out-of-catalog"] - found["chat"]
    )


def _softmax(scaled: Any) -> Any:
    import numpy as np

    shifted = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return shifted / shifted.sum(axis=1, keepdims=True)


def _nll(scaled: Any, dev: Sequence[Any], classes: list[str]) -> float:
    """Mean negative log-likelihood of the right classes (any expected id, or none)."""
    import numpy as np

    probabilities = _softmax(scaled)
    index = {name: i for i, name in enumerate(classes)}
    total = 0.0
    for row, pooled in enumerate(dev):
        wanted = (
            [index[i] for i in pooled.case.expected if i in index]
            if pooled.positive
            else [index[NONE]]
        )
        total -= float(np.log(probabilities[row, wanted].sum() + 1e-12))
    return total / len(dev)


def show(model: TextModel, ids: Sequence[str], count: int) -> str:
    """The decision (thresholds, weights) and, for named ids, their heaviest words."""
    from intents.calibration.assess import decision_of

    training = model.meta.get("training", {})
    decision = decision_of(model)
    lines = [
        (
            f"text model: {len(model.classes) - 1} ids + {NONE}, {len(model.vocabulary)} terms, "
            f"{len(model.weight)} weights, temperature {model.temperature}; seed {training.get('seed')}"
        ),
        f"decision thresholds: {json.dumps(decision.thresholds.__dict__)}",
        f"development CV before {training.get('development_cv', {}).get('before')}",
        f"development CV after  {training.get('development_cv', {}).get('after')}",
        f"suite rows the decision gets wrong: {training.get('suite_rows_wrong')}",
        "decision weights (standardised features, heaviest first):",
    ]
    lines += [f"  {weight:+.3f}  {name}" for name, weight in decision.weighed()]
    lines.append(f"  {decision.intercept:+.3f}  (intercept)")
    for entry_id in ids:
        if entry_id not in model.classes:
            lines.append(f"{entry_id}: not an id the model knows")
            continue
        heaviest = ", ".join(
            f"{term} {weight:+.2f}" for term, weight in model.top_terms(entry_id, count)
        )
        lines.append(f"{entry_id}: {heaviest}")
    return "\n".join(lines)


def check() -> int:
    from bench.calibration_data import fingerprint

    today = fingerprint()
    found = staleness(TextModel.load().meta["fingerprint"], today["entries"], today["development"])  # type: ignore[arg-type]
    print(
        found.describe()
        or "the calibration model is up to date with the catalog and the development half"
    )
    return 1 if found.stale else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="the models' seed (default 0)")
    parser.add_argument(
        "--out", type=Path, default=DATA, help="where to write the model (default: the package's)"
    )
    parser.add_argument(
        "--show", nargs="*", metavar="ID", help="print the decision, and these ids' heaviest words"
    )
    parser.add_argument(
        "--terms", type=int, default=12, help="words per id for --show (default 12)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the shipped model is stale"
    )
    args = parser.parse_args(argv)
    if args.show is not None:
        print(show(TextModel.load(args.out), args.show, args.terms))
        return 0
    if args.check:
        return check()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("training needs scikit-learn: pip install -e '.[train]'", file=sys.stderr)
        return 2
    return _train(args.seed, args.out)


if __name__ == "__main__":
    sys.exit(main())
