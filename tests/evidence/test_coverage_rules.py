"""The evidence issue 21 adds, read from a live (stand-in) cluster through the real client.

A Service whose targetPort no container of its pods declares; a Pending pod no scheduler has
looked at; node-problem-detector's node conditions; a StatefulSet pod stuck pulling its image.
"""

from __future__ import annotations

from typing import Any

from bot.diagnosis.node import diagnose_node
from bot.diagnosis.pod import Judge, diagnose_pod
from tests.evidence.conftest import Live, run
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn


def _web(si: KubeStandIn, *, target: int | str, protocol: str = "TCP") -> None:
    pod = ko.pod(
        name="web-7b9c5d6f8-abcde",
        namespace="shop",
        labels={"app": "web"},
        containers=[ko.container(name="app", ports=[8080])],
    )
    service = kc.service(name="web", namespace="shop", selector={"app": "web"})
    service["spec"]["ports"] = [
        {"name": "http", "port": 80, "targetPort": target, "protocol": protocol}
    ]
    si.add_all(
        [
            kc.node(name="worker-1"),
            pod,
            service,
            # the endpoints controller leaves out a pod whose ports lack the name targeted
            kc.endpoints(
                name="web", namespace="shop", ready=[] if isinstance(target, str) else [pod]
            ),
        ]
    )


def test_a_service_targeting_an_undeclared_port_is_found_on_a_ready_pod(
    live: Live, judge: Judge
) -> None:
    si = KubeStandIn(latency=0.0)
    _web(si, target=80)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", "web-7b9c5d6f8-abcde", judge=judge))
    top = diagnosis.answer
    assert top is not None and top.match.id == "service-target-port-mismatch"
    assert "Service web targets port 80/TCP; the containers declare 8080/TCP" in " ".join(
        top.evidence
    )


def test_a_named_target_port_the_pod_lacks_and_a_protocol_mismatch_are_found(
    live: Live, judge: Judge
) -> None:
    # a name no container declares is the targetPort's fault; UDP against TCP the protocol's
    for target, protocol, entry, fact in (
        (
            "http",
            "TCP",
            "service-target-port-mismatch",
            "targets port name 'http', which no container declares",
        ),
        (
            8080,
            "UDP",
            "service-protocol-mismatch",
            "targets port 8080/UDP; the container declares it as TCP",
        ),
    ):
        si = KubeStandIn(latency=0.0)
        _web(si, target=target, protocol=protocol)
        with live(si) as gateway:
            diagnosis = run(diagnose_pod(gateway, "shop", "web-7b9c5d6f8-abcde", judge=judge))
        assert diagnosis.answer is not None and diagnosis.answer.match.id == entry
        assert fact in " ".join(diagnosis.answer.evidence)


