"""Autoscaling: a HorizontalPodAutoscaler that cannot read the metrics it scales on.

An HPA without metrics does not fail anything by itself: it stops scaling, and the workload it
should grow stays at its size while load rises, so users see it slow down or time out. The HPA
says so in its own status (ScalingActive=False, FailedGetResourceMetric: "missing request for
cpu", "unable to fetch metrics from resource metrics API") and in its Warning events; the
objects show one cause without them: a utilization target on a resource some container of the
target does not request. An HPA whose status says it scales again is history, whatever its old
events say.
"""

from __future__ import annotations

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected, mapping, mappings, names
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of

FAILED = (
    "FailedGetResourceMetric",
    "FailedGetContainerResourceMetric",
    "FailedGetPodsMetric",
    "FailedGetObjectMetric",
    "FailedGetExternalMetric",
    "FailedComputeMetricsReplicas",
)
"""The HPA controller's reasons (condition and event) for a metric it could not read."""


def _condition(hpa: JsonObject, kind: str) -> JsonObject | None:
    return next((c for c in mappings(hpa, "status", "conditions") if c.get("type") == kind), None)


def _said(graph: Graph, hpa: JsonObject) -> str | None:
    """What the HPA itself says of a metric it cannot read: its condition, else its newest
    Warning event (unless its condition says it scales again)."""
    active = _condition(hpa, "ScalingActive")
    if active is not None and active.get("status") == "False" and active.get("reason") in FAILED:
        return f"ScalingActive=False {active['reason']}: {active.get('message') or ''}".strip()
    if active is not None and active.get("status") == "True":
        return None  # it reads its metrics now: older events are history
    events = [
        e for e in graph.events_of("HorizontalPodAutoscaler", [name_of(hpa)]) if e.reason in FAILED
    ]
    return f"event {events[-1].reason}: {events[-1].message}" if events else None


def _unrequested(hpa: JsonObject, workload: Workload) -> str | None:
    """A utilization target on a resource some container of the target does not request."""
    for metric in mappings(hpa, "spec", "metrics"):
        source = mapping(metric, "resource")
        if (
            metric.get("type") != "Resource"
            or mapping(source, "target").get("type") != "Utilization"
        ):
            continue
        resource = str(source.get("name") or "")
        for container in workload.containers:
            if "resources" not in container:
                continue  # not shown (a describe without requests prints none): not absent
            if resource not in mapping(container, "resources", "requests"):
                return f"container {container.get('name')} requests no {resource}"
    return None


def _clue(
    graph: Graph, hpa: JsonObject, workload: Workload | None, said: str, weight: float
) -> Clue:
    ref = f"horizontalpodautoscaler/{name_of(hpa)}"
    shown = graph.known_as(workload) if workload is not None else ref
    head = (shown, ref) if shown != ref else (ref,)
    return Clue(
        "hpa_metrics_missing",
        shown,
        ref,
        (f"HPA {name_of(hpa)}: {said[:300]}",),
        (*head, "cannot read its metrics: it does not scale"),
        weight,
        affects=affected(graph, [workload]) if workload is not None else frozenset(),
        classes=frozenset({"latency", "unavailable"}),
        names=(names(graph, workload) if workload is not None else frozenset()) | {name_of(hpa)},
        why=("the autoscaler cannot read its metrics, so the workload does not grow with load",),
        fix_names={
            "hpa": name_of(hpa),
            "namespace": graph.namespace,
            **({"workload": workload.ref} if workload is not None else {}),
        },
    )


def check(graph: Graph) -> list[Clue]:
    clues = []
    for hpa in graph.snapshot.of("horizontalpodautoscalers"):
        target = mapping(hpa, "spec", "scaleTargetRef")
        workload = graph.workloads.get(f"{str(target.get('kind')).lower()}/{target.get('name')}")
        said = _said(graph, hpa)
        if said is not None:
            clues.append(_clue(graph, hpa, workload, said, CONFIRMED))
            continue
        active = _condition(hpa, "ScalingActive")
        missing = _unrequested(hpa, workload) if workload is not None else None
        if missing is not None and (active is None or active.get("status") != "True"):
            clues.append(_clue(graph, hpa, workload, missing, OBSERVED))
    return clues
