"""Unhealthy pods, judged by the pod judge (bot/diagnosis/pod.py), attributed to their workload.

The namespace diagnosis already judged each unhealthy pod in depth; its top cause becomes a
clue on the workload's Service (what the user sees broken), naming the workload to change. A
symptom entry (a crash loop, a Service without endpoints) stays a symptom for the ranking.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import NOT_RUNNING, Clue, SymptomClass
from bot.diagnosis.suspects.graph import Graph
from intents.advice import primary_step
from intents.findings import Finding
from responses.diagnosis import PodRow

RESTART_ENTRIES = frozenset(
    {
        "oom-killed",
        "crashloop-backoff",
        "liveness-probe-failed",
        "exit-code-137-sigkill",
        "exit-code-143-sigterm",
        "pod-sandbox-oom",
    }
)
SYMPTOM_ENTRIES = frozenset(
    {
        "crashloop-backoff",
        "service-endpoints-empty",
        "deployment-progress-deadline",
        "kubectl-logs-container-waiting",
    }
)
NODE_CONDITIONS = {
    "node-disk-pressure": "DiskPressure",
    "node-memory-pressure": "MemoryPressure",
    "pid-exhaustion": "PIDPressure",
    "node-not-ready": "Ready",
}
"""Entries that are a node's fault: named by the node whose condition shows it."""
PENALTY = 0.1
"""A pod judge's finding is about one pod: a little below what a check confirms for the object."""


def _classes(entry: str) -> frozenset[SymptomClass]:
    if entry in RESTART_ENTRIES:
        return frozenset(("restarts", "errors", "unavailable", "unreachable"))
    return NOT_RUNNING


def _node_at_fault(graph: Graph, entry: str, pod: str) -> str | None:
    """The node a node-level cause is on: the pod's own, or the one node showing the condition."""
    condition = NODE_CONDITIONS.get(entry)
    if condition is None:
        return None
    bad = "False" if condition == "Ready" else "True"
    showing = [
        name
        for name, node in graph.nodes.items()
        if any(
            c.get("type") == condition and c.get("status") in (bad, "Unknown")
            for c in (node.get("status") or {}).get("conditions") or []
        )
    ]
    own = next(
        (
            (p.get("spec") or {}).get("nodeName")
            for p in graph.pods
            if (p.get("metadata") or {}).get("name") == pod
        ),
        None,
    )
    if own in showing:
        return str(own)
    return showing[0] if len(showing) == 1 else None


def check(graph: Graph, rows: Sequence[PodRow]) -> list[Clue]:
    clues = []
    for row in rows:
        finding = row.finding
        if finding is None:
            continue
        pod = row.pod.rpartition("/")[2]
        parts = row.pod.split("/")  # "ns/pod", or "ns/replicaset/name" for a blocked controller
        workload = graph.owner(pod) if len(parts) == 2 else graph.controller(parts[1], parts[2])
        if workload is None or (len(parts) == 3 and len(workload.pods) >= workload.wanted):
            continue  # a refusal the workload has since got past (its pods exist)
        entry = finding.match.id
        root = entry not in SYMPTOM_ENTRIES and not finding.because
        chain = workload_chain(
            graph, workload, f"pod {pod}: {row.status}", finding.match.entry.title
        )
        weight = (
            finding.match.score - PENALTY
            if finding.confirmed
            else finding.match.score - 2 * PENALTY
        )
        node = _node_at_fault(graph, entry, pod)
        clues.append(
            Clue(
                entry,
                f"node/{node}" if node else graph.known_as(workload),
                f"node/{node}" if node else workload.ref,
                finding.evidence,
                chain,
                _fix(finding, workload.ref),
                weight,
                root=root,
                classes=_classes(entry),
                names=names(graph, workload),
                affects=affected(graph, [workload]),
                why=(f"the pod judge's cause for pod {pod}",),
            )
        )
    return clues


def _fix(finding: Finding, ref: str) -> str:
    """The entry's one step for this case, said about the workload to change."""
    steps = finding.match.entry.fix
    chosen = primary_step(steps, "\n".join(finding.evidence))
    return f"{ref}: {steps[chosen].text}" if chosen is not None else f"Fix {ref}"
