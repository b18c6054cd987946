"""CPU time of a `kubemedic` command from start to exit (a script, not a test).

Each command runs N times as its own process through the installed console script, and
its CPU time (user + sys, from the kernel's accounting of the finished child, so other
processes on a busy machine do not inflate it the way they inflate wall time) is
reported as the median and the spread. `match` runs with the catalog index cached (one
unmeasured run fills the cache first, as any earlier command would) and, on the "cold"
row, with an empty cache directory each time (the first command after an install or a
catalog edit).

Run from the project root:  .venv/bin/python bench/cli_startup_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KUBEMEDIC = Path(sys.executable).parent / "kubemedic"
SHORT_PASTE = "Last State: Terminated\n  Reason: OOMKilled\n  Exit Code: 137\n"
DESCRIBE = ROOT / "examples" / "pastes" / "oom-killed-describe.txt"


def cpu_seconds(argv: list[str], env: dict[str, str], stdin: str = "") -> float:
    """User + sys CPU of one run of `argv` (which must exit 0)."""
    process = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(stdin.encode())
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    error = process.stderr.read().decode()
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed: {error}")
    return usage.ru_utime + usage.ru_stime


def measure(
    name: str,
    argv: list[str],
    env: dict[str, str],
    runs: int,
    stdin: str = "",
    fresh_cache: bool = False,
) -> str:
    times = []
    for _ in range(runs):
        if fresh_cache:
            with tempfile.TemporaryDirectory() as cache:
                times.append(cpu_seconds(argv, env | {"KUBEMEDIC_CACHE_DIR": cache}, stdin))
        else:
            times.append(cpu_seconds(argv, env, stdin))
    median, low, high = statistics.median(times), min(times), max(times)
    return f"| {name} | {runs} | {median:.3f} | {low:.3f} - {high:.3f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="runs per command (default 11)")
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": home,
            "KUBEMEDIC_CACHE_DIR": str(Path(home) / "cache"),
        }
        cpu_seconds([str(KUBEMEDIC), "match", "-"], env, SHORT_PASTE)  # fills the index cache
        rows = [
            measure("`kubemedic --version`", [str(KUBEMEDIC), "--version"], env, runs),
            measure("`kubemedic --help`", [str(KUBEMEDIC), "--help"], env, runs),
            measure(
                "`kubemedic match` of a 3-line paste (stdin)",
                [str(KUBEMEDIC), "match"],
                env,
                runs,
                SHORT_PASTE,
            ),
            measure(
                "`kubemedic match --json` of a `kubectl describe pod` (0.9 KB)",
                [str(KUBEMEDIC), "match", "--json", str(DESCRIBE)],
                env,
                runs,
            ),
            measure(
                "`kubemedic match` of a 3-line paste, empty index cache",
                [str(KUBEMEDIC), "match"],
                env,
                runs,
                SHORT_PASTE,
                fresh_cache=True,
            ),
            measure(
                "`python -c pass` (the interpreter alone)",
                [sys.executable, "-c", "pass"],
                env,
                runs,
            ),
        ]
    print("| command | runs | median CPU s (user+sys) | min - max |")
    print("|---|---|---|---|")
    print("\n".join(rows))


if __name__ == "__main__":
    main()
