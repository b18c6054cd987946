"""Scheduling checks: why a workload's pods get no node, read from FailedScheduling.

The scheduler's message counts nodes per reason ("1 node(s) were unschedulable, 3 node(s)
didn't match Pod's node affinity/selector"). Reasons that only the control plane explains (a
cordoned or tainted control-plane node refuses every workload) are set aside; what is left is
the cause, and the pod's own spec says which one of a pair (a nodeSelector or a node affinity).
A scheduling fault is named by the workload's Service.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import CONFIRMED, Clue
from bot.diagnosis.suspects.graph import Graph, Workload, name_of
from intents.facts.model import EventFacts

_REASON = re.compile(r"(?P<count>\d+) (?:node\(s\) )?(?P<reason>[^,]+)")
_TAINT = re.compile(r"untolerated taint\(?s?\)? \{(?P<key>[^:}]+)")


@dataclass(frozen=True)
class Reason:
    """One reason the scheduler gave, the catalog id for it and its order of precedence."""

    entry: str
    label: str
    rank: int


REASONS: tuple[tuple[re.Pattern[str], Reason], ...] = (
    (
        re.compile(
            r"were unschedulable|untolerated taint\(?s?\)? \{node\.kubernetes\.io/unschedulable"
        ),
        Reason("pending-node-unschedulable", "cordoned node", 0),
    ),
    (re.compile(r"untolerated taint"), Reason("pending-untolerated-taint", "untolerated taint", 1)),
    (
        re.compile(r"didn't match Pod's node affinity|node\(s\) didn't match node selector"),
        Reason("pending-node-selector-mismatch", "node affinity/selector", 2),
    ),
    (
        re.compile(r"Insufficient (?:cpu|memory|ephemeral-storage|pods|[\w./-]+)"),
        Reason("pending-insufficient-resources", "insufficient resources", 3),
    ),
    (
        re.compile(
            r"didn't match pod (?:anti-)?affinity|didn't satisfy existing pods' anti-affinity"
        ),
        Reason("pending-inter-pod-affinity", "pod (anti-)affinity", 4),
    ),
    (
        re.compile(r"volume node affinity conflict"),
        Reason("pending-volume-node-affinity-conflict", "volume node affinity", 5),
    ),
    (re.compile(r"didn't have free ports"), Reason("pending-host-port-conflict", "host port", 6)),
    (re.compile(r"Too many pods"), Reason("too-many-pods", "too many pods", 7)),
)


def _reasons(message: str) -> list[tuple[int, str]]:
    """(nodes, reason) pairs of the message's first part (before "preemption:")."""
    head = message.split("preemption:")[0].partition(":")[2]
    return [
        (int(m.group("count")), m.group("reason").strip().rstrip("."))
        for m in _REASON.finditer(head)
    ]


def _explained_by_control_plane(graph: Graph, reason: str) -> int:
    """How many nodes of this reason are control-plane nodes refusing every workload."""
    planes = [n for n in graph.nodes.values() if graph.control_plane(n)]
    if "unschedulable" in reason:
        return sum(1 for n in planes if (n.get("spec") or {}).get("unschedulable"))
    if "untolerated taint" in reason:
        key = m.group("key").strip() if (m := _TAINT.search(reason)) else ""
        return sum(
            1
            for n in planes
            if any(t.get("key") == key for t in (n.get("spec") or {}).get("taints") or [])
        )
    return 0


def _cause(graph: Graph, message: str) -> tuple[Reason, str] | None:
    found = []
    for count, reason in _reasons(message):
        left = count - _explained_by_control_plane(graph, reason)
        if left <= 0:
            continue
        kind = next((r for pattern, r in REASONS if pattern.search(reason)), None)
        if kind is not None:
            found.append(
                (kind.rank, kind, f"{count} node(s) {reason}" if "node" not in reason else reason)
            )
    if not found:
        return None
    best = min(found, key=lambda f: f[0])
    return best[1], best[2]


