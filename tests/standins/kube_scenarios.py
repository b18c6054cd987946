"""Ready-made, coherent cluster scenarios loaded into a :class:`KubeStandIn`.

Each function adds its objects (and logs) and returns a :class:`Scenario` naming
the key pod/namespace and the expected diagnosis, so tests can assert on it.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import kube_cluster as kc
from . import kube_objects as ko

if TYPE_CHECKING:
    from .kube_api import KubeStandIn

Obj = ko.Obj


@dataclass
class Scenario:
    """What a scenario loaded: the namespace, the pod to diagnose and the expected finding."""

    name: str
    namespace: str
    pod: str | None
    expected: str
    container: str | None = None


def _nodes(si: KubeStandIn, *names: str) -> None:
    for n in names:
        if si.get_object("Node", None, n) is None:
            si.add(kc.node(name=n))


def _backoff_event(p: Obj, container: str, count: int = 42) -> Obj:
    m = p["metadata"]
    return kc.event(
        involved=p,
        reason="BackOff",
        count=count,
        first=3000,
        last=30,
        field_path=f"spec.containers{{{container}}}",
        message=f"Back-off restarting failed container {container} in pod "
        f"{m['name']}_{m['namespace']}({m['uid']})",
    )


def oom_killed_deployment(
    si: KubeStandIn, *, namespace: str = "shop", name: str = "checkout"
) -> Scenario:
    """Deployment -> ReplicaSet -> Pod crash-looping with OOMKilled (exit 137)."""
    _nodes(si, "worker-1", "worker-2", "worker-3")
    dep = kc.deployment(name=name, namespace=namespace, replicas=1, ready_replicas=0)
    rs = kc.replicaset(deployment=dep)
    h = rs["metadata"]["labels"]["pod-template-hash"]
    p = ko.pod(
        name=f"{rs['metadata']['name']}-{ko._hash(name, 5)}",
        namespace=namespace,
        owner=rs,
        labels=rs["metadata"]["labels"],
        node_name="worker-2",
        containers=[ko.container(name=name, memory_limit="256Mi")],
        container_statuses=[ko.crashloop_status(name=name, last_reason="OOMKilled", restarts=9)],
    )
    si.add_all([dep, rs, p, _backoff_event(p, name)])
    si.set_log(
        namespace,
        p["metadata"]["name"],
        name,
        previous=True,
        text=(
            "2024-05-14T08:20:01.112Z INFO  checkout starting version=1.4.2\n"
            "2024-05-14T08:20:01.530Z INFO  loading product catalogue into cache entries=1843220\n"
            "2024-05-14T08:20:09.871Z WARN  cache size above soft limit used_mb=231 limit_mb=200\n"
        ),
    )
    si.set_log(namespace, p["metadata"]["name"], name, "")
    _ = h
    return Scenario("oom_killed_deployment", namespace, p["metadata"]["name"], "OOMKilled", name)


TIKV_FATAL = (
    '[2024/05/14 08:21:07.512 +00:00] [FATAL] [server.rs:1045] ["failed to start node: Other('
    '\\"[components/raftstore/src/store/node.rs:350]: cluster ID mismatch, local 7262388432156321285 '
    "!= remote 7339127459851426837, you are trying to connect to another cluster, please reconnect "
    'to the correct PD\\")"]'
)


def tikv_cluster_id_mismatch(
    si: KubeStandIn, *, namespace: str = "tidb", cluster: str = "basic"
) -> Scenario:
    """TiKV StatefulSet pod crash-looping on a PD cluster-id mismatch (stale PV data)."""
    _nodes(si, "worker-1", "worker-2", "worker-3")
    sc = kc.storage_class(
        name="local-storage", provisioner="kubernetes.io/no-provisioner", reclaim_policy="Retain"
    )
    sts = kc.statefulset(
        name=f"{cluster}-tikv",
        namespace=namespace,
        replicas=3,
        ready_replicas=2,
        image="pingcap/tikv:v7.5.1",
        container_name="tikv",
        storage_class="local-storage",
        claim_name="tikv",
        size="100Gi",
        service_name=f"{cluster}-tikv-peer",
        labels={"app.kubernetes.io/component": "tikv", "app.kubernetes.io/instance": cluster},
    )
    objs: list[Obj] = [sc, sts]
    bad = f"{cluster}-tikv-1"
    for i in range(3):
        pname, node = f"{cluster}-tikv-{i}", f"worker-{i + 1}"
        claim = kc.pvc(
            name=f"tikv-{pname}",
            namespace=namespace,
            storage_class="local-storage",
            size="100Gi",
            volume_name=f"local-pv-{ko._hash(pname, 8)}",
            labels=sts["spec"]["selector"]["matchLabels"],
        )
        vol = kc.pv(
            name=claim["spec"]["volumeName"],
            claim=claim,
            storage_class="local-storage",
            size="100Gi",
            reclaim_policy="Retain",
            node_name=node,
        )
        st = (
            ko.crashloop_status(name="tikv", image="pingcap/tikv:v7.5.1", restarts=14)
            if pname == bad
            else ko.running_status(name="tikv", image="pingcap/tikv:v7.5.1")
        )
        p = ko.pod(
            name=pname,
            namespace=namespace,
            owner=sts,
            node_name=node,
            pvc_claims=[claim["metadata"]["name"]],
            labels={
                **sts["spec"]["selector"]["matchLabels"],
                "statefulset.kubernetes.io/pod-name": pname,
            },
            containers=[
                ko.container(
                    name="tikv", image="pingcap/tikv:v7.5.1", ports=[20160], memory_limit=None
                )
            ],
            container_statuses=[st],
        )
        objs += [claim, vol, p]
        if pname == bad:
            objs.append(_backoff_event(p, "tikv", 120))
    si.add_all(objs)
    si.set_log(
        namespace,
        bad,
        "tikv",
        previous=True,
        text="\n".join(
            [
                '[2024/05/14 08:21:07.391 +00:00] [INFO] [lib.rs:88] ["Welcome to TiKV"]',
                '[2024/05/14 08:21:07.391 +00:00] [INFO] [lib.rs:93] ["Release Version:   7.5.1"]',
                (
                    f'[2024/05/14 08:21:07.402 +00:00] [INFO] [util.rs:604] ["connecting to PD endpoint"] '
                    f"[endpoints=http://{cluster}-pd:2379]"
                ),
                (
                    f'[2024/05/14 08:21:07.409 +00:00] [INFO] [util.rs:766] ["connected to PD member"] '
                    f"[endpoints=http://{cluster}-pd:2379]"
                ),
                (
                    '[2024/05/14 08:21:07.410 +00:00] [INFO] [server.rs:426] ["connect to PD cluster"] '
                    "[cluster_id=7339127459851426837]"
                ),
                TIKV_FATAL,
                "",
            ]
        ),
    )
    return Scenario("tikv_cluster_id_mismatch", namespace, bad, "cluster ID mismatch", "tikv")


def pd_discovery_wait(
    si: KubeStandIn, *, namespace: str = "tidb", cluster: str = "basic"
) -> Scenario:
    """PD pod crash-looping while the discovery service (scaled to 0, no endpoints) never answers."""
    _nodes(si, "worker-1", "worker-2", "worker-3")
    disc = kc.deployment(
        name=f"{cluster}-discovery", namespace=namespace, replicas=0, ready_replicas=0
    )
    sts = kc.statefulset(
        name=f"{cluster}-pd",
        namespace=namespace,
        replicas=3,
        ready_replicas=2,
        image="pingcap/pd:v7.5.1",
        container_name="pd",
        claim_name="pd",
        size="10Gi",
        labels={"app.kubernetes.io/component": "pd", "app.kubernetes.io/instance": cluster},
    )
    pname = f"{cluster}-pd-1"
    p = ko.pod(
        name=pname,
        namespace=namespace,
        owner=sts,
        node_name="worker-2",
        labels={
            **sts["spec"]["selector"]["matchLabels"],
            "statefulset.kubernetes.io/pod-name": pname,
        },
        containers=[ko.container(name="pd", image="pingcap/pd:v7.5.1", ports=[2379, 2380])],
        container_statuses=[ko.crashloop_status(name="pd", image="pingcap/pd:v7.5.1", restarts=6)],
    )
    si.add_all(
        [
            disc,
            sts,
            p,
            kc.service(name=f"{cluster}-discovery", namespace=namespace, ports=[(10261, 10261)]),
            kc.endpoints(name=f"{cluster}-discovery", namespace=namespace),
            _backoff_event(p, "pd", 25),
        ]
    )
    domain = f"{pname}.{cluster}-pd-peer.{namespace}.svc"
    si.set_log(
        namespace,
        pname,
        "pd",
        previous=True,
        text="".join(
            [f"nslookup domain {domain} success\n"]
            + ["waiting for discovery service to return start args ...\n"] * 40
        ),
    )
    return Scenario("pd_discovery_wait", namespace, pname, "waiting for discovery service", "pd")


FAILED_SCHEDULING_DISK = (
    "0/1 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }."
    " preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
)


def pending_disk_pressure(
    si: KubeStandIn, *, namespace: str = "default", name: str = "report-0"
) -> Scenario:
    """Pending pod; the only node has DiskPressure and its NoSchedule taint."""
    si.add(kc.node(name="worker-1", disk_pressure=True))
    p = ko.pending_unschedulable(name=name, namespace=namespace, message=FAILED_SCHEDULING_DISK)
    si.add_all(
        [
            p,
            kc.event(
                involved=p,
                reason="FailedScheduling",
                message=FAILED_SCHEDULING_DISK,
                source_component="default-scheduler",
                count=12,
            ),
        ]
    )
    return Scenario("pending_disk_pressure", namespace, name, "disk-pressure")


def evicted(
    si: KubeStandIn, *, namespace: str = "default", name: str = "batch-worker-7d9c-x2kq"
) -> Scenario:
    _nodes(si, "worker-1")
    p = ko.evicted_pod(name=name, namespace=namespace, node_name="worker-1")
    si.add_all(
        [
            p,
            kc.event(
                involved=p,
                reason="Evicted",
                message=p["status"]["message"],
                count=1,
                first=1800,
                last=1800,
            ),
        ]
    )
    return Scenario("evicted", namespace, name, "Evicted")


def out_of_pods(
    si: KubeStandIn, *, namespace: str = "default", name: str = "batch-worker-7d9c-x2kq"
) -> Scenario:
    """A Deployment's pod the kubelet rejected with OutOfpods (its node was full at admission)."""
    _nodes(si, "worker-1")
    dep = kc.deployment(name="batch-worker", namespace=namespace, replicas=1, ready_replicas=0)
    rs = kc.replicaset(deployment=dep)
    p = ko.rejected_pod(name=name, namespace=namespace, owner=rs, labels=rs["metadata"]["labels"])
    si.add_all(
        [
            dep,
            rs,
            p,
            kc.event(
                involved=p,
                reason="OutOfpods",
                message=p["status"]["message"],
                count=1,
                first=600,
                last=600,
            ),
        ]
    )
    return Scenario("out_of_pods", namespace, name, "OutOfpods")


