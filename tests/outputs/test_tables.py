"""`kubectl get` tables of each kind and view, read into the objects they show.

Each case is one recorded table, the object it names, a field (dotted path) and the
value the API would hold there; a comment says what the row shows."""

from __future__ import annotations

import pytest

from bot.cluster.errors import NotRecorded
from tests.outputs.conftest import Record, at

PODS = """
$ kubectl get pods -n shop -o wide
NAME               READY   STATUS                  RESTARTS     AGE   IP          NODE     NOMINATED NODE   READINESS GATES
web-7d4b9c-2xkqp   1/2     CrashLoopBackOff        5 (2m ago)   1h    10.1.0.7    node-a   <none>           <none>
web-7d4b9c-9zzkl   0/1     Init:CrashLoopBackOff   3            40m   10.1.0.8    node-b   <none>           <none>
batch-x1           0/1     OOMKilled               0            5m    10.1.0.9    node-a   <none>           <none>
old-web-1          0/1     Evicted                 0            3d    <none>      node-c   <none>           <none>
api-0              0/1     Pending                 0            12s   <none>      <none>   <none>           <none>
done-1             0/1     Completed               0            2h    10.1.0.10   node-b   <none>           <none>
gone-1             1/1     Terminating             0            9d    10.1.0.11   node-c   <none>           <none>
"""

SERVICES = """
$ kubectl get svc -n shop -o wide
NAME   TYPE           CLUSTER-IP   EXTERNAL-IP   PORT(S)                      AGE   SELECTOR
web    NodePort       10.96.0.10   <none>        80:30080/TCP,443:30443/TCP   5d    app=web,tier=front
db     ClusterIP      None         <none>        5432/TCP                     5d    <none>
lb     LoadBalancer   10.96.0.12   203.0.113.7   443:31443/TCP                5d    app=lb
"""

NODES = """
$ kubectl get nodes
NAME     STATUS                     ROLES           AGE   VERSION
node-a   Ready,SchedulingDisabled   control-plane   90d   v1.30.2
node-b   NotReady                   <none>          90d   v1.30.2
"""

STORAGE = """
$ kubectl get pvc -n shop
NAME        STATUS    VOLUME     CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE
data-db-0   Pending                                        fast-ssd       <unset>                 3m
logs        Bound     pvc-1234   10Gi       RWO,ROX        standard       <unset>                 2d

$ kubectl get pv
NAME         CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM            STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE
pv-local-1   100Gi      RWO            Retain           Bound    shop/data-db-0   local          <unset>                          9d
pv-old       5Gi        RWX            Delete           Failed                    nfs            <unset>                 Error    9d

$ kubectl get sc
NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      ALLOWVOLUMEEXPANSION   AGE
standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   false                  90d
"""

OTHERS = """
$ kubectl get quota -n shop
NAME      AGE   REQUEST                                                        LIMIT
compute   10d   pods: 10/10, requests.cpu: 1500m/2, requests.memory: 3Gi/4Gi   limits.cpu: 2/4

$ kubectl get ep -n shop
NAME   ENDPOINTS                                               AGE
web    10.1.0.7:8080,10.1.0.8:8080,10.1.0.9:8080 + 1 more...   5d
db     <none>                                                  5d

$ kubectl get deploy -n shop -o wide
NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES                    SELECTOR
web    1/3     3            1           5d    web,proxy    repo/web:2.1,envoy:1.29   app=web

$ kubectl get ds -n shop
NAME      DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE
fluentd   3         2         2       2            2           kubernetes.io/os=linux   5d

$ kubectl get sa -n shop
NAME      SECRETS   AGE
default   0         5d
web       0         5d

$ kubectl get secrets -n shop
NAME          TYPE     DATA   AGE
db-password   Opaque   1      5d
"""

AROUND = """
$ kubectl get endpointslices -n shop
NAME        ADDRESSTYPE   PORTS   ENDPOINTS           AGE
web-abc12   IPv4          8080    10.1.0.7,10.1.0.8   5d

$ kubectl get ing -n shop
NAME   CLASS   HOSTS              ADDRESS       PORTS     AGE
shop   nginx   shop.example.com   203.0.113.9   80, 443   5d

$ kubectl get netpol -n shop
NAME      POD-SELECTOR   AGE
deny-db   app=db         5d

$ kubectl get hpa -n shop
NAME   REFERENCE        TARGETS        MINPODS   MAXPODS   REPLICAS   AGE
web    Deployment/web   cpu: 95%/80%   2         4         4          5d

$ kubectl get cronjobs -n shop
NAME      SCHEDULE    TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE
nightly   0 2 * * *   <none>     True      0        20h             5d

$ kubectl get jobs -n shop
NAME      STATUS   COMPLETIONS   DURATION   AGE
migrate   Failed   0/1           10m        12m
"""

