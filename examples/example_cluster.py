"""The small, broken cluster behind `examples/dump`: what each pod shows and why.

Built from the test stand-in's builders (real status shapes, real kubelet and
scheduler messages) so the example and the tests agree on what Kubernetes
writes. `make_example_dump.py` freezes the builders' clock and uids first,
so the same objects come out on every run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

Obj = dict[str, Any]
TIDB_NS, SHOP_NS, CLUSTER = "tidb-cluster", "shop", "basic"
TIDB_LABELS = {
    "app.kubernetes.io/instance": CLUSTER,
    "app.kubernetes.io/managed-by": "tidb-operator",
    "app.kubernetes.io/name": "tidb-cluster",
}
PENDING_MESSAGE = (
    "0/3 nodes are available: 1 node(s) had untolerated taint "
    "{node.kubernetes.io/disk-pressure: }, 2 node(s) had volume node affinity conflict. "
    "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
)


@dataclass
class ExampleCluster:
    """Objects (any kind) and each pod's current log per container, keyed by (namespace, pod)."""

    objects: list[Obj] = field(default_factory=list)
    logs: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)

    def add(self, *objs: Obj) -> None:
        self.objects.extend(objs)

    def log(self, pod: Obj, container: str, text: str) -> None:
        meta = pod["metadata"]
        self.logs.setdefault((meta["namespace"], meta["name"]), {})[container] = text


def waiting_log_error(pod: Obj, container: str, why: str) -> str:
    """What kubectl writes into logs.txt when the kubelet refuses a waiting container's log."""
    return (
        f'Request log error: container "{container}" in pod "{pod["metadata"]["name"]}" '
        f"is waiting to start: {why}\n"
    )


def backoff_event(pod: Obj, container: str, count: int) -> Obj:
    m = pod["metadata"]
    return kc.event(
        involved=pod,
        reason="BackOff",
        count=count,
        first=3000,
        last=40,
        field_path=f"spec.containers{{{container}}}",
        message=f"Back-off restarting failed container {container} in pod "
        f"{m['name']}_{m['namespace']}({m['uid']})",
    )


def deployment_pod(
    c: ExampleCluster,
    name: str,
    namespace: str,
    *,
    replicas: int = 1,
    ready: int = 1,
    image: str = ko.DEFAULT_IMAGE,
    statuses: list[list[Obj]] | None = None,
    nodes: tuple[str, ...] = ("worker-1", "worker-2"),
    **pod_kw: Any,
) -> list[Obj]:
    """A Deployment, its ReplicaSet and `replicas` pods (healthy unless `statuses` says otherwise)."""
    dep = kc.deployment(
        name=name,
        namespace=namespace,
        replicas=replicas,
        ready_replicas=ready,
        image=image,
        container_name=name,
        labels=pod_kw.pop("labels", None),
    )
    rs = kc.replicaset(deployment=dep)
    pods = []
    for i in range(replicas):
        p = ko.pod(
            name=f"{rs['metadata']['name']}-{ko._hash(f'{name}-{i}', 5)}",
            namespace=namespace,
            owner=rs,
            labels=rs["metadata"]["labels"],
            node_name=nodes[i % len(nodes)],
            containers=[ko.container(name=name, image=image, **pod_kw)],
            container_statuses=statuses[i] if statuses else None,
        )
        pods.append(p)
    c.add(dep, rs, *pods)
    return pods


def nodes_and_defaults(c: ExampleCluster) -> None:
    """Two Ready workers and worker-3 with DiskPressure (condition + taint) and its node events."""
    worker3 = kc.node(name="worker-3", disk_pressure=True, labels={"disktype": "local-nvme"})
    c.add(kc.node(name="worker-1"), kc.node(name="worker-2"), worker3)
    ref = {"kind": "Node", "name": "worker-3", "uid": "worker-3", "apiVersion": "v1"}
    c.add(
        kc.event(
            involved=ref,
            namespace="default",
            reason="NodeHasDiskPressure",
            type="Normal",
            message="Node worker-3 status is now: NodeHasDiskPressure",
            source_host="worker-3",
            first=2400,
            last=2400,
        ),
        kc.event(
            involved=ref,
            namespace="default",
            reason="EvictionThresholdMet",
            count=15,
            message="Attempting to reclaim ephemeral-storage",
            source_host="worker-3",
            first=2400,
            last=60,
        ),
        kc.service(
            name="kubernetes",
            namespace="default",
            selector={},
            ports=[(443, 6443)],
            cluster_ip="10.96.0.1",
        ),
    )


