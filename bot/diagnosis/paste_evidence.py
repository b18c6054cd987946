"""The catalog's evidence rules run on pasted facts: what confirms, what contradicts.

Pasted facts are partial: a paste of `kubectl get nodes` shows each node's
Ready condition and nothing else.  A rule that does not hold contradicts a
text match only when the paste showed the section the rule reads (its
container states, its events, the node condition it names); a rule about
logs, owners or Services is never contradicted by a paste.  Only unhealthy
objects confirm anything: a Normal event or a Running pod is never the
evidence of a failure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from bot.cluster.seen import (
    CONTAINER_MESSAGES,
    CONTAINER_STATES,
    EVENTS,
    EXIT_CODES,
    PHASE,
    POD_EVENTS,
    POD_MESSAGES,
    PODS_FULL,
    QUOTAS,
    SERVICE_PORTS,
    TAINTS,
    VOLUMES,
    condition,
)
from bot.diagnosis.paste_model import PasteReading, Subject
from bot.diagnosis.paste_text import printed_line
from bot.evidence.common import TAIL_LINES
from bot.evidence.rules import check_rule, confirm, confirming
from intents.facts.kinds import KINDS
from intents.facts.model import LOG_CONTAINER, ContainerFacts, PodFacts
from intents.findings import Confirmation
from intents.policy import POLICY
from intents.reasons import POD_EVENT_REASONS
from intents.regex_engine import compile_regex
from intents.results import EvidenceKind, Match, MatchedLine
from intents.schema import CatalogEntry, EvidenceRule

MAX_CONFIRMING_SUBJECTS = 50
MAX_LOG_CHARS = 20_000
PREFILTER = frozenset(
    {EVENTS, POD_EVENTS, CONTAINER_STATES, VOLUMES, TAINTS, SERVICE_PORTS, QUOTAS}
)
"""Sections without which a rule cannot hold (no such facts at all): skip the subject early."""
NEVER = "never"
"""A section no paste shows (logs, owners, Services, StorageClasses)."""
_CLIENT_OUTPUT = re.compile(
    r"^\s{0,8}(?:error: )?(?:Error from server\b|The connection to the server \S+ was refused"
    r"|Unable to connect to the server: )",
    re.IGNORECASE,
)
"""kubectl's own report of what the API server said (pkg/cmd/util/helpers.go: "Error from server
(%s): %s", "Error from server: %s", the connection errors, each maybe behind "error: ")."""
_SPEAKER = re.compile(r"(?:^|[\s(])(?:I|I'm|I've|I'd|my|My|we|We|we're|We're|our|Our)\s")
"""A line in the first person is the user talking about the pod, not something the pod logged."""


NEVER_REFUTE = tuple(
    spec.name for kind in KINDS for spec in kind.fields if spec.default is None and not spec.refutes
)
"""Predicates whose absence in a paste refutes nothing: facts a paste's readings state outright,
or that no paste shows (logs, owners, endpoints, whether a StorageClass exists)."""


_SECTIONS: dict[int, tuple[EvidenceRule, frozenset[str]]] = {}


def sections(rule: EvidenceRule) -> frozenset[str]:
    """The pasted sections a rule reads; NEVER when a paste cannot show one of them (or the
    rule states rather than confirms).  Worked out once per rule (kept, so its id stays its own)."""
    cached = _SECTIONS.get(id(rule))
    if cached is None or cached[0] is not rule:
        cached = (rule, frozenset(_sections(rule)))
        _SECTIONS[id(rule)] = cached
    return cached[1]


_NEEDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # a quota, a manifest and a listing pasted together (bot.diagnosis.paste_quota)
    (QUOTAS, ("quota_refused",)),
    # a selecting Service pasted beside the pod (bot.diagnosis.paste_links)
    (SERVICE_PORTS, ("service_port_mismatch", "service_protocol_mismatch")),
    (PHASE, ("pod_phase", "pod_reason")),
    (POD_MESSAGES, ("pod_message",)),
    (CONTAINER_STATES, ("container_reason", "min_restarts")),
    (EXIT_CODES, ("exit_code",)),
    (CONTAINER_MESSAGES, ("container_message",)),
    (TAINTS, ("node_taint",)),
    (PODS_FULL, ("node_pods_full",)),
    (VOLUMES, ("pvc_phase",)),
)
"""The section a paste must show for a rule reading any of these fields to be refuted."""


