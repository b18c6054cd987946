"""The reader's own names, or none: each example of issue 52 as a user pastes it."""

from __future__ import annotations

import json
from typing import Any

from tests.cli.runner import kubemedic_in_process

PVC_DESCRIBE = """$ kubectl describe pvc data-postgres-0 -n db
Name:          data-postgres-0
Namespace:     db
StorageClass:
Status:        Pending
Volume:
Labels:        app=postgres
Access Modes:
VolumeMode:    Filesystem
Used By:       postgres-0
Events:
  Type    Reason         Age                From                         Message
  ----    ------         ----               ----                         -------
  Normal  FailedBinding  12s (x5 over 70s)  persistentvolume-controller  no persistent volumes available for this claim and no storage class is set
"""
TAINT = (
    "Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: 3 node(s) had untolerated "
    "taint {team: data}. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.\n"
)
QUOTA = (
    'Warning  FailedCreate  1m  replicaset-controller  Error creating: pods "api-7c9d-x2" is forbidden: '
    "exceeded quota: compute-quota, requested: limits.memory=2Gi, used: limits.memory=7Gi, "
    "limited: limits.memory=8Gi\n"
)
CLAIM = (
    "Warning  FailedScheduling  30s  default-scheduler  0/2 nodes are available: persistentvolumeclaim "
    '"uploads-claim" not found. preemption: 0/2 nodes are available: 2 Preemption is not helpful.\n'
)
REGISTRY = (
    'Warning  Failed  12s  kubelet  Failed to pull image "registry.corp.example/team/api:2.3.1": '
    'rpc error: code = Unknown desc = failed to pull and unpack image "registry.corp.example/team/api:2.3.1": '
    "failed to authorize: failed to fetch anonymous token: unexpected status: 401 Unauthorized\n"
)
NODE_TABLE = """Conditions:
  Type             Status    LastHeartbeatTime                 LastTransitionTime                Reason              Message
  ----             ------    -----------------                 ------------------                ------              -------
  Ready            Unknown   Wed, 17 Jan 2024 21:04:12 +0000   Wed, 17 Jan 2024 21:05:34 +0000   NodeStatusUnknown   Kubelet stopped posting node status.
"""


def answer(paste: str) -> tuple[dict[str, Any], str]:
    """`match --json`'s answer and its fix commands and configs as one text, and `--verbose`'s output."""
    body = kubemedic_in_process("match", "--json", stdin=paste.encode()).json()
    [first] = [m for m in body["matches"] if m["id"] == body["answer"]]
    steps = "\n".join(step.get(key, "") for step in first["fix"] for key in ("command", "config"))
    return body, steps


def test_a_pending_claim_is_described_as_a_claim_and_its_pod_as_a_pod() -> None:
    body, steps = answer(PVC_DESCRIBE)
    assert body["answer"] == "pvc-pending"
    assert "kubectl describe pvc data-postgres-0 -n db" in steps
    assert "kubectl describe pod postgres-0 -n db" in steps  # "Used By": the pod that mounts it
    assert "pod data-postgres-0" not in steps  # never the claim's name in a pod's place
    # the one fix that fits: the paste says no storage class is set
    assert body["short"]["problems"][0]["fix"]["text"].startswith("If no default exists, set one")


def test_a_toleration_names_the_pasted_taint_not_an_example() -> None:
    body, steps = answer(TAINT)
    assert body["answer"] == "pending-untolerated-taint"
    assert 'key: "team"' in steps and 'value: "data"' in steps
    assert "dedicated" not in steps and "gpu" not in steps


def test_the_quota_claim_and_registry_the_paste_names_are_filled() -> None:
    assert "kubectl edit resourcequota compute-quota" in answer(QUOTA)[1]
    body, steps = answer(CLAIM)
    assert "uploads-claim" in steps and "<claim>" not in steps, steps
    body, steps = answer(REGISTRY)
    assert body["answer"] == "image-pull-unauthorized"
    assert "--docker-server=registry.corp.example" in steps and "<registry>" not in steps


def test_a_value_the_paste_does_not_give_is_asked_for_by_name() -> None:
    body, steps = answer(
        "Warning FailedScheduling pod has unbound immediate PersistentVolumeClaims\n"
    )
    assert "<claim>" in steps and "<namespace>" in steps
    assert "data-postgres-0" not in json.dumps(body)


def test_a_pasted_conditions_table_never_prints_a_node_with_no_name() -> None:
    body, _ = answer(NODE_TABLE)
    facts = " ".join(fact for match in body["matches"] for fact in match["evidence"])
    assert "node  " not in facts and "the node's condition Ready=Unknown" in facts
    named = answer("Name:               worker-7\nRoles:              <none>\n" + NODE_TABLE)[0]
    assert "node worker-7 condition Ready=Unknown" in " ".join(
        fact for match in named["matches"] for fact in match["evidence"]
    )


def test_a_pasted_answer_shows_no_cluster_notices_and_json_carries_the_fold() -> None:
    body, _ = answer(PVC_DESCRIBE)
    assert body["details"]["unread"] == [] and body["short"]["unread"] == []
    assert set(body["short"]) >= {"headline", "problems", "state"} and body["details"]["problems"]
    text = kubemedic_in_process("match", "--verbose", stdin=PVC_DESCRIBE.encode()).stdout
    assert "Could not read" not in text
