"""The objects of a recording, each made from every view of it, indexed for the reader.

Views are merged in order of richness, then of reading: a table row gives a pod's
status word, `-o wide` its node and IP, `--show-labels` its labels, describe its
containers and events, `-o yaml` everything; each richer (or later) view wins field
by field, and maps that are whole values (labels, selectors, data) are replaced, not
mixed.  Then what a view could not say is filled where the recording says it
elsewhere: a table-only pod's owner and container names from its ReplicaSet.
"""

from __future__ import annotations

from typing import Any

from bot.cluster.outputs.ages import Clock, Stamp
from bot.cluster.outputs.kinds import kind_of
from bot.cluster.outputs.recording import ALL, DESCRIBE, Recording, View
from bot.cluster.outputs.row_pods import UNNAMED
from bot.cluster.reader import JsonObject
from bot.cluster.seen import (
    CONTAINER_SPECS,
    LABELS,
    PHASE,
    PORT_NAMES,
    TEMPLATE,
    UNSEEN,
    mark,
    merged,
    seen,
    shown,
    unseen,
)

WHOLE = frozenset(
    {
        "labels",
        "annotations",
        "selector",
        "nodeSelector",
        "matchLabels",
        "matchExpressions",
        "data",
        "hard",
        "used",
    }
)
Key = tuple[str, str]


def merge(into: dict[str, Any], view: dict[str, Any], clock: Clock) -> None:
    """Merge `view` over `into` in place: dicts key by key, anything else replaced."""
    for key, value in view.items():
        kind = type(value)
        if kind is dict and key not in WHOLE:
            old = into.get(key)
            if type(old) is dict:
                merge(old, value, clock)
                continue
        elif kind is Stamp and type(old := into.get(key)) is Stamp:
            clock.pair(old, value)
        into[key] = value


class Store:
    """Objects by kind and (namespace, name), and which listings were complete."""

    def __init__(self, rec: Recording, clock: Clock) -> None:
        default = rec.default_namespace()
        self.objects: dict[str, dict[Key, JsonObject]] = {}
        for view in sorted(rec.views, key=lambda v: v.rank):
            self._merge(view, default, clock)
        self.listings = {
            (kind, ALL if not kind_of(kind).namespaced else ns or default)
            for kind, ns in rec.listings
            if kind not in rec.dropped  # a listing read in part shows some, not all
        }
        self.absent = {(kind, ns or default, name) for kind, ns, name in rec.absent}
        for kind in self.objects.values():
            for obj in kind.values():
                clock.collect(obj)
        clock.settle()
        for kind in self.objects.values():
            for obj in kind.values():
                clock.resolve(obj)
        for view in rec.unnamed:  # (a paste reads their facts too)
            clock.resolve(view.obj)
        _fill_pods(self)
        self.unseen: dict[tuple[str, str, str], frozenset[str]] = {
            (kind, ns, name): frozenset(found)
            for kind, objects in self.objects.items()
            for (ns, name), obj in objects.items()
            if (found := obj.pop(UNSEEN, None))
        }
        """What no view of each object showed (kind, namespace, name), taken off the objects:
        they are handed out exactly as the API would give them."""

    def _merge(self, view: View, default: str, clock: Clock) -> None:
        """Add one view, in the namespace it was in (`default` when the command said none)."""
        namespace = view.namespace or ("" if not kind_of(view.kind).namespaced else default)
        if namespace:
            _place(view, namespace)
        found = self.objects.setdefault(view.kind, {})
        key = (namespace, view.name)
        if key in found:
            left = merged(found[key], view.obj)
            if view.kind == "pods":
                _carry_pod(found[key], view)
            merge(found[key], view.obj, clock)
            mark(found[key], left or ())
        else:
            found[key] = view.obj

    def namespaces(self) -> list[str]:
        found = {ns for kind in self.objects.values() for ns, _ in kind if ns}
        found |= {ns for _, ns in self.listings if ns != ALL}
        return sorted(found)

    def of(self, kind: str, namespace: str | None) -> list[JsonObject]:
        objects = self.objects.get(kind, {})
        if namespace is None or not kind_of(kind).namespaced:
            return list(objects.values())
        return [obj for (ns, _), obj in objects.items() if ns == namespace]

    def said_absent(self, kind: str, namespace: str | None, name: str) -> bool:
        """kubectl answered `not found` for this object."""
        scope = namespace if kind_of(kind).namespaced else ALL
        return (kind, scope or "", name) in self.absent

    def listed(self, kind: str, namespace: str | None) -> bool:
        """The recording holds every object of `kind` in `namespace` (or in all)."""
        if (kind, ALL) in self.listings:
            return True
        return namespace is not None and (kind, namespace) in self.listings


