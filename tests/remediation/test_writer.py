"""KubeWriter: each typed write, its dry run (dryRun=All, nothing changes), and its errors."""

from __future__ import annotations

import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from bot.cluster.errors import Forbidden, NotFound, TimedOut, Unreachable
from bot.cluster.writer import RESTARTED_AT, KubeWriter
from tests.remediation.conftest import Kube
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins.kube_api import KubeStandIn

Obj = dict[str, Any]


def load(si: KubeStandIn) -> None:
    si.add_all(
        [
            ko.running_ready_pod(name="web-0", namespace="shop"),
            kc.pvc(name="scratch", namespace="shop"),
            kc.node(name="worker-1"),
            kc.node(name="worker-2", unschedulable=True),
            kc.deployment(name="api", namespace="shop", replicas=2),
            kc.statefulset(name="db", namespace="shop"),
            kc.daemonset(name="agent", namespace="kube-system"),
            kc.apiservice(name="v1beta1.metrics.k8s.io"),
        ]
    )


@dataclass(frozen=True)
class Case:
    """One write: the call, the object it touches, and what the real call must change."""

    call: Callable[[KubeWriter, bool], Awaitable[Obj]]
    kind: str
    namespace: str | None
    name: str
    changed: Callable[[Obj | None], bool]
    path: str
    method: str


def _template_stamp(obj: Obj | None) -> str | None:
    meta = (obj or {}).get("spec", {}).get("template", {}).get("metadata", {})
    return (meta.get("annotations") or {}).get(RESTARTED_AT)


CASES = {
    "delete_pod": Case(
        lambda w, d: w.delete_pod("shop", "web-0", dry_run=d),
        "Pod",
        "shop",
        "web-0",
        lambda o: o is None,
        "/api/v1/namespaces/shop/pods/web-0",
        "DELETE",
    ),
    "delete_pvc": Case(
        lambda w, d: w.delete_pvc("shop", "scratch", dry_run=d),
        "PersistentVolumeClaim",
        "shop",
        "scratch",
        lambda o: o is None,
        "/api/v1/namespaces/shop/persistentvolumeclaims/scratch",
        "DELETE",
    ),
    "cordon_node": Case(
        lambda w, d: w.cordon_node("worker-1", dry_run=d),
        "Node",
        None,
        "worker-1",
        lambda o: (o or {})["spec"].get("unschedulable") is True,
        "/api/v1/nodes/worker-1",
        "PATCH",
    ),
    "uncordon_node": Case(
        lambda w, d: w.uncordon_node("worker-2", dry_run=d),
        "Node",
        None,
        "worker-2",
        lambda o: not (o or {})["spec"].get("unschedulable"),
        "/api/v1/nodes/worker-2",
        "PATCH",
    ),
    "annotate_pod": Case(
        lambda w, d: w.annotate_pod("shop", "web-0", "runmode", "debug", dry_run=d),
        "Pod",
        "shop",
        "web-0",
        lambda o: (o or {})["metadata"].get("annotations", {}).get("runmode") == "debug",
        "/api/v1/namespaces/shop/pods/web-0",
        "PATCH",
    ),
    "restart_deployment": Case(
        lambda w, d: w.rollout_restart("Deployment", "shop", "api", dry_run=d),
        "Deployment",
        "shop",
        "api",
        lambda o: _template_stamp(o) == "2024-05-14T08:30:00Z",
        "/apis/apps/v1/namespaces/shop/deployments/api",
        "PATCH",
    ),
    "restart_statefulset": Case(
        lambda w, d: w.rollout_restart("StatefulSet", "shop", "db", dry_run=d),
        "StatefulSet",
        "shop",
        "db",
        lambda o: _template_stamp(o) == "2024-05-14T08:30:00Z",
        "/apis/apps/v1/namespaces/shop/statefulsets/db",
        "PATCH",
    ),
    "restart_daemonset": Case(
        lambda w, d: w.rollout_restart("DaemonSet", "kube-system", "agent", dry_run=d),
        "DaemonSet",
        "kube-system",
        "agent",
        lambda o: _template_stamp(o) == "2024-05-14T08:30:00Z",
        "/apis/apps/v1/namespaces/kube-system/daemonsets/agent",
        "PATCH",
    ),
    "scale_deployment": Case(
        lambda w, d: w.scale_deployment("shop", "api", 5, dry_run=d),
        "Deployment",
        "shop",
        "api",
        lambda o: (o or {})["spec"]["replicas"] == 5,
        "/apis/apps/v1/namespaces/shop/deployments/api/scale",
        "PATCH",
    ),
    "delete_apiservice": Case(
        lambda w, d: w.delete_apiservice("v1beta1.metrics.k8s.io", dry_run=d),
        "APIService",
        None,
        "v1beta1.metrics.k8s.io",
        lambda o: o is None,
        "/apis/apiregistration.k8s.io/v1/apiservices/v1beta1.metrics.k8s.io",
        "DELETE",
    ),
}


