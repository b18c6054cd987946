"""Benchmark the incident summary: build + render time and peak RSS (a script, not a test).

For 1,000 and 10,000 recorded messages, two channel shapes:
- "repeated": what incident channels look like, the same few errors pasted
  again and again with different timestamps and pod names, plus chat;
- "distinct": every message a different text (worst case for matching; the
  builder matches at most MAX_DISTINCT_TEXTS distinct texts).
Each case runs in a fresh process so its peak RSS is its own (the catalog
and matcher are loaded in every process: see the "baseline" row).

Run from the project root:  .venv/bin/python bench/summary_bench.py
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SIZES = (1_000, 10_000)
SHAPES = ("repeated", "distinct")
RUNS = 3
CHAT = [
    "ok looking",
    "restarting api now",
    "+1 same here",
    "who owns the payments db?",
    "rolling back v2.3",
]


def _letters(n: int) -> str:
    """A word unique to n (digits would be normalised away by the builder's de-duplication)."""
    word = ""
    while True:
        n, rest = divmod(n, 26)
        word += "abcdefghijklmnopqrstuvwxyz"[rest]
        if not n:
            return "zz" + word


def _messages(count: int, shape: str) -> list:
    from bot.storage.records import ChannelMessage
    from tests.summary.history import IMAGE, MOUNT, OOM, PENDING, TIKV

    errors = [OOM, TIKV, PENDING, MOUNT, IMAGE]
    start = datetime.now(UTC) - timedelta(hours=12)
    found = []
    for n in range(count):
        if shape == "repeated":
            body = errors[n % 5] if n % 3 else CHAT[n % len(CHAT)]
        else:
            body = f"{errors[n % 5]} {_letters(n)} {CHAT[n % len(CHAT)]}"
        text = f"{body}\n[{n:06d}] pod web/api-{n % 300} on node node-{n % 50}"
        found.append(
            ChannelMessage(
                channel="C0BENCH001",
                ts=f"{1700000000 + n}.000100",
                user=f"U{n % 40:09d}",
                text=text,
                posted_at=start + timedelta(seconds=4 * n),
            )
        )
    return found


def one(count: int, shape: str) -> dict[str, float]:
    """Time build + render of one case in this process; peak RSS in MB."""
    from bot.knowledge import load_knowledge
    from bot.settings import Settings
    from bot.summary.builder import SummaryInputs, build_summary
    from responses.summary_blocks import summary_blocks
    from responses.summary_text import render_summary_text

    matcher = load_knowledge(Settings()).matcher
    messages = _messages(count, shape) if count else []
    times, blocks = [], 0
    for _ in range(RUNS if count else 0):
        started = time.perf_counter()
        summary = build_summary(
            SummaryInputs("inc-bench", messages), matcher=matcher, now=datetime.now(UTC)
        )
        blocks = len(summary_blocks(summary))
        render_summary_text(summary, markdown=True)
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": min(times) if times else 0.0, "rss_mb": peak, "blocks": blocks}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps(one(int(sys.argv[2]), sys.argv[3])))
        return
    cases = [(0, "baseline")] + [(n, s) for n in SIZES for s in SHAPES]
    print(f"{'messages':>9} {'shape':>9} {'build+render':>13} {'peak RSS':>9} {'blocks':>6}")
    for count, shape in cases:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(count), shape],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        took = f"{row['seconds'] * 1000:.0f} ms" if count else "-"
        print(f"{count:>9} {shape:>9} {took:>13} {row['rss_mb']:>6.0f} MB {row['blocks']:>6}")


if __name__ == "__main__":
    main()
