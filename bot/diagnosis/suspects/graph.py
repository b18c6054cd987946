"""The namespace as a graph: Services -> pods -> owners -> nodes, claims, accounts.

Built once from a `Snapshot`, so every check asks the same questions the same way: which pods
a Service selects, which workload owns a pod, which Service a workload is known by (the name
the user and Cloud-OpsBench give a broken workload), where its pods run.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.evidence.common import event_facts
from bot.evidence.owners import controller_of, guessed_deployment
from intents.facts.model import EventFacts

WORKLOAD_KINDS = {
    "deployments": "Deployment",
    "statefulsets": "StatefulSet",
    "daemonsets": "DaemonSet",
}
CONTROL_PLANE_ROLES = ("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master")


def meta(obj: JsonObject) -> JsonObject:
    return obj.get("metadata") or {}


def name_of(obj: JsonObject) -> str:
    return str(meta(obj).get("name") or "")


def labels_of(obj: JsonObject) -> dict[str, str]:
    return {str(k): str(v) for k, v in (meta(obj).get("labels") or {}).items()}


def selects(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """A non-empty equality selector matching the labels."""
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def service_selector(service: JsonObject) -> dict[str, str]:
    return {str(k): str(v) for k, v in ((service.get("spec") or {}).get("selector") or {}).items()}


@dataclass
class Workload:
    """A controller and its pods (a bare pod is its own workload)."""

    kind: str
    name: str
    obj: JsonObject = field(default_factory=dict)
    pods: list[JsonObject] = field(default_factory=list)
    services: list[JsonObject] = field(default_factory=list)

    @property
    def ref(self) -> str:
        """KIND/NAME as kubectl names it ("deployment/checkout")."""
        return f"{self.kind.lower()}/{self.name}"

    @property
    def template(self) -> JsonObject:
        """The pod template (metadata, spec); a pod's own when the controller's is not known."""
        template = (self.obj.get("spec") or {}).get("template") or {}
        if (template.get("spec") or {}).get("containers"):
            return template
        newest = self.pods[-1] if self.pods else {}
        return {"metadata": meta(newest), "spec": newest.get("spec") or {}}

    @property
    def spec(self) -> JsonObject:
        spec: JsonObject = self.template.get("spec") or {}
        return spec

    @property
    def labels(self) -> dict[str, str]:
        labels = labels_of(self.template)
        return labels or (labels_of(self.pods[0]) if self.pods else {})

    @property
    def containers(self) -> list[JsonObject]:
        return [c for c in self.spec.get("containers") or [] if isinstance(c, dict)]

    @property
    def wanted(self) -> int:
        """Replicas the controller wants (DaemonSet: nodes it should run on)."""
        spec, status = self.obj.get("spec") or {}, self.obj.get("status") or {}
        if self.kind == "DaemonSet":
            return int(status.get("desiredNumberScheduled") or len(self.pods))
        if self.kind == "Pod":
            return 1
        return int(spec.get("replicas", 1) if spec.get("replicas") is not None else 1)

    @property
    def ready(self) -> int:
        return sum(1 for pod in self.pods if pod_ready(pod))


def live(obj: JsonObject) -> bool:
    """Read from a cluster (the API server stamps every object it stores), not from a manifest."""
    return bool(meta(obj).get("creationTimestamp"))


def pod_ready(pod: JsonObject) -> bool:
    status = pod.get("status") or {}
    if status.get("phase") != "Running":
        return False
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            return bool(condition.get("status") == "True")
    statuses = status.get("containerStatuses") or []
    return bool(statuses) and all(s.get("ready") for s in statuses)


class Graph:
    """The namespace's objects and the relations the checks ask about."""

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
        self._owner: dict[str, Workload] = {}
        self._link()

    def _link(self) -> None:
        for kind, title in WORKLOAD_KINDS.items():
            for obj in self.snapshot.of(kind):
                self.workloads[f"{title.lower()}/{name_of(obj)}"] = Workload(
                    title, name_of(obj), obj
                )
        replicasets = {name_of(rs): controller_of(rs) for rs in self.snapshot.of("replicasets")}
        for pod in self.pods:
            workload = self._owner_of(pod, replicasets)
            workload.pods.append(pod)
            self._owner[name_of(pod)] = workload
        for workload in self.workloads.values():
            labels = workload.labels
            workload.services = [
                s
                for s in self.services
                if selects(service_selector(s), labels)
                or any(selects(service_selector(s), labels_of(p)) for p in workload.pods)
            ]

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
            return self.workloads.setdefault(f"pod/{name_of(pod)}", Workload("Pod", name_of(pod)))
        key = f"{owner[0].lower()}/{owner[1]}"
        return self.workloads.setdefault(key, Workload(owner[0], owner[1]))

    def _by_prefix(self, pod: str) -> tuple[str, str] | None:
        """The workload whose name starts the pod's name (a pod read without its owner)."""
        found = [w for w in self.workloads.values() if pod.startswith(w.name + "-")]
        if not found:
            return None
        best = max(found, key=lambda w: len(w.name))
        return best.kind, best.name

    def controller(self, kind: str, name: str) -> Workload | None:
        """The workload of a controller named in an event or a blocked row (a ReplicaSet's
        Deployment)."""
        if kind.lower() == "replicaset":
            found = [w for w in self.workloads.values() if _hashed(name, w.name)]
            return found[0] if found else None
        return self.workloads.get(f"{kind.lower()}/{name}")

    def owner(self, pod: JsonObject | str) -> Workload | None:
        return self._owner.get(pod if isinstance(pod, str) else name_of(pod))

    def known_as(self, workload: Workload) -> str:
        """What the user calls the workload: its Service ("service/NAME"), else itself."""
        if workload.services:
            same = [s for s in workload.services if name_of(s) == workload.name]
            return f"service/{name_of((same or sorted(workload.services, key=name_of))[0])}"
        named = self.service(workload.name)
        return f"service/{workload.name}" if named is not None else workload.ref

    def workloads_by_name(self) -> dict[str, Workload]:
        return {w.name: w for w in self.workloads.values() if w.kind != "Pod"}

    def service(self, name: str) -> JsonObject | None:
        return next((s for s in self.services if name_of(s) == name), None)

    def selected(self, service: JsonObject) -> list[JsonObject]:
        selector = service_selector(service)
        return [pod for pod in self.pods if selects(selector, labels_of(pod))]

    def backing(self, service: JsonObject) -> list[Workload]:
        """The workloads whose pods (or template) the Service selects."""
        return [w for w in self.workloads.values() if any(s is service for s in w.services)]

    def on_node(self, node: str) -> list[JsonObject]:
        return [pod for pod in self.pods if (pod.get("spec") or {}).get("nodeName") == node]

    def control_plane(self, node: JsonObject) -> bool:
        labels = labels_of(node)
        return any(role in labels for role in CONTROL_PLANE_ROLES) or labels.get(
            "kubernetes.io/role"
        ) in ("master", "control-plane")

    @cached_property
    def events(self) -> list[EventFacts]:
        return [event_facts(item) for item in self.snapshot.of("events")]

    def events_of(self, kind: str, names: Iterable[str]) -> list[EventFacts]:
        wanted = set(names)
        return [e for e in self.events if e.object_kind == kind and e.object_name in wanted]

    def workload_events(self, workload: Workload) -> list[EventFacts]:
        """Events about the workload, its ReplicaSets and its pods."""
        pods = {name_of(p) for p in workload.pods}
        sets = {
            name_of(rs)
            for rs in self.snapshot.of("replicasets")
            if controller_of(rs) == (workload.kind, workload.name)
        }
        return [
            e
            for e in self.events
            if (e.object_kind == "Pod" and e.object_name in pods)
            or (
                e.object_kind == "ReplicaSet"
                and (e.object_name in sets or _hashed(e.object_name, workload.name))
            )
            or (e.object_kind == workload.kind and e.object_name == workload.name)
        ]


def _hashed(name: str, workload: str) -> bool:
    """`name` is the workload's name and one hash ("checkout-7d9f8c6b5")."""
    rest = name[len(workload) + 1 :] if name.startswith(workload + "-") else ""
    return bool(rest) and rest.isalnum()
