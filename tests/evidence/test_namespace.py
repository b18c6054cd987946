"""`diagnose namespace` stays bounded: paginated list, N pods in depth, shared lookups."""

from __future__ import annotations

from bot.diagnosis.namespace import diagnose_namespace
from bot.diagnosis.pod import Judge
from tests.evidence.conftest import Live, run
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


def test_bulk_namespace_is_bounded_and_worst_first(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    bad = scenarios.bulk_namespace(si, n_pods=700, unhealthy_ratio=0.1)
    with live(si) as gateway:
        diagnosis = run(diagnose_namespace(gateway, "bulk", judge=judge, deep_limit=10))
    rows = diagnosis.pods
    assert sorted(r.pod.split("/")[1] for r in rows) == sorted(
        bad
    )  # every unhealthy pod, no healthy one
    assert [r.severity for r in rows] == sorted(r.severity for r in rows)  # worst first
    assert sum(r.diagnosed for r in rows) == 10  # only the worst 10 in depth
    assert all(r.finding is not None for r in rows if r.diagnosed)
    assert sum(count for _status, count in diagnosis.counts) == 700
    pages = si.requests_to("GET", r"^/api/v1/namespaces/bulk/pods$")
    assert len(pages) == 2 and "continue" in pages[1].query  # 700 pods: two pages of 500
    # shared lookups: each node the deep pods run on is read once, not once per pod
    node_gets = [r.path for r in si.requests_to("GET", r"^/api/v1/nodes/")]
    assert len(node_gets) == len(set(node_gets))


def test_crashloop_ranks_before_pending(live: Live, judge: Judge) -> None:
    # crash-looping pod (failing) is reported before a pod that only waits for scheduling
    si = KubeStandIn(latency=0.0)
    scenarios.pending_disk_pressure(si, namespace="mixed")
    oom = scenarios.oom_killed_deployment(si, namespace="mixed")
    with live(si) as gateway:
        diagnosis = run(diagnose_namespace(gateway, "mixed", judge=judge))
    assert [r.pod for r in diagnosis.pods] == [f"mixed/{oom.pod}", "mixed/report-0"]
    assert [r.finding.match.id for r in diagnosis.pods if r.finding] == [
        "oom-killed",
        "node-disk-pressure",
    ]
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "oom-killed"


def test_healthy_and_empty_namespaces(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    scenarios.healthy(si)
    with live(si) as gateway:
        healthy = run(diagnose_namespace(gateway, "shop", judge=judge))
        empty = run(diagnose_namespace(gateway, "nothing-here", judge=judge))
    assert healthy.pods == () and healthy.notes == (
        "no problem found: all 1 pods in namespace shop are healthy",
    )
    assert empty.notes == ("no pods in namespace nothing-here",)
