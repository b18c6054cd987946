"""The Services selecting the pod and their ready endpoints.

A fact of the pod's surroundings: a Service without a ready endpoint holds for every pod behind
it, whatever stops them, so an entry it confirms never outranks what the pod's own state says
(its exit code, its init container, a volume it cannot mount)."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, pod


def check(rule: Rule, facts: Facts) -> str | None:
    for service in found.services if (found := pod(facts)) else []:
        if service.ready < 0:
            continue  # endpoints not known (a Service read from a paste)
        if (service.ready == 0) == rule.endpoints_empty:
            state = (
                "no ready endpoints" if service.ready == 0 else f"{service.ready} ready endpoints"
            )
            return f"Service {service.name} has {state} ({service.not_ready} not ready)"
    return None


KIND = FactKind(
    "services",
    70,
    "PodFacts.services",
    __doc__ or "",
    check=check,
    context=True,
    fields=(
        RuleField(
            "endpoints_empty", bool | None, "A Service selecting the pod has no ready endpoint."
        ),
    ),
)
