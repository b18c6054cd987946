"""Snapshot every paste's answer, to prove a refactoring changed no answer (or say which did).

    python -m bench.answers_snapshot > /tmp/before.tsv      # on the commit before
    python -m bench.answers_snapshot > /tmp/after.tsv       # on the change
    python -m bench.answers_snapshot --diff /tmp/before.tsv /tmp/after.tsv   # counted by kind
    python -m bench.answers_snapshot --held-out > /tmp/held.tsv   # held-out halves, digests only

One line per development paste: the catalog's own cases, the labelled negatives, multi and
validation pastes, and the development halves of tests/corpus/real; its file, what a right
answer is, the answers (ids, high/medium first findings) and the ranked ids with their
confidence and score. Held-out pastes are measured, never read: their lines carry digests of
the file and of its answer, and whether the answer is right, wrong or none; `--diff` counts
their changes per half and outcome, never one by one.
"""

from __future__ import annotations

import hashlib
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from tests.corpus_cases import (
    CORPUS,
    multi_cases,
    negative_cases,
    positive_cases,
)
from tests.real_corpus import DEVELOPMENT, HELD_OUT, load

NONE = "-"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def development() -> Iterator[tuple[Path, str]]:
    """(file, right answers joined by `|`, "" for a paste that must get none) of every paste a
    change may be read against."""
    yield from ((path, expected) for path, expected in positive_cases())
    yield from ((path, "|".join(ids)) for path, ids in multi_cases())
    yield from ((path, "") for path in negative_cases())
    for path in sorted((CORPUS / "validation").rglob("*.txt")):
        yield path, path.parent.name
    for half in DEVELOPMENT:
        yield from ((case.path, "|".join(case.expected)) for case in load(half))


def outcome(expected: str, answers: str) -> str:
    """right, wrong or none (a positive); quiet or answered (a paste that must get none)."""
    first = answers.split(",")[0]
    if not expected:
        return "quiet" if first == NONE else "answered"
    if first == NONE:
        return "none"
    return "right" if first in expected.split("|") else "wrong"


def main() -> int:
    if sys.argv[1:2] == ["--diff"]:
        print("\n".join(diff(Path(sys.argv[2]), Path(sys.argv[3]))))
        return 0
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    catalog = load_catalog()
    matcher = Matcher.from_entries(sorted(catalog.entries.values(), key=lambda e: e.id))
    held_out = "--held-out" in sys.argv[1:]
    if held_out:
        texts = [
            (f"{half}\t{case.path.name}", case.path, "|".join(case.expected))
            for half in HELD_OUT
            for case in load(half)
        ]
    else:
        root = Path.cwd()
        texts = [
            (str(path.resolve().relative_to(root)), path, expected)
            for path, expected in development()
        ]
    for name, path, expected in texts:
        text = path.read_bytes().decode("utf-8", errors="replace")
        diagnosis = diagnose_paste(matcher, text, top=3)
        answers = ",".join(f.match.id for f in diagnosis.answers) or NONE
        ranked = " ".join(
            f"{f.match.id}:{f.match.confidence}:{f.match.score:.3f}" for f in diagnosis.findings
        )
        if held_out:
            half, file = name.split("\t")
            kept = outcome(expected, answers)
            print(f"{half}\t{_digest(file)}\t{_digest(answers + ranked)}\t{kept}")
        else:
            print(f"{name}\t{expected or NONE}\t{answers}\t{ranked}")
    return 0


def _rows(path: Path) -> dict[str, list[str]]:
    rows = {}
    for line in path.read_text().splitlines():
        cells = line.split("\t")
        rows["\t".join(cells[:2]) if cells[0] in HELD_OUT else cells[0]] = cells
    return rows


def change(before: list[str], after: list[str]) -> str:
    """How one paste's answer changed: unchanged, scores, ranking, or better/worse/other."""
    if before == after:
        return "unchanged"
    if before[0] not in HELD_OUT:  # a development paste
        expected, was, now = before[1], before[2], after[2]
        if was == now:
            ids = [r.split(":")[0] for r in before[3].split()]
            ids_now = [r.split(":")[0] for r in after[3].split()]
            return "scores only" if ids == ids_now else "ranking only"
        expected = "" if expected == NONE else expected
        old, new = outcome(expected, was), outcome(expected, now)
    else:  # a held-out paste: its outcome only
        old, new = before[3], after[3]
        if old == new:
            return "answer changed, same outcome"
    better = {("none", "right"), ("wrong", "right"), ("answered", "quiet"), ("wrong", "none")}
    if (old, new) in better:
        return f"better ({old} -> {new})"
    if (new, old) in better:
        return f"worse ({old} -> {new})"
    return f"other ({old} -> {new})"


def diff(before_file: Path, after_file: Path) -> list[str]:
    """The changes between two snapshots, counted by kind (and by half for held-out pastes)."""
    before, after = _rows(before_file), _rows(after_file)
    counts: Counter[str] = Counter()
    named: dict[str, list[str]] = {}
    for key, row in before.items():
        new = after.get(key)
        if new is None:
            counts["gone"] += 1
            continue
        kind = change(row, new)
        group = key.split("\t")[0] if "\t" in key else "development"
        counts[f"{group}: {kind}"] += 1
        if group == "development" and kind.startswith(("better", "worse", "other")):
            named.setdefault(kind, []).append(key)
    counts["new"] = sum(key not in before for key in after)
    lines = [f"{count:6}  {kind}" for kind, count in sorted(counts.items()) if count]
    for kind, keys in sorted(named.items()):
        lines.append(f"\n{kind}:")
        lines.extend(f"  {key}" for key in keys)
    return lines


if __name__ == "__main__":
    sys.exit(main())