def store_of(rec: Recording, clock: Clock) -> Store:
    """The recording's store, made once on `clock` (merging a view changes the objects: a second
    store of the same views would merge them again)."""
    if rec.merged is None:
        rec.merged = Store(rec, clock)
    assert isinstance(rec.merged, Store)
    return rec.merged


def carry_last_state(old: JsonObject, new: JsonObject) -> None:
    """A later look at a pod (`get pods -w`, a second listing) whose container is no longer
    terminated keeps the earlier end as its last state, as the kubelet would report it."""
    for key in ("containerStatuses", "initContainerStatuses"):
        before = (old.get("status") or {}).get(key) or []
        after = (new.get("status") or {}).get(key) or []
        for was, now in zip(before, after, strict=False):
            ended = (was.get("state") or {}).get("terminated")
            if (
                ended
                and was.get("name") == now.get("name")
                and "terminated" not in (now.get("state") or {})
                and not (now.get("lastState") or {}).get("terminated", {}).get("reason")
            ):
                now["lastState"] = {"terminated": dict(ended)}


_STATUSES = ("containerStatuses", "initContainerStatuses")


def carry_row_failure(old: JsonObject, new: JsonObject) -> None:
    """A row's failing container (its STATUS says the state, not which container) that a richer
    view of the pod shows no trace of while not every container it shows is ready (a describe cut
    short, a container it does not reach): kept, unnamed. What the row showed is not unsaid by a
    view that did not show it."""
    shown = [s for key in _STATUSES for s in (new.get("status") or {}).get(key) or []]
    if not shown or all(s.get("ready") for s in shown):
        return
    reasons = {_reason(s) for s in shown}
    for key in _STATUSES:
        for was in (old.get("status") or {}).get(key) or []:
            if was.get("name") == UNNAMED and (reason := _reason(was)) and reason not in reasons:
                new.setdefault("status", {}).setdefault(key, []).append(was)


def _reason(status: JsonObject) -> str:
    """The reason (or exit code) of a container's waiting or terminated state; "" when running."""
    state = status.get("state") or {}
    detail = state.get("waiting") or state.get("terminated") or {}
    return str(detail.get("reason") or detail.get("exitCode") or "")


def _owner(store: Store, namespace: str, pod: str) -> JsonObject | None:
    """The ReplicaSet (or StatefulSet, DaemonSet, Job) a pod's name says it belongs to; the
    Deployment its name says made it (`web-7d4b9c8f6-x2k9p`) when its ReplicaSet is not shown."""
    head = pod.rsplit("-", 1)[0]
    for kind in ("replicasets", "statefulsets", "daemonsets", "jobs"):
        if (owner := store.objects.get(kind, {}).get((namespace, head))) is not None:
            return owner
    hashed, _, template_hash = head.rpartition("-")
    if hashed and template_hash.isalnum():
        return store.objects.get("deployments", {}).get((namespace, hashed))
    return None


def _fill_pod(pod: JsonObject, owner: JsonObject, stamped: JsonObject | None) -> None:
    """What a table-only pod lacks, from its owner: the reference, the template's containers
    (and their names), service account, volumes, node selector and tolerations; from
    `stamped`, the template a controller's view showed whole, its labels and containers."""
    meta = pod["metadata"]
    if not meta.get("ownerReferences"):
        meta["ownerReferences"] = [
            {
                "apiVersion": owner.get("apiVersion"),
                "kind": owner.get("kind"),
                "controller": True,
                "name": owner["metadata"]["name"],
            }
        ]
    template = _template(stamped or owner)
    _inherit(pod["spec"], template.get("spec") or {})
    if stamped is not None:  # what the controller stamps on every pod it makes
        if not seen(pod, LABELS):
            meta["labels"] = dict((template.get("metadata") or {}).get("labels") or {})
        names = () if PORT_NAMES in unseen(stamped) else (PORT_NAMES,)
        shown(pod, (LABELS, CONTAINER_SPECS, *names))
        _name_ports(pod["spec"].get("containers") or [], _containers(template))
    _name_containers(
        (pod.get("status") or {}).get("containerStatuses") or [],
        (template.get("spec") or {}).get("containers") or [],
    )


