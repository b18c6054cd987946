"""The ResourceQuotas of the pod's namespace: at their limit, or with no room for an object."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, pod
from intents.facts.model import PodFacts


def _full(rule: Rule, found: PodFacts) -> str | None:
    """A quota at its hard limit (or none, as the rule wants), else None."""
    full = [
        f"ResourceQuota {quota.name} is full: {', '.join(quota.full)}"
        for quota in found.quotas
        if quota.full
    ]
    if bool(full) != rule.quota_full:
        return None
    return full[0] if full else "no quota is full"


def check(rule: Rule, facts: Facts) -> str | None:
    """A quota that refused a declared object (bot.diagnosis.paste_quota: only a paste shows
    one), or one at its hard limit."""
    found = pod(facts)
    if found is None:
        return None
    if rule.quota_full is not None:
        full = _full(rule, found)
        if full is None or rule.quota_refused is None:
            return full
    refused = [
        f"ResourceQuota {quota.name} has no room for {', '.join(quota.refused)}"
        for quota in found.quotas
        if quota.refused
    ]
    if bool(refused) != bool(rule.quota_refused):
        return None
    return refused[0] if refused else "no quota refused a declared object"


KIND = FactKind(
    "quotas",
    100,
    "PodFacts.quotas",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "quota_refused",
            bool | None,
            "A ResourceQuota has no room for an object the paste "
            "declares and does not have (a Service or claim refused at `kubectl apply`, which "
            "leaves no event).",
            refutes=True,
        ),
        RuleField(
            "quota_full",
            bool | None,
            "A ResourceQuota's usage has reached its hard limit for some resource.",
        ),
    ),
)
