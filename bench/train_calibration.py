"""Train the learned second opinion on the development half and the catalog's own text.

    pip install -e '.[train,test]'                # scikit-learn, for training only
    python -m bench.train_calibration             # choose by grouped CV, fit, write the model
    python -m bench.train_calibration --show      # the policy, and each id's heaviest terms
    python -m bench.train_calibration --show oom-killed --terms 20
    python -m bench.train_calibration --check     # is the shipped model stale? (exit 1 if so)

The model is fitted on the development half of tests/corpus/real and each catalog entry's own
text only; the test half and the fresh batches are never scored here. Every choice (the SVM's
C, the temperature, the policy's thresholds and guards) is made by cross-validation grouped by
source repository inside the development half (no repository in two folds), on out-of-fold
probabilities of the pruned model as shipped (bench/calibration_search.py): the most right
answers net of bad ones within the rules' own bad answers, then the most right ids among the
three listed. The suite's own cases bound the choice: the command runs the tests of
tests/readings, tests/paste, tests/intents and tests/decision once (bench/calibration_suite.py,
about 1.5 min of CPU in two processes) and no policy may break what they assert
(bench/calibration_constraints.py); the model never trains on them. The same seed gives the
same files. It also reports the combiners it measured and did not ship
(bench/calibration_stack.py). `--show` and `--check` need no scikit-learn; training needs the
`train` and `test` extras.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from intents.calibration.fingerprint import entry_texts, staleness
from intents.calibration.model import DATA, NONE, TextModel
from intents.calibration.text import Reading, model_text, terms

CS = (0.5, 1.0)
TEMPERATURES = (0.05, 0.075, 0.1, 0.125, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)
KEEP = 0.05
"""Share of the SVM's weights kept (the largest): 5% chose as well as all of them in grouped
cross-validation, in a twentieth of the size and time."""
MAX_TERMS = 30_000


def _train(seed: int, folds: int, out: Path, recording: Path | None) -> int:
    import numpy as np
    from sklearn import __version__ as sklearn_version
    from sklearn.model_selection import GroupKFold

    from bench.calibration_constraints import suite_cases
    from bench.calibration_data import catalog_entries, fingerprint, pools
    from bench.calibration_fit import fit, write
    from bench.calibration_policy import Row, before
    from bench.calibration_search import NEVER, best_answer_key, choose_policy
    from bench.calibration_stack import compare
    from bench.calibration_suite import record
    from intents.calibration.assess import read_text

    started = time.process_time()
    reading = Reading()
    dev = pools("dev")
    counts = [terms(model_text(p.text, [line for c in p.candidates for line in c.lines], reading)) for p in dev]
    labels = [p.case.expected[0] if p.positive else NONE for p in dev]
    entries = catalog_entries()
    own = [(terms(text), entry.id) for entry in entries for text in entry_texts(entry)]
    classes = [entry.id for entry in entries] + [NONE]
    groups = [p.case.repo for p in dev]
    budget = before(dev)
    print(f"development half: {len(dev)} pastes from {len(set(groups))} repositories, "
          f"{len(own)} catalog texts, {len(classes)} classes; {folds}-fold CV grouped by repository")
    print(f"rules alone on the development half: {_line(budget)}")
    rows_by_c: dict[float, tuple[tuple[float, float], float, list[Row]]] = {}
    for c in CS:
        margins = np.zeros((len(dev), len(classes)))
        for train, held in GroupKFold(n_splits=folds).split(counts, labels, groups):
            model = fit([counts[i] for i in train] + [t for t, _ in own],
                        [labels[i] for i in train] + [i for _, i in own], classes,
                        c=c, keep=KEEP, max_terms=MAX_TERMS, seed=seed)
            margins[held] = model.margins([counts[i] for i in held])
        temperature = min(TEMPERATURES, key=lambda t: _nll(margins / t, dev, classes))
        probabilities = _softmax(margins / temperature)
        rows: list[Row] = [(p, dict(zip(classes, map(float, probabilities[i])))) for i, p in enumerate(dev)]
        nll = _nll(margins / temperature, dev, classes)
        key = best_answer_key(rows)
        rows_by_c[c] = ((key[0], -nll), temperature, rows)
        print(f"C={c}: temperature {temperature}, NLL {nll:.3f}; best answer policy on the development half "
              f"(suite aside): right - bad {key[0]}, right {key[1]}")
    c = max(CS, key=lambda c: rows_by_c[c][0])
    _key, temperature, rows = rows_by_c[c]
    model = fit(counts + [t for t, _ in own], labels + [i for _, i in own], classes,
                c=c, keep=KEEP, max_terms=MAX_TERMS, seed=seed)
    meta: dict[str, Any] = {"format": 2, "reading": reading.__dict__, "temperature": temperature,
                            "policy": NEVER.to_json(), "fingerprint": fingerprint()}
    write(model, meta, out)  # the suite's pastes are read by the model as shipped
    shipped = TextModel.load(out)
    print("recording the suite's pastes (its tests, run under the listing probe) ...", flush=True)
    if recording is not None and recording.exists():
        recorded = [json.loads(line) for line in recording.read_text(encoding="utf-8").splitlines() if line]
    else:
        recorded = record(out)
        if recording is not None:
            recording.write_text("".join(json.dumps(row) + "\n" for row in recorded), encoding="utf-8")
    suite = suite_cases(recorded)
    known = [read_text(case.text, case.candidates, shipped) for case in suite]
    policy, tally, search = choose_policy(rows, suite, known)
    alternatives = {}
    for name, found in compare(rows):
        n = found.positives or 1
        print(f"promote and gate scored by the {name}: top-1 {found.right}/{found.positives} = "
              f"{found.right / n:.3f}, confident wrong {found.wrong}, negatives answered "
              f"{dict(sorted(found.answered.items()))}")
        alternatives[name] = {k: v for k, v in _figures(found).items() if k != "top3"}
    meta["policy"] = policy.to_json()
    meta["training"] = {
        "seed": seed, "folds": folds, "c": c, "keep": KEEP, "max_terms": MAX_TERMS, "scikit_learn": sklearn_version,
        "development_cv": {"before": _figures(budget), "after": _figures(tally),
                           "promote_and_gate_scored_by": alternatives},
        "suite": {"pastes": len(suite), "tests": len({t for case in suite for t in case.tests}), **search}}
    write(model, meta, out)
    print(f"chose C={c}, temperature {temperature}, {policy}")
    print(f"development CV with it: {_line(tally)}")
    print(f"suite: {meta['training']['suite']}")
    print(f"wrote {out} ({sum(f.stat().st_size for f in out.iterdir()) / 1e6:.1f} MB) "
          f"in {time.process_time() - started:.0f} s CPU (this process; the suite ran in its own)")
    return 0


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
        wanted = [index[i] for i in pooled.case.expected if i in index] if pooled.positive else [index[NONE]]
        total -= float(np.log(probabilities[row, wanted].sum() + 1e-12))
    return total / len(dev)


def _figures(tally: Any) -> dict[str, Any]:
    return {"positives": tally.positives, "top1": tally.right, "top3": tally.listed,
            "confident_wrong": tally.wrong, "negatives_answered": dict(sorted(tally.answered.items()))}


def _line(tally: Any) -> str:
    n = tally.positives or 1
    return (f"top-1 {tally.right}/{tally.positives} = {tally.right / n:.3f}, top-3 {tally.listed / n:.3f}, "
            f"confident wrong {tally.wrong} ({tally.wrong / n:.3f}), "
            f"negatives answered {dict(sorted(tally.answered.items()))}")


def show(model: TextModel, ids: Sequence[str], count: int) -> str:
    """The policy, the temperature, and each id's heaviest terms."""
    training = model.meta["training"]
    lines = [(f"model: {len(model.classes) - 1} ids + {NONE}, {len(model.vocabulary)} terms, "
              f"{len(model.weight)} weights; trained with seed {training['seed']}, C={training['c']}"),
             f"temperature {model.temperature}; policy {model.meta['policy']}",
             f"development CV before {training['development_cv']['before']}",
             f"development CV after  {training['development_cv']['after']}"]
    for entry_id in ids or model.classes:
        if entry_id not in model.classes:
            lines.append(f"{entry_id}: not an id the model knows")
            continue
        heaviest = ", ".join(f"{term} {weight:+.2f}" for term, weight in model.top_terms(entry_id, count))
        lines.append(f"{entry_id}: {heaviest}")
    return "\n".join(lines)


def check() -> int:
    from bench.calibration_data import fingerprint

    today = fingerprint()
    found = staleness(TextModel.load().meta["fingerprint"], today["entries"], today["development"])  # type: ignore[arg-type]
    print(found.describe() or "the calibration model is up to date with the catalog and the development half")
    return 1 if found.stale else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="the SVM's seed (default 0)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    parser.add_argument("--out", type=Path, default=DATA, help="where to write the model (default: the package's)")
    parser.add_argument("--show", nargs="*", metavar="ID", help="print the policy and these ids' terms (all: none named)")
    parser.add_argument("--terms", type=int, default=12, help="terms per id for --show (default 12)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the shipped model is stale")
    parser.add_argument("--recording", type=Path, help="read the suite's pastes from this file when it exists "
                        "(as bench.calibration_suite records them), else record them and write it")
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
    return _train(args.seed, args.folds, args.out, args.recording)


if __name__ == "__main__":
    sys.exit(main())
