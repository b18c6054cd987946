"""A Service and the pods it selects, pasted together: a targetPort no container declares."""

from __future__ import annotations

import pytest

from tests.cli.runner import explained, match_json


def described(target: str) -> str:
    return (
        "$ kubectl describe svc payments -n shop\n"
        "Name:                     payments\nNamespace:                shop\nLabels:                   app=payments\n"
        "Annotations:              <none>\nSelector:                 app=payments\nType:                     ClusterIP\n"
        "IP:                       10.68.67.201\nPort:                     grpc  50051/TCP\n"
        f"TargetPort:               {target}\nEndpoints:                172.20.3.28:{target.split('/')[0]}\n"
        "Session Affinity:         None\nEvents:                   <none>\n\n"
        "$ kubectl describe pod payments-78c5996648-g98k2 -n shop\n"
        "Name:             payments-78c5996648-g98k2\nNamespace:        shop\nPriority:         0\n"
        "Node:             worker-02/10.0.0.12\nLabels:           app=payments\n"
        "                  pod-template-hash=78c5996648\nStatus:           Running\nIP:               172.20.3.28\n"
        "Containers:\n  server:\n    Image:          registry.example.com/payments:1.4.2\n"
        "    Port:           50051/TCP\n    Host Port:      0/TCP\n    State:          Running\n"
        "      Started:      Mon, 01 Dec 2025 10:00:00 +0000\n    Ready:          True\n"
        "    Restart Count:  0\nConditions:\n  Type              Status\n  Ready             True\n"
        "Events:           <none>\n"
    )


def test_a_described_service_targeting_a_port_its_pods_do_not_declare_is_confirmed() -> None:
    body = match_json(described("80/TCP"))
    assert body["answer"] == "service-target-port-mismatch"
    first = body["matches"][0]
    assert first["confirmed"] and "targets port 80/TCP" in first["evidence"][0]


def test_a_described_service_whose_target_the_pod_declares_is_healthy() -> None:
    assert match_json(described("50051/TCP"))["answer"] is None


MANIFESTS = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments
spec:
  selector:
    matchLabels:
      app: payments
  template:
    metadata:
      labels:
        app: payments
    spec:
      containers:
      - name: server
        image: registry.example.com/payments:1.4.2
        ports:
        - containerPort: 50051
---
apiVersion: v1
kind: Service
metadata:
  name: payments
spec:
  selector:
    app: {selected}
  ports:
  - name: grpc
    port: 50051
    targetPort: {target}
    protocol: {protocol}
"""


@pytest.mark.parametrize(
    ("selected", "target", "protocol", "answer"),
    [
        ("payments", "80", "TCP", "service-target-port-mismatch"),
        ("payments", "50051", "UDP", "service-protocol-mismatch"),
        ("payments", "50051", "TCP", None),
        ("billing", "80", "TCP", None),  # selects nothing pasted: nothing to compare
    ],
)
def test_manifests_of_a_service_and_the_workload_it_selects(
    selected: str, target: str, protocol: str, answer: str | None
) -> None:
    paste = MANIFESTS.format(selected=selected, target=target, protocol=protocol)
    assert match_json(paste)["answer"] == answer


def test_no_endpoints_because_the_service_targets_a_port_name_no_container_declares() -> None:
    paste = (
        "$ kubectl get endpoints -n shop\nNAME       ENDPOINTS   AGE\npayments   <none>      78s\n\n"
        + MANIFESTS.format(selected="payments", target="http-web", protocol="TCP")
    )
    body = match_json(paste)
    assert body["answer"] == "service-target-port-mismatch"
    assert explained(body).get("service-endpoints-empty") == ["service-target-port-mismatch"]


def test_a_port_name_a_describe_cannot_show_is_not_read_as_undeclared() -> None:
    """describe prints a container's port as `50051/TCP`, never its name: a Service targeting
    the name `grpc` with no endpoints is not blamed on a port the pod may well name so."""
    paste = described("grpc/TCP").replace(
        "Endpoints:                172.20.3.28:grpc", "Endpoints:                <none>"
    )
    assert "targets port name" not in str(match_json(paste)["matches"])
    yaml_named_nothing = paste + (
        "\n$ kubectl get pod payments-78c5996648-g98k2 -n shop -o yaml\n"
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: payments-78c5996648-g98k2\n  namespace: shop\n"
        "  labels: {app: payments}\nspec:\n  containers:\n  - name: server\n"
        "    image: registry.example.com/payments:1.4.2\n    ports:\n    - containerPort: 50051\n"
    )
    assert "targets port name 'grpc'" in str(match_json(yaml_named_nothing)["matches"])
