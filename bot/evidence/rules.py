"""Evaluate a catalog entry's evidence rules against gathered facts.

A rule's predicates fall into groups that must hold on the same object:
container predicates on one container, event predicates on one event, node
predicates on the node, and so on.  Every group a rule uses must find such an
object; the rule then yields its `describe` text followed by the concrete
facts that satisfied it.  Rule regexes were checked safe when the catalog was
loaded, and they only ever see bounded text (messages, log tails).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.evidence.facts import ContainerFacts, EventFacts, NodeFacts, PodFacts
from intents.regex_engine import compile_regex
from intents.schema import CatalogEntry, EvidenceRule

Facts = PodFacts | NodeFacts
SNIPPET = 200


def _search(pattern: str, text: str | None) -> str | None:
    """The matching line (trimmed) when `pattern` matches `text`."""
    if not text:
        return None
    found = compile_regex(pattern).search(text)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    line = text[start : end if end >= 0 else len(text)].strip()
    return line if len(line) <= SNIPPET else line[:SNIPPET] + "..."


def _container(rule: EvidenceRule, c: ContainerFacts) -> str | None:
    parts: list[str] = []
    if rule.container_name is not None and c.name != rule.container_name:
        return None
    if rule.container_reason is not None:
        if c.reason == rule.container_reason:
            code = f" (exit code {c.exit_code})" if c.exit_code is not None else ""
            detail = f": {c.message}" if c.message and c.state == "waiting" else ""
            parts.append(f"is {c.state} with reason {c.reason}{code}{detail[:SNIPPET]}")
        elif c.last_reason == rule.container_reason:
            parts.append(f"last terminated with reason {c.last_reason} (exit code {c.last_exit_code})")
        else:
            return None
    if rule.exit_code is not None:
        if rule.exit_code not in (c.exit_code, c.last_exit_code):
            return None
        if rule.container_reason is None:
            parts.append(f"exited with code {rule.exit_code}")
    if rule.min_restarts is not None:
        if c.restarts < rule.min_restarts:
            return None
        parts.append(f"restarted {c.restarts} times")
    if rule.container_message is not None:
        line = _search(rule.container_message, c.message) or _search(
            rule.container_message, c.last_message
        )
        if line is None:
            return None
        parts.append(f"reports: {line}")
    if rule.log_pattern is not None:
        log = c.previous_log if rule.previous_log else c.current_log
        line = _search(rule.log_pattern, log)
        if line is None:
            return None
        parts.append(f"{'previous' if rule.previous_log else 'current'} log: {line}")
    kind = "init container" if c.init else "container"
    return f"{kind} {c.name} " + ", ".join(parts)


def _event(rule: EvidenceRule, event: EventFacts) -> str | None:
    if rule.event_reason is not None and event.reason != rule.event_reason:
        return None
    if rule.event_message is not None and _search(rule.event_message, event.message) is None:
        return None
    about = "" if event.object_kind in ("Pod", "Node", "") else f"{event.object_kind} {event.object_name} "
    message = event.message if len(event.message) <= SNIPPET else event.message[:SNIPPET] + "..."
    return f"{about}event {event.reason} x{event.count}: {message}"


def _first(found: list[str | None]) -> str | None:
    return next((fact for fact in found if fact), None)


def containers_group(rule: EvidenceRule, facts: Facts) -> str | None:
    containers = facts.containers if isinstance(facts, PodFacts) else []
    return _first([_container(rule, c) for c in containers])


def events_group(rule: EvidenceRule, facts: Facts) -> str | None:
    return _first([_event(rule, e) for e in facts.events])


def pod_group(rule: EvidenceRule, facts: Facts) -> str | None:
    if not isinstance(facts, PodFacts):
        return None
    if rule.pod_phase is not None and facts.phase != rule.pod_phase:
        return None
    if rule.pod_reason is not None and facts.reason != rule.pod_reason:
        return None
    fact = f"pod phase {facts.phase}" + (f", reason {facts.reason}" if facts.reason else "")
    if rule.pod_message is not None:
        texts = [facts.message, *(c.message for c in facts.conditions)]
        line = _first([_search(rule.pod_message, text) for text in texts])
        if line is None:
            return None
        fact += f": {line}"
    return fact


def node_group(rule: EvidenceRule, facts: Facts) -> str | None:
    node = facts if isinstance(facts, NodeFacts) else facts.node
    if node is None:
        return None
    parts: list[str] = []
    if rule.node_condition is not None:
        kind, status = rule.node_condition.split("=")
        condition = node.condition(kind)
        if condition is None or condition.status != status:
            return None
        detail = f" ({condition.message})" if condition.message else ""
        parts.append(f"condition {kind}={status}{detail}")
    if rule.node_taint is not None:
        taint = next((t for t in node.taints if t.split(":")[0] == rule.node_taint
                      or t == rule.node_taint), None)
        if taint is None:
            return None
        parts.append(f"taint {taint}")
    if rule.node_pods_full is not None:
        if node.pods_full != rule.node_pods_full:
            return None
        parts.append(f"runs {node.pod_count} pods of {node.allocatable.get('pods', 0):g} allowed")
    return f"node {node.name} " + ", ".join(parts)


def volumes_group(rule: EvidenceRule, facts: Facts) -> str | None:
    for volume in facts.volumes if isinstance(facts, PodFacts) else []:
        if rule.pvc_phase is not None and volume.phase != rule.pvc_phase:
            continue
        missing = volume.storage_class_exists is False
        if rule.storageclass_missing is not None and (
            volume.storage_class_exists is None or missing != rule.storageclass_missing
        ):
            continue
        fact = f"PersistentVolumeClaim {volume.claim} is {volume.phase}"
        if rule.storageclass_missing is not None:
            state = "does not exist" if missing else "exists"
            fact += f"; StorageClass {volume.storage_class} {state}"
        return fact
    return None


def owners_group(rule: EvidenceRule, facts: Facts) -> str | None:
    for owner in facts.owners if isinstance(facts, PodFacts) else []:
        if rule.owner_kind is not None and owner.kind != rule.owner_kind:
            continue
        if rule.owner_condition_reason is not None:
            if rule.owner_condition_reason not in owner.condition_reasons:
                continue
            return f"owned by {owner.kind} {owner.name} with condition {rule.owner_condition_reason}"
        return f"owned by {owner.kind} {owner.name}"
    return None


def services_group(rule: EvidenceRule, facts: Facts) -> str | None:
    for service in facts.services if isinstance(facts, PodFacts) else []:
        if (service.ready == 0) == rule.endpoints_empty:
            state = "no ready endpoints" if service.ready == 0 else f"{service.ready} ready endpoints"
            return f"Service {service.name} has {state} ({service.not_ready} not ready)"
    return None


Group = Callable[[EvidenceRule, Facts], str | None]
GROUPS: tuple[tuple[tuple[str, ...], Group], ...] = (
    (("pod_phase", "pod_reason", "pod_message"), pod_group),
    (("container_name", "container_reason", "exit_code", "min_restarts", "container_message",
      "log_pattern"), containers_group),
    (("event_reason", "event_message"), events_group),
    (("node_condition", "node_taint", "node_pods_full"), node_group),
    (("pvc_phase", "storageclass_missing"), volumes_group),
    (("owner_kind", "owner_condition_reason"), owners_group),
    (("endpoints_empty",), services_group),
)


CONTEXT: frozenset[Group] = frozenset({node_group, owners_group})
"""Groups that describe the pod's surroundings rather than the pod itself."""