def image_pull_backoff(
    si: KubeStandIn, *, namespace: str = "shop", name: str = "frontend-5f7b9-abcde"
) -> Scenario:
    _nodes(si, "worker-1")
    image = "registry.example.com/shop/frontend:1.9.0-typo"
    p = ko.pod(
        name=name,
        namespace=namespace,
        containers=[ko.container(name="frontend", image=image)],
        container_statuses=[ko.image_pull_backoff_status(name="frontend", image=image)],
    )
    fp = "spec.containers{frontend}"
    si.add_all(
        [
            p,
            kc.event(
                involved=p,
                reason="Failed",
                count=5,
                field_path=fp,
                message=f'Failed to pull image "{image}": {ko.err_image_pull_message(image)}',
            ),
            kc.event(
                involved=p,
                reason="BackOff",
                count=30,
                field_path=fp,
                type="Normal",
                message=f'Back-off pulling image "{image}"',
            ),
        ]
    )
    return Scenario("image_pull_backoff", namespace, name, "ImagePullBackOff", "frontend")


def create_container_config_error(
    si: KubeStandIn, *, namespace: str = "shop", name: str = "payments-6c8d-q7w2e"
) -> Scenario:
    _nodes(si, "worker-1")
    p = ko.pod(
        name=name,
        namespace=namespace,
        containers=[ko.container(name="payments", env_from_configmap="app-config")],
        container_statuses=[ko.create_container_config_error_status(name="payments")],
    )
    si.add_all(
        [
            p,
            kc.event(
                involved=p,
                reason="Failed",
                count=14,
                field_path="spec.containers{payments}",
                message='Error: configmap "app-config" not found',
            ),
        ]
    )
    return Scenario(
        "create_container_config_error",
        namespace,
        name,
        'configmap "app-config" not found',
        "payments",
    )


