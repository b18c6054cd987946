"""Evaluate a catalog entry's evidence rules against gathered facts.

A rule's predicates fall into groups, one per kind of fact (intents.facts.kinds), that must
hold on the same object: container predicates on one container, event predicates on one
event, node predicates on the node, and so on.  Every kind a rule uses must find such an
object; the rule then yields its `describe` text followed by the concrete facts that
satisfied it.  Rule regexes were checked safe when the catalog was loaded, and they only ever
see bounded text (messages, log tails).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache

from intents.facts.kind import FactKind, Facts
from intents.facts.kinds import KINDS
from intents.facts.kinds.events import event_fact
from intents.facts.model import NodeFacts, PodFacts
from intents.findings import Confirmation
from intents.messages.reader import MessageGrammar
from intents.policy import POLICY
from intents.schema import CatalogEntry, EvidenceRule


def is_direct(rule: EvidenceRule, facts: Facts) -> bool:
    """True when the rule looks at the subject (for a pod: not only its node or owners)."""
    return isinstance(facts, NodeFacts) or any(not kind.context for kind in kinds_of(rule))


NOT_PREDICATES = frozenset({"describe", "states"}) | {
    spec.name for kind in KINDS for spec in kind.fields if spec.default is not None
}
"""EvidenceRule fields that are not predicates (previous_log only qualifies log_pattern)."""


def predicate_count(rule: EvidenceRule) -> int:
    """How many predicates the rule sets (previous_log only qualifies log_pattern)."""
    return sum(
        1
        for field in dataclasses.fields(rule)
        if field.name not in NOT_PREDICATES and getattr(rule, field.name) is not None
    )


_KINDS_OF: dict[int, tuple[EvidenceRule, tuple[FactKind, ...]]] = {}
"""The kinds each rule tests, by the rule's identity (the rule is kept, so its id stays its own)."""


def kinds_of(rule: EvidenceRule) -> tuple[FactKind, ...]:
    """The fact kinds the rule sets a field of, in their order (worked out once per rule)."""
    cached = _KINDS_OF.get(id(rule))
    if cached is None or cached[0] is not rule:
        cached = (
            rule,
            tuple(
                kind
                for kind in KINDS
                if any(getattr(rule, name) is not None for name in kind.predicates)
            ),
        )
        _KINDS_OF[id(rule)] = cached
    return cached[1]


def check_rule(rule: EvidenceRule, facts: Facts) -> str | None:
    """`describe: fact; fact` when every predicate group of the rule holds, else None."""
    found: list[str] = []
    for kind in kinds_of(rule):
        fact = kind.check(rule, facts)
        if fact is None:
            return None
        found.append(fact)
    said = [fact for fact in found if fact]  # "" holds and says nothing (a qualifier)
    return f"{rule.describe}: {'; '.join(said)}" if said else None


SCHEDULING_EVENT = "FailedScheduling"
READS_SCHEDULER_REASONS = {
    SCHEDULING_EVENT: "the scheduler's",
    "NotTriggerScaleUp": "the autoscaler's",
}
"""Events whose message lists the scheduler's reasons: cluster-autoscaler's NotTriggerScaleUp
gives them for the node groups it simulated (a new node would fail them too)."""


@lru_cache(maxsize=512)
def scheduler_answers(message: str) -> frozenset[str]:
    """The entries the scheduler's grammar reads in one FailedScheduling message (every
    wording from 1.6 on: "MaxVolumeCount (3)" as well as "exceed max volume count")."""
    verdict = MessageGrammar.default().read(message)
    return frozenset(verdict.answers) if verdict is not None else frozenset()


def scheduling_events(entry: CatalogEntry, facts: Facts) -> list[str]:
    """FailedScheduling (and NotTriggerScaleUp) events whose message the grammar reads as this entry."""
    if not isinstance(facts, PodFacts) or not any(
        r.event_reason == SCHEDULING_EVENT for r in entry.evidence
    ):
        return []
    return [
        f"{READS_SCHEDULER_REASONS[e.reason]} message names it: {event_fact(e)}"
        for e in facts.events
        if e.reason in READS_SCHEDULER_REASONS and entry.id in scheduler_answers(e.message)
    ]


def confirming(entry: CatalogEntry) -> list[EvidenceRule]:
    """The entry's rules that confirm it (a `states` rule states it instead: bot.diagnosis.paste_evidence)."""
    return [rule for rule in entry.evidence if not rule.states]


def confirm(entry: CatalogEntry, facts: Facts) -> Confirmation:
    """Evidence strings from every rule of the entry that holds (duplicates dropped), and, for
    an entry with a FailedScheduling rule, the scheduling events the message grammar reads as
    the entry, whichever release's wording they use."""
    seen: dict[str, None] = {}
    direct, strength = False, 0
    for rule in confirming(entry):
        fact = check_rule(rule, facts)
        if fact:
            seen.setdefault(fact, None)
            direct = direct or is_direct(rule, facts)
            strength = max(strength, predicate_count(rule))
    if not seen:
        for fact in scheduling_events(entry, facts):
            seen.setdefault(fact, None)
            direct, strength = True, POLICY.scheduler_reading_strength
    return Confirmation(tuple(seen), direct, strength)