CASES = [
    # CrashLoopBackOff: the container STATUS stands for waits, restarts and last restart go to
    # it; which of the two it is, and the other's state, the row does not say
    (PODS, "pods", "web-7d4b9c-2xkqp", "status.phase", "Running"),
    (
        PODS,
        "pods",
        "web-7d4b9c-2xkqp",
        "status.containerStatuses.0.state.waiting.reason",
        "CrashLoopBackOff",
    ),
    (PODS, "pods", "web-7d4b9c-2xkqp", "status.containerStatuses.0.restartCount", 5),
    (
        PODS,
        "pods",
        "web-7d4b9c-2xkqp",
        "status.containerStatuses.0.lastState.terminated.finishedAt",
        "2026-03-02T11:58:00Z",
    ),
    (PODS, "pods", "web-7d4b9c-2xkqp", "status.containerStatuses.1", None),
    # -o wide gives the node and the IP
    (PODS, "pods", "web-7d4b9c-2xkqp", "spec.nodeName", "node-a"),
    (PODS, "pods", "web-7d4b9c-2xkqp", "status.podIP", "10.1.0.7"),
    (PODS, "pods", "web-7d4b9c-2xkqp", "metadata.creationTimestamp", "2026-03-02T11:00:00Z"),
    # Init:X is an init container's reason; the pod is still Pending
    (
        PODS,
        "pods",
        "web-7d4b9c-9zzkl",
        "status.initContainerStatuses.0.state.waiting.reason",
        "CrashLoopBackOff",
    ),
    (PODS, "pods", "web-7d4b9c-9zzkl", "status.phase", "Pending"),
    # a terminated reason with no restarts: the container ended that way
    (PODS, "pods", "batch-x1", "status.containerStatuses.0.state.terminated.reason", "OOMKilled"),
    # the pod's own reason: Failed, Evicted
    (PODS, "pods", "old-web-1", "status.phase", "Failed"),
    (PODS, "pods", "old-web-1", "status.reason", "Evicted"),
    # Pending with no container reason: no container state is invented, no node
    (PODS, "pods", "api-0", "status.containerStatuses", None),
    (PODS, "pods", "api-0", "spec.nodeName", None),
    (PODS, "pods", "done-1", "status.phase", "Succeeded"),
    (PODS, "pods", "gone-1", "metadata.deletionTimestamp", "2026-03-02T12:00:00Z"),
    # a Service's ports with node ports, and its selector from -o wide
    (
        SERVICES,
        "services",
        "web",
        "spec.ports",
        [
            {"port": 80, "protocol": "TCP", "nodePort": 30080},
            {"port": 443, "protocol": "TCP", "nodePort": 30443},
        ],
    ),
    (SERVICES, "services", "web", "spec.selector", {"app": "web", "tier": "front"}),
    # a Service without a selector has none, a headless one keeps clusterIP None
    (SERVICES, "services", "db", "spec.selector", None),
    (SERVICES, "services", "db", "spec.clusterIP", "None"),
    (SERVICES, "services", "lb", "status.loadBalancer.ingress.0.ip", "203.0.113.7"),
    # nodes: cordoned, not ready, role as its label, kubelet version
    (NODES, "nodes", "node-a", "spec.unschedulable", True),
    (NODES, "nodes", "node-a", "status.conditions.0", {"type": "Ready", "status": "True"}),
    (NODES, "nodes", "node-a", "metadata.labels", {"node-role.kubernetes.io/control-plane": ""}),
    (NODES, "nodes", "node-b", "status.conditions.0.status", "False"),
    (NODES, "nodes", "node-b", "status.nodeInfo.kubeletVersion", "v1.30.2"),
    # a Pending claim asks for a class; blank cells stay absent
    (STORAGE, "persistentvolumeclaims", "data-db-0", "spec.storageClassName", "fast-ssd"),
    (STORAGE, "persistentvolumeclaims", "data-db-0", "spec.volumeName", None),
    (STORAGE, "persistentvolumeclaims", "data-db-0", "status.phase", "Pending"),
    (
        STORAGE,
        "persistentvolumeclaims",
        "logs",
        "spec.accessModes",
        ["ReadWriteOnce", "ReadOnlyMany"],
    ),
    (STORAGE, "persistentvolumeclaims", "logs", "status.capacity.storage", "10Gi"),
    (
        STORAGE,
        "persistentvolumes",
        "pv-local-1",
        "spec.claimRef",
        {"kind": "PersistentVolumeClaim", "namespace": "shop", "name": "data-db-0"},
    ),
    (STORAGE, "persistentvolumes", "pv-old", "status.reason", "Error"),
    (STORAGE, "persistentvolumes", "pv-old", "spec.claimRef", None),
    (
        STORAGE,
        "storageclasses",
        "standard",
        "metadata.annotations",
        {"storageclass.kubernetes.io/is-default-class": "true"},
    ),
    (STORAGE, "storageclasses", "standard", "volumeBindingMode", "WaitForFirstConsumer"),
    # a quota's used and hard per resource, requests and limits
    (
        OTHERS,
        "resourcequotas",
        "compute",
        "status.used",
        {"pods": "10", "requests.cpu": "1500m", "requests.memory": "3Gi", "limits.cpu": "2"},
    ),
    (OTHERS, "resourcequotas", "compute", "status.hard.pods", "10"),
    # ENDPOINTS shows ready addresses only, `+ 1 more...` cut
    (
        OTHERS,
        "endpoints",
        "web",
        "subsets.0.addresses",
        [{"ip": "10.1.0.7"}, {"ip": "10.1.0.8"}, {"ip": "10.1.0.9"}],
    ),
    (OTHERS, "endpoints", "db", "subsets", None),
    # -o wide deployments: the template's containers and the selector
    (
        OTHERS,
        "deployments",
        "web",
        "spec.template.spec.containers",
        [{"name": "web", "image": "repo/web:2.1"}, {"name": "proxy", "image": "envoy:1.29"}],
    ),
    (OTHERS, "deployments", "web", "spec.selector", {"matchLabels": {"app": "web"}}),
    (OTHERS, "deployments", "web", "status.readyReplicas", 1),
    (OTHERS, "deployments", "web", "spec.replicas", 3),
    (
        OTHERS,
        "daemonsets",
        "fluentd",
        "spec.template.spec.nodeSelector",
        {"kubernetes.io/os": "linux"},
    ),
    (OTHERS, "daemonsets", "fluentd", "status.numberReady", 2),
    (OTHERS, "serviceaccounts", "web", "kind", "ServiceAccount"),
    # a Secret keeps its name and type only
    (OTHERS, "secrets", "db-password", "type", "Opaque"),
    # the kinds around workloads, as far as their columns say
    (
        AROUND,
        "endpointslices",
        "web-abc12",
        "endpoints",
        [{"addresses": ["10.1.0.7"]}, {"addresses": ["10.1.0.8"]}],
    ),
    (AROUND, "endpointslices", "web-abc12", "ports", [{"port": 8080}]),
    (
        AROUND,
        "ingresses",
        "shop",
        "spec",
        {"rules": [{"host": "shop.example.com"}], "ingressClassName": "nginx"},
    ),
    (AROUND, "networkpolicies", "deny-db", "spec.podSelector", {"matchLabels": {"app": "db"}}),
    (
        AROUND,
        "horizontalpodautoscalers",
        "web",
        "spec.scaleTargetRef",
        {"kind": "Deployment", "name": "web"},
    ),
    (AROUND, "horizontalpodautoscalers", "web", "spec.maxReplicas", 4),
    (AROUND, "cronjobs", "nightly", "spec", {"schedule": "0 2 * * *", "suspend": True}),
    (AROUND, "jobs", "migrate", "status.conditions", [{"type": "Failed", "status": "True"}]),
    (AROUND, "jobs", "migrate", "spec.completions", 1),
]


