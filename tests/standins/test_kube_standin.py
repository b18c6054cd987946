"""Drive the real ``kubernetes`` client against the stand-in over HTTP."""

# mypy: disable-error-code="union-attr,index,arg-type,return-value"
from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import urllib3
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from . import kube_cluster as kc
from . import kube_objects as ko
from .kube_api import (
    KubeStandIn,
    ThreadedServer,
    running_kube_standin,
    start_in_thread,
    write_kubeconfig,
)
from .kube_scenarios import TIKV_FATAL, tikv_cluster_id_mismatch


def status_message(exc: pytest.ExceptionInfo[ApiException]) -> str:
    """The ``message`` of the Status body carried by an ApiException."""
    body = json.loads(exc.value.body)
    assert (
        body["kind"] == "Status"
        and body["status"] == "Failure"
        and body["code"] == exc.value.status
    )
    return str(body["message"])


@pytest.fixture
def standin() -> KubeStandIn:
    si = KubeStandIn(latency=0.0)
    tikv_cluster_id_mismatch(si)
    si.add(
        ko.running_ready_pod(name="web-0", namespace="shop", labels={"app": "web", "tier": "fe"})
    )
    si.add(ko.running_ready_pod(name="web-1", namespace="shop", labels={"app": "web"}))
    return si


@pytest.fixture
def server(standin: KubeStandIn) -> Iterator[ThreadedServer]:
    srv = start_in_thread(standin)
    yield srv
    srv.stop()


@pytest.fixture
def api(server: ThreadedServer, tmp_path: Path) -> Iterator[client.ApiClient]:
    path = write_kubeconfig(
        tmp_path / "kubeconfig",
        {"standin": server.url, "other": "http://127.0.0.1:9"},
        current="other",
    )
    api_client = config.new_client_from_config(config_file=str(path), context="standin")
    yield api_client
    api_client.close()


def test_get_and_list_pods(api: client.ApiClient) -> None:
    v1 = client.CoreV1Api(api)
    p = v1.read_namespaced_pod("basic-tikv-1", "tidb")
    assert p.status.container_statuses[0].state.waiting.reason == "CrashLoopBackOff"
    assert p.metadata.owner_references[0].kind == "StatefulSet"
    assert {i.metadata.name for i in v1.list_namespaced_pod("shop").items} == {"web-0", "web-1"}
    assert len(v1.list_pod_for_all_namespaces(label_selector="app in (web),tier").items) == 1
    assert len(
        v1.list_pod_for_all_namespaces(
            field_selector="spec.nodeName=worker-2,status.phase!=Failed"
        ).items
    )


def test_event_field_selector(api: client.ApiClient, standin: KubeStandIn) -> None:
    standin.add(
        kc.event(
            involved=standin.get_object("Pod", "shop", "web-0"),
            reason="Pulled",
            type="Normal",
            message='Container image "x" already present on machine',
        )
    )
    evs = client.CoreV1Api(api).list_namespaced_event(
        "tidb", field_selector="involvedObject.name=basic-tikv-1,involvedObject.kind=Pod"
    )
    assert [e.reason for e in evs.items] == ["BackOff"]
    with pytest.raises(ApiException) as exc:
        client.CoreV1Api(api).list_namespaced_event("tidb", field_selector="spec.bogus=1")
    assert exc.value.status == 400 and "field label not supported" in status_message(exc)


def test_pod_logs_current_and_previous(api: client.ApiClient, standin: KubeStandIn) -> None:
    v1 = client.CoreV1Api(api)
    prev = v1.read_namespaced_pod_log("basic-tikv-1", "tidb", container="tikv", previous=True)
    assert prev.rstrip("\n").endswith(TIKV_FATAL)
    assert (
        v1.read_namespaced_pod_log(
            "basic-tikv-1", "tidb", container="tikv", previous=True, tail_lines=1
        )
        == TIKV_FATAL + "\n"
    )
    standin.set_log("shop", "web-0", "app", "a\nb\nc\n")
    assert v1.read_namespaced_pod_log("web-0", "shop", tail_lines=2) == "b\nc\n"
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("web-0", "shop", previous=True)
    assert exc.value.status == 400
    assert 'previous terminated container "app" in pod "web-0" not found' in status_message(exc)
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("web-0", "shop", container="nope")
    assert "container nope is not valid for pod web-0" in status_message(exc)


def test_forbidden_and_not_found(api: client.ApiClient, standin: KubeStandIn) -> None:
    v1 = client.CoreV1Api(api)
    standin.fail("GET", r"/pods/[^/]+/log$", 403)
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod_log("basic-tikv-1", "tidb", container="tikv")
    assert exc.value.status == 403
    assert json.loads(exc.value.body)["reason"] == "Forbidden"
    assert (
        'pods "basic-tikv-1" is forbidden: User "system:serviceaccount:kubemedic:kubemedic" cannot get '
        'resource "pods/log" in API group "" in the namespace "tidb"'
    ) == status_message(exc)
    standin.fail("GET", r"^/api/v1/nodes/worker-1$", 403, times=1)
    with pytest.raises(ApiException) as exc:
        v1.read_node("worker-1")
    assert 'cannot get resource "nodes" in API group "" at the cluster scope' in status_message(exc)
    assert v1.read_node("worker-1").metadata.name == "worker-1"  # times=1 exhausted
    with pytest.raises(ApiException) as exc:
        v1.read_namespaced_pod("x", "tidb")
    assert exc.value.status == 404 and status_message(exc) == 'pods "x" not found'
    # urllib3 (under the client) honours Retry-After on 429 and retries transparently
    standin.fail("GET", r"/api/v1/namespaces$", 429, times=1, retry_after=0)
    assert v1.list_namespace().items
    assert [r.status for r in standin.requests_to("GET", r"/api/v1/namespaces$")] == [429, 200]


