"""Matching benchmark: latency, catalog load, peak RSS, and speed-up over brute force.

    python -m bench.match_bench            # real, 1,000 and 10,000 entries
    python -m bench.match_bench --quick    # real catalog only, a few pastes

For each synthetic size one process writes the catalog as YAML files and
measures the cold load (parse + index + save the index cache); a fresh
process then loads the cached index as the bot would at start-up, matches
every paste and reports its peak RSS (read before the brute-force baseline
allocates its matrices).  The brute force
runs on as many pastes as fit in --brute-budget seconds per cell; when not
even one fits, its time is extrapolated from a measured sample of segment
pairs and marked "est.", and no comparison is claimed for that cell.  "Same
answer" compares what the bot would say (the contract's answer: matches[0]
when high or medium confidence, otherwise none).  "p95 CPU ms" is the
matcher's own CPU time, which other processes on a busy machine do not inflate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bench.measure import percentile
from bench.synthetic import pastes, synthetic_catalog
from intents.checked import as_dict
from intents.index_cache import load_index
from intents.loader import SET_BY_LOADER, load_catalog
from intents.matcher import Matcher
from intents.messages.formats import load_formats
from intents.segments import split_segments

PASTE_SIZES = {
    "200 B": (200, 40),
    "4 KB": (4_000, 40),
    "40 KB": (40_000, 20),
    "1 MB": (1_000_000, 5),
}
NS_PER_PAIR_GUESS = 6_000


def _answer(matches: list) -> str | None:
    """The bot's answer as the contract defines it: matches[0] when high or medium, else none."""
    return matches[0].id if matches and matches[0].confidence != "low" else None


def _write_catalog(entries: list, directory: Path) -> None:
    for entry in entries:
        path = directory / f"{entry.id}.yaml"
        written = as_dict(entry, exclude=frozenset(SET_BY_LOADER), exclude_defaults=True)
        path.write_text(yaml.safe_dump(written, sort_keys=False))


def prepare(size: int, directory: Path) -> float:
    """Write a synthetic catalog of `size` entries; return its cold load time (parse + index + save)."""
    real = sorted(load_catalog().entries.values(), key=lambda e: e.id)
    catalog_dir = directory / "catalog"
    catalog_dir.mkdir(parents=True, exist_ok=True)
    _write_catalog(synthetic_catalog(real, size)[len(real) :], catalog_dir)
    started = time.perf_counter()
    load_index([catalog_dir], cache_dir=directory / "cache")
    return time.perf_counter() - started


def warm(matcher: Matcher) -> float:
    """Compile what the matcher compiles on first use (every entry's patterns and guards, every
    message format), as a running bot has after its first pastes; the seconds it took. Without
    it a paste's time would include compiling what it reaches first (`kubemedic match` pays
    that once per process: bench/cli_startup_bench.py measures it)."""
    started = time.perf_counter()
    for number in range(len(matcher.index.entries)):
        list(matcher.index.entry_patterns(number))
        matcher.index.guards(number)
    for fmt in load_formats():
        _ = fmt.pattern
    return time.perf_counter() - started


def run_size(directory: Path | None, quick: bool, budget: float) -> dict:
    """Load (from the cache when `directory` is given), match every paste, then brute-force."""
    started = time.perf_counter()
    if directory is None:
        index, _ = load_index([], cache_dir=None)
    else:
        index, _ = load_index([directory / "catalog"], cache_dir=directory / "cache")
    load_seconds = time.perf_counter() - started
    matcher = Matcher(index)
    warm_seconds = warm(matcher)
    cells = []
    for label, (paste_size, count) in PASTE_SIZES.items():
        cases = pastes(paste_size, 3 if quick else count)
        timings, cpu, answers = [], [], []
        for text, _expected in cases:
            started, started_cpu = time.perf_counter(), time.process_time()
            matches = matcher.match(text, top=3)
            timings.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            answers.append(_answer(matches))
        cells.append(
            {
                "paste": label,
                "n": len(cases),
                "median_ms": statistics.median(timings) * 1000,
                "p95_ms": percentile(timings, 0.95) * 1000,
                "p95_cpu_ms": percentile(cpu, 0.95) * 1000,
                "answers": answers,
                "cases": cases,
            }
        )
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from bench.brute_force import BruteForce  # numpy and scipy: only after the RSS reading

    brute = BruteForce(matcher.index)
    ns_per_pair = NS_PER_PAIR_GUESS
    for cell in cells:
        cell.update(_brute_cell(brute, matcher, cell, budget, ns_per_pair))
        ns_per_pair = cell.get("ns_per_pair", ns_per_pair)
        del cell["cases"], cell["answers"]
    return {
        "size": len(matcher.index.entries),
        "symptoms": matcher.index.symptom_count,
        "load_warm_s": load_seconds,
        "compile_s": warm_seconds,
        "peak_rss_mb": peak_rss_mb,
        "cells": cells,
    }