def _sections(rule: EvidenceRule) -> set[str]:
    if rule.states or any(getattr(rule, name) is not None for name in NEVER_REFUTE):
        return {NEVER}
    needed = {
        section
        for section, fields in _NEEDS
        if any(getattr(rule, name) is not None for name in fields)
    }
    if rule.container_name:
        needed.add(CONTAINER_STATES)
    if rule.event_reason in POD_EVENT_REASONS:
        needed.add(POD_EVENTS)  # a Deployment's or a custom object's events never hold a BackOff
    elif rule.event_reason is not None or rule.event_message is not None:
        needed.add(EVENTS)
    if rule.node_condition is not None:
        needed.add(condition(rule.node_condition.split("=")[0]))
    return needed


def refuted(
    entry: CatalogEntry, shown: Iterable[frozenset[str]], confirmation: Confirmation | None
) -> bool:
    """The paste showed what one of the entry's rules reads, and none of its rules held."""
    if confirmation or not entry.evidence:
        return False
    return any(sections(rule) <= seen for rule in entry.evidence for seen in shown)


def stated_by_objects(matches: Iterable[Match], parsed: PasteReading) -> set[str]:
    """Entries the paste states outright (a catalog pattern or a component's message format
    matched a line): an unhealthy pasted object's own line (an event row's message), or an error
    line pasted on its own (a component's message, not a sentence someone wrote about it).

    An evidence rule refutes an entry by absence: the Events were shown and no event of the
    kind it reads was among them.  When one of those rows says the entry in words the rule does
    not read ("repository x not found: does not exist or no pull access"), its absence is the
    rule's, not the paste's; and an error line the user pasted beside an events list (often cut
    short, or of another try) says the failure happened whatever that list lacks."""
    in_blocks: dict[str, bool] = {}
    for part in parsed.parts:
        for number in range(part.start, min(part.stop, len(parsed.lines))):
            line = parsed.lines[number].strip()
            if line:
                in_blocks[line] = in_blocks.get(line, False) or not part.healthy
    unhealthy = {line for line, failing in in_blocks.items() if failing}
    in_any = set(in_blocks)
    stated = set()
    for match in matches:
        for matched in match.matched:
            if not matched.kind.outright:
                continue
            if _in_lines(matched.line, unhealthy) or (
                not _in_lines(matched.line, in_any) and printed_line(matched.line)
            ):
                stated.add(match.id)
                break
    return stated


def _in_lines(line: str, block_lines: set[str]) -> bool:
    head = line.strip()[:80]
    return bool(head) and any(head in candidate for candidate in block_lines)


def requirement_met(entry: CatalogEntry, text: str) -> bool:
    """The entry `requires` nothing, or one of its regexes occurs in the paste."""
    return not entry.requires or any(compile_regex(p).search(text) for p in entry.requires)


def _pod_facts_held(rule: EvidenceRule, facts: object) -> bool:
    """A rule reading logs needs a pod with a log; one reading owners, a pod with owners."""
    if rule.log_pattern is not None and not (
        isinstance(facts, PodFacts) and any(c.current_log for c in facts.containers)
    ):
        return False
    return not (rule.owner_kind or rule.owner_condition_reason) or bool(
        isinstance(facts, PodFacts) and facts.owners
    )


def could_hold(rule: EvidenceRule, subject: Subject) -> bool:
    """The subject has the kind of facts the rule reads (a quick test before `confirm`)."""
    if not _pod_facts_held(rule, subject.facts):
        return False
    needed = {s for s in sections(rule) if s in PREFILTER or s.startswith("condition:")}
    return needed <= subject.seen


