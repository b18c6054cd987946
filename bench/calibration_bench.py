"""Measure the learned rule paste by paste on text it was never trained or tuned on.

    python -m bench.calibration_bench            # test half and every fresh batch, before/after
    python -m bench.calibration_bench --cost     # CPU per 40 KB paste, size, memory, cold start

"Before" is the product's answer and listed three, exactly as `bench.realcorpus` computes
them. "After" applies the shipped model's verdict (`intents.calibration.assess`) to the
product's own candidates (`diagnose_paste(top=10)`), as the decision module will once it
calls the rule last: the answer it gives, and the three it lists, with the model's own
suggestions ("top-3") and without them ("top-3 in pool"). Top-1 and top-3 are shares of the
positives; confident wrong is answers that are wrong, as a share of the positives; the
negative classes count answers to pastes that should get none. The gain's interval is a
bootstrap over source repositories (pastes of one repository are drawn together).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bench.calibration_data import Pooled, pools
from bench.calibration_policy import NEGATIVE_CLASSES, listed_three
from intents.calibration import Assessment, assess
from tests.real_corpus import HALVES, KINDS

BOOTSTRAP = 2000


@dataclass(frozen=True)
class Scored:
    """One paste: the product's answer and listing, and the learned rule's."""

    pooled: Pooled
    verdict: Assessment
    listed: tuple[str, ...]
    in_pool: tuple[str, ...]

    @property
    def half(self) -> str:
        return self.pooled.case.half

    def right(self, after: bool) -> bool:
        return self.pooled.right(self.verdict.answer if after else self.pooled.before_answer)

    def answered(self, after: bool) -> bool:
        return (self.verdict.answer if after else self.pooled.before_answer) is not None

    def listed_right(self, after: bool, pool_only: bool = False) -> bool:
        listed = (self.in_pool if pool_only else self.listed) if after else self.pooled.before_listed
        return bool(set(listed) & set(self.pooled.case.expected))


def score(pooled: Pooled) -> Scored:
    verdict = assess(pooled.text, pooled.candidates)
    return Scored(pooled, verdict, listed_three(verdict.listing, pooled.because),
                  listed_three(verdict.order, pooled.because))


def _pair(count: Callable[[bool], int], whole: int) -> str:
    before, after = count(False), count(True)
    if not whole:
        return "-"
    return f"{before / whole:.3f} -> {after / whole:.3f} ({after - before:+d})"


def row(name: str, scored: Sequence[Scored]) -> str:
    positives = [s for s in scored if s.pooled.positive]
    n = len(positives)
    cells = [
        f"{name}", f"{n}",
        _pair(lambda a: sum(s.right(a) for s in positives), n),
        _pair(lambda a: sum(s.listed_right(a, pool_only=True) for s in positives), n),
        _pair(lambda a: sum(s.listed_right(a) for s in positives), n),
        _pair(lambda a: sum(s.answered(a) and not s.right(a) for s in positives), n),
    ]
    for klass in NEGATIVE_CLASSES:
        group = [s for s in scored if s.pooled.case.klass == klass]
        cells.append(f"{sum(s.answered(False) for s in group)} -> {sum(s.answered(True) for s in group)}"
                     f" /{len(group)}")
    return "| " + " | ".join(cells) + " |"


HEADER = ("| scope | positives | top-1 | top-3 in pool | top-3 | confident wrong | healthy answered "
          "| out-of-catalog answered | chat answered |\n|---|---|---|---|---|---|---|---|---|")


def changes(scored: Iterable[Scored]) -> list[str]:
    """Every paste whose answer changed, with what the rule said."""
    lines = []
    for s in scored:
        before, after = s.pooled.before_answer, s.verdict.answer
        if before == after:
            continue
        case = s.pooled.case
        if case.klass == "positive":
            verdict = "fixed" if s.right(True) else "broken" if s.right(False) else "still wrong"
        else:
            verdict = "newly answered" if after else "silenced"
        want = "|".join(case.expected) or case.klass
        lines.append(f"{verdict}: {case.half}/{case.path.name} [{case.kind}] want {want}: "
                     f"{before or 'silent'} -> {after or 'silent'} ({s.verdict.reason})")
    order = ("fixed", "broken", "still wrong", "silenced", "newly answered")
    return sorted(lines, key=lambda line: (order.index(line.split(":")[0]), line))


def bootstrap(scored: Sequence[Scored], seed: int) -> str:
    """95% interval of the top-1 gain (points) and of the bad-answer change, by repository."""
    by_repo: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        by_repo[s.pooled.case.repo].append(s)
    repos = sorted(by_repo)
    rng = random.Random(seed)
    gains, bads = [], []
    for _ in range(BOOTSTRAP):
        drawn = [s for repo in rng.choices(repos, k=len(repos)) for s in by_repo[repo]]
        positives = [s for s in drawn if s.pooled.positive]
        gains.append(100 * sum(s.right(True) - s.right(False) for s in positives) / max(1, len(positives)))
        bads.append(sum(_bad(s, True) - _bad(s, False) for s in drawn))
    gains.sort()
    bads.sort()
    low, high = int(0.025 * BOOTSTRAP), int(0.975 * BOOTSTRAP) - 1
    return (f"top-1 gain {gains[BOOTSTRAP // 2]:+.1f} points (95% interval {gains[low]:+.1f} to "
            f"{gains[high]:+.1f}); bad answers {bads[BOOTSTRAP // 2]:+d} ({bads[low]:+d} to {bads[high]:+d}); "
            f"{len(repos)} repositories, {BOOTSTRAP} resamples")


def _bad(s: Scored, after: bool) -> int:
    return int(s.answered(after) and not s.right(after))


def quality(seed: int) -> list[str]:
    halves = [half for half in HALVES if half != "dev"]
    scored = {half: [score(p) for p in pools(half)] for half in halves}
    fresh = [s for half in halves if half != "test" for s in scored[half]]
    held = scored["test"] + fresh
    lines = ["learned rule on held-out pastes: before -> after (change in pastes)", "", HEADER,
             row("test half", scored["test"]), row("fresh batches pooled", fresh), row("test + fresh", held)]
    lines += [row(half, scored[half]) for half in halves if half != "test"]
    lines += [row(f"kind: {kind}", [s for s in held if s.pooled.case.kind == kind]) for kind in KINDS]
    worst = min(halves[1:], key=lambda h: sum(s.right(True) - s.right(False) for s in scored[h]))
    net = sum(s.right(True) - s.right(False) for s in scored[worst])
    lines += ["", f"worst fresh batch: {worst}, top-1 {net:+d} pastes",
              f"test + fresh, bootstrap over source repositories: {bootstrap(held, seed)}",
              "", "answers changed (test + fresh):", *changes(held)]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cost", action="store_true", help="measure CPU, size, memory and cold start")
    parser.add_argument("--seed", type=int, default=0, help="the bootstrap's seed (default 0)")
    args = parser.parse_args(argv)
    if args.cost:
        from bench.calibration_cost import cost

        print("\n".join(cost()))
        return 0
    print("\n".join(quality(args.seed)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
