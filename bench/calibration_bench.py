"""Measure the learned decision on text it was never trained or tuned on: totals only.

    python -m bench.calibration_bench            # test half and every fresh batch, before/after
    python -m bench.calibration_bench --blind fresh23   # that batch reported on its own
    python -m bench.calibration_bench --leave-out fresh23  # that batch not scored at all
    python -m bench.calibration_bench --cost     # CPU per 40 KB paste, size, memory, cold start

Held-out pastes are never listed one by one (not their names, not what changed on each): the
report gives totals per scope and paste kind, the change in answers and how the misses miss
(counts), and the failures told in words by what their sentences are about.

"After" is the product as wired: `diagnose_paste` (what `kubemedic match` and a pasted Slack
message get, as `bench.realcorpus` runs it), the learned rule consulting the shipped model.
"Before" is the same path with the learned rule not consulted (`consulting(rules_only)`): the
rules' own answer and listed three. Each paste runs once each way; the rule is applied once.
"Top-3" counts the three listed with the model's own suggestions, "top-3 in pool" without
them. Top-1 and top-3 are shares of the positives; confident wrong is answers that are wrong,
as a share of the positives; the negative classes count answers to pastes that should get
none. The gain's interval is a bootstrap over source repositories (pastes of one repository
are drawn together).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from bench.calibration_data import Pooled, matcher, pools
from bench.calibration_policy import NEGATIVE_CLASSES
from bot.diagnosis.paste import diagnose_paste
from intents.decision.rules import LEARNED
from intents.told import told
from tests.real_corpus import HALVES, HELD_OUT, KINDS

BOOTSTRAP = 2000


@dataclass(frozen=True)
class Scored:
    """One paste: the rules' answer and listing, and the product's as wired."""

    pooled: Pooled
    answer: str | None
    listed: tuple[str, ...]
    in_pool: tuple[str, ...]
    """The listed ids some rule found (the model's own suggestions left out)."""
    reason: str
    """What the learned rule said about the answer (its trace step), if anything."""

    @property
    def half(self) -> str:
        return self.pooled.case.half

    def right(self, after: bool) -> bool:
        return self.pooled.right(self.answer if after else self.pooled.before_answer)

    def answered(self, after: bool) -> bool:
        return (self.answer if after else self.pooled.before_answer) is not None

    def listed_right(self, after: bool, pool_only: bool = False) -> bool:
        listed = (
            (self.in_pool if pool_only else self.listed) if after else self.pooled.before_listed
        )
        return bool(set(listed) & set(self.pooled.case.expected))


def score(pooled: Pooled) -> Scored:
    """The product's answer and listing for the paste, the learned rule consulted as shipped."""
    diagnosis = diagnose_paste(matcher(), pooled.text, top=3)
    findings = diagnosis.findings
    learned = [
        step.effect
        for f in findings
        for step in f.match.why
        if step.rule == LEARNED.name and not step.effect.startswith(("suggested", "listed"))
    ]
    return Scored(
        pooled,
        diagnosis.answers[0].match.id if diagnosis.answers else None,
        tuple(f.match.id for f in findings),
        tuple(f.match.id for f in findings if f.match.why[0].rule != LEARNED.name),
        learned[0] if learned else "",
    )


def _pair(count: Callable[[bool], int], whole: int) -> str:
    before, after = count(False), count(True)
    if not whole:
        return "-"
    return f"{before / whole:.3f} -> {after / whole:.3f} ({after - before:+d})"


def row(name: str, scored: Sequence[Scored]) -> str:
    positives = [s for s in scored if s.pooled.positive]
    n = len(positives)
    cells = [
        f"{name}",
        f"{n}",
        _pair(lambda a: sum(s.right(a) for s in positives), n),
        _pair(lambda a: sum(s.listed_right(a, pool_only=True) for s in positives), n),
        _pair(lambda a: sum(s.listed_right(a) for s in positives), n),
        _pair(lambda a: sum(s.answered(a) and not s.right(a) for s in positives), n),
    ]
    for klass in NEGATIVE_CLASSES:
        group = [s for s in scored if s.pooled.case.klass == klass]
        cells.append(
            f"{sum(s.answered(False) for s in group)} -> {sum(s.answered(True) for s in group)}"
            f" /{len(group)}"
        )
    return "| " + " | ".join(cells) + " |"


HEADER = (
    "| scope | positives | top-1 | top-3 in pool | top-3 | confident wrong | healthy answered "
    "| out-of-catalog answered | chat answered |\n|---|---|---|---|---|---|---|---|---|"
)


def changes(scored: Iterable[Scored]) -> str:
    """How many answers the decision changed, and how (totals only: held-out pastes are never
    listed one by one)."""
    counted: dict[str, int] = defaultdict(int)
    for s in scored:
        before, after = s.pooled.before_answer, s.answer
        if before == after:
            continue
        if s.pooled.positive:
            counted[
                "fixed" if s.right(True) else "broken" if s.right(False) else "still wrong"
            ] += 1
        else:
            counted["newly answered" if after else "silenced"] += 1
    order = ("fixed", "broken", "still wrong", "silenced", "newly answered")
    return ", ".join(f"{name} {counted[name]}" for name in order)


def misses(scored: Iterable[Scored]) -> str:
    """How the positives the product as wired misses miss (totals)."""
    counted: dict[str, int] = defaultdict(int)
    for s in scored:
        if not s.pooled.positive or s.right(True):
            continue
        found = {c.id for c in s.pooled.candidates}
        if not found:
            counted["no candidate at all"] += 1
        elif not found & set(s.pooled.case.expected):
            counted["the right entry never a candidate"] += 1
        elif s.answer is None:
            counted["silent, the right entry a candidate"] += 1
        else:
            counted["answered wrong, the right entry a candidate"] += 1
    return ", ".join(
        f"{name} {count}" for name, count in sorted(counted.items(), key=lambda kv: -kv[1])
    )


def told_subjects(scored: Iterable[Scored]) -> list[str]:
    """The failures told in words (chat positives) by what their sentences are about: right first
    answers before -> after (totals per subject; a paste counts under each subject it names)."""
    by: dict[str, list[Scored]] = defaultdict(list)
    for s in scored:
        if s.pooled.positive and s.pooled.case.kind == "chat":
            for subject in sorted(told(s.pooled.text).subjects) or ["(none named)"]:
                by[subject].append(s)
    return [
        f"| {subject} | {len(group)} | {sum(s.right(False) for s in group)} -> {sum(s.right(True) for s in group)} "
        f"| {sum(s.listed_right(True) for s in group)} |"
        for subject, group in sorted(by.items(), key=lambda kv: -len(kv[1]))
    ]


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
        gains.append(
            100 * sum(s.right(True) - s.right(False) for s in positives) / max(1, len(positives))
        )
        bads.append(sum(_bad(s, True) - _bad(s, False) for s in drawn))
    gains.sort()
    bads.sort()
    low, high = int(0.025 * BOOTSTRAP), int(0.975 * BOOTSTRAP) - 1
    return (
        f"top-1 gain {gains[BOOTSTRAP // 2]:+.1f} points (95% interval {gains[low]:+.1f} to "
        f"{gains[high]:+.1f}); bad answers {bads[BOOTSTRAP // 2]:+d} ({bads[low]:+d} to {bads[high]:+d}); "
        f"{len(repos)} repositories, {BOOTSTRAP} resamples"
    )


def _bad(s: Scored, after: bool) -> int:
    return int(s.answered(after) and not s.right(after))


def quality(seed: int, blind: Sequence[str], leave_out: Sequence[str] = ()) -> list[str]:
    halves = [half for half in HELD_OUT if half not in leave_out]
    scored = {half: [score(p) for p in pools(half)] for half in halves}
    batches = [half for half in halves if half != "test" and half not in blind]
    fresh = [s for half in batches for s in scored[half]]
    held = scored["test"] + fresh
    title = "learned rule on held-out pastes: the rules' own verdict -> the product as wired (change in pastes)"
    lines = [
        title,
        "",
        HEADER,
        row("test half", scored["test"]),
        row(f"{len(batches)} fresh batches pooled", fresh),
        row("test + fresh", held),
    ]
    lines += [row(half, scored[half]) for half in batches]
    lines += [
        row(f"kind: {kind}", [s for s in held if s.pooled.case.kind == kind]) for kind in KINDS
    ]
    lines += [row(f"blind batch {half} (on its own)", scored[half]) for half in blind]
    worst = min(batches, key=lambda h: sum(s.right(True) - s.right(False) for s in scored[h]))
    net = sum(s.right(True) - s.right(False) for s in scored[worst])
    lines += [
        "",
        f"worst fresh batch: {worst}, top-1 {net:+d} pastes",
        f"test + fresh, bootstrap over source repositories: {bootstrap(held, seed)}",
        f"answers changed (test + fresh): {changes(held)}",
        f"positives missed as wired (test + fresh): {misses(held)}",
        "",
        "failures told in words (chat positives, test + fresh), by subject:",
        "| subject | positives | right first, rules -> wired | right among the three |",
        "|---|---|---|---|",
        *told_subjects(held),
    ]
    for half in blind:
        lines += [
            f"answers changed ({half}): {changes(scored[half])}",
            f"positives missed ({half}): {misses(scored[half])}",
        ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--cost", action="store_true", help="measure CPU, size, memory and cold start"
    )
    parser.add_argument("--seed", type=int, default=0, help="the bootstrap's seed (default 0)")
    parser.add_argument(
        "--blind",
        nargs="*",
        default=[],
        metavar="HALF",
        choices=HALVES[2:],
        help="fresh batches gathered after the work, reported on their own (not pooled)",
    )
    parser.add_argument(
        "--leave-out",
        nargs="*",
        default=[],
        metavar="HALF",
        choices=HALVES[2:],
        help="fresh batches not scored at all (kept blind for a later report)",
    )
    args = parser.parse_args(argv)
    if args.cost:
        from bench.calibration_cost import cost

        print("\n".join(cost()))
        return 0
    print("\n".join(quality(args.seed, args.blind, args.leave_out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
