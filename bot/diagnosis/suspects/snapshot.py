"""Read a namespace once for the walk: every kind it looks at, and what could not be read.

The walk judges relations between objects (a Service and the pods it should select, a pod and
the node it waits for), so it reads whole lists once and never per object. A kind that cannot
be read is a gap, not a failure, and the checks that need it stay silent (a ServiceAccount is
never called missing because the list of ServiceAccounts could not be read).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from bot.cluster.errors import ClusterError, Forbidden, NotFound
from bot.cluster.moments import judged_at
from bot.cluster.reader import ClusterReader, JsonObject, Kind, PartialReader
from bot.evidence.common import gap

READ: dict[str, Kind] = {
    "pods": "pods",
    "services": "services",
    "endpoints": "endpoints",
    "deployments": "deployments",
    "replicasets": "replicasets",
    "statefulsets": "statefulsets",
    "daemonsets": "daemonsets",
    "persistentvolumeclaims": "persistentvolumeclaims",
    "resourcequotas": "resourcequotas",
    "limitranges": "limitranges",
    "serviceaccounts": "serviceaccounts",
    "events": "events",
    "nodes": "nodes",
    "persistentvolumes": "persistentvolumes",
    "storageclasses": "storageclasses",
    "ingresses": "ingresses",
    "httproutes": "httproutes",
    "virtualservices": "virtualservices",
    "horizontalpodautoscalers": "horizontalpodautoscalers",
    "networkpolicies": "networkpolicies",
}
"""Every kind the walk lists (the RBAC test reads this table). Never Secrets or ConfigMaps (the
read role grants neither): addresses are read from the pods' own env values; a ConfigMap is read
only where people gave it (recorded outputs, a paste)."""
OPTIONAL = frozenset(
    {"ingresses", "httproutes", "virtualservices", "horizontalpodautoscalers", "networkpolicies"}
)
"""Kinds many clusters have none of (a Gateway API or Istio route needs its CRDs): a live
cluster that does not serve the kind (404) holds none of it, and an input that does not show
one is not read, with no gap said (only the route, autoscaler and policy checks need them)."""
CLUSTER_WIDE = frozenset({"nodes", "persistentvolumes", "storageclasses"})
MAX_PODS = 5000
"""As bot/diagnosis/namespace.py lists pods, so the caching reader asks once for both."""
MAX_ITEMS = 2000
"""Objects read per kind (a namespace bigger than this is read in part, and says so)."""
MAX_LOG_PODS = 16
MAX_LOG_LINES = 60
MAX_LOG_BYTES = 16 * 1024
"""How much of each read pod's log the walk reads (its tail)."""
LOG_CONCURRENCY = 4


@dataclass
class Snapshot:
    """What the walk read of one namespace (plain API objects) and what it could not read."""

    namespace: str
    objects: dict[str, list[JsonObject]] = field(default_factory=dict)
    node_services: list[JsonObject] | None = None
    """systemd units per node ({"node", "service", "active", "since", "lines"}), when the reader
    has them (recorded outputs); None on a live cluster."""
    logs: dict[str, str] = field(default_factory=dict)
    """The tail of each read pod's first container log, by pod name."""
    system: dict[str, list[JsonObject]] = field(default_factory=dict)
    """kube-system pods of the control-plane parts the walk checks ("kube-scheduler",
    "kube-proxy"), read on a live cluster where no node services are recorded; the cluster
    DNS's pods ("cluster-dns") and its Service's Endpoints ("cluster-dns-endpoints") wherever
    they can be read. A part absent from this dict was not read: the check stays silent."""
    metrics: list[JsonObject] | None = None
    """`kubectl top` rows ({"kind", "name", "cpu", "memory"...}) where the input holds them;
    None: no metrics were given."""
    alerts: list[JsonObject] | None = None
    """Firing alerts ({"labels", "annotations", "startsAt"}) where the input holds them."""
    config_maps: dict[str, JsonObject] | None = None
    """The namespace's ConfigMaps by name where the input is text people gave (never read from
    a cluster); None: none shown."""
    gaps: list[str] = field(default_factory=list)
    partial: set[str] = field(default_factory=set)
    """Kinds read in part (text that showed some objects of them, never a whole listing)."""
    unseen: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    """(kind, name) -> the facts of that object its input did not show (bot/cluster/seen.py)."""
    text: bool = False
    """Read from text people gave (recorded outputs, a paste): views, never whole objects."""
    as_of: datetime | None = None
    """The moment it shows (a recording's own time, a live cluster's now): every age, "since"
    and "long ago" of the walk is judged at it. None: the newest moment its objects show."""

    def of(self, kind: str) -> list[JsonObject]:
        return self.objects.get(kind, [])

    def read(self, kind: str) -> bool:
        """True when the kind was read (an empty list is a fact; an unread one is not)."""
        return kind in self.objects

    def complete(self, kind: str) -> bool:
        """Every object of the kind was seen: one not among them is absent."""
        return kind in self.objects and kind not in self.partial

    def seen(self, kind: str, obj: JsonObject, fact: str) -> bool:
        """The input showed `fact` of `obj` (present or absent)."""
        name = str((obj.get("metadata") or {}).get("name") or "")
        return fact not in self.unseen.get((kind, name), frozenset())


