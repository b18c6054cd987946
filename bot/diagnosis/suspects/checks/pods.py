"""Unhealthy pods, judged by the pod judge (bot/diagnosis/pod.py), attributed to their workload.

The namespace diagnosis already judged each unhealthy pod in depth; its top cause becomes a
clue on the workload's Service (what the user sees broken), naming the workload to change. A
symptom entry (a crash loop, a Service without endpoints) stays a symptom for the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import NOT_RUNNING, Clue, SymptomClass
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.history import contradicted
from bot.diagnosis.suspects.times import as_of
from bot.diagnosis.suspects.workloads import name_of
from bot.evidence.events import superseded as refusals_superseded
from bot.evidence.history import Past, object_past, run_ended_before, run_ended_long_ago
from intents.app_cause import read_app_cause
from intents.policy import POLICY
from intents.schema import CatalogEntry
from responses.diagnosis import PodRow

RESTARTING: frozenset[SymptomClass] = frozenset(
    ("restarts", "errors", "unavailable", "unreachable")
)


def _restarted(pod: JsonObject | None) -> bool:
    """The pod's containers have restarted: what it shows from outside is restarts."""
    statuses = ((pod or {}).get("status") or {}).get("containerStatuses") or []
    return any(int(s.get("restartCount") or 0) > 0 for s in statuses)


def _holds(declared: str, condition: JsonObject) -> bool:
    """A node `watch:` condition ("DiskPressure=True", "Ready!=True") holds on a node condition."""
    negated = "!=" in declared
    kind, value = declared.split("!=" if negated else "=", 1)
    status = condition.get("status")
    return condition.get("type") == kind and (status != value if negated else status == value)


def _node_at_fault(graph: Graph, entry: CatalogEntry, pod: JsonObject | None) -> str | None:
    """The node a node's cause is on (the catalog's node `watch:` says which condition shows
    it): the pod's own, or the one node showing the condition."""
    declared = [t.node_condition for t in entry.watch if t.kind == "node" and t.node_condition]
    if not declared:
        return None
    showing = [
        name
        for name, node in graph.nodes.items()
        if any(
            _holds(d, c)
            for d in declared
            for c in (node.get("status") or {}).get("conditions") or []
        )
    ]
    own = ((pod or {}).get("spec") or {}).get("nodeName")
    if own in showing:
        return str(own)
    return showing[0] if len(showing) == 1 else None


def superseded(graph: Graph, kind: str, name: str) -> bool:
    """The controller's refusals are history: a SuccessfulCreate came at or after the last of
    them (a ServiceAccount created a moment after its Deployment, a quota raised)."""
    said = [e for e in graph.events if e.object_kind.lower() == kind and e.object_name == name]
    refused = [e for e in said if e.reason == "FailedCreate"]
    return bool(refused) and len(refusals_superseded(said)) == len(refused)


DNS_UNSEEN = (
    "the cluster DNS's pods and endpoints (kubectl get pods,endpoints -n kube-system "
    "-l k8s-app=kube-dns)"
)


def _dns_unseen(graph: Graph, entry: CatalogEntry) -> tuple[str, ...]:
    """A name that does not resolve is the cluster DNS's or the name's, not the pod's own: where
    the input does not show the cluster DNS, a cause resting on it is asked about, not stated."""
    said = any(rule.app_cause == "name-not-resolved" for rule in entry.evidence)
    shown = {"cluster-dns", "cluster-dns-endpoints"} & set(graph.snapshot.system)
    return (DNS_UNSEEN,) if said and not shown else ()


def run_over(graph: Graph, pod: JsonObject) -> str:
    """Why a finished run's failure is history ("" when it is not): it ended long before the
    input's time, or before the trouble seen now on other objects began."""
    owners = (pod.get("metadata") or {}).get("ownerReferences") or []
    own = {name_of(pod), *(str(r.get("name", "")) for r in owners)}
    return run_ended_long_ago(pod, as_of(graph), POLICY.walk_chronic_gap) or run_ended_before(
        pod, graph.events, own
    )


def _recovered(graph: Graph, pod: JsonObject | None, entry: CatalogEntry) -> Past:
    """What the present says of the pod's failure: Running and ready since after its failures,
    for long enough to call them over or not yet, and its current log not stating now the cause
    the entry names (nothing when it is current)."""
    if pod is None:
        return Past()
    over = run_over(graph, pod)
    if over:
        return Past(over=over)
    said = read_app_cause(graph.snapshot.logs.get(name_of(pod), ""))
    if (
        said is not None
        and entry.symptom is None
        and any(rule.app_cause == said.kind for rule in entry.evidence)
    ):
        return Past()  # the log states the cause now (a crash loop's or a probe's is over)
    return object_past(pod, graph.events_of("Pod", [name_of(pod)]), as_of(graph))


def check(graph: Graph, rows: Sequence[PodRow]) -> list[Clue]:
    clues = []
    for row in rows:
        finding = row.finding
        if finding is None:
            continue
        pod = row.pod.rpartition("/")[2]
        parts = row.pod.split("/")  # "ns/pod", or "ns/replicaset/name" for a blocked controller
        workload = graph.owner(pod) if len(parts) == 2 else graph.controller(parts[1], parts[2])
        if workload is None or (
            len(parts) == 3
            and (len(workload.pods) >= workload.wanted or superseded(graph, parts[1], parts[2]))
        ):
            continue  # a refusal the workload has since got past (its pods exist, or were made)
        entry = finding.match.entry
        obj = graph.pod(pod)
        root = entry.symptom is None and not finding.because
        chain = workload_chain(graph, workload, f"pod {pod}: {row.status}", entry.title)
        penalty = POLICY.walk_judge_penalty * (1 if finding.confirmed else 2)
        node = _node_at_fault(graph, entry, obj)
        past = _recovered(graph, obj, entry)
        weight = finding.match.score - penalty
        if past.soon:  # ready since: not said high until it is told whether it got past them
            weight = min(weight, POLICY.walk_ready_cap)
        clues.append(
            Clue(
                "",
                f"node/{node}" if node else graph.known_as(workload),
                f"node/{node}" if node else workload.ref,
                finding.evidence,
                chain,
                weight,
                root=root,
                classes=RESTARTING if _restarted(obj) else NOT_RUNNING,
                names=names(graph, workload),
                affects=affected(graph, [workload]),
                why=(f"the pod judge's cause for pod {pod}", *([past.soon] if past.soon else [])),
                entry=entry.id,
                history=contradicted(graph, finding.evidence) or past.over,
                unseen=_dns_unseen(graph, entry),
            )
        )
    return clues
