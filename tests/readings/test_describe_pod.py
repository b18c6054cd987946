"""`kubectl describe` of a pod, a claim, a volume or any other kind (bot/cluster/outputs/describe_pods.py):
its states, conditions and events read as the facts a cluster read gives.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

_DESCRIBE_PV = """Name:            pvc-0a1b2c3d
Labels:          <none>
Annotations:     pv.kubernetes.io/provisioned-by: example.com/block
Finalizers:      [example.com/attached kubernetes.io/pv-protection]
StorageClass:    block
Status:          {status}
Claim:           shop/data-db-0
Reclaim Policy:  Delete
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        10Gi
Events:          <none>
"""

_PV = (
    "Name:            pvc-0f1e\nLabels:          <none>\nFinalizers:      [kubernetes.io/pv-protection]\n"
    "StorageClass:    local-path\nStatus:          {status}\nClaim:           {claim}\n"
    "Reclaim Policy:  Delete\nAccess Modes:    RWO\nCapacity:        8Gi\nEvents:          <none>\n"
)

DESCRIBED_CLAIM = """Name:          data
Namespace:     shop
StorageClass:  csi-disk
Status:        Pending
Volume:
Annotations:   volume.beta.kubernetes.io/storage-provisioner: disk.csi.example.com
Finalizers:    [kubernetes.io/pvc-protection]
Capacity:
Access Modes:
VolumeMode:    Filesystem
{USERS}
Events:
  Type    Reason                Age   From                                   Message
  ----    ------                ----  ----                                   -------
  Normal  WaitForFirstConsumer  9m    persistentvolume-controller            waiting for first consumer to be created before binding
  Normal  Provisioning          9m    disk.csi.example.com_node-1_5f1c0d2e   External provisioner is provisioning volume for claim "shop/data"
