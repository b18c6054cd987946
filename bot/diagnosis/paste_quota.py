"""A quota with no room for an object a paste declares and the cluster does not have.

The API server refuses a Service or a claim whose count or storage would push a ResourceQuota
past its hard limit; `kubectl apply` prints the refusal once and no event records it. Afterwards
a paste shows the pieces: the manifest that declares the object, a listing of its kind without
it (or a message saying it is not found), and `kubectl get resourcequota` with usage that leaves
less room than the object needs (one more Service; one more claim and its requested storage).
Together they are the refusal (`QuotaFacts.refused`), which confirms and states
resource-quota-exceeded.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.cluster.outputs.recording import MANIFEST, TABLE, WIDE, Recording, View
from bot.cluster.outputs.store import Store
from bot.cluster.reader import JsonObject
from bot.cluster.seen import QUOTAS
from bot.diagnosis.paste_model import Subject
from bot.evidence.common import quantity
from intents.facts.model import PodFacts, QuotaFacts
from intents.lazy_re import lazy_compile

COUNTED = {"services": "Service", "persistentvolumeclaims": "PersistentVolumeClaim"}
"""Kinds a count quota refuses without an event (pods are refused with FailedCreate)."""
_NOT_FOUND = lazy_compile(
    r'\b(persistentvolumeclaims?|services?) "([a-z0-9][a-z0-9.-]{0,252})" not found'
)
Room = tuple[str, str, float, float, str]
"""(quota, resource, used, hard, "used/hard" as printed)."""


@dataclass(frozen=True)
class Declared:
    """An object a manifest in the paste declares (as written: no status, nothing the API sets)."""

    resource: str
    name: str
    storage: str = ""
    """A claim's requested storage, as written."""

    def needs(self) -> dict[str, float]:
        """What the object adds to a quota's usage."""
        need = {self.resource: 1.0}
        if self.storage:
            need["requests.storage"] = quantity(self.storage)
        return need


def declared(views: Iterable[View]) -> list[Declared]:
    """The Services and claims the paste's manifests declare (read before the store merges
    them with what the cluster reported)."""
    found = []
    for view in views:
        if view.kind in COUNTED and view.rank == MANIFEST and _as_written(view.obj):
            spec = view.obj.get("spec") or {}
            storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
            found.append(Declared(view.kind, view.name, str(storage or "")))
    return list(dict.fromkeys(found))


def _as_written(obj: JsonObject) -> bool:
    meta = obj.get("metadata") or {}
    assigned = any(meta.get(key) for key in ("uid", "creationTimestamp", "resourceVersion"))
    return "status" not in obj and not assigned


def listed(views: Iterable[View], rec: Recording) -> dict[str, set[str]]:
    """The names each kind's listings show (a table of it, or a listing that found none)."""
    names: dict[str, set[str]] = {kind: set() for kind, _ns in rec.listings if kind in COUNTED}
    for view in views:
        if view.kind in COUNTED and view.rank in (TABLE, WIDE):
            names.setdefault(view.kind, set()).add(view.name)
    return names


def said_missing(lines: Sequence[str], rec: Recording) -> set[tuple[str, str]]:
    """(kind, name) of the objects a message says are not found (the scheduler's
    `persistentvolumeclaim "x" not found`, kubectl's `services "x" not found`)."""
    found = {(kind, name) for kind, _ns, name in rec.absent}
    for line in lines:
        if "not found" in line:
            for kind, name in _NOT_FOUND.findall(line):
                found.add((kind.rstrip("s") + "s", name))
    return found


def room(store: Store) -> list[Room]:
    """Every `resource: used/hard` pair of the paste's quotas."""
    pairs = []
    for (_namespace, name), quota in store.objects.get("resourcequotas", {}).items():
        status = quota.get("status") or {}
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for key, limit in hard.items():
            if key in used:
                shown = f"{used[key]}/{limit}"
                pairs.append((name, key, quantity(used[key]), quantity(limit), shown))
    return pairs


def _absent(item: Declared, names: dict[str, set[str]], missing: set[tuple[str, str]]) -> bool:
    """A declared object the paste shows absent: a message says so, or its kind's listing lacks it."""
    return (item.resource, item.name) in missing or (
        item.resource in names and item.name not in names[item.resource]
    )


def refusals(
    objects: list[Declared],
    names: dict[str, set[str]],
    missing: set[tuple[str, str]],
    usage: Sequence[Room],
) -> dict[str, list[str]]:
    """Quota name -> what it refused: a declared object absent from the paste (a listing of its
    kind without it, or a message saying it is not found) that the quota has no room for."""
    refused: dict[str, list[str]] = {}
    for item in objects:
        absent = _absent(item, names, missing)
        for quota, resource, used, hard, shown in usage if absent else ():
            need = item.needs().get(resource)
            if need is not None and hard > 0 and used + need > hard:
                refused.setdefault(quota, []).append(
                    f"{COUNTED[item.resource]} {item.name} "
                    f"(needs {item.storage or 1} of {resource}, at {shown})"
                )
    return refused


def refused_subjects(
    store: Store,
    objects: list[Declared],
    names: dict[str, set[str]],
    missing: set[tuple[str, str]],
    shape: str,
) -> list[Subject]:
    """Each quota's refusals as a subject (none without quotas and manifests). `objects`,
    `names` and `missing` are read from the recording's views before the store merged them."""
    usage = room(store)
    found = refusals(objects, names, missing, usage) if usage and objects else {}
    return [
        Subject(
            f"ResourceQuota {quota}",
            shape,
            PodFacts(namespace="", name=quota, quotas=[QuotaFacts(quota, refused=tuple(what))]),
            {QUOTAS},
            False,
        )
        for quota, what in found.items()
    ]
