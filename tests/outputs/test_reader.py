"""The reader as a cluster: views merged, what was not recorded told apart from what is
absent, logs and node services served, manifests read as kubectl printed them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cluster.errors import ClusterError, NotFound, NotRecorded
from bot.cluster.reader import ClusterReader
from tests.outputs.conftest import Record, at

TABLE = """
$ kubectl get pods -n shop
NAME          READY   STATUS             RESTARTS   AGE
web-7d4b9-a   0/1     ImagePullBackOff   0          10m
"""
WIDE = """
$ kubectl get pods -n shop -o wide
NAME          READY   STATUS             RESTARTS   AGE   IP         NODE     NOMINATED NODE   READINESS GATES
web-7d4b9-a   0/1     ImagePullBackOff   0          10m   10.1.0.7   node-a   <none>           <none>
"""
LABELS = """
$ kubectl get pods -n shop --show-labels
NAME          READY   STATUS             RESTARTS   AGE   LABELS
web-7d4b9-a   0/1     ImagePullBackOff   0          10m   app=web,pod-template-hash=7d4b9
"""
YAML = """
$ kubectl get pod web-7d4b9-a -n shop -o yaml
apiVersion: v1
kind: Pod
metadata:
  name: web-7d4b9-a
  namespace: shop
  labels:
    app: web
spec:
  nodeName: node-a
  containers:
  - name: web
    image: repo/web:2.2-typo
    ports:
    - containerPort: 8080
      name: http
status:
  phase: Pending
  containerStatuses:
  - name: web
    ready: false
    restartCount: 0
    state:
      waiting:
        reason: ErrImagePull
        message: 'rpc error: code = NotFound'
