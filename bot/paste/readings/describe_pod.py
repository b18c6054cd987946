"""`kubectl describe pod`: status, every container's State / Last State, Conditions, Events.

Read line by line with a small state machine, indentation-free: a
container starts at a bare `name:` line inside (Init) Containers, and
Reason / Message / Exit Code belong to the State or Last State read last.
A paste of only part of the output (the Containers section, or from a
`State:` line on) is read the same way, for a pod whose name is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.evidence import health
from bot.evidence.common import bounded
from bot.evidence.history import steady
from bot.paste.describe import EventsReader, is_dashes, keyed
from bot.paste.describe_kinds import conditions_healthy, kind_of, other_subject
from bot.paste.model import (
    CONTAINER_MESSAGES,
    CONTAINERS,
    EVENTS,
    EXIT_CODES,
    PHASE,
    POD_EVENTS,
    POD_MESSAGES,
    Block,
    ServiceShape,
    Subject,
)
from bot.paste.reading import At, Reading
from bot.paste.readings.service_links import declared_ports, labels_of, target_of
from intents.facts.model import ContainerFacts, NodeCondition, PodFacts
from intents.lazy_re import lazy_compile

SHAPE = "kubectl describe pod"
MAX_BLOCK_LINES = 5000
_CONTAINER_NAME = lazy_compile(r"^([a-z0-9][a-z0-9.-]{0,62}):$")
_CONDITION = lazy_compile(r"^([A-Z][A-Za-z]{2,40})\s+(True|False|Unknown)(?:\s+([A-Z]\w{0,80}))?$")
BOILERPLATE = frozenset(
    {
        "Name",
        "Namespace",
        "Priority",
        "Priority Class Name",
        "Runtime Class Name",
        "Service Account",
        "Node",
        "Start Time",
        "Labels",
        "Annotations",
        "IP",
        "IPs",
        "Controlled By",
        "Container ID",
        "Image ID",
        "Port",
        "Host Port",
        "Ports",
        "Host Ports",
        "Limits",
        "Requests",
        "Environment",
        "Environment Variables from",
        "Mounts",
        "Volumes",
        "QoS Class",
        "Node-Selectors",
        "Tolerations",
        "Topology Spread Constraints",
        "SeccompProfile",
        "Readiness Gates",
        "Started",
        "Finished",
        "Conditions",
        "Type",
        "Init Containers",
        "Containers",
        "Events",
        "Volume Claims",
        "NominatedNodeName",
    }
)
LISTING_SECTIONS = frozenset(
    {
        "Labels",
        "Annotations",
        "IPs",
        "Limits",
        "Requests",
        "Environment",
        "Environment Variables from",
        "Mounts",
        "Volumes",
        "Tolerations",
        "Node-Selectors",
        "Readiness Gates",
        "Topology Spread Constraints",
    }
)
"""Sections whose following lines are configuration, not state."""


@dataclass
class _Container:
    name: str
    init: bool
    fields: dict[str, str] = field(default_factory=dict)
    last: dict[str, str] = field(default_factory=dict)

    def facts(self) -> ContainerFacts:
        state = self.fields.get("State", "unknown").lower()
        return ContainerFacts(
            name=self.name,
            init=self.init,
            ready=self.fields.get("Ready") == "True",
            restarts=_int(self.fields.get("Restart Count")) or 0,
            state=state if state in ("running", "waiting", "terminated") else "unknown",
            reason=self.fields.get("Reason"),
            message=bounded(self.fields.get("Message")),
            exit_code=_int(self.fields.get("Exit Code")),
            last_reason=self.last.get("Reason"),
            last_message=bounded(self.last.get("Message")),
            last_exit_code=_int(self.last.get("Exit Code")),
            # the kubelet marks a started container ready unless its readiness (or startup)
            # probe has not succeeded
            running_unready=not self.init
            and self.fields.get("State") == "Running"
            and self.fields.get("Ready") == "False",
        )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.lstrip("-").isdigit() and len(value) < 10 else None


HEALTHY_VALUES = frozenset(
    {
        ("Ready", "True"),
        ("Restart Count", "0"),
        ("Status", "Running"),
        ("Status", "Succeeded"),
        ("State", "Running"),
    }
)
SECTIONS = {
    "Containers": "containers",
    "Init Containers": "init",
    "Conditions": "conditions",
    "Events": "events",
    "Volumes": "volumes",
}
STATE_KEYS = frozenset({"Reason", "Message", "Exit Code", "Signal", "Started", "Finished"})


@dataclass
class _PodReader:
    pod: dict[str, str] = field(default_factory=dict)
    containers: list[_Container] = field(default_factory=list)
    conditions: list[NodeCondition] = field(default_factory=list)
    section: str = "pod"
    last_state: bool = False
    listing: bool = False
    message: dict[str, str] | None = None
    quiet: set[int] = field(default_factory=set)
    events: EventsReader = field(default_factory=lambda: EventsReader("Pod", ""))
    keys: set[str] = field(default_factory=set)
    labels: dict[str, str] = field(default_factory=dict)
    targets: list[tuple[str, str]] = field(default_factory=list)
    """A described Service's `TargetPort:` values (one per port)."""
    listing_key: str = ""

    def line(self, number: int, raw: str) -> bool:
        """Read one line; False when it is not part of the pod any more."""
        stripped = raw.strip()
        if self.section == "events":
            return self._event_line(number, raw)
        pair = keyed(stripped)
        if pair is not None and self.section == "volumes" and raw[:1] in (" ", "\t"):
            self.quiet.add(number)  # a volume's own keys (Type, Name, Optional...): not the pod's
            return True
        if pair is not None:
            self._keyed(number, *pair)
            return self.section != "done"
        in_containers = self.section in ("containers", "init")
        if in_containers and (name := _CONTAINER_NAME.match(stripped)):
            self.containers.append(_Container(name.group(1), self.section == "init"))
            self.last_state, self.listing, self.message = False, False, None
            self.quiet.add(number)
        elif self.section == "conditions" and (condition := _CONDITION.match(stripped)):
            self.conditions.append(
                NodeCondition(condition.group(1), condition.group(2), condition.group(3) or "")
            )
            if conditions_healthy(self.conditions[-1:]):
                self.quiet.add(number)
        elif self.message is not None:
            self.message["Message"] = f"{self.message['Message']}\n{stripped}"[:4000]
        elif self.listing or is_dashes(stripped) or self.section == "volumes":
            if self.listing and self.listing_key == "Labels" and self.section == "pod":
                self.labels.update(labels_of(stripped))
            self.quiet.add(number)
        return True

    def _event_line(self, number: int, raw: str) -> bool:
        quiet = self.events.read(raw, number)
        if quiet:
            self.quiet.add(number)
        return quiet is not None

    def _target(self, key: str) -> dict[str, str]:
        """Where a keyed value belongs: the pod, or the current container's State / Last State."""
        if self.section not in ("containers", "init") or not self.containers:
            return self.pod
        container = self.containers[-1]
        if key in ("State", "Last State"):
            return container.last if self.last_state else container.fields
        if key in STATE_KEYS and self.last_state:
            return container.last
        self.last_state = self.last_state and key in STATE_KEYS
        return container.fields

    def _keyed(self, number: int, key: str, value: str) -> None:
        self.message, self.listing, self.listing_key = None, key in LISTING_SECTIONS, key
        if self.section == "pod":
            self.keys.add(key)
            if key == "Labels":
                self.labels.update(labels_of(value))
            elif key == "TargetPort":
                self.targets.append(target_of(value))
        if key in SECTIONS:
            if key == "Containers":
                # describe lists init containers first: any container before this heading is one
                # (a paste cut below "Init Containers:")
                for container in self.containers:
                    container.init = True
            self.section = SECTIONS[key]
            self.listing = key == "Volumes"
            if key == "Events" and value == "<none>":
                self.section = "done"
        elif key in ("State", "Last State"):
            if self.section not in ("containers", "init"):
                self.section = "containers"
            if not self.containers:
                self.containers.append(_Container("?", False))
            self.last_state = key == "Last State"
        target = self._target(key)
        target["State" if key == "Last State" else key] = value
        if key == "Name" and target is self.pod:
            self.events.name = value
        if key == "Message":
            self.message = target
        if key in BOILERPLATE or self.listing or (key, value) in HEALTHY_VALUES:
            self.quiet.add(number)

    def _implied_phase(self) -> str:
        """A fragment without `Status:`: an init container still not done (or a container still
        waiting for them, PodInitializing) means Pending; every app container running and ready,
        Running."""
        waiting = any(
            (c.init and c.fields.get("State") in ("Waiting", "Running"))
            or c.fields.get("Reason") == "PodInitializing"
            for c in self.containers
        )
        if waiting:
            return "Pending"
        apps = [c for c in self.containers if not c.init]
        running = apps and all(
            c.fields.get("State") == "Running" and c.fields.get("Ready") == "True" for c in apps
        )
        return "Running" if running else "Unknown"

    def _inits_before_initializing(self) -> None:
        """A container still waiting in PodInitializing waits for init containers: one listed before
        it (describe lists init containers first) that has run is one of them, its heading cut."""
        waiting = [
            at
            for at, c in enumerate(self.containers)
            if c.fields.get("State") == "Waiting" and c.fields.get("Reason") == "PodInitializing"
        ]
        for container in self.containers[: waiting[0]] if waiting else ():
            if container.fields.get("Restart Count", "0") != "0" or container.last:
                container.init = True

    def subject(self) -> Subject:
        self._inits_before_initializing()
        apps = [c for c in self.containers if not c.init]
        self.quiet |= self.events.settle(
            steady=steady(
                self.pod.get("Status"),
                [c.fields.get("Ready") for c in apps],
                [c.fields.get("Restart Count") for c in apps],
            )
        )
        name = self.pod.get("Name", "")
        has_states = any("State" in c.fields or "State" in c.last for c in self.containers)
        kind = kind_of(self.keys, has_states)
        if kind != "Pod":
            events = [replace(e, object_kind=kind, object_name=name) for e in self.events.events]
            subject = other_subject(kind, self.pod, self.conditions, events)
            if "Selector" in self.pod and self.targets:  # a described Service
                selector = tuple(labels_of(self.pod["Selector"]).items())
                subject.service = ServiceShape(
                    name, self.pod.get("Namespace", ""), selector, tuple(self.targets)
                )
            return subject
        facts = PodFacts(
            namespace=self.pod.get("Namespace", ""),
            name=name,
            phase=self.pod.get("Status") or self._implied_phase(),
            reason=self.pod.get("Reason"),
            message=bounded(self.pod.get("Message")),
            node_name=self.pod.get("Node", "").split("/")[0] or None,
            conditions=self.conditions,
            containers=[c.facts() for c in self.containers],
            events=list(self.events.events),
            labels=self.labels,
            ports=[
                port
                for c in self.containers
                if not c.init
                for key in ("Port", "Ports")
                for port in declared_ports(c.fields.get(key, ""))
            ],
        )
        seen = {PHASE, POD_MESSAGES} if "Status" in self.pod else set()
        if any("State" in c.fields for c in self.containers):
            # a container's states were shown (a describe cut after "Containers:" shows none)
            seen |= {CONTAINERS, EXIT_CODES, CONTAINER_MESSAGES}
        if self.section in ("events", "done"):
            seen |= {EVENTS, POD_EVENTS}
        label = (
            f"pod {facts.ref}" if facts.namespace else (f"pod {name}" if name else "the pasted pod")
        )
        if "Status" in self.pod:
            healthy = health.pod_healthy(facts)
        else:
            healthy = self.events.healthy and all(
                c.state == "running" and c.ready and not health.crashed_before(c)
                for c in facts.containers
            )
        return Subject(label, SHAPE, facts, seen, healthy, hidden=self.events.unrefuting)


