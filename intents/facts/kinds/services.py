"""The Services selecting the pod and their ready endpoints."""

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
    fields=(
        RuleField(
            "endpoints_empty", bool | None, "A Service selecting the pod has no ready endpoint."
        ),
    ),
)
