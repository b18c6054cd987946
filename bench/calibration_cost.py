"""What the learned rule costs: CPU per paste, model size, memory, and a cold process's start.

Run through `python -m bench.calibration_bench --cost`. CPU is the process's own CPU time
(other engineers' processes on a shared machine do not inflate it). The candidates come from
the product (`diagnose_paste`, recorded where the learned rule is asked), and only `assess` is
timed: reading the bounded text,
counting its terms, scoring them, and deciding. Memory and the first call's cost are measured
in fresh processes, so nothing loaded earlier hides them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.calibration_data import rules_verdict
from bench.cli_startup_bench import KUBEMEDIC, SHORT_PASTE, cpu_seconds
from bench.measure import percentile
from bench.synthetic import pastes
from intents.calibration import assess, shipped_model
from intents.calibration.model import DATA

ROOT = Path(__file__).resolve().parent.parent
SIZES = {"200 B": (200, 200), "4 KB": (4_000, 100), "40 KB": (40_000, 100)}
COLD_RUNS = 7

_FIRST_CALL = """
import json, time, resource
from pathlib import Path
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
import intents.normalize, intents.schema  # what `kubemedic match` has imported before it decides
start, before = time.process_time(), rss()
from intents.calibration import Candidate, Question, assess
verdict = assess(Question(__PASTE__, [Candidate("oom-killed", 1.0, 0, "high", confirmed=True)]))
print(json.dumps({"cpu": time.process_time() - start, "rss_kb": rss() - before}))
"""


def per_paste() -> list[str]:
    shipped_model()
    lines = ["| paste | pastes | assess CPU ms p50 | p95 | max |", "|---|---|---|---|---|"]
    for name, (size, count) in SIZES.items():
        times = []
        for text, _label in pastes(size, count):
            question, _rules = rules_verdict(text)
            start = time.process_time()
            assess(question)
            times.append(1000 * (time.process_time() - start))
        lines.append(
            f"| {name} | {count} | {percentile(times, 0.5):.2f} | {percentile(times, 0.95):.2f} "
            f"| {max(times):.2f} |"
        )
    return lines


def first_call() -> list[dict[str, float]]:
    """CPU and RSS added by importing the rule, loading the model and the first assess, in a
    process that has imported what `kubemedic match` imports before it decides."""
    script = _FIRST_CALL.replace("__PASTE__", repr(SHORT_PASTE))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return [
        json.loads(
            subprocess.run(
                [sys.executable, "-c", script],
                check=True,
                capture_output=True,
                text=True,
                cwd=ROOT,
                env=env,
            ).stdout
        )
        for _ in range(COLD_RUNS)
    ]


def cost() -> list[str]:
    size = sum(path.stat().st_size for path in DATA.iterdir())
    lines = per_paste()
    firsts = first_call()
    first_cpu = sorted(run["cpu"] for run in firsts)[len(firsts) // 2]
    rss = sorted(run["rss_kb"] for run in firsts)[len(firsts) // 2]
    env = {**os.environ}
    match = sorted(
        cpu_seconds([str(KUBEMEDIC), "match", "-"], env, SHORT_PASTE) for _ in range(COLD_RUNS)
    )
    cold = match[len(match) // 2]
    lines += [
        "",
        f"model on disk: {size / 1e6:.2f} MB ({', '.join(p.name for p in sorted(DATA.iterdir()))})",
        (
            f"first call in a fresh process (import the rule, load the model, assess), median of {COLD_RUNS}: "
            f"{1000 * first_cpu:.0f} ms CPU, RSS +{rss / 1024:.1f} MB"
        ),
        (
            f"`kubemedic match` of a 3-line paste from a cold process (the rule wired: it loads the model), "
            f"median of {COLD_RUNS}: {cold:.3f} s CPU (budget 0.3 s)"
        ),
    ]
    return lines
