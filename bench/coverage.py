"""Coverage of the development texts by family: where the catalog knows the answer, and where not.

    python -m bench.coverage                 # every development text (dev and fresh24), by family
    python -m bench.coverage --eco           # only the families of the ecosystem packs
    python -m bench.coverage --list csi      # and each positive of that family the product missed

Per family (a text's `family` key, tests/real_corpus.py; `core` when it has none), of its
positive texts: how many have the right entry as a candidate at all (the pool the learned
decision is asked about, or the three listed), answered first, among the three listed, and how
many got no answer (silent). A family that is mostly silent, or whose right entry is rarely a
candidate, is the next pack to write: no decision can choose an entry nothing proposes. Its
negatives are counted apart (answered: should be none). Beside them, the family's pack (the
pack named as the family, bench.pack_scores): its message formats and how many of its own cases
its entries answer first. Development halves only (tests/real_corpus.py DEVELOPMENT): held-out
texts are never listed here.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bench.pack_scores import PackScore, scores
from bench.recall_gaps import Recalled, recall_all
from tests.real_corpus import DEVELOPMENT, FAMILIES, RealCase, load


@dataclass
class Tally:
    """One family's figures."""

    positives: int = 0
    candidate: int = 0
    first: int = 0
    three: int = 0
    silent: int = 0
    negatives: int = 0
    answered: int = 0

    def add(self, found: Recalled) -> None:
        if found.case.klass != "positive":
            self.negatives += 1
            self.answered += found.answer is not None
            return
        self.positives += 1
        self.candidate += not found.never_a_candidate
        self.first += found.right
        self.three += found.in_top3
        self.silent += found.answer is None

    def row(self, family: str, pack: PackScore | None = None) -> str:
        n = self.positives
        cells = [self.candidate, self.first, self.three, self.silent]
        shares = " | ".join(f"{c} ({c / n:.2f})" if n else "-" for c in cells)
        formats, first = pack.cells() if pack is not None else ("-", "-")
        return (
            f"| {family} | {formats} | {first} | {n} | {shares} | "
            f"{self.answered}/{self.negatives} |"
        )


def family_of(case: RealCase) -> str:
    return case.family or "core"


def tallies(results: Sequence[Recalled]) -> dict[str, Tally]:
    found: dict[str, Tally] = defaultdict(Tally)
    for result in results:
        found[family_of(result.case)].add(result)
        found["all"].add(result)
    return found


def table(found: dict[str, Tally], packs: dict[str, PackScore] | None = None) -> list[str]:
    """The markdown table: a row per family (its pack's formats and cases beside it), then all."""
    packs = packs or {}
    head = "| family | formats | pack cases first | positives | right entry a candidate | first |"
    lines = [head + " among three | silent | negatives answered |", "|---" * 9 + "|"]
    order = [f for f in FAMILIES if f in found or f in packs]
    order += sorted(set(found) - {*FAMILIES, "all"})
    lines += [found[f].row(f, packs.get(f)) for f in [*order, "all"]]
    return lines


def missed(results: Sequence[Recalled], family: str) -> list[str]:
    """Each positive of the family not answered right, with what the product listed."""
    return [
        f"{r.case.path.name} want {'|'.join(r.case.expected)}: answer {r.answer or '-'}, "
        f"listed [{', '.join(r.listed)}]{' (never a candidate)' if r.never_a_candidate else ''}"
        for r in results
        if family_of(r.case) == family and r.case.klass == "positive" and not r.right
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--eco", action="store_true", help="only the ecosystem families")
    parser.add_argument("--list", metavar="FAMILY", help="list that family's missed positives")
    args = parser.parse_args(argv)
    cases = [case for half in DEVELOPMENT for case in load(half)]
    if args.eco:
        cases = [case for case in cases if family_of(case) != "core"]
    if args.list:
        cases = [case for case in cases if family_of(case) == args.list]
    results = recall_all(cases)
    print(f"development texts ({', '.join(DEVELOPMENT)}): {len(results)}")
    print("\n".join(table(tallies(results), scores())))
    if args.list:
        print("\n".join(missed(results, args.list)) or "none missed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
