"""Whether any scheduler has acted on a Pending pod."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, pod
from intents.facts.model import PodFacts
from intents.policy import POLICY


def _unbound_past_grace(found: PodFacts) -> bool:
    """Pending with no node past the grace, and its events were read."""
    if found.phase != "Pending" or found.node_name or found.age_seconds is None:
        return False
    events_unread = any(gap.startswith("could not read events") for gap in found.gaps)
    return not events_unread and found.age_seconds >= POLICY.unscheduled_grace


def check(rule: Rule, facts: Facts) -> str | None:
    """The pod is Pending, unbound, with no PodScheduled condition nor scheduling event."""
    found = pod(facts)
    if found is None or not _unbound_past_grace(found):
        return None
    touched = any(c.type == "PodScheduled" for c in found.conditions) or any(
        e.reason in ("FailedScheduling", "Scheduled") for e in found.events
    )
    if touched == rule.never_scheduled:
        return None
    minutes = int((found.age_seconds or 0) // 60)
    return (
        f"Pending for {minutes} min with no node, no PodScheduled condition and no scheduling "
        f"event (schedulerName {found.scheduler_name})"
    )


KIND = FactKind(
    "scheduling",
    80,
    "PodFacts.phase, node_name, conditions, events",
    __doc__ or "",
    check=check,
    fields=(
        RuleField(
            "never_scheduled",
            bool | None,
            "Pending for over a minute with no node, no "
            "PodScheduled condition and no scheduling event: no scheduler has acted on the pod.",
        ),
    ),
)