async def _list(
    reader: ClusterReader, kind: str, namespace: str | None, snapshot: Snapshot
) -> None:
    try:
        limit = MAX_PODS if kind == "pods" else MAX_ITEMS  # the namespace diagnosis' own list
        snapshot.objects[kind] = await reader.list(READ[kind], namespace, limit=limit)
    except ClusterError as exc:
        if kind in OPTIONAL and not isinstance(exc, Forbidden):
            if isinstance(exc, NotFound):  # the cluster does not serve the kind: none exist
                snapshot.objects[kind] = []
            return
        where = f" in namespace {namespace}" if namespace else ""
        snapshot.gaps.append(gap(f"{kind}{where}", exc))


def _seen_parts(reader: object, snapshot: Snapshot) -> None:
    """Which kinds the text listed whole, and what it did not show of each object."""
    if not isinstance(reader, PartialReader):
        return  # a cluster or a dump: every list is whole, every object entire
    snapshot.text = True
    for kind, objects in snapshot.objects.items():
        namespace = None if kind in CLUSTER_WIDE else snapshot.namespace
        if not reader.complete(READ[kind], namespace):
            snapshot.partial.add(kind)
        for obj in objects:
            name = str((obj.get("metadata") or {}).get("name") or "")
            if found := reader.unseen(READ[kind], namespace, name):
                snapshot.unseen[(kind, name)] = found


def _measured(reader: object, snapshot: Snapshot) -> None:
    """`kubectl top` rows and firing alerts a recorded ticket carries (a live read has none)."""
    for part in ("metrics", "alerts"):
        found = getattr(reader, part, None)
        if isinstance(found, list) and found:
            setattr(snapshot, part, list(found))


async def _node_services(reader: object, snapshot: Snapshot) -> None:
    read = getattr(reader, "node_services", None)
    if not callable(read):
        return
    try:
        snapshot.node_services = list(await read())
    except ClusterError as exc:
        snapshot.gaps.append(gap("node services", exc))


SYSTEM = {"kube-scheduler": "component=kube-scheduler", "kube-proxy": "k8s-app=kube-proxy"}
"""The kube-system pods of the parts node services would show, by their usual labels."""


async def _system(reader: ClusterReader, snapshot: Snapshot) -> None:
    """The scheduler's and kube-proxy's pods, when no recorded node service shows them."""
    if snapshot.node_services is not None:
        return
    for part, selector in SYSTEM.items():
        try:
            snapshot.system[part] = await reader.list(
                "pods", "kube-system", label_selector=selector, limit=MAX_ITEMS
            )
        except ClusterError:
            continue  # not readable here (or not recorded): the check stays silent


CLUSTER_DNS = ("kube-system", "k8s-app=kube-dns", "kube-dns")
"""Where every cluster's DNS lives: CoreDNS (or kube-dns) pods by their usual label, behind the
kube-dns Service."""


async def _cluster_dns(reader: ClusterReader, snapshot: Snapshot) -> None:
    """The cluster DNS every pod resolves names through: its pods and its Service's endpoints."""
    namespace, selector, service = CLUSTER_DNS
    try:
        snapshot.system["cluster-dns"] = await reader.list(
            "pods", namespace, label_selector=selector, limit=MAX_ITEMS
        )
    except ClusterError:
        pass  # not readable here (or not recorded): the check stays silent
    try:
        snapshot.system["cluster-dns-endpoints"] = [
            await reader.get("endpoints", service, namespace)
        ]
    except NotFound:  # deleted: the Service (if it exists) has no endpoint at all
        if await _exists(reader, "services", service, namespace):
            snapshot.system["cluster-dns-endpoints"] = [{"metadata": {"name": service}}]
    except ClusterError:
        pass


