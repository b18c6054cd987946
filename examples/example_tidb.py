"""The `tidb-cluster` namespace of the example: a TidbCluster "basic" run by tidb-operator.

basic-tikv-1 crash-loops on "cluster ID mismatch" (its local PV holds another
cluster's data) and basic-pd-1 crash-loops "waiting for discovery service to
return start args"; discovery, the other PD/TiKV members and TiDB are healthy.
StatefulSets, PVCs, PVs and the StorageClass are not part of a kubectl dump;
they are written as the `kubectl get -o json` files people attach next to it.
"""

from __future__ import annotations

from example_cluster import (
    CLUSTER,
    TIDB_LABELS,
    TIDB_NS,
    ExampleCluster,
    Obj,
    backoff_event,
    deployment_pod,
)

from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.standins.kube_scenarios import TIKV_FATAL

NODES = ("worker-1", "worker-2", "worker-3")
PD_OK = (
    '[2024/05/13 08:40:12.204 +00:00] [INFO] [util.go:43] ["Welcome to Placement Driver (PD)"]\n'
    "[2024/05/13 08:40:12.204 +00:00] [INFO] [util.go:44] [PD] [release-version=v7.5.1]\n"
    '[2024/05/13 08:40:19.871 +00:00] [INFO] [server.go:1705] ["PD leader is ready to serve"] '
    f"[leader-name={CLUSTER}-pd-0]\n"
)
TIKV_START = [
    '[2024/05/14 08:27:51.391 +00:00] [INFO] [lib.rs:88] ["Welcome to TiKV"]',
    '[2024/05/14 08:27:51.391 +00:00] [INFO] [lib.rs:93] ["Release Version:   7.5.1"]',
    (
        '[2024/05/14 08:27:51.402 +00:00] [INFO] [util.rs:604] ["connecting to PD endpoint"] '
        f"[endpoints=http://{CLUSTER}-pd:2379]"
    ),
    (
        '[2024/05/14 08:27:51.410 +00:00] [INFO] [server.rs:426] ["connect to PD cluster"] '
        "[cluster_id=7339127459851426837]"
    ),
]


def component(
    c: ExampleCluster,
    name: str,
    *,
    image: str,
    ports: list[int],
    bad: dict[int, Obj],
    claim: str | None,
    size: str = "10Gi",
    containers: tuple[str, ...] = (),
    replicas: int = 3,
) -> list[Obj]:
    """A StatefulSet `basic-<name>`, one member per node; `bad` maps ordinal to container status."""
    labels = {**TIDB_LABELS, "app.kubernetes.io/component": name}
    sts = kc.statefulset(
        name=f"{CLUSTER}-{name}",
        namespace=TIDB_NS,
        replicas=replicas,
        ready_replicas=replicas - len(bad),
        image=image,
        container_name=name,
        labels=labels,
        storage_class="local-storage" if claim else None,
        claim_name=claim or "data",
        size=size,
        service_name=f"{CLUSTER}-{name}-peer",
    )
    c.add(sts)
    pods = []
    for i, node in enumerate(NODES[:replicas]):
        pname = f"{CLUSTER}-{name}-{i}"
        claims = [f"{claim}-{pname}"] if claim else []
        for cl in claims:
            pvc = kc.pvc(
                name=cl,
                namespace=TIDB_NS,
                storage_class="local-storage",
                size=size,
                volume_name=f"local-pv-{ko._hash(pname, 8)}",
                labels=labels,
            )
            c.add(
                pvc,
                kc.pv(
                    name=pvc["spec"]["volumeName"],
                    claim=pvc,
                    storage_class="local-storage",
                    size=size,
                    reclaim_policy="Retain",
                    node_name=node,
                ),
            )
        specs = [ko.container(name=n, image="busybox:1.36", memory_limit=None) for n in containers]
        specs.append(ko.container(name=name, image=image, ports=ports, memory_limit=None))
        statuses = [ko.running_status(name=s["name"], image=s["image"]) for s in specs[:-1]]
        statuses.append(bad.get(i) or ko.running_status(name=name, image=image))
        p = ko.pod(
            name=pname,
            namespace=TIDB_NS,
            owner=sts,
            node_name=node,
            pvc_claims=claims,
            labels={
                **labels,
                "statefulset.kubernetes.io/pod-name": pname,
                "apps.kubernetes.io/pod-index": str(i),
            },
            containers=specs,
            container_statuses=statuses,
        )
        c.add(p)
        pods.append(p)
    c.add(
        kc.service(
            name=f"{CLUSTER}-{name}-peer",
            namespace=TIDB_NS,
            selector=labels,
            ports=[(p, p) for p in ports],
            cluster_ip="None",
        )
    )
    return pods


