"""Partial failure is normal: 403s, timeouts and slow endpoints become named gaps."""

from __future__ import annotations

import pytest

from bot.diagnosis.pod import Judge, diagnose_pod
from bot.errors import EXIT_CLUSTER, ClusterUnavailable
from tests.evidence.conftest import Live, run
from tests.standins import kube_scenarios as scenarios
from tests.standins.kube_api import KubeStandIn


def oom(si: KubeStandIn) -> tuple[str, str]:
    found = scenarios.oom_killed_deployment(si)
    return found.namespace, str(found.pod)


# (stand-in fault, expected gap text); the OOMKilled container state still confirms the cause
FAULTS = {
    # logs refused by RBAC: the gap names the exact permission to grant
    "logs-403": (
        lambda si: si.fail("GET", r"/log$", 403),
        "could not read logs: forbidden (missing RBAC permission: get pods/log in namespace shop)",
    ),
    # a log request refused for another reason (a real server answers a bad Accept with 406):
    # a gap, never a silently missing log
    "logs-406": (
        lambda si: si.fail("GET", r"/log$", 406),
        "could not read the previous log of container checkout: API server refused get pods/log",
    ),
    # nodes refused: cluster-scoped permission named as such
    "nodes-403": (
        lambda si: si.fail("GET", r"^/api/v1/nodes", 403),
        "could not read node: forbidden (missing RBAC permission: get nodes at cluster scope)",
    ),
    # a hanging events endpoint (both APIs) costs one request timeout, then a gap
    "events-hang": (lambda si: si.hang(r"/events"), "could not read events: timed out after 1s"),
    # API server overload on Services: reported as unreachable, with its status
    "services-429": (
        lambda si: si.fail("GET", r"/services$", 429),
        "could not read services: the API server is throttling requests (API server answered 429",
    ),
    # the quota list answers 500: the server's own message is kept
    "quotas-500": (
        lambda si: si.fail("GET", r"/resourcequotas$", 500),
        "could not read resource quotas: unreachable (API server answered 500: Internal error",
    ),
}


@pytest.mark.parametrize("fault", FAULTS.values(), ids=FAULTS.keys())
def test_failure_becomes_a_named_gap(fault: tuple, live: Live, judge: Judge) -> None:
    inject, expected = fault
    si = KubeStandIn(latency=0.0)
    namespace, name = oom(si)
    inject(si)
    with live(si, timeout=1.0) as gateway:
        diagnosis = run(diagnose_pod(gateway, namespace, name, judge=judge))
    assert diagnosis.findings[0].match.id == "oom-killed"
    assert any(gap.startswith(expected) for gap in diagnosis.gaps), diagnosis.gaps


def test_core_events_forbidden_falls_back_to_events_v1(live: Live, judge: Judge) -> None:
    # core/v1 events refused, events.k8s.io/v1 allowed: the scheduler event is still found, no gap
    si = KubeStandIn(latency=0.0)
    found = scenarios.pending_disk_pressure(si)
    si.fail("GET", r"^/api/v1/namespaces/[^/]+/events$", 403)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, found.namespace, str(found.pod), judge=judge))
    assert diagnosis.gaps == ()
    assert any("event FailedScheduling x12" in fact for fact in diagnosis.findings[0].evidence)
    assert si.requests_to("GET", r"^/apis/events.k8s.io/v1/namespaces/default/events$")


def test_both_event_apis_forbidden_names_the_core_permission(live: Live, judge: Judge) -> None:
    # when the fallback is refused too, the gap names the core/v1 permission to grant
    si = KubeStandIn(latency=0.0)
    namespace, name = oom(si)
    si.fail("GET", r"/events$", 403)
    with live(si) as gateway:
        diagnosis = run(diagnose_pod(gateway, namespace, name, judge=judge))
    assert (
        "could not read events: forbidden (missing RBAC permission: list events in namespace shop)"
        in diagnosis.gaps
    )


def test_slow_endpoint_is_waited_for_within_the_timeout(live: Live, judge: Judge) -> None:
    # logs answer slowly but inside the request timeout: the previous log still confirms, no gap
    si = KubeStandIn(latency=0.0)
    found = scenarios.tikv_cluster_id_mismatch(si)
    si.delay(r"/log$", 0.5)
    with live(si, timeout=5.0) as gateway:
        diagnosis = run(diagnose_pod(gateway, found.namespace, str(found.pod), judge=judge))
    assert diagnosis.gaps == ()
    assert diagnosis.findings[0].match.id == "tikv-cluster-id-mismatch"


def test_missing_pod_is_a_cluster_error_with_a_clear_message(live: Live, judge: Judge) -> None:
    # a pod that does not exist: exit 1 and the cluster named, not an empty diagnosis
    si = KubeStandIn(latency=0.0)
    scenarios.healthy(si)
    with live(si) as gateway, pytest.raises(ClusterUnavailable) as caught:
        run(diagnose_pod(gateway, "shop", "nope", judge=judge))
    assert caught.value.reason == "pod shop/nope not found in cluster standin"
    assert caught.value.exit_code == EXIT_CLUSTER
    # nothing that needs the pod (logs, node, owners, claims) was asked once it was missing
    assert not si.requests_to("GET", r"/log$|/nodes|/replicasets|/persistentvolumeclaims")


def test_forbidden_pod_names_the_permission(live: Live, judge: Judge) -> None:
    # the pod itself is required: refusing it is an exit-1 error naming the permission
    si = KubeStandIn(latency=0.0)
    namespace, name = oom(si)
    si.fail("GET", rf"/pods/{name}$", 403)
    with live(si) as gateway, pytest.raises(ClusterUnavailable) as caught:
        run(diagnose_pod(gateway, namespace, name, judge=judge))
    assert "missing RBAC permission: get pods in namespace shop" in caught.value.reason


def test_unreachable_api_server(judge: Judge, tmp_path) -> None:
    # nothing listens on the port: one line saying the API server cannot be reached
    from bot.cluster.kubeconfig import connect
    from bot.settings import Settings
    from tests.standins.kube_api import write_kubeconfig

    path = write_kubeconfig(tmp_path / "kc", {"gone": "http://127.0.0.1:9"})
    gateway = connect(Settings(KUBECONFIG=str(path), KUBEMEDIC_KUBE_REQUEST_TIMEOUT=2))
    try:
        with pytest.raises(ClusterUnavailable) as caught:
            run(diagnose_pod(gateway, "shop", "web-0", judge=judge))
    finally:
        gateway.close()
    assert (
        "cannot read pod shop/web-0 in cluster gone: unreachable (cannot reach the API server"
        in caught.value.reason
    )
