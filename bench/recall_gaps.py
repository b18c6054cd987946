"""Recall on the development half: positives whose right entry no rule ever makes a candidate.

    python -m bench.recall_gaps            # dev figures: top-1, top-3, never a candidate, none at all
    python -m bench.recall_gaps --list     # and every such dev paste, with the candidates it got
    python -m bench.recall_gaps --only gn  # the figures for the dev files whose name starts "gn-"
    python -m bench.recall_gaps --rules-only          # the rules' own verdict (no learned decision)
    python -m bench.recall_gaps --model /tmp/model    # a model retrained there (train_calibration --out)

A paste goes through the product path as wired (`diagnose_paste`, top=3, the learned rule
consulting the shipped model, as `bench.realcorpus` runs it); the candidates are the pool the
learned decision is asked about. A right entry outside that pool cannot be chosen by any
decision, so these misses are the catalog's (a reading, message format or symptom line that is
missing), not the policy's. Development half only: held-out pastes are never listed.

The shipped decision abstains for every paste with a candidate whose catalog text changed
since it was trained, so after a catalog edit `--rules-only` (before and after) measures the
edit alone, and `--model` what a retrain would give (its decision consulted for every entry).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bench.calibration_data import matcher
from bot.diagnosis.paste import diagnose_paste
from intents.calibration import Question, Verdict, consulting, rules_only
from intents.calibration.assess import assess
from intents.calibration.model import TextModel
from tests.real_corpus import RealCase, load


@dataclass(frozen=True)
class Recalled:
    """One positive development paste: the answer as wired, the three listed, the whole pool."""

    case: RealCase
    answer: str | None
    listed: tuple[str, ...]
    pool: tuple[str, ...]

    @property
    def right(self) -> bool:
        return self.answer in self.case.expected

    @property
    def in_top3(self) -> bool:
        return bool(set(self.listed) & set(self.case.expected))

    @property
    def never_a_candidate(self) -> bool:
        return not set(self.pool) & set(self.case.expected) and not self.in_top3


Opinion = Callable[[Question], Verdict]
OPINION: Opinion = assess
"""The decision consulted (set before the workers fork)."""


def retrained(folder: Path) -> Opinion:
    """The decision of a model retrained into `folder`, consulted for every entry (a retrain
    leaves no entry older than the model)."""
    model = TextModel.load(folder)
    return lambda question: assess(replace(question, stale=()), model=model)


def recalled(case: RealCase) -> Recalled:
    asked: list[Question] = []

    def recording(question: Question) -> Verdict:
        asked.append(question)
        return OPINION(question)

    with consulting(recording):
        diagnosis = diagnose_paste(matcher(), case.text(), top=3)
    pool = tuple(c.id for c in asked[0].candidates) if asked else ()
    return Recalled(
        case=case,
        answer=diagnosis.answers[0].match.id if diagnosis.answers else None,
        listed=tuple(f.match.id for f in diagnosis.findings),
        pool=pool,
    )


def recall_all(cases: Sequence[RealCase], processes: int = 2) -> list[Recalled]:
    if processes <= 1 or len(cases) < 50:
        return [recalled(case) for case in cases]
    matcher()  # built before the fork, shared by the workers
    with multiprocessing.get_context("fork").Pool(processes) as workers:
        return workers.map(recalled, cases, chunksize=25)


def figures(results: Sequence[Recalled]) -> str:
    n = len(results)
    gaps = [r for r in results if r.never_a_candidate]
    return (
        f"positives {n}: top-1 {sum(r.right for r in results)}, "
        f"top-3 {sum(r.in_top3 for r in results)}, "
        f"right entry never a candidate {len(gaps)} "
        f"(no candidate at all {sum(not r.pool and not r.listed for r in gaps)})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="store_true", help="list each dev paste never a candidate")
    parser.add_argument("--only", help="only dev files whose name starts with this prefix and '-'")
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument(
        "--rules-only", action="store_true", help="the rules' verdict, no learned decision"
    )
    chosen.add_argument("--model", type=Path, help="consult a model retrained into this folder")
    args = parser.parse_args(argv)
    global OPINION
    if args.rules_only:
        OPINION = rules_only
    elif args.model:
        OPINION = retrained(args.model)
    cases = [
        c
        for c in load("dev")
        if c.klass == "positive" and (args.only is None or c.path.name.startswith(f"{args.only}-"))
    ]
    results = recall_all(cases)
    print(figures(results))
    if args.list:
        for r in results:
            if r.never_a_candidate:
                got = ", ".join(r.pool or r.listed) or "nothing"
                print(
                    f"{r.case.path.name} [{r.case.kind}] want {'|'.join(r.case.expected)}: "
                    f"pool [{got}]"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
