"""Objects pasted as `-o yaml` or `-o json` (bot/cluster/outputs/manifests.py): read as the cluster reports
them, a manifest as written states nothing about the cluster.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

SERVICE_YAML = """$ kubectl get svc web-edge -n shop -o yaml
apiVersion: v1
kind: Service
metadata:
  name: web-edge
  namespace: shop
spec:
  clusterIP: 10.96.14.7
  ports:
  - name: https
    nodePort: 30166
    port: 443
    protocol: TCP
    targetPort: 8443
  selector:
    app: web
  type: LoadBalancer
status:
  loadBalancer: {STATUS}
"""

CASES = [
    Case(
        (
            'creating the claim below fails with `failed to provision volume with StorageClass "fast-local": '
            "rpc error: code = Internal desc = not able to provision the volume, nodes [node-1]`\n"
            "\n"
            "```yaml\n"
            "apiVersion: v1\n"
            "kind: PersistentVolumeClaim\n"
            "metadata:\n"
            "  name: data\n"
            "  namespace: shop\n"
            "spec:\n"
            "  accessModes:\n"
            "  - ReadWriteOnce\n"
            "  resources:\n"
            "    requests:\n"
            "      storage: 5Gi\n"
            "  storageClassName: fast-local\n"
            "```\n"
        ),
        answer="pvc-pending",
        why="a manifest pasted beside the error states nothing about the cluster",
    ),
    Case(
        (
            "apiVersion: gateway.networking.k8s.io/v1\n"
            "kind: Gateway\n"
            "metadata:\n"
            "  name: public\n"
            "  namespace: edge\n"
            "  uid: 0d6f3c1e-7a2b-4c5d-9e8f-1a2b3c4d5e6f\n"
            '  creationTimestamp: "2026-03-02T10:00:00Z"\n'
            "spec:\n"
            "  gatewayClassName: contour\n"
            "status:\n"
            "  conditions:\n"
            '  - lastTransitionTime: "2026-03-02T10:00:04Z"\n'
            "    message: Gateway is accepted\n"
            "    observedGeneration: 1\n"
            "    reason: Accepted\n"
            '    status: "True"\n'
            "    type: Accepted\n"
            '  - lastTransitionTime: "2026-03-02T10:00:04Z"\n'
            "    message: 'Failed to program the data plane: 0 of 2 replicas ready'\n"
            "    observedGeneration: 1\n"
            "    reason: ReconciliationError\n"
            '    status: "False"\n'
            "    type: Programmed\n"
        ),
        answer="gateway-not-programmed",
        why="a gateway read back with programmed false is not programmed whatever the reason",
        read_by="kubectl get -o yaml",
    ),
    Case(
        (
            "apiVersion: gateway.networking.k8s.io/v1\n"
            "kind: Gateway\n"
            "metadata:\n"
            "  name: public\n"
            "  namespace: edge\n"
            "  uid: 0d6f3c1e-7a2b-4c5d-9e8f-1a2b3c4d5e6f\n"
            '  creationTimestamp: "2026-03-02T10:00:00Z"\n'
            "spec:\n"
            "  gatewayClassName: contour\n"
            "status:\n"
            "  conditions:\n"
            '  - lastTransitionTime: "2026-03-02T10:00:04Z"\n'
            "    message: Gateway is accepted\n"
            "    observedGeneration: 1\n"
            "    reason: Accepted\n"
            '    status: "True"\n'
            "    type: Accepted\n"
            '  - lastTransitionTime: "2026-03-02T10:00:04Z"\n'
            "    message: Address assigned to the Gateway\n"
            "    observedGeneration: 1\n"
            "    reason: Programmed\n"
            '    status: "True"\n'
            "    type: Programmed\n"
        ),
        answer=None,
        why="a programmed gateway is not answered",
        read_by="kubectl get -o yaml",
    ),
    Case(
        (
            "apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  name: payments\n"
            "spec:\n"
            "  selector:\n"
            "    matchLabels:\n"
            "      app: payments\n"
            "  template:\n"
            "    metadata:\n"
            "      labels:\n"
            "        app: payments\n"
            "    spec:\n"
            "      containers:\n"
            "      - name: server\n"
            "        securityContext:\n"
            "          allowPrivilegeEscalation: false\n"
            "          privileged: false\n"
            "          readOnlyRootFilesystem: true\n"
            "        image: registry.example.com/payments:1.4.2\n"
            "        ports:\n"
            "        - containerPort: 50051\n"
            "\n"
            "$ kubectl logs deploy/payments\n"
            "mkdir: cannot create directory '/var/cache/payments': Read-only file system\n"
        ),
        answer="read-only-root-filesystem",
        why="the read only filesystem error beside that manifest is answered",
    ),
    Case(
        (
            "Here is the event of the failed liveness probe:\n"
            "kind: Event\n"
            "apiVersion: v1\n"
            "metadata:\n"
            "  name: api-7c9d.17a2b3c4d5e6f7a8\n"
            "  namespace: shop\n"
            "involvedObject:\n"
            "  kind: Pod\n"
            "  namespace: shop\n"
            "  name: api-7c9d\n"
            "  fieldPath: 'spec.containers{api}'\n"
            "reason: Unhealthy\n"
        ),
        answer="liveness-probe-failed",
        why="an event cut before its message does not deny what the sentence says",
    ),
    Case(
        (
            "kind: Event\n"
            "apiVersion: v1\n"
            "metadata:\n"
            "  name: api-7c9d.17a2b3c4d5e6f7a8\n"
            "  namespace: shop\n"
            "involvedObject:\n"
            "  kind: Pod\n"
            "  namespace: shop\n"
            "  name: api-7c9d\n"
            "  fieldPath: 'spec.containers{api}'\n"
            "reason: Unhealthy\n"
            "message: 'Readiness probe failed: HTTP probe failed with statuscode: 503'\n"
            "type: Warning\n"
        ),
        answer="readiness-probe-failed",
        why="an event with its message is read as before",
        read_by="kubectl get -o yaml",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_an_object_as_yaml_or_json_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    ("status", "pending"),
    [
        ("{}", True),
        ("\n    ingress:\n    - ip: 203.0.113.10", False),
    ],
)
def test_a_load_balancer_service_read_from_yaml_without_an_address_is_pending(
    status: str, pending: bool
) -> None:
    body = match_json(SERVICE_YAML.replace("{STATUS}", status))
    assert (body["answer"] == "loadbalancer-service-pending") is pending, body["matches"]
    if not pending:
        assert body["answer"] is None