def _template(controller: JsonObject) -> JsonObject:
    template: JsonObject = (controller.get("spec") or {}).get("template") or {}
    return template


def _stamped(store: Store, namespace: str, owner: JsonObject) -> JsonObject | None:
    """The owner, or its Deployment, when a view showed its pod template whole."""
    above = [
        store.objects.get(ref.get("kind", "").lower() + "s", {}).get((namespace, ref.get("name")))
        for ref in owner["metadata"].get("ownerReferences") or []
    ]
    return next((c for c in (owner, *above) if c is not None and seen(c, TEMPLATE)), None)


def _inherit(spec: JsonObject, template: JsonObject) -> None:
    """The template's containers when the pod shows none, and what else the pod lacks."""
    if not spec.get("containers") and template.get("containers"):
        spec["containers"] = template["containers"]
    for field in ("serviceAccountName", "volumes", "nodeSelector", "tolerations"):
        if field in template and field not in spec:
            spec[field] = template[field]


def _containers(template: JsonObject) -> list[JsonObject]:
    containers: list[JsonObject] = (template.get("spec") or {}).get("containers") or []
    return containers


def _port_names(template: JsonObject) -> dict[tuple[Any, Any], Any]:
    """(containerPort, protocol) -> name of a template container's named ports."""
    return {
        (p.get("containerPort"), p.get("protocol", "TCP")): p["name"]
        for p in template.get("ports") or []
        if p.get("name")
    }


def _place(view: View, namespace: str) -> None:
    """A view's object (and an event's involved object) in its namespace."""
    view.obj["metadata"]["namespace"] = namespace
    involved = view.obj.get("involvedObject") if view.kind == "events" else None
    if isinstance(involved, dict):
        involved.setdefault("namespace", namespace)


def _carry_pod(earlier: JsonObject, view: View) -> None:
    """What a pod's earlier view showed that a later one of it must not lose."""
    carry_last_state(earlier, view.obj)
    if view.rank >= DESCRIBE:
        carry_row_failure(earlier, view.obj)
    if PHASE in unseen(view.obj):  # a describe cut before its Status
        view.obj.get("status", {}).pop("phase", None)


def _name_ports(containers: list[JsonObject], stamped: list[JsonObject]) -> None:
    """A described pod's ports (`3000/TCP`: describe prints no port name) get the names its
    controller's template gives the same container's same port."""
    by_name = {c.get("name"): c for c in stamped}
    for container in containers:
        names = _port_names(by_name.get(container.get("name")) or {})
        for port in container.get("ports") or []:
            key = (port.get("containerPort"), port.get("protocol", "TCP"))
            if not port.get("name") and key in names:
                port["name"] = names[key]


def _name_containers(statuses: list[JsonObject], containers: list[JsonObject]) -> None:
    """The table's unnamed container statuses get the template's names, one for one."""
    if len(statuses) != len(containers):
        return
    for status, container in zip(statuses, containers, strict=True):
        if str(status.get("name", "")).startswith(UNNAMED):
            status["name"] = container.get("name", status["name"])


def _fill_pods(store: Store) -> None:
    for (namespace, name), rs in store.objects.get("replicasets", {}).items():
        meta = rs["metadata"]
        head = name.rsplit("-", 1)[0]
        deployment = store.objects.get("deployments", {}).get((namespace, head))
        if deployment is not None and not meta.get("ownerReferences"):
            meta["ownerReferences"] = [
                {"apiVersion": "apps/v1", "kind": "Deployment", "controller": True, "name": head}
            ]
    for (namespace, name), pod in store.objects.get("pods", {}).items():
        pod.setdefault("spec", {})
        if (owner := _owner(store, namespace, name)) is not None:
            _fill_pod(pod, owner, _stamped(store, namespace, owner))
