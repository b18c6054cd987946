"""What `diagnose pod` reads of a live cluster when it walks below a healthy pod: the chain
below it, not the whole namespace.

A healthy pod is walked (its users may still see what it calls fail), but its siblings that
crash are not below it, and neither are the other workloads' pods: none is read in depth (no
previous log, no events of its own asked), a few logs sample each workload's calls, and the
namespace's events are listed once, the pod's own taken from that list. So the requests per
answer stay a fixed few, whatever the namespace's size (issue 81: 208 requests against 200 pods,
50 of them deep reads of pods the answer never needed).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import kubemedic_in_process
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn, start_in_thread, write_kubeconfig

NAMESPACE = "soak"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[KubeStandIn, Path]]:
    standin = KubeStandIn(latency=0.0)
    scenarios.bulk_namespace(standin, NAMESPACE, n_pods=60, unhealthy_ratio=0.5, per_deployment=20)
    with start_in_thread(standin) as server:
        path = write_kubeconfig(
            tmp_path_factory.mktemp("kube") / "config", {"lab": server.url}, current="lab"
        )
        yield standin, path


def _healthy_pod(standin: KubeStandIn) -> str:
    unhealthy = {
        p["metadata"]["name"]
        for p in standin.objects("pods", NAMESPACE)
        if (p.get("status") or {}).get("phase") != "Running"
        or any(
            not s.get("ready") or s.get("restartCount")
            for s in (p.get("status") or {}).get("containerStatuses") or []
        )
    }
    return next(
        p["metadata"]["name"]
        for p in standin.objects("pods", NAMESPACE)
        if p["metadata"]["name"] not in unhealthy
    )


def test_a_healthy_pods_walk_reads_its_chain_not_the_namespace(
    cluster: tuple[KubeStandIn, Path],
) -> None:
    standin, path = cluster
    pod = _healthy_pod(standin)
    before = len(standin.requests)
    result = kubemedic_in_process(
        "diagnose",
        "pod",
        f"{NAMESPACE}/{pod}",
        env={"KUBECONFIG": str(path), "HOME": str(path.parent)},
    )
    assert result.code == 0, result.stderr
    asked = standin.requests[before:]
    logs = [r for r in asked if r.path.endswith("/log")]
    events = [r.path for r in asked if r.path.endswith("/events")]
    assert not [r for r in logs if r.query.get("previous") == "true"], "a crash read in depth"
    assert len(logs) <= 4 + 2, [r.path for r in logs]  # its workload's sample, one of each other
    assert len(events) <= 4, events  # its own and its owner's (before the walk), the namespace's
    assert len(asked) <= 40, sorted(r.path for r in asked)
    lists = [
        (r.path, r.query.get("fieldSelector"), r.query.get("labelSelector"))
        for r in asked
        if not r.path.endswith("/log")
    ]
    twice = {ask for ask in lists if lists.count(ask) > 1}
    assert not twice, twice  # the pod's own reads and its walk's share one reader
