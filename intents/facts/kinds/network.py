"""Whether a pod network add-on runs: a listing of every namespace shows it."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, node


def check(rule: Rule, facts: Facts) -> str | None:
    found = node(facts)
    if found is None or found.no_pod_network != rule.no_pod_network:
        return None
    return (
        "no pod network add-on runs in any namespace"
        if found.no_pod_network
        else "a pod network add-on runs"
    )


KIND = FactKind(
    "network",
    120,
    "NodeFacts.no_pod_network",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "no_pod_network",
            bool | None,
            "No pod network add-on runs in the cluster while "
            "CoreDNS waits (a listing of every namespace).",
        ),
    ),
)