def confirm_subjects(entry: CatalogEntry, subjects: list[Subject]) -> Confirmation:
    """The entry's evidence on every unhealthy pasted object, each fact naming where it was read."""
    evidence: dict[str, None] = {}
    direct, strength = False, 0
    held_on: set[str] = set()
    rules = confirming(entry)  # (once, not once a subject)
    for subject in subjects[:MAX_CONFIRMING_SUBJECTS]:
        if not any(could_hold(rule, subject) for rule in rules):
            continue
        found = confirm(entry, subject.facts)
        if found:
            where = f"{subject.shape}: {subject.label}"
            for fact in found.evidence:
                evidence.setdefault(f"{fact} (pasted {where})", None)
            direct, strength = direct or found.direct, max(strength, found.strength)
            if found.direct:
                held_on.add(where)
    return Confirmation(tuple(evidence), direct, strength, frozenset(held_on))


def _tail(text: str) -> str:
    """The last lines of `text` that a container could have logged: kubectl's own error lines
    (a `kubectl logs` refused by the API server) are the client's output, not the pod's log."""
    lines = [
        line
        for line in text.splitlines()
        if not _CLIENT_OUTPUT.match(line) and not _SPEAKER.search(line)
    ]
    return "\n".join(lines[-TAIL_LINES:])[-MAX_LOG_CHARS:]


def _ran(container: ContainerFacts) -> bool:
    """The container has started at least once, so it may have written a log."""
    return bool(
        container.restarts
        or container.state in ("running", "terminated")
        or container.last_reason
        or container.last_exit_code is not None
    )


def _logged(pod: Subject, log: str) -> Subject:
    """The pod with `log` as each of its containers' current and previous log."""
    assert isinstance(pod.facts, PodFacts)
    facts = replace(
        pod.facts,
        containers=[replace(c, current_log=log, previous_log=log) for c in pod.facts.containers],
    )
    return replace(pod, facts=facts, healthy=False)


def with_logs(unhealthy: list[Subject], residue: str) -> list[Subject]:
    """The paste's other lines read as the failing pod's log (kubectl logs pasted with it).

    With one failing pod the lines become its containers' logs; with several
    they stand alone, since the paste does not say whose log they are.  A pod
    whose containers never started (waiting to pull or create, no restart) has
    no log: the lines beside it are something else (its events, chat).
    """
    pods = [
        s for s in unhealthy if isinstance(s.facts, PodFacts) and any(map(_ran, s.facts.containers))
    ]
    log = _tail(residue)
    if not log.strip() or not pods:
        return unhealthy
    if len(pods) == 1:
        logged = _logged(pods[0], log)
        return [logged if s is pods[0] else s for s in unhealthy]
    alone = PodFacts(
        namespace="",
        name="",
        containers=[ContainerFacts(LOG_CONTAINER, current_log=log, previous_log=log)],
    )
    return [*unhealthy, Subject("the pasted log lines", "log", alone, set(), False)]


def _stated_lines(rules: list[EvidenceRule], subject: Subject, lines: dict[str, str]) -> None:
    """Each fact a `states` rule finds on the subject, as a quoted line -> the rule's words."""
    for rule in rules:
        fact = check_rule(rule, subject.facts)
        if fact:
            what = fact.removeprefix(f"{rule.describe}: ")
            what = what.removeprefix(f"{subject.label}: ")  # a status names its resource
            lines.setdefault(f"{subject.label}: {what} (pasted {subject.shape})", rule.describe)


def stated_matches(entries: Iterable[CatalogEntry], subjects: list[Subject]) -> list[Match]:
    """The entries a pasted object states outright: one of their `states` rules holds on it.

    The rule reads typed facts a reading found (a systemd unit down, a DaemonSet short of its
    pods, a claim with no volume to bind): the decision's "pasted fact" rule makes the entry as
    stated as by one of its own patterns on a line, each fact quoted with the object it was read
    on."""
    found: list[Match] = []
    for entry in entries if subjects else ():  # most pastes show no unhealthy object
        rules = [rule for rule in entry.evidence if rule.states]
        lines: dict[str, str] = {}
        for subject in subjects[:MAX_CONFIRMING_SUBJECTS] if rules else ():
            _stated_lines(rules, subject, lines)
        if lines:
            matched = tuple(
                MatchedLine(line, describe, POLICY.stated_score, EvidenceKind.FIELD)
                for line, describe in lines.items()
            )
            found.append(Match(entry, POLICY.stated_score, matched))
    return found
