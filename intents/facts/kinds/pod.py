"""The pod's own status: its phase, reason and message."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, SafeRegex, first, pod, search


def check(rule: Rule, facts: Facts) -> str | None:
    found = pod(facts)
    if (
        found is None
        or rule.pod_phase not in (None, found.phase)
        or rule.pod_reason not in (None, found.reason)
    ):
        return None
    fact = f"pod phase {found.phase}" + (f", reason {found.reason}" if found.reason else "")
    if rule.pod_message is not None:
        texts = [found.message, *(c.message for c in found.conditions)]
        line = first([search(rule.pod_message, text) for text in texts])
        if line is None:
            return None
        fact += f": {line}"
    return fact


KIND = FactKind(
    "pod",
    10,
    "PodFacts.phase, reason, message, conditions",
    __doc__ or "",
    check=check,
    fields=(
        RuleField("pod_phase", str | None, "The pod's phase (Pending, Failed...).", refutes=True),
        RuleField("pod_reason", str | None, "The pod's status reason (Evicted...).", refutes=True),
        RuleField(
            "pod_message",
            SafeRegex | None,
            "Regex on the pod's status message or a condition message.",
            refutes=True,
        ),
    ),
)