@pytest.mark.parametrize(
    ("text", "kind", "name", "path", "expected"),
    CASES,
    ids=[f"{c[1]}/{c[2]}:{c[3]}" for c in CASES],
)
async def test_table_rows_become_the_objects_they_show(
    record: Record, text: str, kind: str, name: str, path: str, expected: object
) -> None:
    reader = record(text)
    scope = None if kind in ("nodes", "persistentvolumes", "storageclasses") else "shop"
    obj = await reader.get(kind, name, scope)
    assert at(obj, path) == expected
    assert reader.skipped == []


async def test_show_labels_adds_labels_to_the_same_pod(record: Record) -> None:
    reader = record("""
        $ kubectl get pods -n shop --show-labels
        NAME    READY   STATUS    RESTARTS   AGE   LABELS
        web-1   1/1     Running   0          5m    app=web,pod-template-hash=7d4b9c
        """)
    pod = await reader.get("pods", "web-1", "shop")
    assert pod["metadata"]["labels"] == {"app": "web", "pod-template-hash": "7d4b9c"}
    assert await reader.list("pods", "shop", label_selector="app=web") == [pod]
    assert await reader.list("pods", "shop", label_selector="app=api") == []


EVENTS = [
    # -A: the namespace column; the object's kind from `pod/`
    (
        """
     $ kubectl get events -A
     NAMESPACE     LAST SEEN   TYPE      REASON             OBJECT          MESSAGE
     shop          2m          Warning   FailedScheduling   pod/api-0       0/3 nodes are available: 3 Insufficient memory.
     kube-system   30s         Normal    Pulled             pod/coredns-1   Container image "coredns:1.11" already present on machine
     """,
        "shop",
        {
            "reason": "FailedScheduling",
            "type": "Warning",
            "count": 1,
            "involvedObject": {"kind": "Pod", "name": "api-0", "namespace": "shop"},
            "message": "0/3 nodes are available: 3 Insufficient memory.",
            "lastTimestamp": "2026-03-02T11:58:00Z",
        },
    ),
    # -o wide: source, first seen and count
    (
        """
     $ kubectl get events -n shop -o wide
     LAST SEEN   TYPE      REASON    OBJECT                 SUBOBJECT              SOURCE            MESSAGE                                                            FIRST SEEN   COUNT   NAME
     2m          Warning   BackOff   pod/web-7d4b9c-2xkqp   spec.containers{web}   kubelet, node-a   Back-off restarting failed container web in pod web-7d4b9c-2xkqp   20m          14      web-7d4b9c-2xkqp.17a1
     """,
        "shop",
        {
            "reason": "BackOff",
            "count": 14,
            "firstTimestamp": "2026-03-02T11:40:00Z",
            "source": {"component": "kubelet", "host": "node-a"},
        },
    ),
    # rows without their header (`kubectl get events | tail`), sorted by kubectl events
    (
        """
     $ kubectl get events -n shop
     119s        Normal    Created             pod/web-1                    Created container web
     4s          Warning   FailedCreate        replicaset/web-7d4b9c        Error creating: pods "web-7d4b9c-" is forbidden: error looking up service account shop/web: serviceaccount "web" not found
     """,
        "shop",
        {
            "reason": "FailedCreate",
            "involvedObject": {"kind": "ReplicaSet", "name": "web-7d4b9c", "namespace": "shop"},
        },
    ),
    # `kubectl events`: repeats in the LAST SEEN cell
    (
        """
     $ kubectl events -n shop
     LAST SEEN            TYPE      REASON    OBJECT      MESSAGE
     3m (x4 over 10m)     Warning   Unhealthy pod/web-1   Readiness probe failed: HTTP probe failed with statuscode: 503
     """,
        "shop",
        {"reason": "Unhealthy", "count": 4, "firstTimestamp": "2026-03-02T11:50:00Z"},
    ),
]


