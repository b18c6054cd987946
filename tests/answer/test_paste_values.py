"""Fixes built from the paste's own values, the safest one that fits first: issue 60's five pastes.

Each is pasted as a new user would, through `kubemedic match --json`; the shown fix is
`short.problems[0].fix` (what the first screen shows) and every step, filled, is in
`matches[...].fix`. A value from another system (the catalog's own examples) must not appear.
"""

from __future__ import annotations

from typing import Any

import yaml

from tests.cli.runner import kubemedic_in_process

RBAC = (
    "E0312 10:22:01.123456       1 reflector.go:138] failed to list *v1.Pod: pods is "
    'forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API '
    'group "" in the namespace "billing"\n'
)
RBAC_CLUSTER = (
    "E0312 10:22:01.123456       1 reflector.go:138] failed to list *v1.Node: nodes is "
    'forbidden: User "system:serviceaccount:monitoring:node-exporter" cannot list '
    'resource "nodes" in API group "" at the cluster scope\n'
)
STORAGE_CLASS = (
    "Warning  ProvisioningFailed  12s (x4 over 60s)  persistentvolume-controller  "
    'storageclass.storage.k8s.io "gp3-encrypted" not found\n'
)
HELM = (
    "$ helm upgrade payments ./charts/payments -n payments\n"
    "Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n"
)
TAINTS = (
    "Warning  FailedScheduling  default-scheduler  0/4 nodes are available: 1 node(s) had "
    "untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) had untolerated "
    "taint {dedicated: gpu}. preemption: 0/4 nodes are available: 4 Preemption is not "
    "helpful for scheduling.\n"
)
X509 = (
    "Unable to connect to the server: x509: certificate has expired or is not yet valid: "
    "current time 2026-11-28T10:00:00Z is after 2026-11-20T08:00:00Z\n"
)
IMAGE = "registry.corp.example/tools/netshoot:v9.9"
PULL = (
    f'Failed to pull image "{IMAGE}": rpc error: code = NotFound desc = failed to pull and '
    f'unpack image "{IMAGE}": not found'
)
BARE_POD = """Name:             debug-shell
Namespace:        tools
Service Account:  default
Node:             worker-2/10.0.0.12
Status:           Pending
Containers:
  debug-shell:
    Image:          registry.corp.example/tools/netshoot:v9.9
    State:          Waiting
      Reason:       ImagePullBackOff
    Ready:          False
Events:
  Type     Reason  Age               From     Message
  ----     ------  ----              ----     -------
  Warning  Failed  90s (x4 over 2m)  kubelet  PULL
""".replace("PULL", PULL)


def answer(paste: str, entry_id: str) -> tuple[dict[str, Any], str]:
    """`match --json`'s shown fix step (text, command, config) and every step as one text."""
    body = kubemedic_in_process("match", "--json", stdin=paste.encode()).json()
    assert body["answer"] == entry_id, body["answer"]
    [problem] = [p for p in body["short"]["problems"] if p["id"] == entry_id]
    [match] = [m for m in body["matches"] if m["id"] == entry_id]
    steps = "\n".join(step.get(key, "") for step in match["fix"] for key in ("command", "config"))
    return problem["fix"], steps


def test_an_rbac_refusal_is_granted_in_the_requests_namespace_to_the_account_in_its_own() -> None:
    shown, steps = answer(RBAC, "rbac-forbidden")
    config = shown["config"]
    assert "kind: Role\n" in config and "ClusterRole" not in config  # the narrowest grant that fits
    role, binding = yaml.safe_load_all(config)
    # the Role and its binding where the request was refused; the account in its own namespace
    assert role["metadata"]["namespace"] == binding["metadata"]["namespace"] == "billing"
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}
    ]
    assert role["rules"] == [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}]
    assert binding["roleRef"]["name"] == role["metadata"]["name"]
    assert "kubectl auth can-i list pods --as=system:serviceaccount:ci:deployer -n billing" in steps
    assert "kubectl get pods -n ci " in steps  # the account's pods run in its namespace
    for foreign in ("metricbeat", "lease", "kube-system", "coordination.k8s.io", "<"):
        assert foreign not in steps, foreign


def test_a_cluster_scoped_refusal_is_granted_by_a_cluster_role() -> None:
    shown, _ = answer(RBAC_CLUSTER, "rbac-forbidden")
    assert "kind: ClusterRole\n" in shown["config"] and "kind: Role\n" not in shown["config"]
    assert 'resources: ["nodes"]' in shown["config"]
    assert "namespace: monitoring" in shown["config"]


def test_a_missing_storage_class_names_it_and_never_another_class() -> None:
    shown, steps = answer(STORAGE_CLASS, "pending-storageclass-missing")
    assert (
        "storageClassName: <existing-storageclass>   # instead of gp3-encrypted" in shown["config"]
    )
    assert "name: gp3-encrypted" in steps  # creating the class it asks for, as the other way out
    assert "local-storage" not in steps


def test_helm_in_progress_leads_with_rolling_back_the_pasted_release_not_the_last_resort() -> None:
    shown, steps = answer(HELM, "helm-release-operation-in-progress")
    assert shown["command"] == "helm rollback payments <last-deployed-revision> -n payments --wait"
    assert "delete secret" not in shown["command"]
    assert "helm history payments -n payments --max 10" in steps
    assert "<release>" not in steps and "<namespace>" not in steps


def test_a_taint_a_person_set_is_tolerated_not_removed() -> None:
    shown, _ = answer(TAINTS, "pending-untolerated-taint")
    assert "kubectl taint" not in (shown.get("command") or "")
    assert 'key: "dedicated"' in shown["config"] and 'value: "gpu"' in shown["config"]


def test_an_expired_certificate_is_found_before_anything_is_renewed_or_overwritten() -> None:
    shown, steps = answer(X509, "x509-certificate-error")
    assert "kubeadm" not in shown["command"] and "~/.kube/config" not in shown["command"]
    assert "openssl x509 -noout -subject -enddate" in shown["command"]
    # never overwrites the reader's kubeconfig
    assert "cp /etc/kubernetes/admin.conf ~/.kube/config" not in steps


def test_a_bare_pod_gets_its_image_fixed_on_the_pod_not_on_a_deployment() -> None:
    shown, steps = answer(BARE_POD, "image-not-found")
    assert shown["command"] == (
        "kubectl set image pod/debug-shell debug-shell="
        "registry.corp.example/tools/netshoot:<existing-tag> -n tools"
    )
    assert "deployment/" not in steps
    owned = BARE_POD.replace("Status:", "Controlled By:    ReplicaSet/netshoot-7c9d8b6f5d\nStatus:")
    shown, _ = answer(owned, "image-not-found")
    assert shown["command"].startswith("kubectl set image deployment/netshoot debug-shell=")
