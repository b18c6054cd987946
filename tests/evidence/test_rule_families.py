"""One live scenario per evidence rule family: the right entry is confirmed, with the fact."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from bot.diagnosis.node import diagnose_node
from bot.diagnosis.pod import Judge, diagnose_pod
from tests.evidence.conftest import Live, run
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


def job_failed(si: KubeStandIn) -> tuple[str, str]:
    job = kc.job(name="migrate", namespace="batch", failed=7, backoff_exceeded=True)
    pod = ko.pod(
        name="migrate-x7k2p",
        namespace="batch",
        owner=job,
        phase="Failed",
        container_statuses=[
            {
                **ko.running_status(name="migrate", ready=False),
                "state": ko.terminated_state(reason="Error", exit_code=1),
            }
        ],
        containers=[ko.container(name="migrate")],
    )
    si.add_all([kc.node(name="worker-1"), job, pod])
    return "batch", "migrate-x7k2p"


def insufficient_memory_no_events(si: KubeStandIn) -> tuple[str, str]:
    si.add(ko.pending_unschedulable(name="big-0", namespace="analytics"))
    return "analytics", "big-0"


def run_as_root_no_events(si: KubeStandIn) -> tuple[str, str]:
    si.add_all(
        [
            kc.node(name="worker-1"),
            ko.pod(
                name="web-1",
                namespace="shop",
                containers=[ko.container(name="app", run_as_non_root=True)],
                container_statuses=[ko.run_as_non_root_error_status(name="app")],
            ),
        ]
    )
    return "shop", "web-1"


def progress_deadline(si: KubeStandIn) -> tuple[str, str]:
    dep = kc.deployment(
        name="web", namespace="shop", ready_replicas=0, progress_deadline_exceeded=True
    )
    rs = kc.replicaset(deployment=dep)
    pod = ko.pod(
        name="web-5d4f8-abcde",
        namespace="shop",
        owner=rs,
        labels=rs["metadata"]["labels"],
        container_statuses=[ko.running_status(name="app", ready=False)],
    )
    si.add_all([kc.node(name="worker-1"), dep, rs, pod])
    return "shop", "web-5d4f8-abcde"


def from_scenario(name: str) -> Callable[[KubeStandIn], tuple[str, str]]:
    def load(si: KubeStandIn) -> tuple[str, str]:
        found = scenarios.SCENARIOS[name](si)
        return found.namespace, str(found.pod)

    return load


@dataclass(frozen=True)
class Case:
    load: Callable[[KubeStandIn], tuple[str, str]]
    entry: str
    fact: str


CASES = {
    # container state: lastState.terminated reason and exit code of the crash-looping container
    "container-reason-exit-code": Case(
        from_scenario("oom_killed_deployment"),
        "oom-killed",
        "last terminated with reason OOMKilled (exit code 137)",
    ),
    # event reason + message regex: the kubelet's Failed pull event says code = NotFound
    "event-reason-message": Case(
        from_scenario("image_pull_backoff"),
        "image-not-found",
        "event Failed x5: Failed to pull image",
    ),
    # previous log: the fatal line is only in the previous instance's log
    "previous-log": Case(
        from_scenario("tikv_cluster_id_mismatch"),
        "tikv-cluster-id-mismatch",
        "previous log: [2024/05/14 08:21:07.512 +00:00] [FATAL]",
    ),
    # current log: PD's start script loops on the discovery service
    "current-log": Case(
        from_scenario("pd_discovery_wait"),
        "pd-waiting-for-discovery",
        "current log: waiting for discovery service",
    ),
    # PVC phase + StorageClass existence: the claim names a class the cluster does not have
    "pvc-storageclass": Case(
        from_scenario("pvc_missing_storage_class"),
        "pending-storageclass-missing",
        "PersistentVolumeClaim data-ingest-0 is Pending; StorageClass fast-ssd does not exist",
    ),
    # endpoints empty: the unready pod's Service has no ready address
    "endpoints-empty": Case(
        from_scenario("readiness_no_endpoints"),
        "readiness-probe-failed",
        "Service api has no ready endpoints (1 not ready)",
    ),
    # pod phase + reason: the kubelet evicted the pod
    "pod-phase-reason": Case(
        from_scenario("evicted"), "pod-evicted", "pod phase Failed, reason Evicted"
    ),
    # owner kind + owner condition: the pod's Job hit its backoff limit
    "owner-kind": Case(
        job_failed, "job-backoff-limit", "owned by Job migrate with condition BackoffLimitExceeded"
    ),
    # pod condition message: events expired, the PodScheduled condition still says why
    "pod-condition-message": Case(
        insufficient_memory_no_events, "pending-insufficient-resources", "3 Insufficient memory"
    ),
    # container message: runAsNonRoot refusal is in the waiting message even without events
    "container-message": Case(
        run_as_root_no_events,
        "run-as-non-root-image-root",
        "runAsNonRoot and image will run as root",
    ),
    # owner condition on a Deployment: the rollout stalled
    "owner-condition": Case(
        progress_deadline,
        "deployment-progress-deadline",
        "owned by Deployment web with condition ProgressDeadlineExceeded",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_pod_rule_family_confirms_the_entry(case: Case, live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    namespace, name = case.load(si)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, namespace, name, judge=judge))
    top = diagnosis.findings[0]
    assert top.match.id == case.entry
    assert top.confirmed and top.match.confidence in ("high", "medium")
    assert any(case.fact in fact for fact in top.evidence), top.evidence
    assert diagnosis.answer is top and diagnosis.gaps == ()


NODE_CASES = {
    # node condition + taint: DiskPressure=True and the disk-pressure NoSchedule taint
    "disk-pressure": (
        scenarios.pending_disk_pressure,
        "worker-1",
        "node-disk-pressure",
        "taint node.kubernetes.io/disk-pressure:NoSchedule",
    ),
    # Ready=Unknown and the unreachable taint, plus the NodeNotReady event about the node
    "not-ready": (
        scenarios.node_not_ready,
        "worker-3",
        "node-not-ready",
        "condition Ready=Unknown (Kubelet stopped posting node status.)",
    ),
}


@pytest.mark.parametrize("case", NODE_CASES.values(), ids=NODE_CASES.keys())
def test_node_rule_family_confirms_the_entry(case: tuple, live: Live, judge: Judge) -> None:
    load, node, entry, fact = case
    si = KubeStandIn(latency=0.0)
    load(si)
    with live(si) as gateway:
        diagnosis = run(diagnose_node(gateway, node, judge=judge))
    assert diagnosis.findings[0].match.id == entry
    assert any(fact in text for text in diagnosis.findings[0].evidence)


def test_too_many_pods_on_a_full_node(live: Live, judge: Judge) -> None:
    # a node whose allocatable 'pods' is reached confirms too-many-pods from the pod count
    si = KubeStandIn(latency=0.0)
    si.add(kc.node(name="small", allocatable={"cpu": "2", "memory": "4Gi", "pods": "3"}))
    si.add_all(
        ko.running_ready_pod(name=f"web-{i}", namespace="shop", node_name="small") for i in range(3)
    )
    with live(si) as gateway:
        diagnosis = run(diagnose_node(gateway, "small", judge=judge))
    assert diagnosis.findings[0].match.id == "too-many-pods"
    assert "node small runs 3 pods of 3 allowed" in diagnosis.findings[0].evidence[0]


def test_node_with_pressure_is_context_not_the_cause(live: Live, judge: Judge) -> None:
    # an unready pod on a disk-pressure node: its own readiness failure ranks above the node's state
    si = KubeStandIn(latency=0.0)
    scenarios.readiness_no_endpoints(si)
    si.add(kc.node(name="worker-1", disk_pressure=True))
    pod = si.objects("Pod", "shop")[0]["metadata"]["name"]
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", pod, judge=judge))
    ids = [f.match.id for f in diagnosis.findings]
    assert ids[0] == "readiness-probe-failed"
    # the Service without endpoints and the node's pressure are both the pod's surroundings:
    # neither outranks its own readiness failure, which explains the empty Service
    empty = next(f for f in diagnosis.findings if f.match.id == "service-endpoints-empty")
    assert "readiness-probe-failed" in empty.because
    assert ids.index("node-disk-pressure") > 0