def test_429_retry_after(server: ThreadedServer, standin: KubeStandIn) -> None:
    standin.fail("GET", r"/api/v1/namespaces$", 429, retry_after=2)
    cfg = client.Configuration(host=server.url)
    cfg.retries = False
    with client.ApiClient(cfg) as api_client, pytest.raises(ApiException) as exc:
        client.CoreV1Api(api_client).list_namespace()
    assert exc.value.status == 429 and exc.value.headers["Retry-After"] == "2"
    assert status_message(exc) == "Too many requests, please try again later."


def test_pagination(api: client.ApiClient, standin: KubeStandIn) -> None:
    for i in range(7):
        standin.add(ko.running_ready_pod(name=f"p-{i}", namespace="paged"))
    v1 = client.CoreV1Api(api)
    names, token, pages = [], None, 0
    while True:
        page = v1.list_namespaced_pod("paged", limit=3, _continue=token)
        names += [p.metadata.name for p in page.items]
        pages += 1
        token = page.metadata._continue
        if not token:
            break
    assert names == [f"p-{i}" for i in range(7)] and pages == 3


def test_latency_overlaps(server: ThreadedServer, standin: KubeStandIn) -> None:
    standin.delay(r"/namespaces/shop/pods$", 0.2)
    cfg = client.Configuration(host=server.url)
    cfg.connection_pool_maxsize = 10
    with client.ApiClient(cfg) as api_client:
        v1 = client.CoreV1Api(api_client)
        start = time.monotonic()
        with ThreadPoolExecutor(10) as pool:
            results = list(pool.map(lambda _: len(v1.list_namespaced_pod("shop").items), range(10)))
        elapsed = time.monotonic() - start
    assert results == [2] * 10 and 0.2 <= elapsed < 1.0


def test_hang_client_timeout(api: client.ApiClient, standin: KubeStandIn) -> None:
    standin.hang(r"/nodes$")
    start = time.monotonic()
    with pytest.raises(urllib3.exceptions.HTTPError):
        client.CoreV1Api(api).list_node(_request_timeout=0.3)
    assert time.monotonic() - start < 2


def test_delete_dry_run_then_real(api: client.ApiClient, standin: KubeStandIn) -> None:
    v1 = client.CoreV1Api(api)
    deleted = v1.delete_namespaced_pod("web-1", "shop", dry_run="All")
    assert deleted.kind == "Pod" and deleted.metadata.deletion_timestamp is not None
    assert standin.get_object("Pod", "shop", "web-1") is not None
    v1.delete_namespaced_pod("web-1", "shop")
    assert standin.get_object("Pod", "shop", "web-1") is None
    deletes = standin.requests_to("DELETE", r"/pods/web-1$")
    assert [r.dry_run for r in deletes] == [True, False]


def test_cordon_patch(api: client.ApiClient, standin: KubeStandIn) -> None:
    node = client.CoreV1Api(api).patch_node("worker-1", {"spec": {"unschedulable": True}})
    assert node.spec.unschedulable is True
    assert standin.get_object("Node", None, "worker-1")["spec"]["unschedulable"] is True
    patch = standin.writes()[-1]
    assert patch.headers["Content-Type"] == "application/strategic-merge-patch+json"


def test_restart_and_scale(api: client.ApiClient, standin: KubeStandIn) -> None:
    standin.add(kc.deployment(name="web", namespace="shop", replicas=2))
    apps = client.AppsV1Api(api)
    body = {
        "spec": {
            "template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": "t"}}}
        }
    }
    dep = apps.patch_namespaced_deployment("web", "shop", body, dry_run="All")
    assert (
        dep.metadata.generation == 2
        and standin.get_object("Deployment", "shop", "web")["metadata"]["generation"] == 1
    )
    apps.patch_namespaced_deployment_scale(
        "web", "shop", [{"op": "replace", "path": "/spec/replicas", "value": 0}]
    )
    assert standin.get_object("Deployment", "shop", "web")["spec"]["replicas"] == 0


def test_async_runner() -> None:
    async def main() -> str:
        si = KubeStandIn(latency=0.0)
        si.add(kc.node(name="n1", ready="Unknown"))
        async with running_kube_standin(si) as url:
            cfg = client.Configuration(host=url)

            def call() -> str:
                with client.ApiClient(cfg) as c:
                    return client.CoreV1Api(c).read_node("n1").status.conditions[-1].reason

            return await asyncio.to_thread(call)

    assert asyncio.run(main()) == "NodeStatusUnknown"


def test_no_leaked_threads() -> None:
    before = {t.ident for t in threading.enumerate()}
    srv = start_in_thread(KubeStandIn(latency=0.0))
    srv.stop()
    assert {t.ident for t in threading.enumerate() if t.name == "kube-standin"} - before == set()
