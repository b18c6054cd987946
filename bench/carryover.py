"""Carry-over: how the product read each development batch with the code of the day it arrived.

    python -m bench.carryover                 # every dev batch: at arrival, now, and the tiers
    python -m bench.carryover --batches s,t   # only these batches
    python -m bench.carryover --json FILE     # also write every replayed outcome as JSON lines

A development batch is text the matcher had never read when it was gathered; the readings
written from it afterwards make its figure today an in-sample one. Replaying each batch with
the tree of the commit just before the batch's first file landed gives its figure as new text,
on the labels of today. Together the batches are a development-side stand-in for held-out
text: a decision rule (a threshold, a lead, a tier) can be judged on it without reading a
held-out paste. The trees are exported with `git archive` into a cache outside the checkout
(KUBEMEDIC_CARRYOVER_CACHE, default ~/.cache/kubemedic/carryover), once per commit.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.realcorpus import product_outcomes, share
from intents.policy import POLICY
from tests.real_corpus import REAL, RealCase, load

ROOT = Path(__file__).resolve().parent.parent
DEV = REAL / "dev"
RUNNER = Path(__file__).with_name("carryover_runner.py")
BATCH = re.compile(r"^([a-z]+)-\d{4}-")
TIERS = ("regex", "high", "medium")
LEAD_BANDS = (0.0, 0.1, 0.2)
"""Upper edges of the lead bands (the first's score minus the best rival's); above: clear."""


@dataclass(frozen=True)
class Replayed:
    """One paste as an older tree read it: its label and that tree's ranked findings."""

    file: str
    batch: str
    klass: str
    expected: tuple[str, ...]
    ranked: tuple[tuple[str, float, bool, tuple[str, ...]], ...]
    """(entry id, score, confirmed by the paste's own kubectl output, the causes that explain
    it), best first."""
    answered: tuple[str, ...]

    @property
    def answer(self) -> str | None:
        return self.answered[0] if self.answered else None

    @property
    def right(self) -> bool:
        return self.klass == "positive" and self.answer in self.expected


def batch_of(name: str) -> str | None:
    found = BATCH.match(name)
    return found.group(1) if found else None


def batches() -> dict[str, list[RealCase]]:
    """Every development batch (the file-name prefix) and its pastes."""
    found: dict[str, list[RealCase]] = defaultdict(list)
    for case in load("dev"):
        prefix = batch_of(case.path.name)
        if prefix is not None:
            found[prefix].append(case)
    return dict(found)


