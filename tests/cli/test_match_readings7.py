"""Readings of the seventh pass (issue 21), each case written from the tool's format, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import explained, match_json


def kops_validate(nodes: str, summary: str) -> str:
    """`kops validate cluster` as kops 1.6-1.8 print it (cmd/kops/validate_cluster.go)."""
    return ("Validating cluster prod.example.com\n\nINSTANCE GROUPS\n"
            "NAME\t\t\tROLE\tMACHINETYPE\tMIN\tMAX\tSUBNETS\n"
            "master-eu-west-1a\tMaster\tm5.large\t1\t1\teu-west-1a\n"
            "nodes\t\t\tNode\tm5.xlarge\t2\t4\teu-west-1a\n\n"
            f"NODE STATUS\nNAME\t\t\t\tROLE\tREADY\n{nodes}\n\nValidation Failed\n{summary}")


def test_kops_counting_no_ready_node_is_nodes_not_ready() -> None:
    paste = kops_validate("ip-10-0-1-10.eu-west-1.compute.internal\tmaster\tTrue",
                          "Ready Master(s) 1 out of 1.\nReady Node(s) 0 out of 2.\n")
    assert match_json(paste)["answer"] == "node-not-ready"


def test_kops_verdict_from_its_counts_alone_is_not_an_answer() -> None:
    # every node True: the verdict comes from kops comparing counts with the groups' minimum
    nodes = "\n".join(f"ip-10-0-1-{n}.eu-west-1.compute.internal\t{role}\tTrue"
                      for n, role in [(10, "master"), (11, "node"), (12, "node"), (13, "node")])
    paste = kops_validate(nodes, "Ready Master(s) 1 out of 1.\nReady Node(s) 3 out of 2.\n\n"
                                 "your nodes are NOT ready prod.example.com\n")
    assert match_json(paste)["answer"] is None


@pytest.mark.parametrize("row", [
    'Node\tip-10-0-1-11.eu-west-1.compute.internal\tnode "ip-10-0-1-11.eu-west-1.compute.internal" is not ready',
    ('Node\tip-10-0-1-11.eu-west-1.compute.internal\tnode "ip-10-0-1-11.eu-west-1.compute.internal" '
     'of role "node" is not ready'),
    'Node\tip-10-0-1-10.eu-west-1.compute.internal\tmaster "ip-10-0-1-10.eu-west-1.compute.internal" is not ready',
])
def test_kops_validation_error_rows_naming_a_node_not_ready(row: str) -> None:
    paste = f"VALIDATION ERRORS\nKIND\tNAME\t\t\t\t\tMESSAGE\n{row}\n\nValidation Failed\n"
    assert match_json(paste)["answer"] == "node-not-ready"


def test_kops_row_of_a_machine_that_never_joined_is_not_called_a_not_ready_node() -> None:
    paste = ("VALIDATION ERRORS\nKIND\tNAME\t\t\tMESSAGE\n"
             'Machine\ti-0a1b2c3d4e5f67890\tmachine "i-0a1b2c3d4e5f67890" has not yet joined cluster\n\n'
             "Validation Failed\n")
    assert match_json(paste)["answer"] != "node-not-ready"


def skaffold_status(line: str) -> str:
    """skaffold's status check (pkg/diag/validator) as `skaffold dev` prints it."""
    return ("Waiting for deployments to stabilize...\n"
            " - deployment/checkout: " + line + "\n"
            "    - pod/checkout-5f7b9c6d8-qx2mz: " + line + "\n"
            " - deployment/checkout failed. Error: " + line + ".\n")


@pytest.mark.parametrize(("line", "answer"), [
    ("container app is backing off waiting to restart", "crashloop-backoff"),
    ("container app terminated with exit code 137", "exit-code-137-sigkill"),
    ("container app terminated with exit code 139", "exit-code-139-segfault"),
])
def test_skaffold_status_check_lines(line: str, answer: str) -> None:
    assert match_json(skaffold_status(line))["answer"] == answer


def test_skaffold_creating_a_container_is_not_a_problem() -> None:
    paste = " - deployment/checkout: creating container app\n    - pod/checkout-5f7b9c6d8-qx2mz: creating container app\n"
    assert match_json(paste)["answer"] is None


