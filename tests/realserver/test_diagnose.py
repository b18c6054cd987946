"""`kubemedic diagnose pod|namespace|node` against a real API server, as the bot's own
ServiceAccount bound to the rendered read-only ClusterRole.

The incidents are written the way the kubelet, scheduler and node controller
leave them (status subresource, core and events.k8s.io Events, logs through
the API server's log proxy), and the CLI must name the right catalog entry,
confirmed by evidence read from the server, with no gaps: every read the
bot makes is one the rendered role allows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.realserver import lab as scenarios
from tests.realserver.conftest import CLI, Identities
from tests.realserver.lab import Case, Lab

POD_CASES: dict[str, tuple[Callable[[Lab], Case], str, str]] = {
    "crash-loop": (
        scenarios.crash_loop,
        "crashloop-backoff",
        "waiting with reason CrashLoopBackOff",
    ),
    "crash-loop-log": (
        scenarios.tikv_cluster_id_mismatch,
        "tikv-cluster-id-mismatch",
        "previous log: [2024/05/14 08:21:07.512 +00:00] [FATAL]",
    ),
    "oom-killed": (
        scenarios.oom_killed,
        "oom-killed",
        "last terminated with reason OOMKilled (exit code 137)",
    ),
    "pending-failed-scheduling": (
        scenarios.pending_disk_pressure,
        "node-disk-pressure",
        "event FailedScheduling x12: 0/1 nodes are available",
    ),
    "image-pull": (
        scenarios.image_pull_backoff,
        "image-not-found",
        "event Failed x5: Failed to pull image",
    ),
    "evicted": (scenarios.evicted, "pod-evicted", "pod phase Failed, reason Evicted"),
}


def _top(body: dict[str, Any]) -> dict[str, Any]:
    assert body["matches"], body
    top: dict[str, Any] = body["matches"][0]
    return top


@pytest.mark.parametrize("case", POD_CASES.values(), ids=POD_CASES.keys())
def test_diagnose_pod_names_the_confirmed_cause(
    case: tuple[Callable[[Lab], Case], str, str], lab: Lab, identities: Identities, cli: CLI
) -> None:
    load, entry, fact = case
    found = load(lab)
    result = cli(identities.read, "diagnose", "pod", f"{found.namespace}/{found.pod}", "--json")
    assert result.code == 0, result.stderr
    body = result.json()
    top = _top(body)
    assert body["answer"] == top["id"] == entry
    assert top["confirmed"] is True and top["confidence"] in ("high", "medium")
    assert any(fact in line for line in top["evidence"]), top["evidence"]
    assert body["gaps"] == [] and body["cluster"] == "realserver"


def test_diagnose_pod_text_output(lab: Lab, identities: Identities, cli: CLI) -> None:
    found = scenarios.oom_killed(lab)
    result = cli(identities.read, "diagnose", "pod", found.pod, "-n", found.namespace)
    assert result.code == 0, result.stderr
    for part in ("Cluster: realserver", "[oom-killed]", "Confirmed by:", "exit code 137"):
        assert part in result.stdout, part


def test_diagnose_namespace_ranks_every_unhealthy_pod(
    lab: Lab, identities: Identities, cli: CLI
) -> None:
    oom = scenarios.oom_killed(lab)
    pull = scenarios.image_pull_backoff(lab)
    result = cli(identities.read, "diagnose", "namespace", lab.namespace, "--json")
    assert result.code == 0, result.stderr
    body = result.json()
    assert body["subject"] == f"namespace {lab.namespace}"
    causes = {row["pod"]: (row["status"], row["cause"]) for row in body["pods"]}
    assert causes == {
        f"{lab.namespace}/{oom.pod}": ("CrashLoopBackOff", "oom-killed"),
        f"{lab.namespace}/{pull.pod}": ("ImagePullBackOff", "image-not-found"),
    }
    assert body["answer"] == "oom-killed"
    assert body["gaps"] == [] and all(row["gaps"] == [] for row in body["pods"])


def test_diagnose_node_not_ready(lab: Lab, identities: Identities, cli: CLI) -> None:
    node = scenarios.node_not_ready(lab)
    result = cli(identities.read, "diagnose", "node", node, "--json")
    assert result.code == 0, result.stderr
    body = result.json()
    top = _top(body)
    assert body["answer"] == top["id"] == "node-not-ready"
    evidence = "\n".join(top["evidence"])
    assert f"node {node} condition Ready=Unknown (Kubelet stopped posting node status.)" in evidence
    assert "taint node.kubernetes.io/unreachable:NoSchedule" in evidence
    assert f"Node {node} status is now: NodeNotReady" in evidence
    assert body["gaps"] == []


def test_missing_pod_is_one_line_exit_1(lab: Lab, identities: Identities, cli: CLI) -> None:
    result = cli(identities.read, "diagnose", "pod", f"{lab.namespace}/no-such-pod")
    assert result.code == 1
    assert "not found" in result.stderr and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
