"""`kubectl describe` of a custom resource whose status is a fact (bot/cluster/outputs/describe_custom.py):
the indented tree is read back into the object and its conditions and state fields state the
entry; the same resource healthy states nothing.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

REVISION = """\
Name:         hello-00001
Namespace:    shop
Labels:       serving.knative.dev/configuration=hello
Annotations:  serving.knative.dev/creator: admin
API Version:  serving.knative.dev/v1
Kind:         Revision
Metadata:
  Creation Timestamp:  2024-06-03T10:12:01Z
  Generation:          1
Spec:
  Container Concurrency:  0
  Containers:
    Image:  registry.example/shop/hello:1.4
    Name:   user-container
Status:
  Conditions:
    Last Transition Time:  2024-06-03T10:14:01Z
    Message:               The target is not receiving traffic.
    Reason:                NoTraffic
    Severity:              Info
    Status:                False
    Type:                  Active
    Last Transition Time:  2024-06-03T10:14:01Z
    Message:               {MESSAGE}
    Reason:                {REASON}
    Status:                {STATUS}
    Type:                  ContainerHealthy
    Last Transition Time:  2024-06-03T10:14:01Z
    Message:               {MESSAGE}
    Reason:                {REASON}
    Status:                {STATUS}
    Type:                  Ready
  Observed Generation:  1
Events:  <none>
"""

APPLICATION = """\
Name:         payments
Namespace:    argocd
Labels:       <none>
Annotations:  <none>
API Version:  argoproj.io/v1alpha1
Kind:         Application
Metadata:
  Creation Timestamp:  2024-06-03T10:12:01Z
Spec:
  Destination:
    Namespace:  payments
    Server:     https://kubernetes.default.svc
  Project:      default
Status:
  Health:
    Status:  Healthy
  Operation State:
    Finished At:  2024-06-03T10:12:04Z
    Message:      one or more synchronization tasks completed unsuccessfully
    Phase:        Failed
    Started At:   2024-06-03T10:12:01Z
  Sync:
    Status:  OutOfSync
Events:
  Type     Reason              Age   From                           Message
  ----     ------              ----  ----                           -------
  Normal   OperationStarted    2m    argocd-application-controller  Initiated automated sync to 'a1b2c3d'
"""

KUSTOMIZATION = """\
Name:         apps
Namespace:    flux-system
API Version:  kustomize.toolkit.fluxcd.io/v1
Kind:         Kustomization
Spec:
  Interval:  10m
  Path:      ./apps
  Prune:     true
Status:
  Conditions:
    Last Transition Time:  2024-06-03T10:20:00Z
    Message:               Health check failed after 5m0s: timeout waiting for: [Deployment/shop/web status: 'InProgress']
    Observed Generation:   3
    Reason:                HealthCheckFailed
    Status:                False
    Type:                  Ready
Events:  <none>
"""

ISSUER = """\
Name:         ca-issuer
Namespace:    shop
API Version:  cert-manager.io/v1
Kind:         Issuer
Spec:
  Ca:
    Secret Name:  ca-key-pair
Status:
  Conditions:
    Last Transition Time:  2024-06-03T10:20:00Z
    Message:               Error getting keypair for CA issuer: secret "ca-key-pair" not found
    Observed Generation:   1
    Reason:                ErrGetKeyPair
    Status:                False
    Type:                  Ready
Events:  <none>
"""

CNPG = """\
Name:         pg
Namespace:    shop
API Version:  postgresql.cnpg.io/v1
Kind:         Cluster
Spec:
  Instances:  3
Status:
  Instances:        3
  Phase:            {PHASE}
  Ready Instances:  {READY}
Events:  <none>
"""

CASES = [
    Case(
        REVISION.format(
            MESSAGE="Container failed with: panic: boom", REASON="ExitCode1", STATUS="False"
        ),
        answer="knative-revision-not-ready",
        why="a Knative Revision whose container exits states the entry",
        read_by="kubectl describe",
    ),
    Case(
        REVISION.format(MESSAGE="", REASON="", STATUS="True").replace(
            "    Message:               The target is not receiving traffic.\n"
            "    Reason:                NoTraffic\n"
            "    Severity:              Info\n"
            "    Status:                False\n",
            "    Status:                True\n",
        ),
        answer=None,
        why="a ready Revision states nothing",
        read_by="kubectl describe",
    ),
    Case(
        APPLICATION,
        answer="argocd-sync-failed",
        why="an Argo CD Application whose sync operation failed",
        read_by="kubectl describe",
    ),
    Case(
        KUSTOMIZATION,
        answer="flux-health-check-timeout",
        why="a Flux Kustomization whose health check failed",
        read_by="kubectl describe",
    ),
    Case(
        ISSUER,
        answer="cert-manager-issuer-not-ready",
        why="a cert-manager Issuer that is not ready",
        read_by="kubectl describe",
    ),
    Case(
        CNPG.format(PHASE="Creating a new replica", READY="2"),
        answer="cnpg-instance-not-ready",
        why="a CloudNativePG Cluster still creating a replica",
        read_by="kubectl describe",
    ),
    Case(
        CNPG.format(PHASE="Cluster in healthy state", READY="3"),
        answer=None,
        why="a healthy CloudNativePG Cluster states nothing",
        read_by="kubectl describe",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_described_custom_resource_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