def test_a_matching_service_leaves_a_ready_pod_healthy(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    _web(si, target=8080)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", "web-7b9c5d6f8-abcde", judge=judge))
    assert diagnosis.findings == () and diagnosis.notes[0].startswith("no problem found")


def _unscheduled(
    created: float, events: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    pod = ko.pod(
        name="batch-7f9c8d6b5-2kq8x",
        namespace="jobs",
        node_name=None,
        phase="Pending",
        created=created,
    )
    pod["status"] = {"phase": "Pending", "qosClass": "BestEffort"}
    pod["spec"]["schedulerName"] = "bin-packer"
    return [kc.node(name="worker-1"), pod, *(events or [])]


def test_a_pending_pod_no_scheduler_looked_at_names_the_scheduler(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    si.add_all(_unscheduled(created=600))
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "jobs", "batch-7f9c8d6b5-2kq8x", judge=judge))
    top = diagnosis.answer
    assert top is not None and top.match.id == "scheduler-not-running"
    assert (
        "no PodScheduled condition and no scheduling event (schedulerName bin-packer)"
        in " ".join(top.evidence)
    )


def test_a_new_or_already_tried_pod_is_not_blamed_on_the_scheduler(
    live: Live, judge: Judge
) -> None:
    tried = _unscheduled(created=600)
    tried.append(
        ko.event(
            involved=tried[1],
            reason="FailedScheduling",
            type="Warning",
            message="0/1 nodes are available: 1 Insufficient cpu.",
        )
    )
    for objects in (_unscheduled(created=5), tried):
        si = KubeStandIn(latency=0.0)
        si.add_all(objects)
        with live(si) as gateway:
            diagnosis = run(diagnose_pod(gateway, "jobs", "batch-7f9c8d6b5-2kq8x", judge=judge))
        assert all(
            f.match.id != "scheduler-not-running" or not f.confirmed for f in diagnosis.findings
        )


def _condition(kind: str, reason: str, message: str) -> dict[str, str]:
    return {
        "type": kind,
        "status": "True",
        "reason": reason,
        "message": message,
        "lastHeartbeatTime": ko.ago(10),
        "lastTransitionTime": ko.ago(600),
    }


def test_node_problem_detector_conditions_name_their_entries(live: Live, judge: Judge) -> None:
    cases = (
        (
            "KernelDeadlock",
            "DockerHung",
            "kernel: INFO: task docker:20744 blocked for more than 120 seconds.",
            "node-kernel-deadlock",
        ),
        (
            "ReadonlyFilesystem",
            "FilesystemIsReadOnly",
            "EXT4-fs (sda1): Remounting filesystem read-only",
            "node-readonly-filesystem",
        ),
        (
            "FrequentKubeletRestart",
            "FrequentKubeletRestart",
            "Found 5 matching logs, which meets the threshold of 5",
            "node-frequent-restarts",
        ),
    )
    for kind, reason, message, entry in cases:
        si = KubeStandIn(latency=0.0)
        node = kc.node(name="worker-2")
        node["status"]["conditions"].append(_condition(kind, reason, message))
        si.add(node)
        with live(si) as gateway:
            diagnosis = run(diagnose_node(gateway, "worker-2", judge=judge))
        assert diagnosis.findings[0].match.id == entry
        assert f"{kind}=True" in " ".join(diagnosis.findings[0].evidence)


def test_a_frequently_restarting_kubelet_leads_the_notready_it_causes(
    live: Live, judge: Judge
) -> None:
    si = KubeStandIn(latency=0.0)
    node = kc.node(
        name="worker-2",
        ready=False,
        not_ready_message="PLEG is not healthy: pleg has yet to be successful",
    )
    node["status"]["conditions"].append(
        _condition(
            "FrequentKubeletRestart",
            "FrequentKubeletRestart",
            "Found 6 matching logs, which meets the threshold of 5",
        )
    )
    si.add(node)
    with live(si) as gateway:
        diagnosis = run(diagnose_node(gateway, "worker-2", judge=judge))
    ids = [finding.match.id for finding in diagnosis.findings]
    assert ids.index("node-frequent-restarts") < ids.index("node-not-ready")
    symptom = diagnosis.findings[ids.index("node-not-ready")]
    assert symptom.because == ("node-frequent-restarts",)
    assert diagnosis.chain(diagnosis.findings[0]) is not None


def test_a_statefulset_pod_stuck_pulling_names_the_stuck_rollout_under_the_pull_cause(
    live: Live, judge: Judge
) -> None:
    si = KubeStandIn(latency=0.0)
    sts = ko.statefulset(name="web", namespace="shop")
    pod = ko.pod(
        name="web-2",
        namespace="shop",
        owner=sts,
        container_statuses=[ko.image_pull_backoff_status()],
    )
    image = "registry.example.com/shop/app:1.4.3-rc1"
    failed = ko.event(
        involved=pod,
        reason="Failed",
        type="Warning",
        message=(
            f'Failed to pull image "{image}": rpc error: code = NotFound desc = failed to pull and unpack image '
            f'"{image}": failed to resolve reference "{image}": {image}: not found'
        ),
    )
    si.add_all([kc.node(name="worker-1"), sts, pod, failed])
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", "web-2", judge=judge))
    by_id = {finding.match.id: finding for finding in diagnosis.findings}
    stuck = by_id["statefulset-rollout-stuck"]
    assert stuck.confirmed and "owned by StatefulSet web" in " ".join(stuck.evidence)
    assert diagnosis.findings[0].match.id != "statefulset-rollout-stuck"
    assert stuck.because and stuck.because[0] == diagnosis.findings[0].match.id


def _crash_looping(labels: dict[str, str], image: str) -> list[dict[str, Any]]:
    pod = ko.pod(
        name="store-1",
        namespace="db",
        labels=labels,
        containers=[ko.container(name="server", image=image)],
        container_statuses=[ko.crashloop_status(name="server", restarts=9)],
    )
    return [kc.node(name="worker-1"), pod]


def test_product_advice_follows_the_pods_labels_and_image_not_its_name(
    live: Live, judge: Judge
) -> None:
    # the pod's name, events and messages say nothing about TiDB: only its labels or image can
    for labels, image, shown in (
        ({"app": "store"}, "registry.example.com/store:1.2", False),
        ({"app.kubernetes.io/managed-by": "tidb-operator"}, "registry.example.com/store:1.2", True),
        ({"app": "store"}, "pingcap/tikv:v7.5.1", True),
    ):
        si = KubeStandIn(latency=0.0)
        si.add_all(_crash_looping(labels, image))
        with live(si) as gateway:
            diagnosis = run(diagnose_pod(gateway, "db", "store-1", judge=judge))
        crashloop = next(f for f in diagnosis.findings if f.match.id == "crashloop-backoff")
        steps = " ".join(step.command or "" for step in crashloop.match.entry.fix)
        links = " ".join(link.url for link in crashloop.match.entry.links)
        assert ("runmode=debug" in steps) is shown and ("pingcap.com" in links) is shown, (
            labels,
            image,
        )
        assert "logs -p store-1" in steps  # the generic step stays, filled with the pod's own name
