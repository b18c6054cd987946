"""CPU per paste of `kubemedic match` (diagnose_paste: the reading, the evidence, the matcher,
the decision), at 200 B, 4 KB and 40 KB, against another checkout in the same run.

    python -m bench.paste_cpu                         # this checkout
    python -m bench.paste_cpu --against /tmp/base     # A/B: this checkout / the other, per size

The pastes are bench.synthetic's (catalog cases, padded with log noise to size), the same for
both sides. Each side runs in its own process with the catalog loaded and warmed up, then
times every paste with the process's CPU clock; the rounds alternate A, B, A, B so a machine
whose speed drifts moves both. The ratio is the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

SIZES = {"200 B": (200, 60), "4 KB": (4_000, 40), "40 KB": (40_000, 12)}


def measure(rounds: int) -> dict[str, list[float]]:
    """CPU ms per paste of each size, one figure per round (the mean over its pastes)."""
    from bench.synthetic import pastes
    from bot.diagnosis.paste import diagnose_paste
    from intents.loader import load_catalog
    from intents.matcher import Matcher

    matcher = Matcher.from_entries(sorted(load_catalog().entries.values(), key=lambda e: e.id))
    texts = {label: [t for t, _ in pastes(size, count)] for label, (size, count) in SIZES.items()}
    for batch in texts.values():  # warm up: caches, lazy imports
        for text in batch[:3]:
            diagnose_paste(matcher, text)  # type: ignore[arg-type]
    found: dict[str, list[float]] = {label: [] for label in texts}
    for _ in range(rounds):
        for label, batch in texts.items():
            started = time.process_time()
            for text in batch:
                diagnose_paste(matcher, text)  # type: ignore[arg-type]
            found[label].append((time.process_time() - started) * 1000 / len(batch))
    return found


def _side(directory: Path, rounds: int) -> dict[str, list[float]]:
    code = (
        "import json,sys; from bench.paste_cpu import measure; "
        f"print(json.dumps(measure({rounds})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=directory, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", type=Path, help="another checkout (B): print A/B ratios")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    here = Path(__file__).resolve().parent.parent
    if args.against is None:
        for label, runs in measure(args.rounds).items():
            print(f"{label:>6}: {statistics.median(runs):7.2f} CPU ms per paste")
        return 0
    ratios: dict[str, list[float]] = {label: [] for label in SIZES}
    a_ms: dict[str, list[float]] = {label: [] for label in SIZES}
    b_ms: dict[str, list[float]] = {label: [] for label in SIZES}
    for _ in range(args.rounds):
        a, b = _side(here, 1), _side(args.against, 1)
        for label in SIZES:
            a_ms[label] += a[label]
            b_ms[label] += b[label]
            ratios[label].append(a[label][0] / b[label][0])
    print(f"A = {here}, B = {args.against}, {args.rounds} rounds (median)")
    for label in SIZES:
        print(
            f"{label:>6}: A {statistics.median(a_ms[label]):7.2f}  B {statistics.median(b_ms[label]):7.2f}"
            f"  CPU ms per paste, A/B {statistics.median(ratios[label]):.3f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