def kube_system(c: ExampleCluster) -> None:
    for p in deployment_pod(
        c,
        "coredns",
        "kube-system",
        replicas=2,
        ready=2,
        labels={"k8s-app": "kube-dns"},
        image="registry.k8s.io/coredns/coredns:v1.11.3",
        memory_limit="170Mi",
    ):
        c.log(
            p,
            "coredns",
            ".:53\n[INFO] plugin/reload: Running configuration SHA512 = 591cf328cccc12bc490481"
            "273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd37f1cf888b953814040d180f52594972"
            "691cd6ff41be96639138a43908\nCoreDNS-1.11.3\nlinux/amd64, go1.21.11, a6338e9\n",
        )
    c.add(
        kc.service(
            name="kube-dns",
            namespace="kube-system",
            selector={"k8s-app": "kube-dns"},
            ports=[(53, 53), (9153, 9153)],
            cluster_ip="10.96.0.10",
        )
    )
    ds = kc.daemonset(
        name="kube-proxy",
        namespace="kube-system",
        desired=3,
        image="registry.k8s.io/kube-proxy:v1.31.4",
        labels={"k8s-app": "kube-proxy"},
    )
    c.add(ds)
    for node in ("worker-1", "worker-2", "worker-3"):
        p = ko.pod(
            name=f"kube-proxy-{ko._hash(node, 5)}",
            namespace="kube-system",
            owner=ds,
            node_name=node,
            labels={"k8s-app": "kube-proxy"},
            containers=[
                ko.container(
                    name="kube-proxy", image="registry.k8s.io/kube-proxy:v1.31.4", memory_limit=None
                )
            ],
        )
        c.add(p)
        c.log(
            p,
            "kube-proxy",
            f'I0513 08:31:02.118273       1 server_linux.go:66] "Using iptables proxy"\n'
            f'I0513 08:31:02.131522       1 server.go:677] "Successfully retrieved node IP(s)"'
            f' IPs=["{p["status"]["hostIP"]}"]\n'
            "I0513 08:31:02.204811       1 shared_informer.go:320] Caches are synced for "
            "service config\n",
        )