def _brute_cell(brute, matcher: Matcher, cell: dict, budget: float, ns_per_pair: float) -> dict:
    pairs = [len(split_segments(text)) * matcher.index.symptom_count for text, _ in cell["cases"]]
    estimated = [p * ns_per_pair / 1e9 for p in pairs]
    timings, agree, spent = [], 0, 0.0
    for (text, _), guess, answer in zip(cell["cases"], estimated, cell["answers"]):
        if spent + guess > budget and timings:
            break
        if guess > budget * 4:
            break
        started = time.perf_counter()
        matches = brute.match(text, top=3)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        spent += elapsed
        ns_per_pair = elapsed * 1e9 / pairs[len(timings) - 1]
        agree += _answer(matches) == answer
    if not timings:
        median = statistics.median(p * ns_per_pair / 1e9 for p in pairs)
        return {"brute_ms": median * 1000, "brute_estimated": True, "brute_n": 0, "same_top1": None}
    return {
        "brute_ms": statistics.median(timings) * 1000,
        "brute_estimated": False,
        "brute_n": len(timings),
        "same_top1": agree,
        "ns_per_pair": ns_per_pair,
    }


def _table(results: list[dict]) -> str:
    lines = [
        "| catalog | paste | n | median ms | p95 ms | p95 CPU ms | brute force ms | speed-up | same answer |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        for cell in result["cells"]:
            brute = f"{cell['brute_ms']:.0f}" + (" (est.)" if cell["brute_estimated"] else "")
            same = "n/a" if cell["same_top1"] is None else f"{cell['same_top1']}/{cell['brute_n']}"
            lines.append(
                f"| {result['size']:,} | {cell['paste']} | {cell['n']} | {cell['median_ms']:.1f} | "
                f"{cell['p95_ms']:.1f} | {cell['p95_cpu_ms']:.1f} | {brute} | "
                f"{cell['brute_ms'] / cell['median_ms']:.0f}x | {same} |"
            )
    lines += [
        "",
        "| catalog | symptoms | load, cold (parse + index) | load, cached index | compile all regexes | peak RSS |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['size']:,} | {r['symptoms']:,} | {r['load_cold_s']:.2f} s | {r['load_warm_s']:.2f} s | "
        f"{r['compile_s']:.2f} s | {r['peak_rss_mb']:.0f} MB |"
        for r in results
    ]
    return "\n".join(lines)


def _child(*args: str) -> str:
    command = [sys.executable, "-m", "bench.match_bench", *args]
    return (
        subprocess.run(command, check=True, capture_output=True, text=True)
        .stdout.strip()
        .splitlines()[-1]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="real catalog, 3 pastes per size")
    parser.add_argument(
        "--sizes", default="0,1000,10000", help="catalog sizes (0 = the real catalog)"
    )
    parser.add_argument(
        "--brute-budget", type=float, default=60.0, help="seconds of brute force per cell"
    )
    parser.add_argument("--prepare", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare is not None:
        print(json.dumps(prepare(args.prepare, args.dir)))
        return
    if args.measure:
        print(json.dumps(run_size(args.dir, args.quick, args.brute_budget)))
        return
    sizes = [0] if args.quick else [int(s) for s in args.sizes.split(",")]
    results = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            extra = ["--brute-budget", str(args.brute_budget)] + (["--quick"] if args.quick else [])
            cold = None
            if size:
                cold = json.loads(_child("--prepare", str(size), "--dir", tmp))
                extra += ["--dir", tmp]
            result = json.loads(_child("--measure", *extra))
        result["load_cold_s"] = cold if cold is not None else result["load_warm_s"]
        results.append(result)
        print(f"catalog of {result['size']:,} entries done", file=sys.stderr, flush=True)
    print(_table(results))
    print(
        f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        f"on {os.cpu_count()} cores (wall-clock figures include waiting for a core; CPU ms do not)"
    )


if __name__ == "__main__":
    main()
