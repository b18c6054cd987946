"""Custom resources' status as facts (intents/facts/custom_status.py and the kinds beside it):
the `status.conditions` and state fields of a Knative Revision, an Argo CD Application, a Flux
Kustomization or HelmRelease, a cert-manager Certificate or Challenge and a database operator's
cluster, read from a pasted `-o yaml`, and from the live API above a pod (the owner chain).

Pasted `kubectl describe` of the same resources is the table of
tests/readings/test_describe_custom.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.diagnosis.pod import Judge, diagnose_pod
from intents.facts.custom_status import CUSTOM_KINDS, resource_status
from tests.cli.runner import match_json
from tests.evidence.conftest import Live, run
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn


def _yaml(api: str, kind: str, name: str, status: str) -> str:
    return (
        f"$ kubectl get {kind.lower()} {name} -n shop -o yaml\n"
        f"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: shop\n"
        f"status:\n{status}"
    )


def _conditions(*rows: tuple[str, str, str, str]) -> str:
    lines = ["  conditions:"]
    for kind, status, reason, message in rows:
        lines += [
            "  - lastTransitionTime: '2024-06-03T10:12:01Z'",
            f"    message: '{message}'",
            f"    reason: {reason}",
            f"    status: '{status}'",
            f"    type: {kind}",
        ]
    return "\n".join(lines) + "\n"


PASTES = {
    # a Knative Revision whose container exits: the Revision's own condition says so
    "knative-revision": (
        _yaml(
            "serving.knative.dev/v1",
            "Revision",
            "hello-00001",
            _conditions(
                ("Active", "False", "NoTraffic", "The target is not receiving traffic."),
                ("ContainerHealthy", "False", "ExitCode1", "Container failed with: panic: boom"),
                ("Ready", "False", "ExitCode1", "Container failed with: panic: boom"),
            ),
        ),
        "knative-revision-not-ready",
    ),
    # an Argo CD Application whose last sync failed
    "argocd-sync-failed": (
        _yaml(
            "argoproj.io/v1alpha1",
            "Application",
            "payments",
            "  sync:\n    status: OutOfSync\n  health:\n    status: Healthy\n"
            "  operationState:\n    phase: Failed\n"
            "    message: one or more synchronization tasks completed unsuccessfully\n",
        ),
        "argocd-sync-failed",
    ),
    # an Argo CD Application with a ComparisonError condition (no status field)
    "argocd-comparison-error": (
        _yaml(
            "argoproj.io/v1alpha1",
            "Application",
            "web",
            "  conditions:\n  - message: 'Failed to load target state: app path does not exist'\n"
            "    type: ComparisonError\n  sync:\n    status: Unknown\n",
        ),
        "argocd-comparison-error",
    ),
    # a Flux Kustomization whose health check timed out
    "flux-kustomization": (
        _yaml(
            "kustomize.toolkit.fluxcd.io/v1",
            "Kustomization",
            "apps",
            _conditions(
                (
                    "Ready",
                    "False",
                    "HealthCheckFailed",
                    "timeout waiting for: [Deployment/shop/web status: InProgress]",
                ),
            ),
        ),
        "flux-health-check-timeout",
    ),
    # a Flux HelmRelease whose upgrade failed
    "flux-helmrelease": (
        _yaml(
            "helm.toolkit.fluxcd.io/v2",
            "HelmRelease",
            "web",
            _conditions(("Ready", "False", "UpgradeFailed", "Helm upgrade failed for release")),
        ),
        "flux-helmrelease-failed",
    ),
    # a cert-manager Challenge whose HTTP-01 self check fails
    "cert-manager-challenge": (
        _yaml(
            "acme.cert-manager.io/v1",
            "Challenge",
            "web-tls-1-2-3",
            "  presented: true\n  processing: true\n"
            "  reason: 'Waiting for HTTP-01 challenge propagation: wrong status code "
            "''404'', expected ''200'''\n  state: pending\n",
        ).replace("metadata:\n", "metadata:\n  labels: {}\n", 1)
        + "spec:\n  type: HTTP-01\n",
        "cert-manager-http01-challenge-failed",
    ),
    # a CloudNativePG Cluster that cannot create its replica
    "cnpg-cluster": (
        _yaml(
            "postgresql.cnpg.io/v1",
            "Cluster",
            "pg",
            "  instances: 3\n  readyInstances: 1\n  phase: Creating a new replica\n"
            "  phaseReason: Creating replica pg-2-join\n",
        ),
        "cnpg-instance-not-ready",
    ),
}


@pytest.mark.parametrize("paste,expected", PASTES.values(), ids=PASTES.keys())
def test_a_pasted_resource_status_states_its_entry(paste: str, expected: str) -> None:
    body = match_json(paste)
    listed = {m["id"]: m for m in body["matches"]}
    assert expected in listed, body["matches"][:3]
    stated = [m["line"] for m in listed[expected]["matched"] if m["kind"] == "field"]
    assert stated, listed[expected]["matched"]
    assert "(pasted kubectl get -o yaml)" in stated[0]
    assert body["answer"] == expected, body["matches"][:3]


HEALTHY = {
    "knative": (
        "serving.knative.dev/v1",
        "Revision",
        {"conditions": [{"type": "Ready", "status": "True"}]},
    ),
    "argocd": (
        "argoproj.io/v1alpha1",
        "Application",
        {"sync": {"status": "Synced"}, "health": {"status": "Healthy"}},
    ),
    "flux": (
        "kustomize.toolkit.fluxcd.io/v1",
        "Kustomization",
        {"conditions": [{"type": "Ready", "status": "True", "reason": "ReconciliationSucceeded"}]},
    ),
    "certmanager": (
        "cert-manager.io/v1",
        "Certificate",
        {"conditions": [{"type": "Ready", "status": "True", "reason": "Ready"}]},
    ),
    "database_clusters": (
        "postgresql.cnpg.io/v1",
        "Cluster",
        {"phase": "Cluster in healthy state", "instances": 3, "readyInstances": 3},
    ),
}


@pytest.mark.parametrize("fact", sorted(HEALTHY))
def test_each_fact_kind_reads_a_healthy_resource_as_healthy(fact: str) -> None:
    api, kind, status = HEALTHY[fact]
    found = resource_status(
        {"apiVersion": api, "kind": kind, "metadata": {"name": "x"}, "status": status}
    )
    assert found is not None
    name, read = found
    assert name == fact
    assert read.healthy, read


def test_every_custom_kind_row_has_a_fact_kind_registered() -> None:
    from intents.facts.kinds import KINDS

    names = {kind.name for kind in KINDS}
    assert {row.fact for row in CUSTOM_KINDS} <= names


def test_a_kind_not_in_the_table_is_no_fact() -> None:
    assert resource_status({"apiVersion": "example.com/v1", "kind": "Widget", "status": {}}) is None


# --- the live API: a custom resource above the pod ---------------------------------------------


def _revision(failing: bool) -> dict[str, Any]:
    status = "False" if failing else "True"
    return {
        "apiVersion": "serving.knative.dev/v1",
        "kind": "Revision",
        "metadata": {"name": "hello-00001", "namespace": "shop"},
        "status": {
            "conditions": [
                {
                    "type": "ContainerHealthy",
                    "status": status,
                    "reason": "ExitCode1" if failing else "",
                    "message": "Container failed with: panic: boom" if failing else "",
                },
                {"type": "Ready", "status": status, "reason": "ExitCode1" if failing else ""},
            ]
        },
    }


def _knative_service(si: KubeStandIn, *, failing: bool = True) -> str:
    """Revision -> Deployment -> ReplicaSet -> Pod crash-looping (exit 1)."""
    si.add(kc.node(name="worker-1"))
    revision = si.add(_revision(failing))
    dep = kc.deployment(name="hello-00001-deployment", namespace="shop", ready_replicas=0)
    dep["metadata"]["ownerReferences"] = [ko.owner_ref(revision)]
    rs = kc.replicaset(deployment=dep)
    pod = ko.pod(
        name=f"{rs['metadata']['name']}-x7k2p",
        namespace="shop",
        owner=rs,
        labels=rs["metadata"]["labels"],
        containers=[ko.container(name="user-container")],
        container_statuses=[
            ko.crashloop_status(name="user-container", last_reason="Error", restarts=4)
        ],
    )
    si.add_all([dep, rs, pod])
    si.set_log("shop", pod["metadata"]["name"], "user-container", "panic: boom\n", previous=True)
    return str(pod["metadata"]["name"])


def test_a_revision_above_the_pod_is_read_and_states_its_entry(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    pod = _knative_service(si)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", pod, judge=judge))
    assert si.requests_to("GET", r"^/apis/serving.knative.dev/v1/namespaces/shop/revisions/")
    found = {f.match.id: f for f in diagnosis.findings}
    assert "knative-revision-not-ready" in found, list(found)
    assert any("hello-00001" in fact for fact in found["knative-revision-not-ready"].evidence)


def test_a_kind_the_cluster_lacks_ends_the_walk_quietly(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    pod = _knative_service(si)
    si.fail("GET", r"^/apis/serving.knative.dev/", 404)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", pod, judge=judge))
    assert "knative-revision-not-ready" not in {f.match.id for f in diagnosis.findings}
    assert not [gap for gap in diagnosis.gaps if "revision" in gap.lower()], diagnosis.gaps


def test_a_ready_revision_states_nothing(live: Live, judge: Judge) -> None:
    si = KubeStandIn(latency=0.0)
    pod = _knative_service(si, failing=False)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, "shop", pod, judge=judge))
    found = {f.match.id: f for f in diagnosis.findings}
    assert (
        not found.get("knative-revision-not-ready")
        or not found["knative-revision-not-ready"].evidence
    )
