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
from bot.cluster.outputs.recording import ALL, Recording, View
from bot.cluster.outputs.row_pods import UNNAMED
from bot.cluster.reader import JsonObject

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
        clock.settle()
        for kind in self.objects.values():
            for obj in kind.values():
                clock.resolve(obj)
        _fill_pods(self)

    def _merge(self, view: View, default: str, clock: Clock) -> None:
        """Add one view, in the namespace it was in (`default` when the command said none)."""
        namespace = view.namespace or ("" if not kind_of(view.kind).namespaced else default)
        if namespace:
            view.obj["metadata"]["namespace"] = namespace
            if view.kind == "events":
                view.obj["involvedObject"].setdefault("namespace", namespace)
        found = self.objects.setdefault(view.kind, {})
        key = (namespace, view.name)
        if key in found:
            merge(found[key], view.obj, clock)
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


def _owner(store: Store, namespace: str, pod: str) -> JsonObject | None:
    """The ReplicaSet (or StatefulSet, DaemonSet, Job) a pod's name says it belongs to."""
    head = pod.rsplit("-", 1)[0]
    for kind in ("replicasets", "statefulsets", "daemonsets", "jobs"):
        if (owner := store.objects.get(kind, {}).get((namespace, head))) is not None:
            return owner
    return None


def _fill_pod(pod: JsonObject, owner: JsonObject) -> None:
    """What a table-only pod lacks, from its owner: the reference, the template's containers
    (and their names), service account, volumes, node selector and tolerations."""
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
    template = ((owner.get("spec") or {}).get("template") or {}).get("spec") or {}
    _inherit(pod["spec"], template)
    _name_containers(
        (pod.get("status") or {}).get("containerStatuses") or [], template.get("containers") or []
    )


def _inherit(spec: JsonObject, template: JsonObject) -> None:
    """The template's containers when the pod shows none, and what else the pod lacks."""
    if not spec.get("containers") and template.get("containers"):
        spec["containers"] = template["containers"]
    for field in ("serviceAccountName", "volumes", "nodeSelector", "tolerations"):
        if field in template and field not in spec:
            spec[field] = template[field]


def _name_containers(statuses: list[JsonObject], containers: list[JsonObject]) -> None:
    """The table's unnamed container statuses get the template's names, one for one."""
    if len(statuses) != len(containers):
        return
    for status, container in zip(statuses, containers, strict=True):
        if str(status.get("name", "")).startswith(UNNAMED):
            status["name"] = container.get("name", status["name"])


def _fill_pods(store: Store) -> None:
    for (namespace, name), pod in store.objects.get("pods", {}).items():
        pod.setdefault("spec", {})
        if (owner := _owner(store, namespace, name)) is not None:
            _fill_pod(pod, owner)
    for (namespace, name), rs in store.objects.get("replicasets", {}).items():
        meta = rs["metadata"]
        head = name.rsplit("-", 1)[0]
        deployment = store.objects.get("deployments", {}).get((namespace, head))
        if deployment is not None and not meta.get("ownerReferences"):
            meta["ownerReferences"] = [
                {"apiVersion": "apps/v1", "kind": "Deployment", "controller": True, "name": head}
            ]