@dataclass(frozen=True)
class Confirmation:
    """The evidence for one entry.

    `direct`: some rule held on the subject itself.  `strength`: predicates in
    the most specific rule that held (a reason plus a message beats a reason).
    """

    evidence: tuple[str, ...] = ()
    direct: bool = False
    strength: int = 0

    def __bool__(self) -> bool:
        return bool(self.evidence)


def is_direct(rule: EvidenceRule, facts: Facts) -> bool:
    """True when the rule looks at the subject (for a pod: not only its node or owners)."""
    if isinstance(facts, NodeFacts):
        return True
    return any(
        group not in CONTEXT and any(getattr(rule, name) is not None for name in fields)
        for fields, group in GROUPS
    )


def predicate_count(rule: EvidenceRule) -> int:
    """How many predicates the rule sets (previous_log only qualifies log_pattern)."""
    return len(rule.model_dump(exclude={"describe", "previous_log"}, exclude_none=True))


def check_rule(rule: EvidenceRule, facts: Facts) -> str | None:
    """`describe: fact; fact` when every predicate group of the rule holds, else None."""
    found: list[str] = []
    for fields, group in GROUPS:
        if all(getattr(rule, name) is None for name in fields):
            continue
        fact = group(rule, facts)
        if fact is None:
            return None
        found.append(fact)
    return f"{rule.describe}: {'; '.join(found)}" if found else None


def confirm(entry: CatalogEntry, facts: Facts) -> Confirmation:
    """Evidence strings from every rule of the entry that holds (duplicates dropped)."""
    seen: dict[str, None] = {}
    direct, strength = False, 0
    for rule in entry.evidence:
        fact = check_rule(rule, facts)
        if fact:
            seen.setdefault(fact, None)
            direct = direct or is_direct(rule, facts)
            strength = max(strength, predicate_count(rule))
    return Confirmation(tuple(seen), direct, strength)