"""


async def test_views_of_one_pod_merge_field_by_field_richer_wins(record: Record) -> None:
    reader = record(TABLE, WIDE, LABELS)
    pod = await reader.get("pods", "web-7d4b9-a", "shop")
    assert pod["spec"]["nodeName"] == "node-a" and pod["status"]["podIP"] == "10.1.0.7"
    assert pod["metadata"]["labels"] == {"app": "web", "pod-template-hash": "7d4b9"}
    assert at(pod, "status.containerStatuses.0.state.waiting.reason") == "ImagePullBackOff"
    # the YAML (richest) replaces the table's container states and labels as wholes,
    # and keeps what only the table said (its IP)
    merged = await record(TABLE, WIDE, LABELS, YAML).get("pods", "web-7d4b9-a", "shop")
    assert merged["status"]["containerStatuses"][0]["name"] == "web"
    assert at(merged, "status.containerStatuses.0.state.waiting.reason") == "ErrImagePull"
    assert merged["metadata"]["labels"] == {"app": "web"}
    assert merged["status"]["podIP"] == "10.1.0.7"
    assert len(await record(TABLE, WIDE, LABELS, YAML).list("pods", "shop")) == 1


async def test_a_table_only_pod_gets_its_owner_and_container_names_from_its_replicaset(
    record: Record,
) -> None:
    reader = record(
        TABLE,
        """
        $ kubectl get rs -n shop -o wide
        NAME      DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES              SELECTOR
        web-7d4b9 1         1         0       10m   web          repo/web:2.2-typo   app=web,pod-template-hash=7d4b9
        """,
    )
    pod = await reader.get("pods", "web-7d4b9-a", "shop")
    assert pod["metadata"]["ownerReferences"][0]["name"] == "web-7d4b9"
    assert pod["status"]["containerStatuses"][0]["name"] == "web"
    assert pod["spec"]["containers"] == [{"name": "web", "image": "repo/web:2.2-typo"}]


async def test_unrecorded_is_not_absent(record: Record) -> None:
    reader = record(
        TABLE,
        """
        $ kubectl get endpoints -n shop
        NAME   ENDPOINTS       AGE
        web    10.1.0.7:8080   10m

        $ kubectl get svc checkout -n shop
        Error from server (NotFound): services "checkout" not found

        $ kubectl get resourcequota -n shop
        No resources found in shop namespace.
        """,
    )
    # a complete listing without it: absent, as the API would say
    with pytest.raises(NotFound):
        await reader.get("endpoints", "checkout", "shop")
    # kubectl said so
    with pytest.raises(NotFound):
        await reader.get("services", "checkout", "shop")
    # listed, and there are none
    assert await reader.list("resourcequotas", "shop") == []
    # never recorded: a gap, not a missing object
    with pytest.raises(NotRecorded) as services:
        await reader.list("services", "shop")
    assert "kubectl get services -n shop" in str(services.value)
    with pytest.raises(NotRecorded):
        await reader.get("endpoints", "web", "other")
    assert not isinstance(services.value, NotFound) and isinstance(services.value, ClusterError)


async def test_a_command_without_namespace_looked_where_the_others_did(record: Record) -> None:
    reader = record("""
        $ kubectl get pods
        NAME    READY   STATUS    RESTARTS   AGE
        web-1   1/1     Running   0          5m

        $ kubectl describe svc web -n shop
        Name:              web
        Namespace:         shop
        Selector:          app=web
        Type:              ClusterIP
        Port:              http  80/TCP
        TargetPort:        8080/TCP
        """)
    assert reader.namespaces() == ["shop"]
    assert [p["metadata"]["name"] for p in await reader.list("pods", "shop")] == ["web-1"]


async def test_kinds_the_gateway_does_not_read_are_served_too(record: Record) -> None:
    reader = record("""
        $ kubectl get sa,cm,limits -n shop
        NAME                     SECRETS   AGE
        serviceaccount/default   0         5d

        NAME                   DATA   AGE
        configmap/web-config   2      5d

        NAME                CREATED AT
        limitrange/limits   2026-03-01T12:00:00Z

        $ kubectl get lease -n kube-node-lease
        NAME     HOLDER   AGE
        node-a   node-a   90d
        """)
    assert (await reader.get("serviceaccounts", "default", "shop"))["kind"] == "ServiceAccount"
    assert [c["metadata"]["name"] for c in await reader.list("configmaps", "shop")] == [
        "web-config"
    ]
    limits = await reader.get("limitranges", "limits", "shop")
    assert limits["metadata"]["creationTimestamp"] == "2026-03-01T12:00:00Z"
    assert (
        at(await reader.get("leases", "node-a", "kube-node-lease"), "spec.holderIdentity")
        == "node-a"
    )
    with pytest.raises(NotFound):
        await reader.get("serviceaccounts", "web", "shop")


async def test_manifests_lists_and_documents_only_of_the_kinds_asked_for(record: Record) -> None:
    reader = record("""
        $ kubectl get deployment,service web -n shop -o yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
        spec:
          template:
            spec:
              serviceAccountName: web-sa
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
          namespace: shop
        spec:
          selector:
            app: web
          ports:
          - port: 80
            targetPort: 8081
        ---
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: web-sa
          namespace: shop

        $ kubectl get secrets -n shop -o json
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "Secret", "type": "Opaque",
           "metadata": {"name": "db", "namespace": "shop"},
           "data": {"password": "aHVudGVyMg=="}, "stringData": {"user": "admin"}}]}
        """)
    service = await reader.get("services", "web", "shop")
    assert service["spec"]["ports"] == [{"port": 80, "targetPort": 8081}]
    # a `get deployment,service` output cannot show a ServiceAccount: not read, and said
    with pytest.raises(NotRecorded):
        await reader.get("serviceaccounts", "web-sa", "shop")
    assert "ServiceAccount/web-sa" in reader.skipped[0].why
    # a Secret's values never enter the reader
    secret = await reader.get("secrets", "db", "shop")
    assert secret == {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": "db", "namespace": "shop"},
    }


LOGS = """
$ kubectl logs web-7d4b9-a -c web -n shop --previous
panic: dial tcp: lookup catalogue on 10.96.0.10:53: no such host

