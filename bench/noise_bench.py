"""Does formatting change the answer?  Every corpus paste through each noise transformation.

    python -m bench.noise_bench            # unchanged share per transformation
    python -m bench.noise_bench --changed  # also every paste whose answer changed

The older corpus (tests/corpus/cases, healthy, multi, negatives, out-of-catalog, validation)
and the real development half (tests/corpus/real/dev); never the test half.  A paste's
answer is what `diagnose_paste` states (an id, or none); it must be the same after the
transformation (tests/noise.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tests.noise import TRANSFORMATIONS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
FOLDERS = ("cases", "healthy", "multi", "negatives", "out-of-catalog", "validation", "real/dev")


def pastes() -> list[Path]:
    """Every paste of the older corpus (the packs' cases first) and the real development half."""
    from tests.corpus_cases import case_files

    found: list[Path] = [p for p in case_files() if not p.is_relative_to(CORPUS)]
    for folder in FOLDERS:
        found.extend(p for p in sorted((CORPUS / folder).rglob("*.txt")) if p.is_file())
    return found


def answerer() -> Callable[[str], str | None]:
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    matcher = Matcher.from_entries(sorted(load_catalog().entries.values(), key=lambda e: e.id))

    def answer(text: str) -> str | None:
        found = diagnose_paste(matcher, text, top=3).answer
        return found.match.id if found is not None else None

    return answer


_ANSWER: Callable[[str], str | None] | None = None


def _answers(texts: list[str]) -> list[str | None]:
    """In a worker: the answer to each text."""
    global _ANSWER
    if _ANSWER is None:
        _ANSWER = answerer()
    return [_ANSWER(text) for text in texts]


def measure(
    paths: Sequence[Path], names: Sequence[str], workers: int | None = None
) -> dict[str, list[tuple[Path, str | None, str | None]]]:
    """For each transformation, the pastes whose answer changed (path, before, after); the
    transformations are spread over `workers` processes (default: one per core). A paste a
    transformation leaves as it was keeps its answer without being asked again (an eighth of
    the work: escaping, tabs, quotes and wrapping leave many pastes unchanged)."""
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in paths]
    transformed = {name: [TRANSFORMATIONS[name](text) for text in texts] for name in names}
    jobs = [
        texts,
        *([new for new, old in zip(transformed[name], texts) if new != old] for name in names),
    ]
    workers = workers or os.cpu_count() or 1
    if workers > 1:
        context = multiprocessing.get_context("spawn")  # no forked copies of the caller's threads
        with context.Pool(workers) as pool:
            results = pool.map(_answers, jobs, chunksize=1)
    else:
        results = [_answers(job) for job in jobs]
    before, *after = results
    changed: dict[str, list[tuple[Path, str | None, str | None]]] = {}
    for name, answers in zip(names, after):
        asked = iter(answers)
        now = [
            next(asked) if new != old else answer
            for new, old, answer in zip(transformed[name], texts, before)
        ]
        changed[name] = [
            (path, old, new) for path, old, new in zip(paths, before, now) if new != old
        ]
    return changed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--changed", action="store_true", help="list every paste whose answer changed"
    )
    parser.add_argument(
        "--only", nargs="*", default=list(TRANSFORMATIONS), help="transformations to run"
    )
    args = parser.parse_args(argv)
    paths = pastes()
    changed = measure(paths, args.only)
    print(f"{len(paths)} pastes (older corpus + real dev half)")
    print("| transformation | answer unchanged |")
    print("|---|---|")
    for name, rows in changed.items():
        print(
            f"| {name} | {len(paths) - len(rows)}/{len(paths)} = {1 - len(rows) / len(paths):.3f} |"
        )
    if args.changed:
        for name, rows in changed.items():
            for path, old, new in rows:
                print(f"{name}: {path.relative_to(CORPUS)}: {old} -> {new}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
