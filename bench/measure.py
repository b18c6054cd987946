"""Small measuring helpers the benchmarks share: percentiles and a process's memory."""

from __future__ import annotations

from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0..1) of the sorted values, nearest rank; NaN when there are none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")


def proc_status_kb(pid: int, field: str) -> int | None:
    """A memory line of /proc/PID/status in KiB ("VmRSS" now, "VmHWM" peak); None if gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None
