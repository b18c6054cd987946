"""A small shop namespace for the walk's tests, healthy, and the faults it is tested on.

frontend -> checkout -> cart, each a Deployment with one pod behind its Service, on two
workers and a cordoned, tainted control-plane node (the usual shape, so a check that mistakes
the control plane's own refusal for a fault shows). Each fault changes what it would change on
a real cluster, objects and events alike, so the same shop feeds the checks in memory
(`snapshot`) and the real client over HTTP (`load` into the API stand-in).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from bot.diagnosis.suspects.snapshot import Snapshot
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

Obj = dict[str, Any]
NS = "shop"
APPS = {"frontend": 8080, "checkout": 5050, "cart": 7070}
CALLS = {"frontend": ("CHECKOUT_ADDR", "checkout:5050"), "checkout": ("CART_ADDR", "cart:7070")}
PLURALS = {
    "Pod": "pods",
    "Service": "services",
    "Endpoints": "endpoints",
    "Deployment": "deployments",
    "ReplicaSet": "replicasets",
    "Node": "nodes",
    "Event": "events",
    "ServiceAccount": "serviceaccounts",
    "ResourceQuota": "resourcequotas",
    "PersistentVolumeClaim": "persistentvolumeclaims",
    "PersistentVolume": "persistentvolumes",
    "StorageClass": "storageclasses",
    "LimitRange": "limitranges",
    "StatefulSet": "statefulsets",
    "DaemonSet": "daemonsets",
    "Ingress": "ingresses",
    "HTTPRoute": "httproutes",
    "VirtualService": "virtualservices",
}


@dataclass
class Shop:
    objects: list[Obj]
    units: list[Obj] | None = None
    logs: dict[str, str] = field(default_factory=dict)
    previous_logs: dict[str, str] = field(default_factory=dict)
    """The previous run's log of a pod's first container (a crash loop's last run), by pod."""
    system: dict[str, list[Obj]] = field(default_factory=dict)
    """kube-system pods by part ("kube-scheduler", "kube-proxy", "cluster-dns"), as a live
    cluster lists them."""
    dns_endpoints: Obj | None = None
    """kube-system's kube-dns Endpoints, when the test gives the cluster DNS one."""

    def of(self, kind: str, name: str | None = None) -> Iterator[Obj]:
        return (
            o for o in self.objects if o["kind"] == kind and name in (None, o["metadata"]["name"])
        )

    def one(self, kind: str, name: str) -> Obj:
        return next(self.of(kind, name))

    def pod(self, app: str) -> Obj:
        return next(p for p in self.of("Pod") if p["metadata"]["name"].startswith(app + "-"))

    def drop(self, kind: str, name: str) -> None:
        self.objects = [
            o for o in self.objects if not (o["kind"] == kind and o["metadata"]["name"] == name)
        ]

    def event(self, involved: Obj, reason: str, message: str) -> None:
        self.objects.append(
            kc.event(involved=involved, reason=reason, message=message, namespace=NS)
        )

    def snapshot(self) -> Snapshot:
        """The walk's reading of this shop, as read_snapshot would make it (every kind read)."""
        objects: dict[str, list[Obj]] = {plural: [] for plural in PLURALS.values()}
        for obj in self.objects:
            objects[PLURALS[obj["kind"]]].append(copy.deepcopy(obj))
        system = copy.deepcopy(self.system)
        if self.dns_endpoints is not None:
            system["cluster-dns-endpoints"] = [copy.deepcopy(self.dns_endpoints)]
        return Snapshot(NS, objects, node_services=self.units, logs=dict(self.logs), system=system)

    def load(self, standin: Any) -> None:
        extra = [self.dns_endpoints] if self.dns_endpoints is not None else []
        standin.add_all(
            copy.deepcopy(
                [*self.objects, *(p for pods in self.system.values() for p in pods), *extra]
            )
        )
        for previous, logs in ((False, self.logs), (True, self.previous_logs)):
            for pod, text in logs.items():
                container = self.one("Pod", pod)["spec"]["containers"][0]["name"]
                standin.set_log(NS, pod, container, text, previous=previous)


def _app(app: str, port: int) -> list[Obj]:
    dep = kc.deployment(name=app, namespace=NS, replicas=1, container_name=app)
    spec = dep["spec"]["template"]["spec"]
    spec["serviceAccountName"] = app
    spec["containers"][0]["ports"] = [{"containerPort": port, "protocol": "TCP", "name": "serve"}]
    spec["containers"][0]["readinessProbe"] = {
        "tcpSocket": {"port": port},
        "periodSeconds": 10,
        "timeoutSeconds": 1,
        "failureThreshold": 3,
    }
    spec["containers"][0]["livenessProbe"] = {
        "tcpSocket": {"port": port},
        "initialDelaySeconds": 15,
        "periodSeconds": 10,
        "failureThreshold": 3,
    }
    if app in CALLS:
        spec["containers"][0]["env"] = [{"name": CALLS[app][0], "value": CALLS[app][1]}]
    rs = kc.replicaset(deployment=dep)
    container = {**copy.deepcopy(spec["containers"][0])}
    pod = ko.pod(
        name=f"{rs['metadata']['name']}-{ko._hash(app, 5)}",
        namespace=NS,
        owner=rs,
        labels=rs["metadata"]["labels"],
        containers=[container],
        service_account=app,
        node_name="worker-1" if app != "cart" else "worker-2",
        container_statuses=[ko.running_status(name=app)],
    )
    service = kc.service(
        name=app,
        namespace=NS,
        selector={"app": app},
        ports=[(80 if app == "frontend" else port, port)],
    )
    account = {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {
            "name": app,
            "namespace": NS,
            "uid": ko.new_uid(app),
            "creationTimestamp": ko.ago(86400),
        },
    }
    return [
        dep,
        rs,
        pod,
        service,
        kc.endpoints(name=app, namespace=NS, ready=[pod], ports=[port]),
        account,
    ]


def healthy() -> Shop:
    plane = kc.node(
        name="master",
        unschedulable=True,
        labels={"node-role.kubernetes.io/control-plane": ""},
        taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
    )
    objects = [plane, kc.node(name="worker-1"), kc.node(name="worker-2"), kc.storage_class()]
    for app, port in APPS.items():
        objects += _app(app, port)
    return Shop(
        objects,
        system={
            "kube-scheduler": [
                system_pod("kube-scheduler-master", "master", {"component": "kube-scheduler"})
            ],
            "kube-proxy": [
                system_pod(f"kube-proxy-{n}", n, {"k8s-app": "kube-proxy"})
                for n in ("master", "worker-1", "worker-2")
            ],
        },
    )


def system_pod(name: str, node: str, labels: dict[str, str]) -> Obj:
    part = name.rsplit("-", 1)[0] if name.startswith("kube-proxy") else name.removesuffix("-master")
    return ko.pod(
        name=name,
        namespace="kube-system",
        node_name=node,
        labels=labels,
        containers=[ko.container(name=part)],
        container_statuses=[ko.running_status(name=part)],
    )
