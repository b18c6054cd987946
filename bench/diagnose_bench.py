"""Benchmark `diagnose` against the Kubernetes API stand-in (a script, not a test).

1. Pod diagnosis with 50 ms injected latency per request: wall time, and
   its ratio to one request's round-trip through the same client (target
   < 2x: the collectors overlap instead of adding up).
2. `diagnose namespace` over 2,000 pods (10% unhealthy): wall time and
   peak RSS of this process.

Run from the project root:  .venv/bin/python bench/diagnose_bench.py
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cluster.kubeconfig import connect
from bot.diagnosis.namespace import diagnose_namespace
from bot.diagnosis.pod import Judge, diagnose_pod
from bot.diagnosis.suspects.walk import walk_namespace
from bot.knowledge import load_knowledge
from bot.settings import Settings
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

LATENCY = 0.05
RUNS = 5


def _median_seconds(work: Callable[[], Any], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_pod(judge: Judge, scenario: str, tmp: Path) -> tuple[str, float, float, int]:
    """(scenario, one request s, diagnosis s, requests per diagnosis)."""
    si = KubeStandIn(latency=LATENCY)
    found = scenarios.SCENARIOS[scenario](si)
    namespace, pod = found.namespace, str(found.pod)
    with start_in_thread(si) as server:
        path = write_kubeconfig(tmp / f"{scenario}.kubeconfig", {"bench": server.url})
        gateway = connect(Settings(KUBECONFIG=str(path)))
        try:
            asyncio.run(diagnose_pod(gateway, namespace, pod, judge=judge))  # warm-up
            one = _median_seconds(lambda: asyncio.run(gateway.get("pods", pod, namespace)))
            before = len(si.requests)
            whole = _median_seconds(
                lambda: asyncio.run(diagnose_pod(gateway, namespace, pod, judge=judge))
            )
            per_run = (len(si.requests) - before) // RUNS
        finally:
            gateway.close()
    return scenario, one, whole, per_run


def bench_namespace(
    judge: Judge, tmp: Path, pods: int = 2000, *, walk: bool = False
) -> tuple[int, int, float, int, float]:
    """(pods, unhealthy, seconds, requests, peak RSS MiB) with no injected latency; `walk`:
    the command's path (`walk_namespace`: the pods and the suspects) instead of the pods only."""
    si = KubeStandIn(latency=0.0)
    bad = scenarios.bulk_namespace(si, n_pods=pods)
    with start_in_thread(si) as server:
        path = write_kubeconfig(tmp / "bulk.kubeconfig", {"bench": server.url})
        gateway = connect(Settings(KUBECONFIG=str(path)))
        try:
            before = len(si.requests)
            start = time.perf_counter()
            run = walk_namespace if walk else diagnose_namespace
            diagnosis = asyncio.run(run(gateway, "bulk", judge=judge))
            seconds = time.perf_counter() - start
        finally:
            gateway.close()
    assert len(diagnosis.pods) == len(bad)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    return pods, len(bad), seconds, len(si.requests) - before, peak


def main() -> None:
    judge = Judge(load_knowledge(Settings()).matcher)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        print(f"Pod diagnosis, {LATENCY * 1000:.0f} ms injected per request (median of {RUNS}):")
        print(
            f"{'scenario':<28} {'1 request':>10} {'diagnosis':>10} {'ratio':>6} {'requests':>9}"
            f" {'if serial':>10}"
        )
        for scenario in (
            "oom_killed_deployment",
            "readiness_no_endpoints",
            "tikv_cluster_id_mismatch",
            "pvc_missing_storage_class",
            "healthy",
        ):
            name, one, whole, count = bench_pod(judge, scenario, tmp)
            print(
                f"{name:<28} {one * 1000:>8.0f}ms {whole * 1000:>8.0f}ms {whole / one:>5.2f}x {count:>9}"
                f" {one * count * 1000:>8.0f}ms"
            )
        print()
        print("Namespace diagnosis (bulk_namespace, no injected latency):")
        print(
            f"{'path':<14} {'pods':>6} {'unhealthy':>10} {'in depth':>9} {'time':>8} {'requests':>9}"
            f" {'peak RSS':>10}"
        )
        for path, walk in (("pods only", False), ("with suspects", True)):
            pods, bad, seconds, requests, peak = bench_namespace(judge, tmp, walk=walk)
            print(
                f"{path:<14} {pods:>6} {bad:>10} {50:>9} {seconds:>7.2f}s {requests:>9} {peak:>8.0f}MiB"
            )


if __name__ == "__main__":
    main()