def tidb_cluster(c: ExampleCluster) -> None:
    (disc,) = deployment_pod(
        c,
        f"{CLUSTER}-discovery",
        TIDB_NS,
        image="pingcap/tidb-operator:v1.6.0",
        labels={**TIDB_LABELS, "app.kubernetes.io/component": "discovery"},
        ports=[10261],
        memory_limit="128Mi",
    )
    c.log(
        disc,
        f"{CLUSTER}-discovery",
        "I0513 08:39:58.011472       1 version.go:38] Welcome to TiDB Operator.\n"
        "I0513 08:39:58.011533       1 main.go:71] tidb-discovery "
        "http server starting on :10261\n",
    )
    pd_image, tikv_image = "pingcap/pd:v7.5.1", "pingcap/tikv:v7.5.1"
    pd = component(
        c,
        "pd",
        image=pd_image,
        ports=[2379, 2380],
        claim="pd",
        bad={1: ko.crashloop_status(name="pd", image=pd_image, restarts=6)},
    )
    for i, p in enumerate(pd):
        c.log(
            p,
            "pd",
            PD_OK
            if i != 1
            else f"nslookup domain {CLUSTER}-pd-1.{CLUSTER}-pd-peer.{TIDB_NS}.svc "
            "success\n" + "waiting for discovery service to return start args ...\n" * 24,
        )
    c.add(backoff_event(pd[1], "pd", 25))
    tikv = component(
        c,
        "tikv",
        image=tikv_image,
        ports=[20160],
        claim="tikv",
        size="100Gi",
        bad={1: ko.crashloop_status(name="tikv", image=tikv_image, restarts=14)},
    )
    for i, p in enumerate(tikv):
        tail = (
            [TIKV_FATAL.replace("08:21:07.512", "08:27:51.512")]
            if i == 1
            else [
                '[2024/05/13 08:41:02.118 +00:00] [INFO] [server.rs:1015] ["TiKV is ready to serve"]'
            ]
        )
        c.log(p, "tikv", "\n".join(TIKV_START + tail) + "\n")
    c.add(backoff_event(tikv[1], "tikv", 120))
    tidb = component(
        c,
        "tidb",
        image="pingcap/tidb:v7.5.1",
        ports=[4000, 10080],
        claim=None,
        bad={},
        containers=("slowlog",),
        replicas=1,
    )
    for p in tidb:
        c.log(p, "slowlog", "")
        c.log(
            p,
            "tidb",
            '[2024/05/13 08:41:20.533 +00:00] [INFO] [printer.go:47] ["Welcome to TiDB."] '
            '["Release Version"=v7.5.1]\n[2024/05/13 08:41:22.906 +00:00] [INFO] [server.go:318] '
            '["server is running MySQL protocol"] [addr=0.0.0.0:4000]\n',
        )
    for name, port in (("pd", 2379), ("tidb", 4000), ("discovery", 10261)):
        c.add(
            kc.service(
                name=f"{CLUSTER}-{name}",
                namespace=TIDB_NS,
                ports=[(port, port)],
                selector={**TIDB_LABELS, "app.kubernetes.io/component": name},
            )
        )
    c.add(
        kc.storage_class(
            name="local-storage",
            provisioner="kubernetes.io/no-provisioner",
            reclaim_policy="Retain",
        ),
        kc.storage_class(name="local-path", provisioner="rancher.io/local-path", default=True),
    )
