"""LoadBalancer Services and whether their status holds an ingress address."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, pod


def check(rule: Rule, facts: Facts) -> str | None:
    for service in found.services if (found := pod(facts)) else []:
        if service.balancer_pending == rule.balancer_pending:
            return (
                f"Service {service.name} of type LoadBalancer has no ingress address"
                if service.balancer_pending
                else f"Service {service.name} has its load balancer"
            )
    return None


KIND = FactKind(
    "balancers",
    130,
    "PodFacts.services",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "balancer_pending",
            bool | None,
            "A LoadBalancer Service with no ingress address in its status.",
        ),
    ),
)