@pytest.mark.parametrize("line", [
    ("I0514 11:44:37.833089    3277 nodecontroller.go:569] NodeController detected that all Nodes are "
     "not-Ready. Entering master disruption mode."),
    ("I0126 15:19:20.901414       1 node_lifecycle_controller.go:1230] Controller detected that all Nodes "
     "are not-Ready. Entering master disruption mode."),
    ('I1103 08:00:01.000000       1 node_lifecycle_controller.go:1020] "Controller detected that all Nodes '
     'are not-Ready. Entering master disruption mode"'),
])
def test_the_node_controller_entering_disruption_mode_means_every_node_is_not_ready(line: str) -> None:
    assert match_json(line + "\n")["answer"] == "node-not-ready"


GATEWAY = """apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: public
  namespace: edge
  uid: 0d6f3c1e-7a2b-4c5d-9e8f-1a2b3c4d5e6f
  creationTimestamp: "2026-03-02T10:00:00Z"
spec:
  gatewayClassName: contour
status:
  conditions:
  - lastTransitionTime: "2026-03-02T10:00:04Z"
    message: Gateway is accepted
    observedGeneration: 1
    reason: Accepted
    status: "True"
    type: Accepted
  - lastTransitionTime: "2026-03-02T10:00:04Z"
    message: {message}
    observedGeneration: 1
    reason: {reason}
    status: "{status}"
    type: Programmed
"""


def test_a_gateway_read_back_with_programmed_false_is_not_programmed_whatever_the_reason() -> None:
    paste = GATEWAY.format(message="'Failed to program the data plane: 0 of 2 replicas ready'",
                            reason="ReconciliationError", status="False")
    assert match_json(paste)["answer"] == "gateway-not-programmed"


def test_a_programmed_gateway_is_not_answered() -> None:
    paste = GATEWAY.format(message="Address assigned to the Gateway", reason="Programmed", status="True")
    assert match_json(paste)["answer"] is None


def test_gateway_conditions_printed_by_go_are_read() -> None:
    # a controller's or a conformance test's log printing []metav1.Condition with %v
    line = ("helpers.go:283: Programmed was not in conditions list [[{Accepted True 1 2026-03-02 10:00:04 "
            "+0000 UTC Accepted Gateway is accepted} {Programmed False 1 2026-03-02 10:00:04 +0000 UTC "
            "Pending envoy deployment is not available yet}]]\n")
    assert match_json(line)["answer"] == "gateway-not-programmed"


def test_kops_retrying_on_an_api_server_that_refuses_its_credentials_is_unauthorized() -> None:
    paste = ("Validating cluster prod.example.com\n\n"
             "W0301 10:00:05.000000   41 validate_cluster.go:173] (will retry): unexpected error during validation: "
             "error listing nodes: Unauthorized\n"
             "W0301 10:00:15.000000   41 validate_cluster.go:173] (will retry): unexpected error during validation: "
             "error listing nodes: Unauthorized\n")
    assert match_json(paste)["answer"] == "kubectl-unauthorized"


def test_a_pod_said_to_be_stuck_in_create_container_config_error_is_a_missing_config_reference() -> None:
    paste = ("since the upgrade the operator pod is stuck in CreateContainerConfigError and never starts, "
             "what am I missing?\n")
    assert match_json(paste)["answer"] == "create-container-config-error"


def test_create_container_config_error_caused_by_run_as_non_root_is_one_problem_with_its_chain() -> None:
    paste = ("NAME    READY   STATUS                       RESTARTS   AGE\n"
             "web-1   0/1     CreateContainerConfigError   0          40s\n\n"
             "Events:\n  Type     Reason  Age                From     Message\n"
             "  ----     ------  ----               ----     -------\n"
             '  Warning  Failed  10s (x3 over 40s)  kubelet  Error: container has runAsNonRoot and image will '
             'run as root (pod: "web-1_default(0f1e)", container: web)\n')
    body = match_json(paste)
    assert body["answer"] == "run-as-non-root-image-root"
    problems = [m["id"] for m in body["matches"] if m["confidence"] != "low" and not m["because"]]
    assert problems == ["run-as-non-root-image-root"]  # one problem, not a second "missing Secret"
    assert explained(body).get("create-container-config-error") == ["run-as-non-root-image-root"]


