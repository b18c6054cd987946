"""Scheduling checks: why a workload's pods get no node, read from FailedScheduling.

The scheduler's message counts nodes per reason ("1 node(s) were unschedulable, 3 node(s)
didn't match Pod's node affinity/selector"). Reasons that only the control plane explains (a
cordoned or tainted control-plane node refuses every workload) are set aside; of what is left,
the cause is the clause intents.scheduling puts first, the one the pod's own answer leads with,
so the two never disagree; the pod's own spec says which one of a pair (a nodeSelector or a
node affinity).
A scheduling fault is named by the workload's Service; the resource to change is the node for a
cordon, the workload for an untolerated taint (a toleration, not the taint's removal, since the
taint is usually there on purpose).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.cluster.reader import JsonObject
from bot.cluster.seen import CONTAINER_SPECS, TEMPLATE
from bot.diagnosis.suspects.checks.common import affected, names, workload_chain
from bot.diagnosis.suspects.clues import CONFIRMED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.facts.model import EventFacts
from intents.scheduling import CONTROL_PLANE, clauses, ordered
from intents.walk_findings import WalkFinding

_TAINT = re.compile(r"untolerated taint\(?s?\)? \{(?P<key>[^:}]+)")


@dataclass(frozen=True)
class Reason:
    """One reason the scheduler gave, the walk's finding for it and its order of precedence."""

    finding: WalkFinding
    label: str
    rank: int


REASONS: tuple[tuple[re.Pattern[str], Reason], ...] = (
    (
        re.compile(
            r"were unschedulable|untolerated taint\(?s?\)? \{node\.kubernetes\.io/unschedulable"
        ),
        Reason("node_cordoned", "cordoned node", 0),
    ),
    (re.compile(r"untolerated taint"), Reason("taint_untolerated", "untolerated taint", 1)),
    (
        re.compile(r"didn't match Pod's node affinity|node\(s\) didn't match node selector"),
        Reason("node_selector_unmatched", "node affinity/selector", 2),
    ),
    (
        re.compile(r"Insufficient (?:cpu|memory|ephemeral-storage|pods|[\w./-]+)"),
        Reason("resources_insufficient", "insufficient resources", 3),
    ),
    (
        re.compile(
            r"didn't match pod (?:anti-)?affinity|didn't satisfy existing pods' anti-affinity"
        ),
        Reason("pod_affinity_unmatched", "pod (anti-)affinity", 4),
    ),
    (
        re.compile(r"volume node affinity conflict"),
        Reason("volume_node_affinity", "volume node affinity", 5),
    ),
    (re.compile(r"didn't have free ports"), Reason("host_port_taken", "host port", 6)),
    (re.compile(r"Too many pods"), Reason("node_pods_full", "too many pods", 7)),
)


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
    """The reason the pod answer leads with too (intents.scheduling: the clause whose fix lets the
    pod schedule, never the control plane's own taint beside another), less the clauses only the
    control-plane nodes the graph shows explain; None when only the control plane refuses it."""
    kept = [c for c in clauses(message) if c.nodes > _explained_by_control_plane(graph, c.text)]
    for clause in ordered(kept):
        if clause.tier == CONTROL_PLANE:
            return None
        kind = next((r for pattern, r in REASONS if pattern.search(clause.text)), None)
        if kind is not None:
            reason = clause.text.rstrip(".")
            return kind, reason if "node" in reason else f"{clause.nodes} node(s) {reason}"
    return None


Detail = tuple[WalkFinding, str, str, dict[str, str]]
"""(finding, evidence, resource to change ("" for the workload), names for its fix)."""


def _detail(
    graph: Graph, reason: Reason, text: str, spec: JsonObject, *, spec_seen: bool = True
) -> Detail:
    """What the cause is in the pod spec's own terms (`spec_seen`: the input showed it)."""
    node_names = sorted(graph.nodes)
    if reason.finding == "node_cordoned":
        cordoned = [
            n
            for n, o in graph.nodes.items()
            if (o.get("spec") or {}).get("unschedulable") and not graph.control_plane(o)
        ]
        target = cordoned[0] if cordoned else (node_names[0] if node_names else "NODE")
        return (
            reason.finding,
            f"cordoned node(s): {', '.join(cordoned) or 'unknown'}",
            f"node/{target}",
            {"node": target},
        )
    if reason.finding == "taint_untolerated":
        key = m.group("key").strip() if (m := _TAINT.search(text)) else ""
        tainted = [
            n
            for n, o in graph.nodes.items()
            if any(t.get("key") == key for t in (o.get("spec") or {}).get("taints") or [])
        ]
        return (
            reason.finding,
            f"the pods tolerate no taint {key or '(unknown)'}"
            + (f" (on node {', '.join(tainted)})" if tainted else ""),
            "",
            {"taint-key": key, **({"node": tainted[0]} if tainted else {})},
        )
    if reason.finding == "node_selector_unmatched":
        selector = spec.get("nodeSelector") or {}
        required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
            "requiredDuringSchedulingIgnoredDuringExecution"
        )
        if required or (not selector and spec_seen):
            # an empty nodeSelector refuses no node: the affinity (describe never prints it) did
            return (
                "node_affinity_unmatched",
                "the pod's required node affinity matches no schedulable node",
                "",
                {},
            )
        shown = ",".join(f"{k}={v}" for k, v in selector.items())
        return (
            reason.finding,
            f"the pod's nodeSelector {shown} matches no schedulable node",
            "",
            {"selector": shown},
        )
    if reason.finding == "resources_insufficient":
        what = (
            m.group(0)
            if (m := re.search(r"Insufficient [\w./-]+", text))
            else "Insufficient resources"
        )
        return reason.finding, f"{what}: no node has room for the pod's requests", "", {}
    return reason.finding, reason.label, "", {}


