"""Find the kubectl output in a paste and read it into facts.

One pass over the cleaned lines: at each line the shape recognisers are
tried in a fixed order (objects, describe, events, tables, status lines,
bare rows) and the first that recognises a block consumes it; anything
else is left as residue (chat, logs, error output).  Each recogniser only
moves forward, so the work is linear in the paste, and every step is
bounded (lines, rows, objects).  Nothing here raises on bad input: a shape
that does not parse is simply not recognised.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.evidence.facts import PodFacts, QuotaFacts
from bot.paste import (
    describe_node,
    describe_pod,
    latest_rows,
    objects,
    prose_reasons,
    prose_states,
    quota_room,
    service_links,
    status_lines,
    systemd_units,
    tables,
)
from bot.paste.describe import (
    TOLERATIONS_SHAPE,
    EventsReader,
    is_event_header,
    keyed,
    starts_headless_tolerations,
    tolerations_end,
)
from bot.paste.model import EVENTS, POD_EVENTS, QUOTAS, Block, PastedFacts, Subject
from bot.paste.text import MAX_LINE_CHARS, is_command
from intents.normalize import clean_text

log = logging.getLogger(__name__)

MAX_PASTE_CHARS = 2_000_000
MAX_SCAN_LINES = 20_000
EVENTS_SHAPE = "kubectl describe (Events)"


def parse_paste(text: str) -> PastedFacts:
    """Every recognised block of kubectl output in the paste, with its facts."""
    cleaned = clean_text(text[:MAX_PASTE_CHARS], keep_json=True)
    lines = [line[:MAX_LINE_CHARS] for line in cleaned.split("\n")]
    facts = PastedFacts(lines)
    try:
        _scan(cleaned, lines, facts)
        _check_storage_classes(facts)
        _check_static_claims(facts)
        _link_services(facts)
        _forget_warm_up(facts)
        latest_rows.forget_recovered(facts.lines, facts.blocks)
        _check_quota_room(facts)
    except Exception:  # a parser bug must cost the facts, never the answer
        log.exception("paste parsing failed; matching the text alone")
        facts.blocks.clear()
    return facts


def _scan(cleaned: str, lines: list[str], facts: PastedFacts) -> None:
    offsets: list[int] = []
    number = 0
    while number < min(len(lines), MAX_SCAN_LINES):
        if objects.starts_json(lines[number]):
            offsets = offsets or _line_offsets(cleaned)
            block, after = objects.parse_json(cleaned, offsets[number], number, lines)
        else:
            block, after = _block_at(lines, number)
        if block is not None and block.end > number:
            facts.blocks.append(block)
            number = block.end
        else:
            number = max(after, number + 1)


def _check_storage_classes(facts: PastedFacts) -> None:
    """With `kubectl get storageclass` in the paste, each pasted claim's class is known to exist
    or not (the cluster read checks the same: a claim naming a class not listed never binds)."""
    listed = facts.storage_classes
    if listed is None:
        return
    for subject in facts.subjects:
        if isinstance(subject.facts, PodFacts):
            subject.facts.volumes = [
                replace(v, storage_class_exists=v.storage_class in listed) if v.storage_class else v
                for v in subject.facts.volumes]


def _check_static_claims(facts: PastedFacts) -> None:
    """With `kubectl get pv` in the paste listing no Available PV, a Pending claim without a
    StorageClass (bound statically, by hand-made PVs) has nothing to bind to: said as one line."""
    if facts.available_volumes != 0:
        return
    for subject in facts.subjects:
        if not isinstance(subject.facts, PodFacts):
            continue
        volumes = []
        for volume in subject.facts.volumes:
            if volume.phase == "Pending" and volume.storage_class in (None, "", "<unset>"):
                said = f"claim {volume.claim} is Pending with no StorageClass and no PersistentVolume listed is Available"
                subject.said += (said,)
                volume = replace(volume, storage_class_exists=True)  # no class to miss: binding is static
            volumes.append(volume)
        subject.facts.volumes = volumes


def _link_services(facts: PastedFacts) -> None:
    """Described Services and the described pods they select (bot.paste.service_links): a pod
    a Service cannot reach makes its block unhealthy."""
    services = [s.service for s in facts.subjects if s.service is not None]
    if not services:
        return
    for block in facts.blocks:
        service_links.link(block.subjects, services)
        block.settle()


def _forget_warm_up(facts: PastedFacts) -> None:
    """Pods a `get pods` table shows steady got past the probe failures of their start
    (bot.paste.ready_since): their event rows in any table are history."""
    tables_read = [block for block in facts.blocks if isinstance(block, tables.TableBlock)]
    steady = frozenset().union(*(block.steady_pods for block in tables_read))
    if steady:
        for block in tables_read:
            block.forget_warm_up(steady)


def _check_quota_room(facts: PastedFacts) -> None:
    """A quota with no room for a Service or claim the paste declares and lacks refused it
    (bot.paste.quota_room): said as one line, and a fact the evidence rule reads."""
    tables_read = [block for block in facts.blocks if isinstance(block, tables.TableBlock)]
    usage = [pair for block in tables_read for pair in block.quota_usage]
    if not usage:
        return
    objects = quota_room.declared(facts.lines)
    if not objects:
        return
    listed: dict[str, frozenset[str]] = {}
    for block in tables_read:
        for resource, names in block.listed.items():
            listed[resource] = listed.get(resource, frozenset()) | names
    refused = quota_room.refusals(objects, listed, quota_room.said_missing(facts.lines), usage)
    home = next(block for block in tables_read if block.quota_usage)
    for quota, what in refused.items():
        said = f"ResourceQuota {quota} is full: no room for {'; '.join(what)}, declared and not created"
        subject = Subject(f"ResourceQuota {quota}", home.shape,
                          PodFacts(namespace="", name=quota, quotas=[QuotaFacts(quota, refused=tuple(what))]),
                          {QUOTAS}, False, (said,))
        home.subjects.append(subject)
        home.settle()


def _line_offsets(cleaned: str) -> list[int]:
    """Where each line starts in the cleaned text (lines are cut for parsing, offsets are not)."""
    offsets, at = [0], cleaned.find("\n")
    while at >= 0:
        offsets.append(at + 1)
        at = cleaned.find("\n", at + 1)
    return offsets


def _block_at(lines: list[str], number: int) -> tuple[Block | None, int]:
    """The block starting at line `number` (None if none), and where to look next."""
    line = lines[number]
    stripped = line.strip()
    if not stripped:
        return None, number + 1
    if is_command(line):
        return Block("command", number, number + 1, quiet={number}), number + 1
    if objects.starts_yaml(line):
        return objects.parse_yaml(lines, number)
    return _text_block(lines, number, stripped), number + 1


def _text_block(lines: list[str], number: int, stripped: str) -> Block | None:
    """The describe, table, status-line, systemd unit or bare-row block at this line; cheap tests first."""
    if ".service" in stripped and systemd_units.starts_unit(lines, number):
        return systemd_units.parse_unit(lines, number)
    if ":" in stripped:
        block = _keyed_block(lines, number, stripped)
        if block is not None:
            return block
    if stripped[0].isupper():
        block = _upper_block(lines, number, stripped)
        if block is not None:
            return block
    if stripped.startswith(status_lines.LOWER_STARTS):
        return status_lines.status_line(stripped, number, lines)
    bare = tables.headerless(lines[number]) if tables.may_be_row(stripped) else None
    block = tables.parse_table(lines, number, bare, headerless=True) if bare else None
    if block is not None:
        return block
    return prose_states.statement(stripped, number) or prose_reasons.statement(stripped, number)


def _keyed_block(lines: list[str], number: int, stripped: str) -> Block | None:
    if describe_node.starts_node(lines, number):
        return describe_node.parse_node(lines, number)
    if describe_pod.starts_pod(lines, number) or describe_pod.starts_fragment(stripped):
        return describe_pod.parse_pod(lines, number)
    if stripped.startswith("Events:"):
        return parse_events(lines, number)
    if (stripped.startswith("Tolerations:") or starts_headless_tolerations(stripped)) \
            and (end := tolerations_end(lines, number)) > number:
        return Block(TOLERATIONS_SHAPE, number, end, quiet=set(range(number, end)))
    if status_lines.starts_helm_status(lines, number):
        return status_lines.parse_helm_status(lines, number)
    return None


def _upper_block(lines: list[str], number: int, stripped: str) -> Block | None:
    if is_event_header(stripped) or stripped.startswith(("Normal", "Warning")):
        return parse_events(lines, number)
    header = tables.read_header(lines[number])
    if header is not None:
        return tables.parse_table(lines, number, header)
    return status_lines.status_line(stripped, number, lines)


def parse_events(lines: list[str], start: int) -> Block | None:
    """A describe Events section pasted alone (with or without `Events:` and its header)."""
    reader = EventsReader("", "")
    quiet: set[int] = set()
    end = start
    while end < len(lines) and end - start < tables.MAX_ROWS:
        raw, stripped = lines[end], lines[end].strip()
        if not stripped or (end > start and not reader.events and keyed(stripped) is not None):
            break
        read = True if stripped.startswith("Events:") else reader.read(raw, end)
        if read is None:
            break
        if read:
            quiet.add(end)
        end += 1
    if not reader.events:
        return None
    quiet |= reader.settle()
    subject = Subject("the pasted events", EVENTS_SHAPE, PodFacts(namespace="", name="", events=reader.events),
                      {EVENTS, POD_EVENTS}, reader.healthy,
                      hidden=reader.unrefuting)
    return Block(EVENTS_SHAPE, start, end, quiet=quiet, subjects=[subject]).settle()