def _blank_argument(lines: list[str], number: int, section: str) -> bool:
    """An empty command or argument (`""`) inside a container's Command/Args list: kubectl
    prints it as an indented blank line, and the container goes on below it."""
    line = lines[number]
    return (
        section in ("containers", "init")
        and not line.strip()
        and line.startswith("      ")
        and number + 1 < len(lines)
        and lines[number + 1].startswith("      ")
    )


def starts_pod(lines: list[str], start: int) -> bool:
    """`Name:` followed by `Namespace:` (a describe pod or any namespaced describe), or by
    `Labels:` (a cluster-scoped object: a PersistentVolume, a Namespace)."""
    if not lines[start].lstrip().startswith("Name:") or start + 1 >= len(lines):
        return False
    first = keyed(lines[start].strip())
    if first is None or first[0] != "Name":
        return False
    second = keyed(lines[start + 1].strip())
    return second is not None and second[0] in ("Namespace", "Labels")


def starts_fragment(stripped: str) -> bool:
    """A paste that begins inside describe pod: the Containers section or a State line."""
    pair = keyed(stripped)
    return pair is not None and (
        pair == ("Containers", "")
        or pair == ("Init Containers", "")
        or (pair[0] in ("State", "Last State") and pair[1] in ("Running", "Waiting", "Terminated"))
    )