async def _exists(reader: ClusterReader, kind: Kind, name: str, namespace: str) -> bool:
    """The object is seen present (not found, or not readable here: no)."""
    try:
        await reader.get(kind, name, namespace)
    except ClusterError:
        return False
    return True


def _first_container(pod: JsonObject) -> str | None:
    containers = (pod.get("spec") or {}).get("containers") or []
    return str(containers[0].get("name")) if containers and containers[0].get("name") else None


def _init_waiting(pod: JsonObject) -> str | None:
    """The init container a pending pod is held in, once it has started (it logs what it waits
    on); None when the pod waits for nothing of its own."""
    status = pod.get("status") or {}
    if status.get("phase") != "Pending":
        return None
    for init in status.get("initContainerStatuses") or []:
        state = init.get("state") or {}
        if (state.get("terminated") or {}).get("exitCode") == 0:
            continue  # done: the next one holds the pod
        started = "running" in state or init.get("restartCount") or init.get("lastState")
        name = init.get("name")
        return str(name) if started and isinstance(name, str) and name else None
    return None


def log_container(pod: JsonObject) -> str | None:
    """Whose log says what the pod does now: a running pod's first container, or the init
    container a pending pod is held in."""
    if (pod.get("status") or {}).get("phase") == "Running":
        return _first_container(pod)
    return _init_waiting(pod)


async def read_logs(
    reader: ClusterReader, snapshot: Snapshot, pods: list[JsonObject] | None = None
) -> None:
    """The log tails of up to MAX_LOG_PODS running pods (of `pods`, else of the namespace), or
    pods held by an init container (a caller's log names what fails, an init container's what
    it waits on)."""
    running = [pod for pod in pods or snapshot.of("pods") if log_container(pod)][:MAX_LOG_PODS]
    gate = asyncio.Semaphore(LOG_CONCURRENCY)

    async def one(pod: JsonObject) -> None:
        name, container = str((pod.get("metadata") or {}).get("name")), log_container(pod)
        if container is None:
            return
        async with gate:
            try:
                text = await reader.logs(
                    snapshot.namespace,
                    name,
                    container,
                    tail_lines=MAX_LOG_LINES,
                    limit_bytes=MAX_LOG_BYTES,
                )
            except ClusterError:
                return  # a log that cannot be read says nothing either way
        if text.strip():
            snapshot.logs[name] = text

    await asyncio.gather(*(one(pod) for pod in running))


@runtime_checkable
class _Given(PartialReader, Protocol):
    """A reader over text people gave, which serves any kind it shows (ConfigMaps too)."""

    async def list(self, kind: str, namespace: str | None = None) -> list[JsonObject]: ...


async def _config_maps(text: object, snapshot: Snapshot) -> None:
    """The ConfigMaps the input shows, where it is text people gave: a cluster's are never read
    (the read role grants none), so a live walk has none and checks needing them say so."""
    if not isinstance(text, _Given):
        return
    try:
        found = await text.list("configmaps", snapshot.namespace)
    except ClusterError:
        return  # none shown: neither present nor absent
    snapshot.config_maps = {str((c.get("metadata") or {}).get("name")): c for c in found}


async def read_snapshot(
    reader: ClusterReader, namespace: str, *, raw: object | None = None, logs: bool = True
) -> Snapshot:
    """Every kind the walk needs, read concurrently; `raw`: the reader under a caching wrapper
    (it may offer recorded node services)."""
    snapshot = Snapshot(namespace)
    await asyncio.gather(
        *(
            _list(reader, kind, None if kind in CLUSTER_WIDE else namespace, snapshot)
            for kind in READ
        ),
        _node_services(raw if raw is not None else reader, snapshot),
    )
    await asyncio.gather(
        _system(reader, snapshot),
        _cluster_dns(reader, snapshot),
        read_logs(reader, snapshot) if logs else _none(),
        _config_maps(raw if raw is not None else reader, snapshot),
    )
    snapshot.gaps.sort()  # read concurrently: the same input says them in the same order
    snapshot.as_of = judged_at(raw if raw is not None else reader)
    _seen_parts(raw if raw is not None else reader, snapshot)
    _measured(raw if raw is not None else reader, snapshot)
    return snapshot


async def _none() -> None:
    return None
