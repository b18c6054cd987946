"""What a paste was found to contain: recognised blocks and the objects they describe.

A `Subject` is one object the paste shows (a pod, a node, a claim, the
events about something) as the same typed facts a cluster read produces,
plus the sections that were actually pasted: a rule can only be said not to
hold when its section is there.  A `Block` is the span of lines one shape
parser recognised, and which of those lines state a healthy fact (never
evidence of a failure).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self, TypeVar

from bot.cluster import seen
from intents.facts.model import NodeFacts, PodFacts

PHASE, POD_MESSAGES, EXIT_CODES, EVENTS = (
    seen.PHASE,
    seen.POD_MESSAGES,
    seen.EXIT_CODES,
    seen.EVENTS,
)
CONTAINER_MESSAGES, POD_EVENTS, TAINTS = seen.CONTAINER_MESSAGES, seen.POD_EVENTS, seen.TAINTS
PODS_FULL, VOLUMES, SERVICE_PORTS, QUOTAS = (
    seen.PODS_FULL,
    seen.VOLUMES,
    seen.SERVICE_PORTS,
    seen.QUOTAS,
)
"""The paste's names for what was shown: bot/cluster/seen.py's."""
Facts = PodFacts | NodeFacts
Found = TypeVar("Found")

CONTAINERS = seen.CONTAINER_STATES
"""The paste's name for what a row shows of its containers: their states."""
condition_section = seen.condition


@dataclass(frozen=True)
class ServiceShape:
    """What a Service says about routing: its selector and each port's target."""

    name: str
    namespace: str
    selector: tuple[tuple[str, str], ...]
    targets: tuple[tuple[str, str], ...]
    """(targetPort as written - a number or a port name, protocol) of each port."""

    def selects(self, facts: PodFacts) -> bool:
        same_namespace = (
            not self.namespace or not facts.namespace or self.namespace == facts.namespace
        )
        return (
            bool(self.selector)
            and same_namespace
            and all(facts.labels.get(k) == v for k, v in self.selector)
        )


@dataclass
class Subject:
    """One pasted object as facts; `seen` names the sections the paste showed."""

    label: str
    shape: str
    facts: Facts
    seen: set[str] = field(default_factory=set)
    healthy: bool = True
    service: ServiceShape | None = None
    """A described Service's selector and targets."""
    hidden: frozenset[str] = frozenset()
    """Sections `seen` holds that cannot refute a rule: a `get pods` STATUS of CrashLoopBackOff
    shows the back-off, not the reason of the last termination behind it."""

    @property
    def shown(self) -> frozenset[str]:
        """The sections whose absence of a failure refutes a rule."""
        return frozenset(self.seen - self.hidden)


@dataclass
class Block:
    """Lines [start, end) that one parser recognised as `shape`."""

    shape: str
    start: int
    end: int
    healthy: bool = True
    quiet: set[int] = field(default_factory=set)
    """Lines stating a healthy fact or kubectl boilerplate: never evidence of a failure."""
    subjects: list[Subject] = field(default_factory=list)
    shown: set[frozenset[str]] = field(default_factory=set)
    """Sections shown by healthy rows that were not kept as subjects (a big table's Running pods)."""
    reading: str = ""
    """The name of the reading that read it (bot.paste.registry)."""
    found: list[object] = field(default_factory=list)
    """What the block says about the paste as a whole (the StorageClasses a listing names, a
    quota's usage), for the after-readings; each a small frozen dataclass of its reading."""

    def settle(self) -> Self:
        """Mark the block unhealthy when one of its subjects is."""
        self.healthy = self.healthy and all(s.healthy for s in self.subjects)
        return self


@dataclass
class PastedFacts:
    """Everything recognised in one paste."""

    lines: list[str]
    blocks: list[Block] = field(default_factory=list)

    @property
    def subjects(self) -> list[Subject]:
        return [subject for block in self.blocks for subject in block.subjects]

    def found(self, kind: type[Found]) -> list[Found]:
        """Everything of one kind the blocks found (`Block.found`), in paste order."""
        return [item for block in self.blocks for item in block.found if isinstance(item, kind)]

    @property
    def shown(self) -> set[frozenset[str]]:
        """Every distinct set of sections some pasted object showed."""
        found = {subject.shown for subject in self.subjects}
        for block in self.blocks:
            found |= block.shown
        return found

    @property
    def recognised(self) -> bool:
        """Some kubectl output (not only a command line) was recognised."""
        return any(block.shape != "command" for block in self.blocks)

    @property
    def healthy(self) -> bool:
        """Some kubectl output was recognised and none of it shows a failure."""
        return self.recognised and all(block.healthy for block in self.blocks)

    def _in_blocks(self) -> list[bool]:
        inside = [False] * len(self.lines)
        for block in self.blocks:
            for number in range(block.start, min(block.end, len(self.lines))):
                inside[number] = True
        return inside

    def residual_text(self) -> str:
        """The lines no parser recognised (chat, logs, error output)."""
        inside = self._in_blocks()
        return "\n".join(line for line, used in zip(self.lines, inside) if not used)

    def matching_text(self) -> str:
        """What the text matcher reads: the residue, and unhealthy blocks minus their quiet lines.

        An all-healthy paste contributes only its residue: a real error line
        there may still be answered, the healthy kubectl output never is.
        """
        if self.healthy:
            return self.residual_text()
        drop: set[int] = set()
        for block in self.blocks:
            drop.update(range(block.start, block.end) if block.healthy else block.quiet)
        return "\n".join(line for number, line in enumerate(self.lines) if number not in drop)
