"""What a paste was read into: its outputs as one recording, the objects it shows as subjects.

A `Subject` is one object the paste shows (a pod, a node, a claim, the events about something)
as the same typed facts a cluster read gives, with the facts its views showed (`seen`): a rule
can only be said not to hold when what it reads was shown. A `Part` is the span of lines one
output (or a section reader) took, whether what it shows is healthy, and which of its lines
state a healthy fact or boilerplate (never evidence of a failure, never read by the matcher).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.diagnosis.paste_names import recorded_names
from intents.facts.model import NodeFacts, PodFacts

if TYPE_CHECKING:
    from bot.cluster.outputs.ages import Clock
    from bot.cluster.outputs.recording import Recording
    from bot.cluster.outputs.store import Store

Facts = PodFacts | NodeFacts
COMMAND = "command"
"""The shape of a command line someone typed: read, never an output."""


@dataclass
class Subject:
    """One pasted object as facts; `seen` names the facts its views showed."""

    label: str
    shape: str
    facts: Facts
    seen: set[str] = field(default_factory=set)
    healthy: bool = True
    hidden: frozenset[str] = frozenset()
    """Facts `seen` holds that cannot refute a rule: a `get pods` STATUS of CrashLoopBackOff
    shows the back-off, not the reason of the last termination behind it."""
    key: tuple[str, str, str] | None = None
    """(kind, namespace, name) of the recorded object it is (None: a sentence, a row's words)."""

    @property
    def shown(self) -> frozenset[str]:
        """The facts whose absence of a failure refutes a rule."""
        return frozenset(self.seen - self.hidden)


@dataclass
class Part:
    """Lines [start, stop) one output or section reader took, as `shape`."""

    start: int
    stop: int
    shape: str
    healthy: bool = True
    quiet: set[int] = field(default_factory=set)
    """Lines stating a healthy fact or boilerplate: never evidence of a failure."""


@dataclass(frozen=True)
class Recorded:
    """A paste's recording, its store and the clock they were judged on (the walk reads them)."""

    recording: Recording
    store: Store
    clock: Clock


@dataclass
class PasteReading:
    """Everything read from one paste."""

    lines: list[str]
    parts: list[Part] = field(default_factory=list)
    subjects: list[Subject] = field(default_factory=list)
    views_shown: set[frozenset[str]] = field(default_factory=set)
    """What each view showed (a healthy row, a describe), as it showed it."""
    recorded: Recorded | None = None
    """The recording the paste was read into (None: reading it failed)."""

    @property
    def namespace(self) -> str:
        """The namespace the recording's commands name (where one without -n looked)."""
        return self.recorded.recording.default_namespace() if self.recorded else "default"

    def recorded_names(self) -> list[tuple[str, str]]:
        """(kind, value) of the fix values its recorded objects hold (bot.diagnosis.paste_names)."""
        found = recorded_names(self.recorded.store) if self.recorded else {}
        return [(kind, value) for kind, values in found.items() for value in values]

    @property
    def shown(self) -> set[frozenset[str]]:
        """Every distinct set of facts some view showed (a recorded object's, each view as it
        showed it; a sentence's, a row's words)."""
        return self.views_shown | {s.shown for s in self.subjects if s.key is None}

    @property
    def outputs(self) -> list[Part]:
        return [part for part in self.parts if part.shape != COMMAND]

    @property
    def recognised(self) -> bool:
        """Some output (not only a command line) was read."""
        return bool(self.outputs)

    @property
    def healthy(self) -> bool:
        """Some output was read and none of it shows a failure."""
        return self.recognised and all(part.healthy for part in self.parts)

    def _in_parts(self) -> list[bool]:
        inside = [False] * len(self.lines)
        for part in self.parts:
            for number in range(part.start, min(part.stop, len(self.lines))):
                inside[number] = True
        return inside

    def residual_text(self) -> str:
        """The lines no output holds (chat, logs, error output)."""
        inside = self._in_parts()
        return "\n".join(line for line, used in zip(self.lines, inside, strict=True) if not used)

    def matching_text(self) -> str:
        """What the text matcher reads: the residue, and unhealthy parts minus their quiet lines.

        An all-healthy paste gives only its residue: a real error line there may still be
        answered, the healthy output never is."""
        if self.healthy:
            return self.residual_text()
        drop: set[int] = set()
        for part in self.parts:
            drop.update(range(part.start, part.stop) if part.healthy else part.quiet)
        return "\n".join(line for number, line in enumerate(self.lines) if number not in drop)