def git(*args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def arrival_parent(prefix: str) -> str | None:
    """The commit before the batch's first file landed (None: the batch predates the history
    this checkout holds, or landed with the corpus itself)."""
    added = git(
        "log",
        "--reverse",
        "--diff-filter=A",
        "--format=%H",
        "--",
        f"tests/corpus/real/dev/{prefix}-*",
    ).split()
    if not added:
        return None
    parents = git("log", "-1", "--format=%P", added[0]).split()
    return parents[0] if parents else None


def cache_dir() -> Path:
    configured = os.environ.get("KUBEMEDIC_CARRYOVER_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "kubemedic" / "carryover"


def tree_at(commit: str) -> Path:
    """The product's source tree at `commit`, exported once into the cache."""
    target = cache_dir() / commit
    if (target / ".complete").exists():
        return target
    target.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile() as archive:
        subprocess.run(
            ["git", "archive", commit, "bot", "intents", "responses"],
            cwd=ROOT,
            check=True,
            stdout=archive,
        )
        archive.seek(0)
        with tarfile.open(fileobj=archive) as tar:
            tar.extractall(target, filter="data")
    (target / ".complete").touch()
    return target


def replay(prefix: str, cases: Sequence[RealCase], commit: str) -> list[Replayed]:
    """The batch read by the tree at `commit` (in a child process, so its modules stay apart)."""
    tree = tree_at(commit)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    labels = {case.path.name: case for case in cases}
    done = subprocess.run(
        [sys.executable, str(RUNNER), str(DEV), *labels],
        cwd=tree,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    outcomes = []
    for line in done.stdout.splitlines():
        row = json.loads(line)
        case = labels[row["file"]]
        outcomes.append(
            Replayed(
                row["file"],
                prefix,
                case.klass,
                case.expected,
                tuple((i, s, c, tuple(b)) for i, s, c, b in row["ranked"]),
                tuple(row["answered"]),
            )
        )
    return outcomes


REGEX_TIER = 0.99
"""A stored score this high came from a regex or a format read whole (the replayed rows keep
scores, not the kind of evidence)."""


def tier(outcome: Replayed) -> tuple[str, str, str] | None:
    """(score tier, confirmed or text, lead band) of the answer given, None when silent."""
    answer = outcome.answer
    own = next((row for row in outcome.ranked if row[0] == answer), None)
    if answer is None or own is None:
        return None
    _, score, confirmed, _ = own
    name = "regex" if score >= REGEX_TIER else "high" if score >= POLICY.high else "medium"
    # a symptom the answer explains tells the same story: no rival (the close-call rule, intents/decision/rules.py)
    rivals = [s for i, s, _, because in outcome.ranked if i != answer and answer not in because]
    lead = score - max(rivals, default=0.0)
    band = next((f"<= {edge:.1f}" for edge in LEAD_BANDS if lead <= edge + 1e-9), "clear")
    return name, "confirmed" if confirmed else "text", band


def tier_table(outcomes: Iterable[Replayed]) -> list[str]:
    """How often each kind of answer was right, and how often false (wrong, or not due)."""
    counts: Counter[tuple[tuple[str, str, str], bool]] = Counter()
    for outcome in outcomes:
        key = tier(outcome)
        if key is not None:
            counts[(key, outcome.right)] += 1
    keys = sorted({key for key, _ in counts}, key=lambda k: (TIERS.index(k[0]), k[1], k[2]))
    lines = [
        "| answer | confirmed | lead over the next reading | right | false |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {k[0]} | {k[1]} | {k[2]} | {counts[(k, True)]} | {counts[(k, False)]} |" for k in keys
    ]
    return lines


def batch_lines(
    replayed: dict[str, list[Replayed]], commits: dict[str, str], now: dict[str, str | None]
) -> list[str]:
    """Each batch's top-1 at arrival and now, and the negatives it answered at arrival."""
    lines = [
        "| batch | code of the day | positives | top-1 at arrival | top-1 now | negatives answered at arrival |",
        "|---|---|---|---|---|---|",
    ]
    everything: list[Replayed] = []
    for prefix, outcomes in replayed.items():
        everything += outcomes
        lines.append(row_of(prefix, commits[prefix][:8], outcomes, now))
    lines.append(row_of("all", "", everything, now))
    return lines


def row_of(name: str, commit: str, outcomes: Sequence[Replayed], now: dict[str, str | None]) -> str:
    positives = [o for o in outcomes if o.klass == "positive"]
    negatives = [o for o in outcomes if o.klass != "positive"]
    right_now = sum(now.get(o.file) in o.expected for o in positives)
    at_arrival = share(sum(o.right for o in positives), len(positives))
    answered = share(sum(o.answer is not None for o in negatives), len(negatives))
    return f"| {name} | {commit} | {len(positives)} | {at_arrival} | {share(right_now, len(positives))} | {answered} |"


def answers_now(cases: Iterable[RealCase]) -> dict[str, str | None]:
    """The current tree's answer for each paste (the in-sample figure today)."""
    return {outcome.case.path.name: outcome.answer for outcome in product_outcomes(list(cases))}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", help="comma-separated batch prefixes (default: every batch)")
    parser.add_argument("--json", type=Path, help="write every replayed outcome here")
    args = parser.parse_args(argv)
    known = batches()
    chosen = args.batches.split(",") if args.batches else sorted(known, key=lambda p: (len(p), p))
    replayed: dict[str, list[Replayed]] = {}
    commits: dict[str, str] = {}
    for prefix in chosen:
        if prefix not in known:
            parser.error(f"no development batch {prefix!r} (known: {', '.join(sorted(known))})")
        commit = arrival_parent(prefix)
        if commit is None:
            print(
                f"{prefix}: no commit before its arrival in this history; skipped", file=sys.stderr
            )
            continue
        commits[prefix] = commit
        replayed[prefix] = replay(prefix, known[prefix], commit)
    now = answers_now(case for prefix in replayed for case in known[prefix])
    print("\n".join(batch_lines(replayed, commits, now)))
    print()
    print("\n".join(tier_table(o for outcomes in replayed.values() for o in outcomes)))
    if args.json:
        with args.json.open("w") as out:
            for outcomes in replayed.values():
                for o in outcomes:
                    out.write(
                        json.dumps(
                            {
                                "file": o.file,
                                "batch": o.batch,
                                "class": o.klass,
                                "expected": o.expected,
                                "ranked": o.ranked,
                                "answered": o.answered,
                            }
                        )
                        + "\n"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
