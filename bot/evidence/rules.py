"""Evaluate a catalog entry's evidence rules against gathered facts.

A rule's predicates fall into groups that must hold on the same object:
container predicates on one container, event predicates on one event, node
predicates on the node, and so on.  Every group a rule uses must find such an
object; the rule then yields its `describe` text followed by the concrete
facts that satisfied it.  Rule regexes were checked safe when the catalog was
loaded, and they only ever see bounded text (messages, log tails).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import lru_cache

from bot.evidence.facts import ContainerFacts, EventFacts, NodeFacts, OwnerFacts, PodFacts
from intents.findings import Confirmation
from intents.messages.reader import MessageGrammar
from intents.policy import POLICY
from intents.regex_engine import RegexMatch, compile_regex
from intents.schema import CatalogEntry, EvidenceRule

Facts = PodFacts | NodeFacts
SNIPPET = 260
HEAD, TAIL, AROUND = 140, 110, 40
"""Characters a clipped text keeps from its start, its end, and each side of a match."""


def clip(text: str, span: tuple[int, int] | None = None) -> str:
    """`text` shortened to about SNIPPET characters, eliding the middle.

    Runtime errors wrap their causes ("failed to pull and unpack image ...: failed to
    resolve reference ...: dial tcp 127.0.0.1:5999: connect: connection refused"), so the
    root cause comes last: a long text keeps its start and its end, plus the matched
    `span` (start, end) when one is given.
    """
    if len(text) <= SNIPPET:
        return text
    keep = [(0, HEAD), (len(text) - TAIL, len(text))]
    if span is not None:
        start, end = span
        if end - start > 2 * AROUND:
            keep += [(start, start + AROUND), (end - AROUND, end)]
        else:
            keep.append((max(0, start - AROUND), min(len(text), end + AROUND)))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(keep):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return " ... ".join(text[start:end].strip() for start, end in merged)


def _quote(line: str, found: RegexMatch, offset: int = 0) -> str:
    """`line` trimmed and clipped around the match (`offset`: where `line` starts in the text)."""
    indent = len(line) - len(line.lstrip())
    start, end = found.start() - offset - indent, found.end() - offset - indent
    return clip(line.strip(), (start, end))


def _search(pattern: str, text: str | None, *, last: bool = False) -> str | None:
    """The matching line (clipped) when `pattern` matches `text`; the last matching line
    with `last` (a log's final error is the one that ended the container)."""
    if not text:
        return None
    regex = compile_regex(pattern)
    if last:
        for line in reversed(text.splitlines()):
            hit = regex.search(line)
            if hit is not None:
                return _quote(line, hit)
        return None
    found = regex.search(text)
    if found is None:
        return None
    start = text.rfind("\n", 0, found.start()) + 1
    end = text.find("\n", found.end())
    return _quote(text[start : end if end >= 0 else len(text)], found, start)


def _container(rule: EvidenceRule, c: ContainerFacts) -> str | None:
    parts: list[str] = []
    if rule.container_name is not None and c.name != rule.container_name:
        return None
    if rule.container_reason is not None:
        if c.init and rule.container_reason == "Completed":
            return None  # an init container ends Completed: that is it succeeding
        if c.reason == rule.container_reason:
            code = f" (exit code {c.exit_code})" if c.exit_code is not None else ""
            detail = f": {clip(c.message)}" if c.message and c.state == "waiting" else ""
            parts.append(f"is {c.state} with reason {c.reason}{code}{detail}")
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
        if c.restarts < rule.min_restarts or (c.state == "running" and c.ready):
            return None  # restarts of a container running and ready now are history, not a loop
        parts.append(f"restarted {c.restarts} times")
    if rule.running_unready is not None:
        if c.running_unready != rule.running_unready:
            return None
        parts.append("runs and is not ready past its start")
    if rule.init_stalled is not None:
        if c.init_stalled != rule.init_stalled:
            return None
        parts.append("runs past the pod's start and never completes")
    if rule.container_message is not None:
        line = _search(rule.container_message, c.message) or _search(
            rule.container_message, c.last_message
        )
        if line is None:
            return None
        parts.append(f"reports: {line}")
    if rule.log_pattern is not None:
        # A container that has just crashed (terminated, not restarted yet) is itself the
        # "previous" run a rule asks for; the one before it may be gone already.
        logs = [("current", c.current_log)]
        if rule.previous_log:
            crashed = [("last run's", c.current_log)] if c.state == "terminated" else []
            logs = [*crashed, ("previous", c.previous_log)]
        found = next(((which, line) for which, log in logs
                      if (line := _search(rule.log_pattern, log, last=True)) is not None), None)
        if found is None:
            return None
        which = f"{found[0]} log"
        parts.append(f"{which if c.named else 'logged'}: {found[1]}")
    return f"{c.label} " + ", ".join(parts)


def _event(rule: EvidenceRule, event: EventFacts) -> str | None:
    if rule.event_reason is not None and event.reason != rule.event_reason:
        return None
    span = None
    if rule.event_message is not None:
        found = compile_regex(rule.event_message).search(event.message)
        if found is None:
            return None
        span = (found.start(), found.end())
    return event_fact(event, span)


def event_fact(event: EventFacts, span: tuple[int, int] | None = None) -> str:
    """How evidence quotes an event: its object (when not the pod or node), reason, count and
    message (clipped around `span`)."""
    about = "" if event.object_kind in ("Pod", "Node", "") else f"{event.object_kind} {event.object_name} "
    if not event.message:
        return f"{about}event {event.reason} x{event.count}"  # a reason named in a sentence
    return f"{about}event {event.reason} x{event.count}: {clip(event.message, span)}"


def _first(found: list[str | None]) -> str | None:
    return next((fact for fact in found if fact), None)


def containers_group(rule: EvidenceRule, facts: Facts) -> str | None:
    containers = facts.containers if isinstance(facts, PodFacts) else []
    return _first([_container(rule, c) for c in containers])


def events_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """The matching event the component repeats most (the later one on a tie): a one-off such as
    the kubelet's first "failed to sync secret cache" before it settles on "secret ... not found"
    x8 is not what the pod is stuck on."""
    found = [(event.count, index, fact) for index, event in enumerate(facts.events)
             if (fact := _event(rule, event)) is not None]
    return max(found)[2] if found else None


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
    # a pasted Conditions table names no node: say "the node's", never "node  condition"
    return (f"node {node.name} " if node.name else "the node's ") + ", ".join(parts)


def volumes_group(rule: EvidenceRule, facts: Facts) -> str | None:
    for volume in facts.volumes if isinstance(facts, PodFacts) else []:
        kind, name, phase = volume.described
        if rule.pvc_phase is not None and phase != rule.pvc_phase:
            continue
        if rule.no_available_volume is not None and volume.no_available_volume != rule.no_available_volume:
            continue
        if rule.pvc_deleting is not None and volume.deleting != rule.pvc_deleting:
            continue
        missing = volume.storage_class_exists is False
        if rule.storageclass_missing is not None and (
            volume.storage_class_exists is None or missing != rule.storageclass_missing
        ):
            continue
        fact = f"{kind} {name} is {phase}"
        if rule.storageclass_missing is not None:
            state = "does not exist" if missing else "exists"
            fact += f"; StorageClass {volume.storage_class} {state}"
        if rule.no_available_volume:
            fact += "; no PersistentVolume listed is Available"
        if rule.pvc_deleting:
            fact += "; its deletion is under way"
        return fact
    return None


def owners_group(rule: EvidenceRule, facts: Facts) -> str | None:
    for owner in facts.owners if isinstance(facts, PodFacts) else []:
        found = _owner(rule, owner)
        if found is not None:
            return found
    return None


def _owner(rule: EvidenceRule, owner: OwnerFacts) -> str | None:
    if rule.owner_kind is not None and owner.kind != rule.owner_kind:
        return None
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
    if rule.owner_deleting is not None:
        if owner.deleting != rule.owner_deleting:
            return None
        details.append("being deleted" if owner.deleting else "not being deleted")
    if rule.owner_short is not None:
        if (owner.short is not None) != rule.owner_short:
            return None
        details.extend([f"with {owner.short[0]} of {owner.short[1]} pods ready"] if owner.short else [])
    if rule.owner_at_max is not None:
        if owner.at_max_replicas != rule.owner_at_max:
            return None
        details.append("at its maximum replicas, a metric above its target" if owner.at_max_replicas else "")
    return " ".join(filter(None, [f"owned by {owner.kind} {owner.name}", *details]))


def services_group(rule: EvidenceRule, facts: Facts) -> str | None:
    for service in facts.services if isinstance(facts, PodFacts) else []:
        if service.ready < 0:
            continue  # endpoints not known (a Service read from a paste)
        if (service.ready == 0) == rule.endpoints_empty:
            state = "no ready endpoints" if service.ready == 0 else f"{service.ready} ready endpoints"
            return f"Service {service.name} has {state} ({service.not_ready} not ready)"
    return None




def scheduling_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """The pod is Pending, unbound, with no PodScheduled condition nor scheduling event."""
    if not isinstance(facts, PodFacts) or facts.phase != "Pending" or facts.node_name:
        return None
    events_unread = any(gap.startswith("could not read events") for gap in facts.gaps)
    if events_unread or facts.age_seconds is None or facts.age_seconds < POLICY.unscheduled_grace:
        return None
    touched = (any(c.type == "PodScheduled" for c in facts.conditions)
               or any(e.reason in ("FailedScheduling", "Scheduled") for e in facts.events))
    if touched == rule.never_scheduled:
        return None
    minutes = int(facts.age_seconds // 60)
    return (f"Pending for {minutes} min with no node, no PodScheduled condition and no scheduling "
            f"event (schedulerName {facts.scheduler_name})")


def _port_mismatch(target: str, protocol: str,
                   ports: list[tuple[str, int, str]]) -> tuple[str, str] | None:
    """("port" or "protocol", what differs) of one Service port against the declared ports."""
    declared = ", ".join(f"{name + '=' if name else ''}{number}/{proto}" for name, number, proto in ports)
    if not target.isdigit():
        named = [proto for name, _number, proto in ports if name == target]
        if not named:
            return "port", (f"targets port name {target!r}, which no container declares "
                            f"({declared or 'none'})")
        if protocol not in named:
            return "protocol", (f"targets port {target}/{protocol}; the container declares it as "
                                f"{'/'.join(named)}")
        return None
    same_number = [proto for _name, number, proto in ports if number == int(target)]
    if ports and not same_number:
        return "port", f"targets port {target}/{protocol}; the containers declare {declared}"
    if same_number and protocol not in same_number:
        return "protocol", (f"targets port {target}/{protocol}; the container declares it as "
                            f"{'/'.join(same_number)}")
    return None


def service_port_mismatches(facts: PodFacts, kind: str | None = None) -> list[str]:
    """Each selecting Service port whose target (number or name: `kind` "port"; protocol:
    "protocol"; None: either) no container declares."""
    return [f"Service {service.name} {mismatch[1]}" for service in facts.services
            for target, protocol in service.targets
            if (mismatch := _port_mismatch(target, protocol, facts.ports)) is not None
            and kind in (None, mismatch[0])]


def service_ports_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """A selecting Service's targetPort (number or name) or protocol against the containers'
    ports."""
    if not isinstance(facts, PodFacts) or not facts.services:
        return None
    wanted, kind = ((rule.service_port_mismatch, "port") if rule.service_port_mismatch is not None
                    else (rule.service_protocol_mismatch, "protocol"))
    found = service_port_mismatches(facts, kind)
    if wanted:
        return found[0] if found else None
    services = ", ".join(s.name for s in facts.services)
    return None if found else f"the {kind}s of Service(s) {services} match"


def quotas_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """A quota that refused a declared object (bot.paste.readings.quota_room: only a paste shows
    one), or one at its hard limit."""
    if not isinstance(facts, PodFacts):
        return None
    if rule.quota_full is not None:
        full = [f"ResourceQuota {quota.name} is full: {', '.join(quota.full)}" for quota in facts.quotas if quota.full]
        if bool(full) != rule.quota_full:
            return None
        if rule.quota_refused is None:
            return full[0] if full else "no quota is full"
    refused = [f"ResourceQuota {quota.name} has no room for {', '.join(quota.refused)}"
               for quota in facts.quotas if quota.refused]
    if rule.quota_refused:
        return refused[0] if refused else None
    return None if refused else "no quota refused a declared object"


def units_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """A systemd unit of the node in the state the rule names (only a paste shows one)."""
    node = facts if isinstance(facts, NodeFacts) else facts.node
    for unit in node.units if node is not None else []:
        if rule.systemd_unit is not None and not compile_regex(rule.systemd_unit).fullmatch(unit.name):
            continue
        if rule.unit_state is not None and not compile_regex(rule.unit_state).fullmatch(unit.state):
            continue
        return f"systemd unit {unit.name}.service is {unit.state}" + (f" ({unit.sub})" if unit.sub else "")
    return None


def network_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """No pod network add-on in the cluster (a listing of every namespace shows none)."""
    node = facts if isinstance(facts, NodeFacts) else facts.node
    if node is None or node.no_pod_network != rule.no_pod_network:
        return None
    return "no pod network add-on runs in any namespace" if node.no_pod_network else "a pod network add-on runs"


def balancers_group(rule: EvidenceRule, facts: Facts) -> str | None:
    """A LoadBalancer Service with or without an ingress address in its status."""
    for service in facts.services if isinstance(facts, PodFacts) else []:
        if service.balancer_pending == rule.balancer_pending:
            return (f"Service {service.name} of type LoadBalancer has no ingress address"
                    if service.balancer_pending else f"Service {service.name} has its load balancer")
    return None


Group = Callable[[EvidenceRule, Facts], str | None]
GROUPS: tuple[tuple[tuple[str, ...], Group], ...] = (
    (("pod_phase", "pod_reason", "pod_message"), pod_group),
    (("container_name", "container_reason", "exit_code", "min_restarts", "container_message",
      "log_pattern", "running_unready", "init_stalled"), containers_group),
    (("event_reason", "event_message"), events_group),
    (("node_condition", "node_taint", "node_pods_full"), node_group),
    (("pvc_phase", "storageclass_missing", "no_available_volume", "pvc_deleting"), volumes_group),
    (("owner_kind", "owner_condition_reason", "owner_condition", "owner_deleting", "owner_short", "owner_at_max"),
     owners_group),
    (("endpoints_empty",), services_group),
    (("never_scheduled",), scheduling_group),
    (("service_port_mismatch", "service_protocol_mismatch"), service_ports_group),
    (("quota_refused", "quota_full"), quotas_group),
    (("systemd_unit", "unit_state"), units_group),
    (("no_pod_network",), network_group),
    (("balancer_pending",), balancers_group),
)


CONTEXT: frozenset[Group] = frozenset({node_group, owners_group})
"""Groups that describe the pod's surroundings rather than the pod itself."""


def is_direct(rule: EvidenceRule, facts: Facts) -> bool:
    """True when the rule looks at the subject (for a pod: not only its node or owners)."""
    if isinstance(facts, NodeFacts):
        return True
    return any(
        group not in CONTEXT and any(getattr(rule, name) is not None for name in fields)
        for fields, group in GROUPS
    )


NOT_PREDICATES = frozenset({"describe", "previous_log", "states"})
"""EvidenceRule fields that are not predicates."""


def predicate_count(rule: EvidenceRule) -> int:
    """How many predicates the rule sets (previous_log only qualifies log_pattern)."""
    return sum(1 for field in dataclasses.fields(rule)
               if field.name not in NOT_PREDICATES and getattr(rule, field.name) is not None)


_GROUPS_OF: dict[int, tuple[EvidenceRule, tuple[Group, ...]]] = {}
"""The predicate groups each rule uses, by the rule's identity (the rule is kept, so its id stays its own)."""


def groups_of(rule: EvidenceRule) -> tuple[Group, ...]:
    """The predicate groups the rule sets a field of, in GROUPS order (worked out once per rule)."""
    cached = _GROUPS_OF.get(id(rule))
    if cached is None or cached[0] is not rule:
        cached = (rule, tuple(group for fields, group in GROUPS
                              if any(getattr(rule, name) is not None for name in fields)))
        _GROUPS_OF[id(rule)] = cached
    return cached[1]


def check_rule(rule: EvidenceRule, facts: Facts) -> str | None:
    """`describe: fact; fact` when every predicate group of the rule holds, else None."""
    found: list[str] = []
    for group in groups_of(rule):
        fact = group(rule, facts)
        if fact is None:
            return None
        found.append(fact)
    return f"{rule.describe}: {'; '.join(found)}" if found else None


SCHEDULING_EVENT = "FailedScheduling"
READS_SCHEDULER_REASONS = {SCHEDULING_EVENT: "the scheduler's", "NotTriggerScaleUp": "the autoscaler's"}
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
    if not isinstance(facts, PodFacts) or not any(r.event_reason == SCHEDULING_EVENT for r in entry.evidence):
        return []
    return [f"{READS_SCHEDULER_REASONS[e.reason]} message names it: {event_fact(e)}"
            for e in facts.events
            if e.reason in READS_SCHEDULER_REASONS and entry.id in scheduler_answers(e.message)]


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