"""

CASES = [
    Case(
        (
            "Name:                     payments\n"
            "Namespace:                shop\n"
            "Labels:                   app=payments\n"
            "Selector:                 app=payments\n"
            "Type:                     ClusterIP\n"
            "IP Family Policy:         SingleStack\n"
            "IP Families:              IPv4\n"
            "IP:                       10.68.67.201\n"
            "Port:                     grpc  50051/TCP\n"
            "TargetPort:               50051/TCP\n"
            "Endpoints:                172.20.3.28:50051\n"
            "Session Affinity:         None\n"
            "Internal Traffic Policy:  Cluster\n"
            "Events:                   <none>\n"
        ),
        answer=None,
        why="a described service with another traffic setting is not external traffic local",
        read_by="kubectl describe",
    ),
    Case(
        (
            "logstash fails with OOM.\n"
            "\n"
            "NAME             READY     STATUS             RESTARTS   AGE       IP            NODE\n"
            "logstash-r2775   0/1       CrashLoopBackOff   2          39s       100.96.1.16   node-1\n"
            "logstash-xsclg   0/1       CrashLoopBackOff   2          39s       100.96.2.17   node-2\n"
            "\n"
            "kubectl describe po\n"
            "Name:           logstash-xsclg\n"
            "Namespace:      default\n"
            "Node:           node-2/172.20.42.76\n"
            "Status:         Running\n"
            "IP:             100.96.2.17\n"
            "Controlled By:  DaemonSet/logstash\n"
            "Containers:\n"
            "  logstash:\n"
        ),
        answer="oom-killed",
        why="a describe cut before its container states does not deny an oom",
        read_by="kubectl describe",
    ),
    Case(
        (
            "Name:              checkout\n"
            "Namespace:         shop\n"
            "Selector:          app=checkout\n"
            "Type:              ClusterIP\n"
            "IP:                10.96.14.2\n"
            "Port:              http  80/TCP\n"
            "TargetPort:        8080/TCP\n"
            "Endpoints:         <none>\n"
        ),
        answer="service-endpoints-empty",
        why="endpoints none is still the empty service",
        read_by="kubectl describe",
    ),
    Case(
        (
            "  migrate:\n"
            "    Image:          shop/api:3.1\n"
            "    State:          Waiting\n"
            "      Reason:       CrashLoopBackOff\n"
            "    Last State:     Terminated\n"
            "      Reason:       Error\n"
            "      Exit Code:    2\n"
            "    Ready:          False\n"
            "    Restart Count:  6\n"
            "Containers:\n"
            "  api:\n"
            "    Image:          shop/api:3.1\n"
            "    State:          Waiting\n"
            "      Reason:       PodInitializing\n"
            "    Ready:          False\n"
            "    Restart Count:  0\n"
        ),
        answer="init-container-failed",
        why="a container listed before one waiting in pod initializing is an init container",
        read_by="kubectl describe",
    ),
    Case(
        (
            "    State:          Terminated\n"
            "      Reason:       Completed\n"
            "      Exit Code:    0\n"
            "    Ready:          True\n"
            "    Restart Count:  0\n"
            "Containers:\n"
            "  web:\n"
            "    Image:          shop/web:2.0\n"
            "    State:          Running\n"
            "      Started:      Tue, 01 Apr 2025 20:59:42 +0000\n"
            "    Ready:          True\n"
            "    Restart Count:  0\n"
        ),
        answer=None,
        why="a describe cut below init containers reads its completed init as success",
        read_by="kubectl describe",
    ),
    Case(
        (
            "Name:                     checkout\n"
            "Namespace:                shop\n"
            "Selector:                 app=checkout\n"
            "Type:                     ClusterIP\n"
            "IP:                       10.96.14.2\n"
            "Port:                     grpc  7070/TCP\n"
            "TargetPort:               7070/TCP\n"
            "Endpoints:                \n"
            "Session Affinity:         None\n"
            "Internal Traffic Policy:  Cluster\n"
            "Events:                   <none>\n"
        ),
        answer="service-endpoints-empty",
        why="an empty endpoints value as newer kubectl prints it is no endpoints",
        read_by="kubectl describe",
    ),
    Case(
        (
            "Name:            pvc-0a1b2c3d\n"
            "Labels:          <none>\n"
            "Annotations:     pv.kubernetes.io/provisioned-by: example.com/block\n"
            "Finalizers:      [example.com/attached kubernetes.io/pv-protection]\n"
            "StorageClass:    block\n"
            "Status:          Bound\n"
            "Claim:           shop/data-db-0\n"
            "Reclaim Policy:  Delete\n"
            "Access Modes:    RWO\n"
            "VolumeMode:      Filesystem\n"
            "Capacity:        10Gi\n"
            "Events:          <none>\n"
        ),
        answer=None,
        why="a described volume bound is healthy",
        read_by="kubectl describe",
    ),
    Case(
        (
            "Name:            pvc-0f1e\n"
            "Labels:          <none>\n"
            "Finalizers:      [kubernetes.io/pv-protection]\n"
            "StorageClass:    local-path\n"
            "Status:          Available\n"
            "Claim:           \n"
            "Reclaim Policy:  Delete\n"
            "Access Modes:    RWO\n"
            "Capacity:        8Gi\n"
            "Events:          <none>\n"
        ),
        answer=None,
        why="an available volume is healthy",
        read_by="kubectl describe",
    ),
    Case(
        (
            'The certificate was created but nothing happens. When I describe it there is no "status" '
            'section at all and "Events" is none:\n'
            "Name:         site-cert\n"
            "Namespace:    default\n"
            "Kind:         ManagedCertificate\n"
            "Spec:\n"
            "  Domains:\n"
            "    shop.example.com\n"
            "Events:       <none>\n"
        ),
        answer=None,
        why="an object with no events and no phase is no pod left pending",
        read_by="kubectl describe",
    ),
    Case(
        (
            "Since the node is gone, the pvc of the mongodb statefulset stays in status `Terminating` while "
            "the pod runs."
        ),
        not_answer="namespace-stuck-terminating",
        why="a terminating status is a namespace only as the namespace field",
    ),
    Case(
        (
            "Name:         payments\n"
            "Labels:       kubernetes.io/metadata.name=payments\n"
            "Annotations:  <none>\n"
            "Status:       Terminating\n"
        ),
        answer="namespace-stuck-terminating",
        why="a terminating status is a namespace only as the namespace field",
        read_by="kubectl describe",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_describe_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    ("users", "pending"),
    [
        ("Mounted By:    web-7b64b9d76f-mttzv", True),  # kubectl <= 1.19
        ("Used By:       web-7b64b9d76f-mttzv", True),
        ("Used By:       <none>", False),  # waits for its first pod by design
    ],
)
def test_a_claim_a_pod_uses_still_pending_is_stuck_whatever_kubectl_called_its_users(
    users: str, pending: bool
) -> None:
    body = match_json(DESCRIBED_CLAIM.replace("{USERS}", users))
    assert (body["answer"] == "pvc-pending") is pending, body["matches"]


def test_a_described_volume_still_terminating_is_a_stuck_deletion() -> None:
    # a cluster-scoped describe has no Namespace line; kubectl prints a deletion as "Terminating (lasts %s)"
    found = match_json(_DESCRIBE_PV.format(status="Terminating (lasts 3h)"))
    assert found["answer"] == "pvc-stuck-terminating"
    assert "namespace-stuck-terminating" not in found["answers"]


def test_a_described_volume_stuck_terminating_is_named_as_the_volume() -> None:
    result = match_json(_PV.format(status="Terminating (lasts 2h)", claim="shop/data-db-0"))
    assert result["answer"] == "pvc-stuck-terminating"
    assert "PersistentVolume pvc-0f1e is Terminating" in str(result["matches"][0])
