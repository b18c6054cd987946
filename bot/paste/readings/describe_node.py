"""`kubectl describe node`: Conditions, Taints, capacity and requests, Events.

Only the unhealthy parts of a node (a condition in the wrong state, a
pressure taint, a failure event) are text worth matching; every other line
of a describe node is configuration and is kept away from the matcher.
A paste of only the Conditions table is read the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.evidence.common import quantity
from bot.paste import health
from bot.paste.describe import EventsReader, keyed
from bot.paste.model import EVENTS, PODS_FULL, TAINTS, Block, Subject, condition_section
from bot.paste.reading import Reading
from bot.paste.text import tokens
from intents.facts.model import NodeCondition, NodeFacts
from intents.lazy_re import lazy_compile

SHAPE = "kubectl describe node"
MAX_BLOCK_LINES = 5000
_CONDITION_ROW = lazy_compile(r"^([A-Z][A-Za-z]{1,60})\s+(True|False|Unknown)(?:\s++(.*))?$")
_TIME_PART = lazy_compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),|\d{1,4},?|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"|\d{2}:\d{2}:\d{2}|[+-]\d{4}|[A-Z]{3,4}|\d{4}-\d{2}-\d{2}T[\d:.]+Z?|<unknown>)$"
)
_TAINT = lazy_compile(
    r"^[A-Za-z0-9][\w./-]{0,253}(?:=[^:\s]{0,63})?:(?:NoSchedule|PreferNoSchedule|NoExecute)$"
)
_POD_TOTAL = lazy_compile(r"\((\d{1,6}) in total\)")
_RESOURCE = lazy_compile(r"^(cpu|memory|ephemeral-storage|pods)\s+(\S+)")


def condition(stripped: str) -> NodeCondition | None:
    """A Conditions row: type, status, then timestamps, the reason and the message."""
    match = _CONDITION_ROW.match(stripped)
    if match is None:
        return None
    rest = tokens(match.group(3) or "")
    at = 0
    while at < len(rest) and _TIME_PART.match(rest[at]):
        at += 1
    reason = rest[at] if at < len(rest) else ""
    return NodeCondition(match.group(1), match.group(2), reason, " ".join(rest[at + 1 :])[:2000])


def _condition_healthy(row: NodeCondition) -> bool:
    return row.status == ("True" if row.type == "Ready" else "False")


@dataclass
class _NodeReader:
    facts: NodeFacts = field(default_factory=lambda: NodeFacts(name=""))
    section: str = "node"
    seen: set[str] = field(default_factory=set)
    quiet: set[int] = field(default_factory=set)
    events: EventsReader = field(default_factory=lambda: EventsReader("Node", ""))

    def line(self, number: int, raw: str) -> bool:
        """Read one line; False when it is not part of the node any more."""
        stripped = raw.strip()
        if self.section == "events":
            return self._event_line(number, raw)
        row = condition(stripped) if self.section == "conditions" else None
        pair = keyed(stripped) if row is None else None
        if row is not None:
            self.facts.conditions.append(row)
            self.seen.add(condition_section(row.type))
            if _condition_healthy(row):
                self.quiet.add(number)
        elif pair is not None:
            if not self._keyed(number, *pair):
                self.quiet.add(number)
            return self.section != "done"
        elif self.section == "taints" and _TAINT.match(stripped):
            self._taint(number, stripped)
        else:
            self._listing(stripped)
            self.quiet.add(number)
        return True

    def _keyed(self, number: int, key: str, value: str) -> bool:
        """Read a `Key: value` line; True when the line is evidence (a pressure taint)."""
        self.section = {
            "Conditions": "conditions",
            "Taints": "taints",
            "Allocatable": "allocatable",
            "Capacity": "capacity",
            "Allocated resources": "allocated",
            "Events": "events",
        }.get(key, "node")
        if key == "Name":
            self.facts.name = value
            self.events.name = value
        elif key == "Taints":
            self.seen.add(TAINTS)
            if value and value != "<none>":
                return self._taint(number, value)
        elif key == "Unschedulable":
            self.facts.unschedulable = value == "true"
        elif key == "Non-terminated Pods" and (total := _POD_TOTAL.search(value)):
            self.facts.pod_count = int(total.group(1))
        elif key == "Events" and value == "<none>":
            self.section = "done"
            self.seen.add(EVENTS)
        return False

    def _taint(self, number: int, taint: str) -> bool:
        """Record a taint; True when it is a pressure taint (evidence), else the line is quiet."""
        key, _, effect = taint.rpartition(":")
        self.facts.taints.append(f"{key.split('=')[0]}:{effect}")
        if key.split("=")[0] in health.PRESSURE_TAINTS:
            return True
        self.quiet.add(number)
        return False

    def _listing(self, stripped: str) -> None:
        if self.section == "allocatable" and stripped.startswith(("pods:", "cpu:", "memory:")):
            name, _, value = stripped.partition(":")
            self.facts.allocatable[name] = quantity(value)
        elif self.section == "allocated" and (found := _RESOURCE.match(stripped)):
            self.facts.requested[found.group(1)] = quantity(found.group(2))

    def _event_line(self, number: int, raw: str) -> bool:
        self.seen.add(EVENTS)
        quiet = self.events.read(raw)
        if quiet:
            self.quiet.add(number)
        return quiet is not None

    def subject(self) -> Subject:
        facts = self.facts
        facts.events = list(self.events.events)
        if facts.pod_count is not None and "pods" in facts.allocatable:
            self.seen.add(PODS_FULL)
        label = f"node {facts.name}" if facts.name else "the pasted node"
        return Subject(label, SHAPE, facts, self.seen, health.node_healthy(facts))


def starts_node(lines: list[str], start: int) -> bool:
    """`Name:` followed by `Roles:`, `Taints:` followed by `Unschedulable:` (a describe node copied
    from the middle: only a node has both), or a node Conditions table."""
    if lines[start].lstrip().startswith("Taints:") and start + 1 < len(lines):
        return lines[start + 1].lstrip().startswith("Unschedulable:")
    if not lines[start].lstrip().startswith(("Name:", "Conditions:")) or start + 1 >= len(lines):
        return False
    first = keyed(lines[start].strip())
    if first is None:
        return False
    second = lines[start + 1].strip()
    if first[0] == "Name":
        pair = keyed(second)
        return pair is not None and pair[0] == "Roles"
    return (
        first == ("Conditions", "") and second.startswith("Type") and "LastHeartbeatTime" in second
    )


def parse_node(lines: list[str], start: int) -> Block:
    """The describe node (or its Conditions table) starting at `start`."""
    reader = _NodeReader()
    end = start
    while end < len(lines) and end - start < MAX_BLOCK_LINES:
        if not lines[end].strip() or (
            end > start
            and reader.section != "events"
            and lines[end].lstrip().startswith("Name:")
            and starts_node(lines, end)
        ):
            break
        if not reader.line(end, lines[end]):
            end += reader.section == "done"
            break
        end += 1
    return Block(SHAPE, start, end, quiet=reader.quiet, subjects=[reader.subject()]).settle()


DESCRIBE_NODE = Reading(
    "describe node",
    lambda at: ":" in at.stripped and starts_node(at.lines, at.number),
    lambda at: parse_node(at.lines, at.number),
    frozenset(
        {
            "NodeFacts.conditions",
            "NodeFacts.taints",
            "NodeFacts.unschedulable",
            "NodeFacts.allocatable",
            "NodeFacts.requested",
            "NodeFacts.pod_count",
            "NodeFacts.events",
        }
    ),
)