def test_the_scheduler_clause_order_holds_when_another_line_shows_the_cordoned_node() -> None:
    # three workers fail the pod's selector, the fourth node is cordoned, and `get nodes` shows
    # it: the cordoned node is a true fact, not why the pod cannot schedule
    paste = ("Events:\n  Type     Reason            Age   From               Message\n"
             "  ----     ------            ----  ----               -------\n"
             "  Warning  FailedScheduling  72s   default-scheduler  0/4 nodes are available: 1 node(s) were "
             "unschedulable, 3 node(s) didn't match Pod's node affinity/selector. preemption: 0/4 nodes are "
             "available: 4 Preemption is not helpful for scheduling.\n\n"
             "$ kubectl get nodes\nNAME        STATUS                     ROLES    AGE   VERSION\n"
             "cp-1        Ready,SchedulingDisabled   master   98d   v1.31.2\n"
             "worker-01   Ready                      node     98d   v1.31.2\n"
             "worker-02   Ready                      node     98d   v1.31.2\n"
             "worker-03   Ready                      node     98d   v1.31.2\n")
    body = match_json(paste)
    assert body["answer"] == "pending-node-selector-mismatch"
    assert "pending-node-unschedulable" in explained(body)  # still named, second


@pytest.mark.parametrize(("age", "empty"), [("20s", False), ("77s", True), ("5m12s", True), ("3d", True)])
def test_a_get_endpoints_row_without_addresses_after_its_first_minute_is_a_service_without_endpoints(
        age: str, empty: bool) -> None:
    paste = ("$ kubectl get endpoints -n shop\nNAME       ENDPOINTS          AGE\n"
             f"cart       <none>             {age}\n"
             f"checkout   10.1.2.3:5050      {age}\n")
    assert (match_json(paste)["answer"] == "service-endpoints-empty") is empty


MANIFEST = """apiVersion: apps/v1
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
        securityContext:
          allowPrivilegeEscalation: false
          privileged: false
          readOnlyRootFilesystem: true
        image: registry.example.com/payments:1.4.2
        ports:
        - containerPort: 50051
"""


def test_a_hardening_setting_in_a_manifest_is_not_a_failure() -> None:
    assert match_json(MANIFEST)["answer"] is None


def test_the_read_only_filesystem_error_beside_that_manifest_is_answered() -> None:
    paste = MANIFEST + "\n$ kubectl logs deploy/payments\nmkdir: cannot create directory '/var/cache/payments': Read-only file system\n"
    assert match_json(paste)["answer"] == "read-only-root-filesystem"


def test_a_sandbox_that_fails_because_the_runtime_socket_is_gone_is_answered_by_the_runtime() -> None:
    paste = ("Events:\n  Type     Reason                  Age   From     Message\n"
             "  ----     ------                  ----  ----     -------\n"
             "  Warning  FailedCreatePodSandBox  62s   kubelet  Failed to create pod sandbox: rpc error: code = "
             'Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix '
             '/run/containerd/containerd.sock: connect: no such file or directory"\n')
    body = match_json(paste)
    assert body["answer"] == "cri-runtime-api-unavailable"
    assert explained(body).get("cni-sandbox-failed") == ["cri-runtime-api-unavailable"]


def test_a_described_service_with_another_traffic_setting_is_not_external_traffic_local() -> None:
    paste = ("Name:                     payments\nNamespace:                shop\nLabels:                   app=payments\n"
             "Selector:                 app=payments\nType:                     ClusterIP\n"
             "IP Family Policy:         SingleStack\nIP Families:              IPv4\nIP:                       10.68.67.201\n"
             "Port:                     grpc  50051/TCP\nTargetPort:               50051/TCP\n"
             "Endpoints:                172.20.3.28:50051\nSession Affinity:         None\n"
             "Internal Traffic Policy:  Cluster\nEvents:                   <none>\n")
    assert match_json(paste)["answer"] is None


def test_a_mount_retried_because_the_kubelet_cache_does_not_watch_the_object_yet_is_no_answer() -> None:
    event = ('  Warning  FailedMount  12s (x3 over 20s)  kubelet  MountVolume.SetUp failed for volume '
             '"kube-api-access-7x2kq" : object "backup"/"kube-root-ca.crt" not registered\n')
    assert match_json(event)["answer"] is None
    missing = event.replace('object "backup"/"kube-root-ca.crt" not registered', 'configmap "app-config" not found')
    assert match_json(missing)["answer"] == "volume-mount-failed"