def pvc_missing_storage_class(
    si: KubeStandIn, *, namespace: str = "data", name: str = "ingest-0"
) -> Scenario:
    _nodes(si, "worker-1")
    si.add(kc.storage_class(name="standard", default=True))
    claim = kc.pvc(
        name=f"data-{name}", namespace=namespace, phase="Pending", storage_class="fast-ssd"
    )
    msg = (
        "0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes "
        "are available: 1 Preemption is not helpful for scheduling."
    )
    p = ko.pending_unschedulable(
        name=name, namespace=namespace, message=msg, pvc_claims=[claim["metadata"]["name"]]
    )
    si.add_all(
        [
            claim,
            p,
            kc.event(
                involved=claim,
                reason="ProvisioningFailed",
                count=22,
                source_component="persistentvolume-controller",
                message='storageclass.storage.k8s.io "fast-ssd" not found',
            ),
            kc.event(
                involved=p,
                reason="FailedScheduling",
                message=msg,
                source_component="default-scheduler",
            ),
        ]
    )
    return Scenario(
        "pvc_missing_storage_class",
        namespace,
        name,
        'storageclass.storage.k8s.io "fast-ssd" not found',
    )


def readiness_no_endpoints(
    si: KubeStandIn, *, namespace: str = "shop", name: str = "api"
) -> Scenario:
    """Running-but-unready pod; its Service has no ready endpoints."""
    _nodes(si, "worker-1")
    dep = kc.deployment(name=name, namespace=namespace, replicas=1, ready_replicas=0)
    rs = kc.replicaset(deployment=dep)
    p = ko.pod(
        name=f"{rs['metadata']['name']}-{ko._hash(name, 5)}",
        namespace=namespace,
        owner=rs,
        labels=rs["metadata"]["labels"],
        containers=[ko.container(name=name, readiness_path="/healthz")],
        container_statuses=[ko.running_status(name=name, ready=False)],
    )
    si.add_all(
        [
            dep,
            rs,
            p,
            kc.service(name=name, namespace=namespace, selector={"app": name}),
            kc.endpoints(name=name, namespace=namespace, not_ready=[p]),
            kc.event(
                involved=p,
                reason="Unhealthy",
                count=180,
                field_path=f"spec.containers{{{name}}}",
                message="Readiness probe failed: HTTP probe failed with statuscode: 503",
            ),
        ]
    )
    si.set_log(
        namespace,
        p["metadata"]["name"],
        name,
        "2024-05-14T08:30:00Z ERROR health check failed: dependency redis:6379 unreachable\n",
    )
    return Scenario(
        "readiness_no_endpoints", namespace, p["metadata"]["name"], "Readiness probe failed", name
    )


