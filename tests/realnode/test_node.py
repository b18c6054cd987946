"""The node itself: its kubelet never probes a cloud metadata address, and a stopped kubelet
makes the node NotReady, which `kubemedic diagnose node` names from the live conditions.

Runs after test_failures.py (the kubelet is stopped here, then started again).
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.realnode.node import RealNode
from tests.realserver.api import Api
from tests.realserver.conftest import CLI, Identities
from tests.waiting import PATIENCE


def kubelet_environment(node: RealNode) -> dict[str, str]:
    pid = (node.state / "kubelet.pid").read_text().split()[0]  # "PID STARTTIME"
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.split("=", 1) for item in raw.decode().split("\0") if "=" in item)


def ready(admin: Api, node: RealNode) -> str:
    conditions = admin.get("Node", node.name)["status"]["conditions"]
    return next(c["status"] for c in conditions if c["type"] == "Ready")


def wait_ready(admin: Api, node: RealNode, status: str, timeout: float) -> float:
    started = time.monotonic()
    while ready(admin, node) != status:
        assert time.monotonic() - started < timeout, f"node Ready is not {status} after {timeout} s"
        time.sleep(0.25)
    return time.monotonic() - started


def test_the_kubelet_runs_with_cloud_metadata_lookups_disabled(node: RealNode) -> None:
    # Its built-in AWS credential provider would otherwise probe 169.254.169.254.
    assert kubelet_environment(node)["AWS_EC2_METADATA_DISABLED"] == "true"


def test_a_stopped_kubelet_makes_the_node_not_ready_and_the_diagnosis_says_so(
    node: RealNode, admin: Api, identities: Identities, cli: CLI
) -> None:
    node.script("stop-kubelet")
    try:
        wait_ready(admin, node, "Unknown", PATIENCE)  # the node controller's grace period: 20 s
        result = cli(identities.read, "diagnose", "node", node.name, "--json")
        assert result.code == 0, result.stderr
        body = result.json()
        assert body["answer"] == "node-not-ready", body
        top = body["matches"][0]
        assert top["confirmed"] is True
        evidence = " | ".join(top["evidence"])
        assert "Kubelet stopped posting node status" in evidence, evidence
        assert "node.kubernetes.io/unreachable" in evidence, evidence
    finally:
        node.script("restart-kubelet")
    wait_ready(admin, node, "True", PATIENCE)
    # a restart sets it again, every time
    assert kubelet_environment(node)["AWS_EC2_METADATA_DISABLED"] == "true"
