"""The node the pod runs on (or the node diagnosed): conditions, taints, how full it is."""

from __future__ import annotations

from intents.facts.kind import Condition, FactKind, Facts, Rule, RuleField, node
from intents.facts.model import NodeFacts


def _condition(wanted: str, found: NodeFacts) -> str | None:
    kind, status = wanted.split("=")
    condition = found.condition(kind)
    if condition is None or condition.status != status:
        return None
    return f"condition {kind}={status}" + (f" ({condition.message})" if condition.message else "")


def _taint(wanted: str, found: NodeFacts) -> str | None:
    return next((t for t in found.taints if wanted in (t, t.split(":")[0])), None)


def check(rule: Rule, facts: Facts) -> str | None:
    found = node(facts)
    if found is None:
        return None
    parts: list[str] = []
    if rule.node_condition is not None:
        if (condition := _condition(rule.node_condition, found)) is None:
            return None
        parts.append(condition)
    if rule.node_taint is not None:
        if (taint := _taint(rule.node_taint, found)) is None:
            return None
        parts.append(f"taint {taint}")
    if rule.node_pods_full is not None:
        if found.pods_full != rule.node_pods_full:
            return None
        parts.append(f"runs {found.pod_count} pods of {found.allocatable.get('pods', 0):g} allowed")
    # a pasted Conditions table names no node: say "the node's", never "node  condition"
    return (f"node {found.name} " if found.name else "the node's ") + ", ".join(parts)


KIND = FactKind(
    "node",
    40,
    "NodeFacts (PodFacts.node)",
    __doc__ or "",
    check=check,
    context=True,
    fields=(
        RuleField(
            "node_condition",
            Condition | None,
            "`Type=Status` of a node condition (DiskPressure=True).",
            refutes=True,
        ),
        RuleField(
            "node_taint", str | None, "A taint of the node: its key, or `key:Effect`.", refutes=True
        ),
        RuleField(
            "node_pods_full",
            bool | None,
            "The node runs as many pods as its allocatable 'pods'.",
            refutes=True,
        ),
    ),
)