def node_not_ready(
    si: KubeStandIn, *, name: str = "worker-3", ready: bool | str = "Unknown"
) -> Scenario:
    n = kc.node(name=name, ready=ready)
    si.add_all(
        [
            n,
            kc.event(
                involved={
                    "kind": "Node",
                    "name": name,
                    "uid": n["metadata"]["uid"],
                    "apiVersion": "v1",
                },
                namespace="default",
                reason="NodeNotReady",
                type="Normal",
                source_component="node-controller",
                message=f"Node {name} status is now: NodeNotReady",
            ),
        ]
    )
    return Scenario("node_not_ready", "default", None, "NodeNotReady")


def healthy(si: KubeStandIn, *, namespace: str = "shop", name: str = "catalog") -> Scenario:
    _nodes(si, "worker-1")
    dep = kc.deployment(name=name, namespace=namespace, replicas=1)
    rs = kc.replicaset(deployment=dep)
    p = ko.pod(
        name=f"{rs['metadata']['name']}-{ko._hash(name, 5)}",
        namespace=namespace,
        owner=rs,
        labels=rs["metadata"]["labels"],
        containers=[ko.container(name=name)],
    )
    si.add_all(
        [
            dep,
            rs,
            p,
            kc.service(name=name, namespace=namespace),
            kc.endpoints(name=name, namespace=namespace, ready=[p]),
        ]
    )
    si.set_log(
        namespace, p["metadata"]["name"], name, "2024-05-14T08:00:00Z INFO catalog ready on :8080\n"
    )
    return Scenario("healthy", namespace, p["metadata"]["name"], "healthy", name)