def _failed(graph: Graph, workload: Workload) -> EventFacts | None:
    events = [
        e
        for e in graph.events_of("Pod", [name_of(p) for p in workload.pods])
        if e.reason == "FailedScheduling"
    ]
    return events[-1] if events else None


CONDITION_TAINTS = {
    "node.kubernetes.io/disk-pressure": ("DiskPressure", "True"),
    "node.kubernetes.io/memory-pressure": ("MemoryPressure", "True"),
    "node.kubernetes.io/pid-pressure": ("PIDPressure", "True"),
    "node.kubernetes.io/not-ready": ("Ready", "False"),
    "node.kubernetes.io/unreachable": ("Ready", "Unknown"),
}
"""Taints the node controller adds for a condition (condition, status): the node's state is the
cause, not the pod's tolerations (the catalog's node `watch:` says which entry names it)."""


def _condition_node(graph: Graph, text: str) -> tuple[str, str] | None:
    """(condition as "Type=Status", node) when the untolerated taint is a node condition's."""
    key = m.group("key").strip() if (m := _TAINT.search(text)) else ""
    if key not in CONDITION_TAINTS:
        return None
    tainted = [
        n
        for n, o in graph.nodes.items()
        if any(t.get("key") == key for t in (o.get("spec") or {}).get("taints") or [])
    ]
    kind, status = CONDITION_TAINTS[key]
    return (f"{kind}={status}", tainted[0]) if len(tainted) == 1 else None


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
        spec = _scheduling_spec(workload, pending[0])
        seen = _spec_seen(graph, workload, pending[0])
        finding, evidence, resource, fix_names = _detail(graph, reason, text, spec, spec_seen=seen)
        unseen = () if seen or finding != "node_selector_unmatched" else _unseen(graph, pending[0])
        at_node = _condition_node(graph, text) if finding == "taint_untolerated" else None
        if at_node is not None:
            condition, node = at_node
            clues.append(
                Clue(
                    "",
                    f"node/{node}",
                    f"node/{node}",
                    (
                        f"pod {name_of(pending[0])} FailedScheduling: {event.message}",
                        f"node {node} carries the condition's taint: the node is the cause",
                    ),
                    (f"node/{node}", text, f"{workload.ref} cannot be placed"),
                    CONFIRMED,
                    affects=affected(graph, [workload]),
                    names=names(graph, workload) | {node},
                    why=("a node condition's taint keeps the pod off the node",),
                    condition=condition,
                )
            )
            continue
        clues.append(
            Clue(
                finding,
                graph.known_as(workload),
                resource or workload.ref,
                (f"pod {name_of(pending[0])} FailedScheduling: {event.message}", evidence),
                workload_chain(graph, workload, f"pod {name_of(pending[0])} Pending", text),
                CONFIRMED,
                names=names(graph, workload),
                affects=affected(graph, [workload]),
                why=(f"the scheduler's reason once the control plane's own is set aside: {text}",),
                fix_names={"workload": workload.ref, "namespace": graph.namespace, **fix_names},
                pending=len(pending),
                unseen=unseen,
            )
        )
    return clues


def _scheduling_spec(workload: Workload, pod: JsonObject) -> JsonObject:
    """The pod's spec with its workload's scheduling fields (nodeSelector, affinity, tolerations)."""
    wanted = ("nodeSelector", "affinity", "tolerations")
    return {
        **(pod.get("spec") or {}),
        **{k: v for k, v in workload.spec.items() if k in wanted},
    }


def _unseen(graph: Graph, pod: JsonObject) -> tuple[str, ...]:
    name = name_of(pod)
    return (
        (
            f"pod {name}'s nodeSelector and affinity "
            f"(kubectl get pod {name} -n {graph.namespace} -o yaml)"
        ),
    )


def _spec_seen(graph: Graph, workload: Workload, pod: JsonObject) -> bool:
    """The input showed the pod's spec (its describe or manifest, or its template's): an empty
    nodeSelector there is seen empty."""
    template_seen = bool(workload.obj) and graph.seen(
        f"{workload.kind.lower()}s", workload.obj, TEMPLATE
    )
    return graph.seen("pods", pod, CONTAINER_SPECS) or template_seen