@pytest.mark.parametrize(("text", "namespace", "fields"), EVENTS)
async def test_event_tables_become_core_events(
    record: Record, text: str, namespace: str, fields: dict[str, object]
) -> None:
    reader = record(text)
    events = await reader.list("events", namespace)
    warnings = [e for e in events if e["type"] == "Warning"] or events
    assert warnings and {k: warnings[-1].get(k) for k in fields} == fields
    assert reader.skipped == []


async def test_collapsed_spacing_still_reads_when_each_row_has_one_word_per_column(
    record: Record,
) -> None:
    reader = record("""
        $ kubectl get pods -n shop
        NAME READY STATUS RESTARTS AGE
        web-1 0/1 ImagePullBackOff 0 5m
        """)
    pod = await reader.get("pods", "web-1", "shop")
    assert at(pod, "status.containerStatuses.0.state.waiting.reason") == "ImagePullBackOff"


async def test_a_row_that_does_not_fit_its_header_is_listed_with_its_file_and_line(
    record: Record,
) -> None:
    reader = record("""
        $ kubectl get pods -n shop
        NAME    READY   STATUS    RESTARTS   AGE
        web-1   1/1     Running   0          5m
        garbled line that is no row at all
        """)
    assert [p["metadata"]["name"] for p in await reader.list("pods", "shop")] == ["web-1"]
    [skipped] = reader.skipped
    assert skipped.line == 4 and skipped.file.endswith("01.txt")
    assert "does not fit" in skipped.why


async def test_rows_a_pipe_kept_without_their_header_are_read_under_the_kinds_header(
    record: Record,
) -> None:
    reader = record("""
        $ kubectl get pods -n shop -o wide | grep web
        web-1   0/1   CrashLoopBackOff   7 (3m ago)   1h   10.1.0.7   node-a   <none>   <none>
        """)
    pod = await reader.get("pods", "web-1", "shop")
    assert at(pod, "status.containerStatuses.0.restartCount") == 7
    assert pod["spec"]["nodeName"] == "node-a"
    assert reader.skipped == []
    # what a pipe kept is a part: another pod may exist
    with pytest.raises(NotRecorded):
        await reader.get("pods", "api-1", "shop")
