"""Small measuring helpers the benchmarks share: percentiles and a process's memory."""

from __future__ import annotations

import os
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0..1) of the sorted values, nearest rank; NaN when there are none."""
    ordered = sorted(values)
    return (
        ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
        if ordered
        else float("nan")
    )


def proc_status_kb(pid: int, field: str) -> int | None:
    """A memory line of /proc/PID/status in KiB ("VmRSS" now, "VmHWM" peak); None if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def with_children(pid: int) -> list[int]:
    """`pid` and every process under it (a replica's worker processes), from /proc."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in task.read_text().split()]
            except OSError:
                continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds `pid` and the processes under it have used (0 for one that is gone)."""
    total = 0.0
    for process in with_children(pid):
        try:
            fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total
