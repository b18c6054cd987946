"""When each failure began, as far as the input tells, and what "now" is for it.

The objects carry their own times: a pod's Ready condition says since when it is not ready, a
Warning event since when it repeats (its first time), a Deployment's Available condition since
when it lacks pods, a node's Ready condition since when it is down, an Endpoints' last change
since when a Service is empty. "Now" is the moment the input shows (bot/cluster/moments.py): a
recording's own time, whatever day it is read, and a live cluster's now.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from functools import lru_cache

from bot.cluster.moments import moment
from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, meta, pod_ready
from intents.policy import POLICY

ENDPOINTS_CHANGED = "endpoints.kubernetes.io/last-change-trigger-time"


@lru_cache(maxsize=4)
def as_of(graph: Graph) -> datetime:
    """The moment the snapshot shows (its reader's, bot/cluster/moments.py); for one made
    without a reader, the latest moment its objects show (the newest event, else pod)."""
    if graph.snapshot.as_of is not None:
        return graph.snapshot.as_of
    seen = [moment(e.last_seen) for e in graph.events]
    seen += [moment(meta(p).get("creationTimestamp")) for p in graph.pods]
    known = [when for when in seen if when is not None]
    return max(known) if known else datetime.now(UTC)


def recent(graph: Graph, value: object) -> bool:
    """The moment is within an hour (POLICY.recent_restart) of the input's now, or unknown."""
    when = value if isinstance(value, datetime) else moment(value)
    return when is None or (as_of(graph) - when).total_seconds() <= POLICY.recent_restart


def _condition(obj: JsonObject, kind: str) -> JsonObject | None:
    conditions = (obj.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == kind), None)


def _pod_since(pod: JsonObject) -> datetime | None:
    """Since when an unready pod is not ready: its Ready condition's change, else its creation."""
    if pod_ready(pod):
        return None
    ready = _condition(pod, "Ready")
    if ready is not None and ready.get("status") != "True":
        changed = moment(ready.get("lastTransitionTime"))
        if changed is not None:
            return changed
    return moment(meta(pod).get("creationTimestamp"))


def _workload_times(graph: Graph, workload: Workload) -> Iterator[datetime | None]:
    yield from (_pod_since(p) for p in workload.pods)
    yield from (
        moment(e.first_seen) for e in graph.workload_events(workload) if e.type == "Warning"
    )
    available = _condition(workload.obj, "Available")
    if available is not None and available.get("status") == "False":
        yield moment(available.get("lastTransitionTime"))


def _workloads(graph: Graph, clue: Clue) -> list[Workload]:
    reach = clue.reach | {clue.resource}
    return graph.reached(reach)


def _object_times(graph: Graph, clue: Clue) -> Iterable[datetime | None]:
    kind, _, name = clue.object.partition("/")
    if kind == "node" and name in graph.nodes:
        ready = _condition(graph.nodes[name], "Ready")
        if ready is not None and ready.get("status") != "True":
            return [moment(ready.get("lastTransitionTime"))]
        return []
    endpoints = graph.endpoints.get(name) if kind == "service" else None
    if endpoints is not None and not any(
        s.get("addresses") for s in endpoints.get("subsets") or []
    ):  # emptied then: when its last address went
        annotations = meta(endpoints).get("annotations") or {}
        return [moment(annotations.get(ENDPOINTS_CHANGED))]
    return []


def began(graph: Graph, clue: Clue) -> datetime | None:
    """When the failure the clue names began, as far as the input tells (None: it does not)."""
    times = [t for w in _workloads(graph, clue) for t in _workload_times(graph, w)]
    times += list(_object_times(graph, clue))
    known = [t for t in times if t is not None]
    return min(known) if known else None


def duration(seconds: float) -> str:
    """ "3 days", "5 hours", "12 minutes": how long, in the largest unit that fits."""
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {unit}{'s' if count > 1 else ''}"
    return f"{int(seconds)} seconds"


def stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
