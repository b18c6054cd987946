"""The namespace as a graph: Services -> pods -> owners -> nodes, claims, accounts.

Built once from a `Snapshot`, so every check asks the same questions the same way: which pods
a Service selects, which workload owns a pod, which Service a workload is known by (the name
the user and Cloud-OpsBench give a broken workload), where its pods run.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import cached_property

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.indexes import EventIndex, LabelIndex
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.diagnosis.suspects.workloads import (
    CONTROL_PLANE_ROLES,
    WORKLOAD_KINDS,
    Workload,
    labels_of,
    live,
    meta,
    name_of,
    service_selector,
)
from bot.evidence.common import event_facts
from bot.evidence.owners import controller_of, guessed_deployment
from intents.facts.model import EventFacts


class Graph:
    """The namespace's objects and the relations the checks ask about, indexed once."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.namespace = snapshot.namespace
        pods = snapshot.of("pods")
        self.pods = [p for p in pods if not meta(p).get("deletionTimestamp")]
        """The pods that are the namespace's state: one being deleted is on its way out (a
        rollout replacing it, a fault being undone), never a suspect."""
        self.terminating = {name_of(p) for p in pods if meta(p).get("deletionTimestamp")}
        services = snapshot.of("services")
        self.services = [s for s in services if live(s)]
        self.declared = [s for s in services if not live(s)]
        """Services only a manifest shows (recorded `-o yaml` of files, not of the cluster)."""
        self.endpoints = {name_of(e): e for e in snapshot.of("endpoints")}
        self.nodes = {name_of(n): n for n in snapshot.of("nodes")}
        self.claims = {name_of(c): c for c in snapshot.of("persistentvolumeclaims")}
        self.volumes = {name_of(v): v for v in snapshot.of("persistentvolumes")}
        self.classes = {name_of(c): c for c in snapshot.of("storageclasses")}
        self.workloads: dict[str, Workload] = {}
        self._named: dict[str, list[Workload]] = {}
        self._owner: dict[str, Workload] = {}
        self._pods = LabelIndex([(pod, labels_of(pod)) for pod in self.pods])
        self._selected: dict[int, list[JsonObject]] = {}
        self._backing: dict[int, list[Workload]] = {}
        self._known_as: dict[int, str] = {}
        self._reach_index: tuple[dict[str, list[tuple[int, Workload]]], list[Workload]] = ({}, [])
        self.asks: dict[str, None] = {}
        """What the checks could not tell because the input did not show it, with what shows it."""
        self._link()

    def complete(self, kind: str) -> bool:
        """Every object of the kind was seen (the input listed it whole)."""
        return self.snapshot.complete(kind)

    def seen(self, kind: str, obj: JsonObject, fact: str) -> bool:
        """The input showed `fact` of `obj` (bot/cluster/seen.py): its absence can be read."""
        return self.snapshot.seen(kind, obj, fact)

    def ask(self, what: str) -> None:
        """A check could not tell `what`: the answer says what to run (kept once, in order)."""
        self.asks.setdefault(what, None)

    def _workload(self, kind: str, name: str, obj: JsonObject | None = None) -> Workload:
        """The workload KIND/NAME, made (and indexed by name) the first time it is asked for."""
        key = f"{kind.lower()}/{name}"
        if key not in self.workloads:
            self.workloads[key] = Workload(kind, name, obj if obj is not None else {})
            self._named.setdefault(name, []).append(self.workloads[key])
        return self.workloads[key]

    def _link(self) -> None:
        for kind, title in WORKLOAD_KINDS.items():
            for obj in self.snapshot.of(kind):
                self._workload(title, name_of(obj), obj)
        replicasets = {name_of(rs): controller_of(rs) for rs in self.snapshot.of("replicasets")}
        for pod in self.pods:
            workload = self._owner_of(pod, replicasets)
            workload.pods.append(pod)
            self._owner[name_of(pod)] = workload
        templates = LabelIndex([(w, w.labels) for w in self.workloads.values()])
        for service in self.services:
            selector = service_selector(service)
            found = {id(w): w for w in templates.selected(selector)}
            found.update((id(w), w) for p in self.selected(service) if (w := self.owner(p)))
            for workload in found.values():
                workload.services.append(service)
        for workload in self.workloads.values():
            for service in workload.services:
                self._backing.setdefault(id(service), []).append(workload)

    def _owner_of(
        self, pod: JsonObject, replicasets: dict[str, tuple[str, str] | None]
    ) -> Workload:
        owner = controller_of(pod)
        if owner is not None and owner[0] == "ReplicaSet":
            above = replicasets.get(owner[1]) or (
                ("Deployment", guess)
                if (guess := guessed_deployment(owner, labels_of(pod)))
                else None
            )
            if above is not None and above[0] == "Deployment":
                owner = above
        if owner is None:
            owner = self._by_prefix(name_of(pod))
        if owner is None:
            return self._workload("Pod", name_of(pod))
        return self._workload(owner[0], owner[1])

    def _by_prefix(self, pod: str) -> tuple[str, str] | None:
        """The workload whose name starts the pod's name (a pod read without its owner): the
        longest such name, the first workload of that name."""
        cut = len(pod)
        while (cut := pod.rfind("-", 0, cut)) > 0:
            if found := self._named.get(pod[:cut]):
                return found[0].kind, found[0].name
        return None

    def controller(self, kind: str, name: str) -> Workload | None:
        """The workload of a controller named in an event or a blocked row (a ReplicaSet's
        Deployment)."""
        if kind.lower() == "replicaset":
            head, _, rest = name.rpartition("-")
            found = self._named.get(head, []) if rest.isalnum() else []
            return found[0] if found else None
        return self.workloads.get(f"{kind.lower()}/{name}")

    @cached_property
    def _pods_by_name(self) -> dict[str, JsonObject]:
        return {name_of(p): p for p in self.pods}

    def pod(self, name: str) -> JsonObject | None:
        """The pod of that name (one being deleted is none)."""
        return self._pods_by_name.get(name)

    def owner(self, pod: JsonObject | str) -> Workload | None:
        return self._owner.get(pod if isinstance(pod, str) else name_of(pod))

    def known_as(self, workload: Workload) -> str:
        """What the user calls the workload: its Service ("service/NAME"), else itself (kept: a
        workload's Services are linked once, when the graph is built)."""
        known = self._known_as.get(id(workload))
        if known is None:
            known = self._known_as[id(workload)] = self._call_it(workload)
        return known

    def reached(self, reach: Collection[str]) -> list[Workload]:
        """The workloads `reach` names by reference or by what the user calls them, in graph order."""
        if len(self._reach_index[1]) != len(self.workloads):
            self._reach_index = self._index_references()
        index = self._reach_index[0]
        found = {at: workload for name in reach for at, workload in index.get(name, ())}
        return [found[at] for at in sorted(found)]

    def _index_references(self) -> tuple[dict[str, list[tuple[int, Workload]]], list[Workload]]:
        index: dict[str, list[tuple[int, Workload]]] = {}
        workloads = list(self.workloads.values())
        for at, workload in enumerate(workloads):
            for name in dict.fromkeys((workload.ref, self.known_as(workload))):
                index.setdefault(name, []).append((at, workload))
        return index, workloads

    def _call_it(self, workload: Workload) -> str:
        if workload.services:
            same = [s for s in workload.services if name_of(s) == workload.name]
            return f"service/{name_of((same or sorted(workload.services, key=name_of))[0])}"
        named = self.service(workload.name)
        return f"service/{workload.name}" if named is not None else workload.ref

    def workloads_by_name(self) -> dict[str, Workload]:
        return {w.name: w for w in self.workloads.values() if w.kind != "Pod"}

    def provided_names(self) -> frozenset[str]:
        """The names something in the namespace goes by besides a live Service: its workloads and
        the Services only a manifest declares."""
        return frozenset({*self.workloads_by_name(), *(name_of(s) for s in self.declared)})

    @cached_property
    def _services_by_name(self) -> dict[str, JsonObject]:
        found: dict[str, JsonObject] = {}
        for service in self.services:
            found.setdefault(name_of(service), service)
        return found

    def service(self, name: str) -> JsonObject | None:
        return self._services_by_name.get(name)

    def selected(self, service: JsonObject) -> list[JsonObject]:
        """The pods the Service's selector matches, in reading order."""
        key = id(service)
        if key not in self._selected:
            self._selected[key] = self._pods.selected(service_selector(service))
        return self._selected[key]

    def backing(self, service: JsonObject) -> list[Workload]:
        """The workloads whose pods (or template) the Service selects."""
        return list(self._backing.get(id(service), ()))

    @cached_property
    def _on_node(self) -> dict[str | None, list[JsonObject]]:
        found: dict[str | None, list[JsonObject]] = {}
        for pod in self.pods:
            found.setdefault((pod.get("spec") or {}).get("nodeName"), []).append(pod)
        return found

    def on_node(self, node: str) -> list[JsonObject]:
        return list(self._on_node.get(node, ()))

    def control_plane(self, node: JsonObject) -> bool:
        labels = labels_of(node)
        return any(role in labels for role in CONTROL_PLANE_ROLES) or labels.get(
            "kubernetes.io/role"
        ) in ("master", "control-plane")

    @cached_property
    def events(self) -> list[EventFacts]:
        return [event_facts(item) for item in self.snapshot.of("events")]

    @cached_property
    def _events(self) -> EventIndex:
        return EventIndex(self.events)

    @cached_property
    def ips(self) -> dict[str, str]:
        """IP -> the Service answering at it (service_ips), read once per walk."""
        return service_ips(self)

    def log_lines(self, workload: Workload) -> list[str]:
        """The lines of every read log of the workload's pods."""
        logs = self.snapshot.logs
        return [line for pod in workload.pods for line in logs.get(name_of(pod), "").splitlines()]

    @cached_property
    def _replicasets_of(self) -> dict[tuple[str, str] | None, list[str]]:
        found: dict[tuple[str, str] | None, list[str]] = {}
        for rs in self.snapshot.of("replicasets"):
            found.setdefault(controller_of(rs), []).append(name_of(rs))
        return found

    def events_of(self, kind: str, names: Iterable[str]) -> list[EventFacts]:
        return self._events.at(self._events.about(kind, names))

    def workload_events(self, workload: Workload) -> list[EventFacts]:
        """Events about the workload, its ReplicaSets and its pods."""
        index = self._events
        sets = self._replicasets_of.get((workload.kind, workload.name), [])
        return index.at(
            [
                *index.about("Pod", (name_of(p) for p in workload.pods)),
                *index.about("ReplicaSet", sets),
                *index.hashed(workload.name),
                *index.about(workload.kind, [workload.name]),
            ]
        )


def service_ips(graph: Graph) -> dict[str, str]:
    """IP -> the Service answering at it (its ClusterIP) or the Service of the pod at it."""
    found: dict[str, str] = {}
    for pod in graph.pods:
        ip, owner = (pod.get("status") or {}).get("podIP"), graph.owner(pod)
        if ip and owner is not None:
            found[str(ip)] = graph.known_as(owner).partition("/")[2]
    for service in graph.services:
        ip = (service.get("spec") or {}).get("clusterIP")
        if ip and ip != "None":
            found[str(ip)] = name_of(service)
    return found
