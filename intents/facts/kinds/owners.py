"""The pod's owner chain and related objects: kind, conditions, deletion, ready pods."""

from __future__ import annotations

from intents.facts.kind import Condition, FactKind, Facts, Rule, RuleField, clip, pod
from intents.facts.model import OwnerFacts


def _conditions(rule: Rule, owner: OwnerFacts) -> list[str] | None:
    details: list[str] = []
    if rule.owner_condition_reason is not None:
        if rule.owner_condition_reason not in owner.condition_reasons:
            return None
        reason = rule.owner_condition_reason
        message = next((m for r, m in owner.conditions if r == reason and m), "")
        details.append(f"with condition {reason}" + (f": {clip(message)}" if message else ""))
    if rule.owner_condition is not None:
        if rule.owner_condition not in owner.condition_states:
            return None
        details.append(f"with condition {rule.owner_condition}")
    return details


def _state(rule: Rule, owner: OwnerFacts) -> list[str] | None:
    short = f"with {owner.short[0]} of {owner.short[1]} pods ready" if owner.short else None
    at_max = "at its maximum replicas, a metric above its target" if owner.at_max_replicas else ""
    checks = (  # (what the rule asks, what the owner is, the detail it adds)
        (
            rule.owner_deleting,
            owner.deleting,
            "being deleted" if owner.deleting else "not being deleted",
        ),
        (rule.owner_short, owner.short is not None, short),
        (rule.owner_at_max, owner.at_max_replicas, at_max),
    )
    details: list[str] = []
    for asked, actual, detail in checks:
        if asked is not None and actual != asked:
            return None
        if asked is not None and detail is not None:
            details.append(detail)
    return details


def _owner(rule: Rule, owner: OwnerFacts) -> str | None:
    if rule.owner_kind is not None and owner.kind != rule.owner_kind:
        return None
    conditions = _conditions(rule, owner)
    state = _state(rule, owner) if conditions is not None else None
    if conditions is None or state is None:
        return None
    return " ".join(filter(None, [f"owned by {owner.kind} {owner.name}", *conditions, *state]))


def check(rule: Rule, facts: Facts) -> str | None:
    for owner in found.owners if (found := pod(facts)) else []:
        if (fact := _owner(rule, owner)) is not None:
            return fact
    return None


KIND = FactKind(
    "owners",
    60,
    "PodFacts.owners",
    __doc__ or "",
    check=check,
    context=True,
    fields=(
        RuleField("owner_kind", str | None, "The kind of an owner (Deployment, Job...)."),
        RuleField(
            "owner_condition_reason",
            str | None,
            "Reason of a condition on an owner (e.g. ProgressDeadlineExceeded).",
        ),
        RuleField(
            "owner_condition",
            Condition | None,
            "`Type=Status` of a condition of a related object (a Gateway's Programmed=False).",
        ),
        RuleField(
            "owner_deleting",
            bool | None,
            "A related object whose deletion is under way (a Namespace held by its finalizers).",
        ),
        RuleField(
            "owner_short",
            bool | None,
            "A workload with fewer pods ready than it wants past its start.",
        ),
        RuleField(
            "owner_at_max",
            bool | None,
            "An autoscaler at its maximum replicas with a metric above its target.",
        ),
    ),
)
