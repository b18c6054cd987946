"""Calibrate confidence on the labelled corpus and print how reliable each level is.

    python -m bench.calibrate              # figures, reliability table, threshold sweep
    python -m bench.calibrate --confusions # also every positive not answered right
    python -m bench.calibrate --readme     # the "Quality and speed" table of docs/matching.md

Re-run it whenever the catalog or the corpus grows: the thresholds in
intents/results.py (POLICY.high, POLICY.medium) are read from this
output, not tuned by hand.  The suggested medium threshold is the lowest one
(answer as much as possible) at which every negative class stays within its
budget and the answers given on the positive corpus are right at least
ANSWER_PRECISION of the time; the suggested high threshold is the lowest
score above it whose answers are right at least HIGH_PRECISION of the time.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from datetime import date

from bot.diagnosis.paste import diagnose_paste
from intents.loader import load_catalog
from intents.matcher import Matcher
from intents.policy import POLICY
from tests.corpus_eval import CorpusReport, Outcome, evaluate, ratio

MEDIUM_FLOOR = 0.40
"""No threshold below this is considered: a weaker match is never an answer."""
ANSWER_PRECISION = 0.97
HIGH_PRECISION = 0.99
BUDGETS = {"healthy": 0.0, "chat": 0.0, "out-of-catalog": 0.03, "foreign": 0.05}
"""Share of each negative class that may get an answer (the test targets)."""


def _top_score(outcome: Outcome) -> float:
    return outcome.ranked[0][1] if outcome.ranked else 0.0


def _at(threshold: float, outcomes: Iterable[Outcome]) -> list[Outcome]:
    return [o for o in outcomes if o.ranked and _top_score(o) >= threshold]


def sweep(report: CorpusReport, thresholds: Iterable[float]) -> list[dict[str, float]]:
    """For each candidate threshold: positives right and wrong, negatives answered per class."""
    rows = []
    for threshold in thresholds:
        answered = _at(threshold, report.positives)
        row = {
            "threshold": threshold,
            "right": sum(o.top1_right for o in answered),
            "wrong": sum(not o.top1_right for o in answered),
        }
        for name, outcomes in report.negatives.items():
            row[name] = len(_at(threshold, outcomes))
        rows.append(row)
    return rows


def _within_budgets(row: dict[str, float], report: CorpusReport) -> bool:
    return all(row[name] <= BUDGETS[name] * len(report.negatives[name]) for name in BUDGETS)


def suggest(report: CorpusReport) -> tuple[float, float]:
    """(medium, high) thresholds from the corpus, as described in the module docstring."""
    candidates = sorted(
        {round(_top_score(o), 3) for o in report.positives}
        | {MEDIUM_FLOOR, POLICY.medium, POLICY.high}
    )
    rows = [
        r
        for r in sweep(report, [c for c in candidates if c >= MEDIUM_FLOOR])
        if _within_budgets(r, report)
    ]

    def precise(row: dict[str, float], share: float) -> bool:
        return row["right"] >= share * (row["right"] + row["wrong"])

    medium = next((r["threshold"] for r in rows if precise(r, ANSWER_PRECISION)), 1.0)
    high = next(
        (r["threshold"] for r in rows if r["threshold"] >= medium and precise(r, HIGH_PRECISION)),
        1.0,
    )
    return medium, high


def reliability_table(report: CorpusReport) -> str:
    lines = [
        "| confidence | positives at this level | top-1 right | negatives at this level |",
        "|---|---|---|---|",
    ]
    for level, count, right, negatives in report.reliability():
        share = f"{right / count:.0%}" if count else "-"
        lines.append(f"| {level} | {count} | {right} ({share}) | {negatives} |")
    return "\n".join(lines)


def readme_table(report: CorpusReport) -> str:
    """The quality table of docs/matching.md, one row per measure, with its target."""
    total = len(report.positives)
    rows = [
        (
            "top-1 accuracy (right id, answered with high/medium confidence)",
            ratio(report.top1, total),
            ">= 0.93",
        ),
        ("top-3 accuracy", ratio(report.top3, total), ">= 0.98"),
    ]
    labels = {
        "healthy": "(a) healthy kubectl output answered",
        "out-of-catalog": "(b) out-of-catalog Kubernetes errors answered",
        "chat": "(c) chat answered",
        "foreign": "other negatives answered (errors from outside Kubernetes, ...)",
    }
    for name, label in labels.items():
        outcomes = report.negatives[name]
        figure = ratio(len(report.answered(name)), len(outcomes)) if outcomes else "no cases yet"
        rows.append((label, figure, f"<= {BUDGETS[name]:.0%}"))
    both = len(report.multi) - len(report.multi_failures())
    rows.append(
        ("two-problem pastes with both problems in the top 3", f"{both}/{len(report.multi)}", "all")
    )
    lines = ["| measure | result | target |", "|---|---|---|"]
    lines += [f"| {measure} | {result} | {target} |" for measure, result, target in rows]
    return "\n".join(lines)


def summary(report: CorpusReport) -> str:
    counts = ", ".join(f"{name} {len(outcomes)}" for name, outcomes in report.negatives.items())
    medium, high = suggest(report)
    lines = [
        (
            f"corpus ({date.today()}): {len(report.positives)} single-problem pastes, "
            f"{len(report.multi)} two-problem pastes; negatives: {counts}"
        ),
        "",
        readme_table(report),
        "",
        f"reliability (thresholds in use: high >= {POLICY.high}, medium >= {POLICY.medium}):",
        reliability_table(report),
        "",
        "threshold sweep (top-1 score >= threshold):",
        "| threshold | positives right | positives wrong | " + " | ".join(report.negatives) + " |",
        "|---|---|---|" + "---|" * len(report.negatives),
    ]
    steps = [0.40, 0.45, 0.50, 0.55, 0.60, 0.65, 0.70, 0.72, 0.75, 0.80, 0.85, 0.90]
    for row in sweep(report, steps):
        cells = " | ".join(str(row[name]) for name in report.negatives)
        lines.append(f"| {row['threshold']:.2f} | {row['right']} | {row['wrong']} | {cells} |")
    lines += ["", f"suggested: medium >= {medium:.3f}, high >= {high:.3f}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--readme", action="store_true", help="print only the quality table of docs/matching.md"
    )
    parser.add_argument(
        "--confusions", action="store_true", help="also list positives not answered right"
    )
    args = parser.parse_args()
    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    report = evaluate(lambda text: [f.match for f in diagnose_paste(matcher, text, top=3).findings])
    if args.readme:
        print(readme_table(report))
        return
    print(summary(report))
    if args.confusions:
        print("\nconfusions:\n" + "\n".join(report.confusions()))
        for name in report.negatives:
            for outcome in report.answered(name):
                print(f"answered {name}: {outcome.describe()}")


if __name__ == "__main__":
    main()