$ kubectl logs deploy/api -n shop
{"total_log_count": 120, "patterns": [
  {"count": 100, "sample": "ERROR connect to redis-cart:6379: connection refused"},
  {"count": 20, "sample": "WARN slow request\\nsecond line"}]}
"""


async def test_logs_are_served_for_the_pod_container_and_instance_recorded(record: Record) -> None:
    reader = record(TABLE, LOGS)
    previous = await reader.logs("shop", "web-7d4b9-a", "web", previous=True)
    assert previous == "panic: dial tcp: lookup catalogue on 10.96.0.10:53: no such host"
    with pytest.raises(NotRecorded, match="no `kubectl logs web-7d4b9-a -c web -n shop`"):
        await reader.logs("shop", "web-7d4b9-a", "web")
    with pytest.raises(NotRecorded, match="--previous"):
        await reader.logs("shop", "web-7d4b9-a", "sidecar", previous=True)


async def test_a_controllers_log_and_a_pattern_summary_serve_its_pods(record: Record) -> None:
    reader = record(LOGS)
    text = await reader.logs("shop", "api-5f6d7-b", "api")
    assert text.splitlines() == [
        "ERROR connect to redis-cart:6379: connection refused",
        "WARN slow request second line",
    ]
    assert (
        await reader.logs("shop", "api-5f6d7-b", "api", tail_lines=1)
        == "WARN slow request second line"
    )
    with pytest.raises(NotRecorded):
        await reader.logs("shop", "apiserver-1", "api")


SERVICES = """
$ ssh worker-1 systemctl status kubelet
× kubelet.service - kubelet: The Kubernetes Node Agent
     Loaded: loaded (/lib/systemd/system/kubelet.service; enabled; vendor preset: enabled)
     Active: failed (Result: exit-code) since Mon 2026-03-02 11:40:12 UTC; 20min ago
    Process: 812 ExecStart=/usr/bin/kubelet (code=exited, status=1/FAILURE)
   Main PID: 812 (code=exited, status=1/FAILURE)

Mar 02 11:40:12 worker-1 kubelet[812]: E0302 11:40:12.1 run.go:72] "command failed" err="failed to load kubelet config file"
Mar 02 11:40:12 worker-1 systemd[1]: kubelet.service: Failed with result 'exit-code'.

$ journalctl -u containerd --no-pager | tail -2
Mar 02 11:39:00 worker-2 containerd[700]: time="2026-03-02T11:39:00Z" level=info msg="loading plugin"
Mar 02 11:39:01 worker-2 containerd[700]: time="2026-03-02T11:39:01Z" level=error msg="failed to start"

$ node-status worker-3 kube-proxy
Service: kube-proxy
Node: worker-3
Status: ● kube-proxy.service - Kubernetes Kube-Proxy Server
     Loaded: loaded (/etc/systemd/system/kube-proxy.service; enabled; vendor preset: enabled)
     Active: activating (auto-restart) (Result: exit-code) since Mon 2026-03-02 11:59:50 UTC; 5s ago
"""


async def test_node_services_from_systemctl_and_journalctl(record: Record) -> None:
    reader = record(SERVICES)
    services = {(s["node"], s["service"]): s for s in await reader.node_services()}
    kubelet = services["worker-1", "kubelet"]
    assert kubelet["active"] == "failed"
    assert kubelet["since"] == "Mon 2026-03-02 11:40:12 UTC; 20min ago"
    assert len(kubelet["lines"]) == 2 and "failed to load kubelet config" in kubelet["lines"][0]
    containerd = services["worker-2", "containerd"]
    assert containerd["active"] == "unknown" and "level=error" in containerd["lines"][-1]
    # a tool's own output is read by its shape: a unit's status under a command kubemedic
    # does not know is still systemd's
    assert services["worker-3", "kube-proxy"]["active"] == "activating"
    assert reader.skipped == []


async def test_a_headless_unit_status_with_its_node_line_is_read(record: Record) -> None:
    reader = record(SERVICES.split("$ node-status worker-3 kube-proxy\n")[1])
    [proxy] = await reader.node_services()
    assert (proxy["node"], proxy["service"], proxy["active"]) == (
        "worker-3",
        "kube-proxy",
        "activating",
    )


def test_the_cluster_is_named_by_the_path_given(record: Record, tmp_path: Path) -> None:
    reader: ClusterReader = record(TABLE)
    assert reader.cluster_name == str(tmp_path)


async def test_a_log_recorded_without_c_is_the_default_containers_only(record: Record) -> None:
    reader = record(
        YAML
        + """
