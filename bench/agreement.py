"""How far two blind labellers agree on the real corpus, and the product against each of them.

    python -m bench.agreement dev      # the development sample (240 pastes)
    python -m bench.agreement test     # the whole held-out test half (516 pastes)

`tests/corpus/real/second-reading/<half>.jsonl` holds a second reading of each paste, made
from the paste and the catalog's titles and summaries alone, by a labeller who saw neither
the first labels, nor the product, nor the thread. Agreement between the two readings is the
ceiling a top-1 figure measured against one of them can honestly be held to; the product is
then scored against the first reading (the corpus figure), the second, and either.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bench.realcorpus import product_outcomes, share
from tests.real_corpus import REAL, RealCase, load

SECOND = REAL / "second-reading"


@dataclass(frozen=True)
class SecondReading:
    """The second labeller's reading of one paste."""

    klass: str
    best: str | None
    acceptable: tuple[str, ...]

    @property
    def right_answers(self) -> set[str]:
        return {*self.acceptable, *([self.best] if self.best else [])}


def second_readings(half: str) -> dict[str, SecondReading]:
    found = {}
    for line in (SECOND / f"{half}.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        found[row["file"]] = SecondReading(
            row["class"], row.get("best"), tuple(row.get("acceptable", ()))
        )
    return found


def agreement_lines(cases: Sequence[RealCase], second: dict[str, SecondReading]) -> list[str]:
    """Class agreement, and on the first reading's positives how often each labeller's first
    answer is among the other's right answers."""
    classes = Counter((case.klass, second[case.path.name].klass) for case in cases)
    positives = [case for case in cases if case.klass == "positive"]
    second_in_first = sum(second[c.path.name].best in c.expected for c in positives)
    first_in_second = sum(c.expected[0] in second[c.path.name].right_answers for c in positives)
    same_class = sum(count for (a, b), count in classes.items() if a == b)
    crossed = (
        f"first reading's positives: {len(positives)}; the second's first answer among the"
        f" first's: {share(second_in_first, len(positives))}; the first's among the second's:"
        f" {share(first_in_second, len(positives))}"
    )
    lines = [
        f"pastes read twice: {len(cases)}; same class: {share(same_class, len(cases))}",
        crossed,
        "",
        "| first reading | second reading | pastes |",
        "|---|---|---|",
    ]
    lines += [f"| {a} | {b} | {n} |" for (a, b), n in sorted(classes.items())]
    return lines


def product_lines(cases: Sequence[RealCase], second: dict[str, SecondReading]) -> list[str]:
    first = second_only = either = 0
    positives = [case for case in cases if case.klass == "positive"]
    for outcome in product_outcomes(positives):
        by_first = outcome.right
        by_second = outcome.answer in second[outcome.case.path.name].right_answers
        first += by_first
        second_only += by_second
        either += by_first or by_second
    return [
        "",
        "| product's first answer right by | top-1 |",
        "|---|---|",
        f"| the first reading (the corpus figure) | {share(first, len(positives))} |",
        f"| the second reading | {share(second_only, len(positives))} |",
        f"| either | {share(either, len(positives))} |",
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("half", choices=sorted(p.stem for p in SECOND.glob("*.jsonl")))
    parser.add_argument("--no-product", action="store_true", help="labellers only")
    args = parser.parse_args(argv)
    second = second_readings(args.half)
    cases = [case for case in load(args.half) if case.path.name in second]
    missing = set(second) - {case.path.name for case in cases}
    if missing:
        parser.error(f"second readings of files not in the {args.half} half: {sorted(missing)[:3]}")
    print("\n".join(agreement_lines(cases, second)))
    if not args.no_product:
        print("\n".join(product_lines(cases, second)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