def _detail(graph: Graph, reason: Reason, text: str, spec: JsonObject) -> tuple[str, str, str]:
    """(evidence, resource to change, fix) for the cause, in the pod spec's own terms."""
    node_names = sorted(graph.nodes)
    if reason.entry == "pending-node-unschedulable":
        cordoned = [
            n
            for n, o in graph.nodes.items()
            if (o.get("spec") or {}).get("unschedulable") and not graph.control_plane(o)
        ]
        target = cordoned[0] if cordoned else (node_names[0] if node_names else "NODE")
        return (
            f"cordoned node(s): {', '.join(cordoned) or 'unknown'}",
            f"node/{target}",
            f"Uncordon the node: kubectl uncordon {' '.join(cordoned) or target}",
        )
    if reason.entry == "pending-untolerated-taint":
        key = m.group("key").strip() if (m := _TAINT.search(text)) else "KEY"
        return (
            f"the pods tolerate no taint {key}",
            f"node/{node_names[0]}" if node_names else "node",
            (
                f"Remove the taint {key} from the nodes (kubectl taint nodes --all {key}-) or add "
                "a "
                f"toleration for {key} to the workload"
            ),
        )
    if reason.entry == "pending-node-selector-mismatch":
        selector = spec.get("nodeSelector") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
        if required:
            return (
                "the pod's required node affinity matches no schedulable node",
                "",
                (
                    "Fix the workload's nodeAffinity so it matches a node's labels (kubectl get "
                    "nodes "
                    "--show-labels)"
                ),
            )
        shown = ",".join(f"{k}={v}" for k, v in selector.items())
        return (
            f"the pod's nodeSelector {shown} matches no schedulable node",
            "",
            (
                f"Fix the workload's nodeSelector {shown} to labels a node has (kubectl get nodes "
                "--show-labels), or label a node"
            ),
        )
    if reason.entry == "pending-insufficient-resources":
        what = (
            m.group(0)
            if (m := re.search(r"Insufficient [\w./-]+", text))
            else "Insufficient resources"
        )
        return (
            f"{what}: no node has room for the pod's requests",
            "",
            "Lower the workload's resource requests or add node capacity",
        )
    return (reason.label, "", f"Change the workload so the scheduler can place it ({reason.label})")


def _failed(graph: Graph, workload: Workload) -> EventFacts | None:
    events = [
        e
        for e in graph.events_of("Pod", [name_of(p) for p in workload.pods])
        if e.reason == "FailedScheduling"
    ]
    return events[-1] if events else None


CONDITION_TAINTS = {
    "node.kubernetes.io/disk-pressure": "node-disk-pressure",
    "node.kubernetes.io/memory-pressure": "node-memory-pressure",
    "node.kubernetes.io/pid-pressure": "pid-exhaustion",
    "node.kubernetes.io/not-ready": "node-not-ready",
    "node.kubernetes.io/unreachable": "node-not-ready",
}
"""Taints the node controller adds for a condition: the node's state is the cause, not the
pod's tolerations."""


def _condition_node(graph: Graph, text: str) -> tuple[str, str] | None:
    """(entry, node) when the untolerated taint is one a node's condition put there."""
    key = m.group("key").strip() if (m := _TAINT.search(text)) else ""
    if key not in CONDITION_TAINTS:
        return None
    tainted = [
        n
        for n, o in graph.nodes.items()
        if any(t.get("key") == key for t in (o.get("spec") or {}).get("taints") or [])
    ]
    return (CONDITION_TAINTS[key], tainted[0]) if len(tainted) == 1 else None


def check(graph: Graph) -> list[Clue]:
    clues = []
    for workload in graph.workloads.values():
        pending = [
            p
            for p in workload.pods
            if (p.get("status") or {}).get("phase") == "Pending"
            and not (p.get("spec") or {}).get("nodeName")
        ]
        event = _failed(graph, workload) if pending else None
        cause = _cause(graph, event.message) if event is not None else None
        if event is None or cause is None:
            continue
        reason, text = cause
        spec = {
            **(pending[0].get("spec") or {}),
            **{
                k: v
                for k, v in workload.spec.items()
                if k in ("nodeSelector", "affinity", "tolerations")
            },
        }
        evidence, resource, fix = _detail(graph, reason, text, spec)
        at_node = (
            _condition_node(graph, text) if reason.entry == "pending-untolerated-taint" else None
        )
        if at_node is not None:
            entry, node = at_node
            evidence = f"node {node} carries the condition's taint: the node is the cause"
            clues.append(
                Clue(
                    entry,
                    f"node/{node}",
                    f"node/{node}",
                    (f"pod {name_of(pending[0])} FailedScheduling: {event.message}", evidence),
                    (f"node/{node}", text, f"{workload.ref} cannot be placed"),
                    f"Relieve node {node}'s condition: kubectl describe node {node}",
                    CONFIRMED,
                    affects=affected(graph, [workload]),
                    names=names(graph, workload) | {node},
                    explains=frozenset({"pod-evicted", "pending-untolerated-taint"}),
                    why=("a node condition's taint keeps the pod off the node",),
                )
            )
            continue
        clues.append(
            Clue(
                reason.entry,
                graph.known_as(workload),
                resource or workload.ref,
                (f"pod {name_of(pending[0])} FailedScheduling: {event.message}", evidence),
                workload_chain(graph, workload, f"pod {name_of(pending[0])} Pending", text),
                f"{workload.ref}: {fix}" if not resource else fix,
                CONFIRMED,
                names=names(graph, workload),
                affects=affected(graph, [workload]),
                why=(f"the scheduler's reason once the control plane's own is set aside: {text}",),
            )
        )
    return clues