@pytest.mark.parametrize("which", sorted(CASES))
async def test_dry_run_sends_dry_run_all_and_changes_nothing(kube: Kube, which: str) -> None:
    case = CASES[which]
    load(kube.standin)
    before = kube.standin.get_object(case.kind, case.namespace, case.name)
    await case.call(kube.writer, True)
    assert kube.standin.get_object(case.kind, case.namespace, case.name) == before
    [request] = kube.writes()
    assert (request.method, request.path, request.dry_run) == (case.method, case.path, True)
    assert request.query == {"dryRun": "All"}


@pytest.mark.parametrize("which", sorted(CASES))
async def test_real_call_changes_the_object(kube: Kube, which: str) -> None:
    case = CASES[which]
    load(kube.standin)
    before = copy.deepcopy(kube.standin.get_object(case.kind, case.namespace, case.name))
    assert not case.changed(before)
    await case.call(kube.writer, False)
    assert case.changed(kube.standin.get_object(case.kind, case.namespace, case.name))
    [request] = kube.writes()
    assert (request.method, request.path, request.dry_run) == (case.method, case.path, False)


async def test_patches_use_the_content_types_kubectl_uses(kube: Kube) -> None:
    load(kube.standin)
    await kube.writer.cordon_node("worker-1", dry_run=False)
    await kube.writer.rollout_restart("Deployment", "shop", "api", dry_run=False)
    await kube.writer.annotate_pod("shop", "web-0", "runmode", "debug", dry_run=False)
    await kube.writer.scale_deployment("shop", "api", 1, dry_run=False)
    types = [r.headers.get("Content-Type") for r in kube.writes()]
    assert (
        types
        == ["application/strategic-merge-patch+json"] * 2 + ["application/merge-patch+json"] * 2
    )
    restart = kube.writes()[1].body
    assert restart == {
        "spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: "2024-05-14T08:30:00Z"}}}}
    }


async def test_protected_pvc_in_use_stays_until_its_pod_is_gone(kube: Kube) -> None:
    claim = kc.pvc(name="tikv-basic-tikv-1", namespace="tidb")
    kube.standin.add_all(
        [claim, ko.pod(name="basic-tikv-1", namespace="tidb", pvc_claims=["tikv-basic-tikv-1"])]
    )
    await kube.writer.delete_pvc("tidb", "tikv-basic-tikv-1", dry_run=False)
    left = kube.standin.get_object("PersistentVolumeClaim", "tidb", "tikv-basic-tikv-1")
    assert left is not None and left["metadata"].get("deletionTimestamp")
    await kube.writer.delete_pod("tidb", "basic-tikv-1", dry_run=False)
    assert kube.standin.get_object("Pod", "tidb", "basic-tikv-1") is None


async def test_errors_are_ours(kube: Kube) -> None:
    load(kube.standin)
    with pytest.raises(NotFound):
        await kube.writer.delete_pod("shop", "no-such-pod", dry_run=True)
    kube.standin.fail("PATCH", r"/nodes/", 403)
    with pytest.raises(Forbidden) as denied:
        await kube.writer.cordon_node("worker-1", dry_run=False)
    assert denied.value.permission == "patch nodes at cluster scope"
    kube.standin.fail("DELETE", r"/pods/", 503)
    with pytest.raises(Unreachable):
        await kube.writer.delete_pod("shop", "web-0", dry_run=False)
    assert kube.standin.get_object("Pod", "shop", "web-0") is not None


async def test_rejects_kinds_outside_the_allowlist(kube: Kube) -> None:
    with pytest.raises(ValueError):
        job: Any = "Job"
        await kube.writer.rollout_restart(job, "shop", "x", dry_run=True)
    with pytest.raises(ValueError):
        await kube.writer.scale_deployment("shop", "api", -1, dry_run=True)
    assert kube.writes() == []


async def test_a_hung_api_server_costs_one_timeout(kube: Kube) -> None:
    load(kube.standin)
    kube.standin.hang("/nodes/worker-1")
    quick = KubeWriter.sharing(kube.gateway, timeout=0.5)
    try:
        with pytest.raises(TimedOut):
            await quick.cordon_node("worker-1", dry_run=True)
    finally:
        quick.close()
