"""Diagnose a namespace: every unhealthy pod with its top cause, worst first.

A controller that cannot create its pods at all (a ResourceQuota or an admission
webhook refuses them: FailedCreate on the ReplicaSet, StatefulSet, DaemonSet or
Job) leaves no pod to diagnose, so such controllers are rows too, judged from
their FailedCreate events, while they still lack pods.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

from bot.cluster.errors import ClusterError, NotRecorded
from bot.cluster.reader import ClusterReader, JsonObject, Kind
from bot.diagnosis.many import DEEP_LIMIT, ManyPods, assess_pods
from bot.diagnosis.pod import NO_PROBLEM, Judge
from bot.errors import ClusterUnavailable
from bot.evidence.common import event_facts, failure_reason, gap
from bot.evidence.events import MAX_EVENTS
from bot.evidence.health import FAILING
from bot.evidence.runner import DEFAULT_TIMEOUT
from intents.facts.model import EventFacts, OwnerFacts, PodFacts
from responses.diagnosis import Diagnosis, PodRow

MAX_PODS = 5000
CONTROLLERS: dict[str, Kind] = {
    "ReplicaSet": "replicasets",
    "StatefulSet": "statefulsets",
    "DaemonSet": "daemonsets",
    "Job": "jobs",
}
MAX_BLOCKED = 10
"""Controllers with FailedCreate events read per namespace diagnosis."""


def lacks_pods(kind: str, obj: JsonObject) -> bool:
    """The controller still has fewer pods than it wants (its FailedCreate is current)."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    if kind == "DaemonSet":
        return int(status.get("currentNumberScheduled") or 0) < int(
            status.get("desiredNumberScheduled") or 0
        )
    if kind == "Job":
        done = {c.get("type") for c in status.get("conditions") or [] if c.get("status") == "True"}
        wanted = spec.get("parallelism", 1)
        return not done & {"Complete", "Failed"} and int(status.get("active") or 0) < int(
            wanted or 0
        )
    return int(status.get("replicas") or 0) < int(spec.get("replicas", 1) or 0)


async def _blocked_row(
    reader: ClusterReader,
    namespace: str,
    kind: str,
    name: str,
    events: list[EventFacts],
    judge: Judge,
) -> PodRow | None:
    try:
        obj = await reader.get(CONTROLLERS[kind], name, namespace)
    except ClusterError:
        return None  # gone (an old ReplicaSet) or unreadable: its events are history
    if not lacks_pods(kind, obj):
        return None
    facts = PodFacts(
        namespace=namespace,
        name=name,
        phase="Pending",
        events=events,
        owners=[OwnerFacts(kind=kind, name=name)],
    )
    findings = judge.findings(facts, top=1)
    return PodRow(
        pod=f"{namespace}/{kind.lower()}/{name}",
        status="FailedCreate",
        severity=FAILING,
        finding=findings[0] if findings else None,
    )


async def blocked_controllers(
    reader: ClusterReader, namespace: str, *, judge: Judge
) -> tuple[list[PodRow], list[str]]:
    """Rows for the controllers whose pods are refused at creation, and the gaps."""
    try:
        items = await reader.list(
            "events", namespace, field_selector="reason=FailedCreate", limit=MAX_EVENTS
        )
    except ClusterError as exc:
        return [], [gap(f"FailedCreate events in namespace {namespace}", exc)]
    by_controller: dict[tuple[str, str], list[EventFacts]] = {}
    for item in items:
        event = event_facts(item)
        if event.type == "Warning" and event.object_kind in CONTROLLERS:
            by_controller.setdefault((event.object_kind, event.object_name), []).append(event)
    rows = await asyncio.gather(
        *(
            _blocked_row(reader, namespace, kind, name, events, judge)
            for (kind, name), events in list(by_controller.items())[:MAX_BLOCKED]
        )
    )
    return [row for row in rows if row is not None], []


def listed(unhealthy: str, deep: int, rows: int) -> str:
    """What the list of pods below shows, in numbers that agree with it."""
    if deep == rows:
        return f"{unhealthy}, each listed below with its likely cause, worst first"
    return (
        f"{unhealthy}, listed below worst first: the first {deep} with their likely cause, "
        f"the other {rows - deep} by status only (not diagnosed in depth)"
    )


def summary_notes(result: ManyPods, *, where: str, read_cap: int) -> tuple[str, ...]:
    """One line on what was looked at; 'no problem found' when nothing is unhealthy."""
    if not result.total:
        return (f"no pods {where}",)
    if not result.rows:
        return (f"{NO_PROBLEM}: all {result.total} pods {where} are healthy",)
    deep = sum(1 for row in result.rows if row.diagnosed)
    unhealthy = f"{len(result.rows)} of {result.total} pods {where} are unhealthy"
    recovered = sum(1 for row in result.rows if row.history)
    unhealthy += f" ({recovered} of them recovered since, listed last)" if recovered else ""
    notes = [listed(unhealthy, deep, len(result.rows))]
    if result.total >= read_cap:
        notes.append(f"only the first {read_cap} pods were read")
    return tuple(notes)


async def diagnose_namespace(
    reader: ClusterReader,
    namespace: str,
    *,
    judge: Judge,
    deep_limit: int = DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
    within: Callable[[str], bool] | None = None,
) -> Diagnosis:
    """List the namespace's pods (paginated, capped) and diagnose the unhealthy ones; `within`:
    only the rows it keeps ("ns/pod", "ns/kind/name"), the others never read in depth."""
    unseen: list[str] = []
    try:
        pods = await reader.list("pods", namespace, limit=MAX_PODS)
    except NotRecorded as exc:  # answered from what the input shows, the pods named unseen
        pods, unseen = [], [gap(f"pods in namespace {namespace}", exc)]
    except ClusterError as exc:
        raise ClusterUnavailable(
            f"cannot list pods in namespace {namespace} in cluster {reader.cluster_name}: "
            f"{failure_reason(exc)}"
        ) from exc
    if within is not None:
        pods = [p for p in pods if within(f"{namespace}/{(p.get('metadata') or {}).get('name')}")]
    result, (blocked, gaps) = await asyncio.gather(
        assess_pods(pods, reader=reader, judge=judge, deep_limit=deep_limit, timeout=timeout),
        blocked_controllers(reader, namespace, judge=judge),
    )
    blocked = [row for row in blocked if within is None or within(row.pod)]
    if blocked or gaps or unseen:
        result = replace(result, rows=(*blocked, *result.rows), gaps=(*unseen, *result.gaps, *gaps))
    notes = summary_notes(result, where=f"in namespace {namespace}", read_cap=MAX_PODS)
    if unseen:
        notes = (f"the pods of namespace {namespace} were not seen (no pod list in the input)",)
    if blocked:
        notes = (
            f"{len(blocked)} controller(s) in namespace {namespace} cannot create pods",
            *notes,
        )
    return result.diagnosis(f"namespace {namespace}", reader.cluster_name, notes)