SCENARIOS: dict[str, Callable[..., Scenario]] = {
    f.__name__: f
    for f in (
        oom_killed_deployment,
        tikv_cluster_id_mismatch,
        pd_discovery_wait,
        pending_disk_pressure,
        evicted,
        image_pull_backoff,
        create_container_config_error,
        pvc_missing_storage_class,
        readiness_no_endpoints,
        node_not_ready,
        healthy,
    )
}


def bulk_namespace(
    si: KubeStandIn,
    namespace: str = "bulk",
    n_pods: int = 2000,
    unhealthy_ratio: float = 0.1,
    *,
    seed: int = 0,
    per_deployment: int = 50,
) -> list[str]:
    """Load ``n_pods`` Deployment-owned pods (a deterministic ``unhealthy_ratio`` share broken
    in varied ways, with events). Returns the unhealthy pod names."""
    rng = random.Random(seed)
    nodes = [f"worker-{i}" for i in range(1, 11)]
    _nodes(si, *nodes)
    bad: list[str] = []
    n_deps = max(1, -(-n_pods // per_deployment))
    for d in range(n_deps):
        dep = kc.deployment(name=f"svc-{d:03d}", namespace=namespace, replicas=per_deployment)
        rs = kc.replicaset(deployment=dep)
        si.add_all([dep, rs])
        for i in range(min(per_deployment, n_pods - d * per_deployment)):
            pname = f"{rs['metadata']['name']}-{ko._hash(f'{d}-{i}', 5)}"
            kw: dict = {
                "name": pname,
                "namespace": namespace,
                "owner": rs,
                "labels": rs["metadata"]["labels"],
                "node_name": rng.choice(nodes),
                "containers": [ko.container(name="app")],
            }
            if rng.random() >= unhealthy_ratio:
                si.add(ko.pod(**kw))
                continue
            kind = rng.choice(("crash", "oom", "pull", "config", "pending"))
            if kind == "pending":
                p = ko.pending_unschedulable(
                    **{k: v for k, v in kw.items() if k not in ("node_name",)}
                )
            else:
                st = {
                    "crash": lambda: ko.crashloop_status(restarts=rng.randint(1, 40)),
                    "oom": lambda: ko.crashloop_status(
                        last_reason="OOMKilled", restarts=rng.randint(1, 40)
                    ),
                    "pull": lambda: ko.image_pull_backoff_status(),
                    "config": lambda: ko.create_container_config_error_status(),
                }[kind]()
                p = ko.pod(container_statuses=[st], **kw)
            si.add(p)
            if kind in ("crash", "oom"):
                si.add(_backoff_event(p, "app", rng.randint(1, 200)))
                si.set_log(
                    namespace,
                    pname,
                    "app",
                    "panic: runtime error: invalid memory address\n",
                    previous=True,
                )
            bad.append(pname)
    return bad


__all__ = [
    "FAILED_SCHEDULING_DISK",
    "SCENARIOS",
    "TIKV_FATAL",
    "Scenario",
    "bulk_namespace",
    "create_container_config_error",
    "evicted",
    "healthy",
    "image_pull_backoff",
    "node_not_ready",
    "oom_killed_deployment",
    "pd_discovery_wait",
    "pending_disk_pressure",
    "pvc_missing_storage_class",
    "readiness_no_endpoints",
    "tikv_cluster_id_mismatch",
]
