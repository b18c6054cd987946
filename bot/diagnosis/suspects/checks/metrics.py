"""Metrics, where the input gives them: `kubectl top` and firing alerts are measured facts.

A container at its CPU limit (`kubectl top pods` against the pod's limits) is throttled by it;
a firing alert the catalog claims (`alerts:`, intents/alert_map.py) names its entry on the
object its labels name. Without metrics a fault that shows only in them (CPU throttling,
latency, packet loss) gets no guess: the walk says it needs metrics instead (`needs_metrics`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected, names
from bot.diagnosis.suspects.checks.pods import run_over
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.symptom import Symptom
from bot.diagnosis.suspects.workloads import Workload, name_of
from bot.evidence.common import quantity
from intents.alert_map import AlertIndex
from intents.policy import POLICY

SLOWNESS = frozenset({"latency"})
"""Symptom classes that only metrics can explain when the objects all look healthy."""


def _cpu_limit(pod: JsonObject) -> float:
    """The pod's CPU limit in cores (0: some container has none, so no ceiling)."""
    limits = [
        quantity(((c.get("resources") or {}).get("limits") or {}).get("cpu", 0))
        for c in (pod.get("spec") or {}).get("containers") or []
    ]
    return sum(limits) if limits and all(limits) else 0.0


def cpu_clues(graph: Graph) -> list[Clue]:
    """Pods whose `kubectl top` CPU reaches POLICY.walk_cpu_saturated of their CPU limit."""
    pods = {name_of(p): p for p in graph.pods}
    clues = []
    for row in graph.snapshot.metrics or []:
        pod = pods.get(str(row.get("name"))) if row.get("kind") in (None, "pods") else None
        if pod is None:
            continue
        workload, limit = graph.owner(pod), _cpu_limit(pod)
        used = quantity(row.get("cpu") or 0)
        if workload is None or not limit or used < POLICY.walk_cpu_saturated * limit:
            continue
        said = f"pod {name_of(pod)} uses {row.get('cpu')} CPU of its {limit:g}-core limit (kubectl top)"
        clues.append(_clue(graph, workload, said, OBSERVED))
    return clues


def _clue(graph: Graph, workload: Workload, said: str, weight: float, entry: str = "") -> Clue:
    return Clue(
        "cpu_at_limit" if not entry else "",
        graph.known_as(workload),
        workload.ref,
        (said,),
        (graph.known_as(workload), workload.ref, said),
        weight,
        classes=frozenset({"latency", "errors"}),
        names=names(graph, workload),
        affects=affected(graph, [workload]),
        why=("measured: the input's metrics show it",),
        fix_names={"workload": workload.ref, "namespace": graph.namespace},
        entry=entry,
    )


def _subject(graph: Graph, labels: dict[str, str]) -> Workload | None:
    """The workload an alert's labels name: its pod, its deployment, its Service."""
    if labels.get("pod") and (owner := graph.owner(labels["pod"])) is not None:
        return owner
    by_name = graph.workloads_by_name()
    for key in ("deployment", "statefulset", "daemonset", "workload", "service", "job_name"):
        if labels.get(key) in by_name:
            return by_name[labels[key]]
    service = graph.service(labels.get("service", ""))
    backing = graph.backing(service) if service is not None else []
    return backing[0] if backing else None


def _firing(graph: Graph) -> Iterator[tuple[str, dict[str, str], JsonObject]]:
    for alert in graph.snapshot.alerts or []:
        labels = alert.get("labels") or {}
        namespace = labels.get("namespace")
        if labels.get("alertname") and namespace in (None, "", graph.namespace):
            yield str(labels["alertname"]), labels, alert


def alert_clues(graph: Graph, index: AlertIndex) -> list[Clue]:
    """Firing alerts the catalog claims, each on the workload its labels name."""
    clues = []
    for name, labels, alert in _firing(graph):
        claim = index.claim_for(name, labels)
        workload = _subject(graph, labels) if claim is not None else None
        if claim is None or workload is None:
            continue
        said = (alert.get("annotations") or {}).get("description") or ""
        shown = f"alert {name} firing" + (f": {said}" if said else "")
        clue = _clue(graph, workload, shown, CONFIRMED, entry=claim.entry_id)
        clues.append(replace(clue, history=_runs_over(graph, workload)))
    return clues


def _runs_over(graph: Graph, workload: Workload) -> str:
    """Why an alert on a run that has finished is history: every pod of it ended, and the
    newest ended before the trouble seen now (""  when one still runs, or the input cannot tell)."""
    over = [run_over(graph, pod) for pod in workload.pods]
    return over[-1] if over and all(over) else ""


def needs_metrics(graph: Graph, symptom: Symptom, stated: bool) -> str | None:
    """What to say when the symptom is one only metrics show and nothing explains it."""
    if (
        stated
        or not (symptom.classes & SLOWNESS)
        or graph.snapshot.metrics
        or graph.snapshot.alerts
    ):
        return None
    return (
        f"this needs metrics: the objects show nothing that explains it; give `kubectl top pods "
        f"-n {graph.namespace}` or the firing alerts (`amtool alert query -o json`)"
    )