$ kubectl logs web-7d4b9-a -n shop
GET /healthz 200
"""
    )
    assert await reader.logs("shop", "web-7d4b9-a", "web") == "GET /healthz 200"
    with pytest.raises(NotRecorded):
        await reader.logs("shop", "web-7d4b9-a", "istio-proxy")


async def test_asked_for_no_container_the_pods_one_recorded_container_answers(
    record: Record,
) -> None:
    """A table row names no container: the pod's log is its one recorded container's, and
    none when it has logs of several."""
    one = """
$ kubectl logs web-7d4b9-a -n shop -c web
GET /healthz 200
"""
    assert await record(one).logs("shop", "web-7d4b9-a", "") == "GET /healthz 200"
    two = (
        one
        + """
$ kubectl logs web-7d4b9-a -n shop -c istio-proxy
[2026-03-02T11:00:00Z] "GET /healthz HTTP/1.1" 200
"""
    )
    with pytest.raises(NotRecorded):
        await record(two).logs("shop", "web-7d4b9-a", "")


async def test_a_field_selector_shows_a_part_not_a_complete_listing(record: Record) -> None:
    reader = record("""
        $ kubectl get pods -n shop --field-selector status.phase=Failed
        NAME    READY   STATUS   RESTARTS   AGE
        job-1   0/1     Error    0          5m
        """)
    assert [p["metadata"]["name"] for p in await reader.list("pods", "shop")] == ["job-1"]
    with pytest.raises(NotRecorded):
        await reader.get("pods", "web-1", "shop")


async def test_top_is_kept_as_metrics(record: Record) -> None:
    reader = record("""
        $ kubectl top pod -n shop
        NAME    CPU(cores)   MEMORY(bytes)
        web-1   250m         498Mi
        """)
    assert reader.metrics == [
        {
            "kind": "pods",
            "namespace": "shop",
            "name": "web-1",
            "cpu": "250m",
            "memory": "498Mi",
            "cpuPercent": None,
            "memoryPercent": None,
        }
    ]


async def test_markdown_and_jira_fences_around_outputs_are_ignored(record: Record) -> None:
    reader = record("""
        Checkout is down since 10:00, here is what I ran:

        ```sh
        $ kubectl get pods -n shop
        NAME    READY   STATUS             RESTARTS   AGE
        web-1   0/1     CrashLoopBackOff   4          5m
        ```

        {noformat}
        $ kubectl get svc -n shop
        NAME   TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE
        web    ClusterIP   10.96.0.10   <none>        80/TCP    5d
        {noformat}
        """)
    assert [p["metadata"]["name"] for p in await reader.list("pods", "shop")] == ["web-1"]
    assert [s["metadata"]["name"] for s in await reader.list("services", "shop")] == ["web"]
    [prose] = reader.skipped
    assert prose.line == 1 and "no command line above it" in prose.why


async def test_a_described_secret_keeps_no_value(record: Record) -> None:
    reader = record("""
        $ kubectl describe secret db -n shop
        Name:         db
        Namespace:    shop
        Labels:       app=db
        Annotations:  kubectl.kubernetes.io/last-applied-configuration: {"apiVersion":"v1","data":{"password":"aHVudGVyMg=="},"kind":"Secret"}

        Type:  Opaque

        Data
        ====
        password:  8 bytes
        """)
    secret = await reader.get("secrets", "db", "shop")
    assert secret == {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": "db", "namespace": "shop", "labels": {"app": "db"}},
    }