def parse_pod(lines: list[str], start: int) -> Block:
    """The describe pod (or fragment) starting at `start`, up to its Events or a blank line."""
    reader = _PodReader()
    end = start
    while end < len(lines) and end - start < MAX_BLOCK_LINES:
        if _blank_argument(lines, end, reader.section):
            reader.quiet.add(end)
            end += 1
            continue
        if not lines[end].strip() or (
            end > start and reader.section != "events" and starts_pod(lines, end)
        ):
            break
        if not reader.line(end, lines[end]):
            end += reader.section == "done"
            break
        end += 1
    subject = reader.subject()
    block = Block(subject.shape, start, end, quiet=reader.quiet, subjects=[subject])
    return block.settle()


def may_start(at: At) -> bool:
    return ":" in at.stripped and (starts_pod(at.lines, at.number) or starts_fragment(at.stripped))


DESCRIBE_POD = Reading(
    "describe",
    may_start,
    lambda at: parse_pod(at.lines, at.number),
    frozenset(
        {
            "PodFacts.phase",
            "PodFacts.reason",
            "PodFacts.message",
            "PodFacts.node_name",
            "PodFacts.conditions",
            "PodFacts.containers",
            "PodFacts.events",
            "PodFacts.labels",
            "PodFacts.ports",
            "PodFacts.volumes",
            "PodFacts.owners",
        }
    ),
)