def shop(c: ExampleCluster) -> None:
    """checkout OOMKilled, frontend ImagePullBackOff, payments CreateContainerConfigError,
    reports evicted from worker-3 and its replacement Pending on the disk-pressure taint."""
    for p in deployment_pod(c, "catalog", SHOP_NS, replicas=2, ready=2, readiness_path="/healthz"):
        c.log(p, "catalog", "2024-05-13T09:12:40Z INFO catalog ready on :8080\n")
    (checkout,) = deployment_pod(
        c,
        "checkout",
        SHOP_NS,
        ready=0,
        memory_limit="256Mi",
        statuses=[[ko.crashloop_status(name="checkout", last_reason="OOMKilled", restarts=9)]],
    )
    c.add(backoff_event(checkout, "checkout", 42))
    c.log(
        checkout,
        "checkout",
        "2024-05-14T08:27:51.112Z INFO  checkout starting version=1.4.2\n"
        "2024-05-14T08:27:51.530Z INFO  loading product catalogue into cache "
        "entries=1843220\n"
        "2024-05-14T08:27:59.871Z WARN  cache size above soft limit used_mb=231 "
        "limit_mb=200\n",
    )
    image = "registry.example.com/shop/frontend:1.9.0-typo"
    (front,) = deployment_pod(
        c,
        "frontend",
        SHOP_NS,
        ready=0,
        image=image,
        statuses=[[ko.image_pull_backoff_status(name="frontend", image=image)]],
    )
    fp = "spec.containers{frontend}"
    c.add(
        kc.event(
            involved=front,
            reason="Pulling",
            type="Normal",
            count=5,
            field_path=fp,
            message=f'Pulling image "{image}"',
        ),
        kc.event(
            involved=front,
            reason="Failed",
            count=5,
            field_path=fp,
            message=f'Failed to pull image "{image}": {ko.err_image_pull_message(image)}',
        ),
        kc.event(
            involved=front, reason="Failed", count=5, field_path=fp, message="Error: ErrImagePull"
        ),
        kc.event(
            involved=front,
            reason="BackOff",
            type="Normal",
            count=31,
            field_path=fp,
            message=f'Back-off pulling image "{image}"',
        ),
        kc.event(
            involved=front,
            reason="Failed",
            count=31,
            field_path=fp,
            message="Error: ImagePullBackOff",
        ),
    )
    c.log(
        front, "frontend", waiting_log_error(front, "frontend", "trying and failing to pull image")
    )
    (pay,) = deployment_pod(
        c,
        "payments",
        SHOP_NS,
        ready=0,
        env_from_configmap="payments-config",
        statuses=[
            [
                ko.create_container_config_error_status(
                    name="payments", message='configmap "payments-config" not found'
                )
            ]
        ],
    )
    c.add(
        kc.event(
            involved=pay,
            reason="Failed",
            count=14,
            field_path="spec.containers{payments}",
            message='Error: configmap "payments-config" not found',
        )
    )
    c.log(pay, "payments", waiting_log_error(pay, "payments", "CreateContainerConfigError"))
    c.add(
        *[
            kc.service(name=n, namespace=SHOP_NS)
            for n in ("catalog", "checkout", "frontend", "payments")
        ]
    )
    reports(c)


def reports(c: ExampleCluster) -> None:
    dep = kc.deployment(name="reports", namespace=SHOP_NS, replicas=1, ready_replicas=0)
    rs = kc.replicaset(deployment=dep)
    claim = kc.pvc(name="reports-data", namespace=SHOP_NS, storage_class="local-path", size="20Gi")
    vol = kc.pv(
        name=claim["spec"]["volumeName"],
        claim=claim,
        storage_class="local-path",
        size="20Gi",
        node_name="worker-3",
        local_path=f"/opt/local-path-provisioner/{claim['spec']['volumeName']}",
    )
    common = {
        "namespace": SHOP_NS,
        "owner": rs,
        "labels": rs["metadata"]["labels"],
        "pvc_claims": ["reports-data"],
    }
    gone = ko.evicted_pod(
        name=f"{rs['metadata']['name']}-{ko._hash('reports-old', 5)}",
        node_name="worker-3",
        container_name="reports",
        resource="ephemeral-storage",
        threshold="10120716Ki",
        available="8312400Ki",
        usage="14207856Ki",
        **common,
    )
    pending = ko.pending_unschedulable(
        name=f"{rs['metadata']['name']}-{ko._hash('reports', 5)}",
        message=PENDING_MESSAGE,
        containers=[ko.container(name="reports")],
        **common,
    )
    c.add(
        dep,
        rs,
        claim,
        vol,
        gone,
        pending,
        kc.event(
            involved=gone,
            reason="Evicted",
            message=gone["status"]["message"],
            first=2300,
            last=2300,
        ),
        kc.event(
            involved=gone,
            reason="Killing",
            type="Normal",
            field_path="spec.containers{reports}",
            message="Stopping container reports",
            first=2300,
            last=2300,
        ),
        kc.event(
            involved=pending,
            reason="FailedScheduling",
            message=PENDING_MESSAGE,
            count=38,
            source_component="default-scheduler",
            first=2280,
            last=45,
        ),
    )
    c.log(
        gone,
        "reports",
        f'Request log error: container "reports" in pod "{gone["metadata"]["name"]}" '
        "is terminated\n",
    )
    c.log(pending, "reports", "")
