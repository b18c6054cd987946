"""The headline (the walk's first suspect) and the pod's own answer come from the same facts.

A folder of kubectl outputs as a new user records it: `get pods` and the pending pod's describe,
no `get nodes` (so the walk cannot see which node is the control plane). The scheduler's
message is read once, clause by clause (intents.scheduling), for both: the control plane's own
taint is set aside beside another reason, and the clause that leads is the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.answer.test_everyday_pastes import CPU_BESIDE_CONTROL_PLANE
from tests.cli.runner import kubemedic_in_process

PENDING = """$ kubectl get pods -n payments
NAME                      READY   STATUS    RESTARTS   AGE
ledger-7d9f8c6b5d-2xkqp   0/1     Pending   0          6m

$ kubectl describe pod ledger-7d9f8c6b5d-2xkqp -n payments
Name:             ledger-7d9f8c6b5d-2xkqp
Namespace:        payments
Node:             <none>
Labels:           app=ledger
                  pod-template-hash=7d9f8c6b5d
Status:           Pending
Controlled By:    ReplicaSet/ledger-7d9f8c6b5d
Containers:
  ledger:
    Image:      registry.internal/payments/ledger:2.3.1
Conditions:
  Type           Status
  PodScheduled   False
Events:
  Type     Reason            Age   From               Message
  ----     ------            ----  ----               -------
  Warning  FailedScheduling  6m    default-scheduler  0/3 nodes are available: MESSAGE. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.
"""
TAINT_MIX = (
    "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
    "2 node(s) had untolerated taint {dedicated: payments}"
)


def diagnose(tmp_path: Path, namespace: str, outputs: str) -> dict[str, Any]:
    (tmp_path / "outputs.txt").write_text(outputs)
    result = kubemedic_in_process(
        "diagnose", "namespace", namespace, "--from-outputs", str(tmp_path), "--json"
    )
    assert result.code == 0, result.stderr
    body: dict[str, Any] = result.json()
    return body


def test_the_taint_to_tolerate_is_the_pools_in_the_headline_and_the_pods_answer(
    tmp_path: Path,
) -> None:
    body = diagnose(tmp_path, "payments", PENDING.replace("MESSAGE", TAINT_MIX))
    [first, *_] = body["suspects"]
    pod_fix = body["short"]["problems"][0]["fix"]["config"]
    assert first["id"] == body["answer"] == "pending-untolerated-taint"
    assert "Add a toleration for dedicated to deployment/ledger" in first["fix"]
    assert 'key: "dedicated"' in pod_fix and 'value: "payments"' in pod_fix
    for said in (first["fix"], pod_fix, *first["chain"]):
        assert "node-role.kubernetes.io/control-plane" not in said


@pytest.mark.parametrize(
    "message",
    [
        "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu",
        "2 Insufficient cpu, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }",
    ],
)
def test_insufficient_cpu_beside_the_control_plane_is_one_cause_in_both(
    tmp_path: Path, message: str
) -> None:
    body = diagnose(tmp_path, "payments", PENDING.replace("MESSAGE", message))
    assert (
        [s["id"] for s in body["suspects"]][:1]
        == body["answers"]
        == ["pending-insufficient-resources"]
    )
    assert "toleration" not in body["suspects"][0]["fix"]


def test_only_the_control_plane_refusing_is_no_app_toleration(tmp_path: Path) -> None:
    only = "3 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"
    body = diagnose(
        tmp_path,
        "payments",
        PENDING.replace("0/3 nodes are available: MESSAGE", f"0/3 nodes are available: {only}"),
    )
    assert not [s for s in body["suspects"] if "toleration for node-role" in s["fix"]]
    fix = body["short"]["problems"][0]["fix"]
    assert fix["command"] == "kubectl taint nodes --all node-role.kubernetes.io/control-plane-"
    assert "add a worker node" in fix["text"]


def test_the_pods_requests_and_the_nodes_room_beside_the_request_to_choose() -> None:
    body = kubemedic_in_process("match", "--json", stdin=CPU_BESIDE_CONTROL_PLANE.encode()).json()
    [problem] = body["short"]["problems"]
    assert problem["fix"]["config"] == 'resources:\n  requests:\n    cpu: "<cpu-request>"\n'
    assert problem["observed"] == [
        "the pod requests cpu 1600m",
        "the roomiest node has 480m unrequested",
    ]
