"""An event about the pod, its claims or its owner: its reason and message."""

from __future__ import annotations

from intents.facts.kind import FactKind, Facts, Rule, RuleField, SafeRegex, clip
from intents.facts.model import EventFacts
from intents.regex_engine import compile_regex


def event_fact(event: EventFacts, span: tuple[int, int] | None = None) -> str:
    """How evidence quotes an event: its object (when not the pod or node), reason, count and
    message (clipped around `span`)."""
    about = (
        ""
        if event.object_kind in ("Pod", "Node", "")
        else f"{event.object_kind} {event.object_name} "
    )
    if not event.message:
        return f"{about}event {event.reason} x{event.count}"  # a reason named in a sentence
    return f"{about}event {event.reason} x{event.count}: {clip(event.message, span)}"


def _event(rule: Rule, event: EventFacts) -> str | None:
    if rule.event_reason is not None and event.reason != rule.event_reason:
        return None
    span = None
    if rule.event_message is not None:
        found = compile_regex(rule.event_message).search(event.message)
        if found is None:
            return None
        span = (found.start(), found.end())
    return event_fact(event, span)


def check(rule: Rule, facts: Facts) -> str | None:
    """The matching event the component repeats most (the later one on a tie): a one-off such as
    the kubelet's first "failed to sync secret cache" before it settles on "secret ... not found"
    x8 is not what the pod is stuck on."""
    found = [
        (event.count, index, fact)
        for index, event in enumerate(facts.events)
        if (fact := _event(rule, event)) is not None
    ]
    return max(found)[2] if found else None


KIND = FactKind(
    "events",
    30,
    "PodFacts.events, NodeFacts.events",
    __doc__ or "",
    check=check,
    fields=(
        RuleField("event_reason", str | None, "The event's reason (FailedMount...).", refutes=True),
        RuleField("event_message", SafeRegex | None, "Regex on the event's message.", refutes=True),
    ),
)
