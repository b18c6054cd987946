"""What the parsers found in the recorded outputs, before the views of one object are merged.

Every parser adds to one `Recording`: objects (each from one view, with the view's
richness), complete listings (`kubectl get pods -n shop` with no name or selector
says these are *all* the pods, so a missing one is absent, not unrecorded), logs,
node services, metrics, and what was skipped and why.  Namespaces left unsaid (a
`kubectl get pods` with no -n) are settled at the end: the one namespace the other
commands name, else `default`, as kubectl itself would have used.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.cluster.outputs.kinds import kind_of
from bot.cluster.reader import JsonObject

TABLE, WIDE, DESCRIBE, MANIFEST = 0, 1, 2, 3
"""How rich a view is: a later, richer view wins field by field."""
MAX_OBJECTS = 10_000
"""Objects kept per kind (a bigger recording is read in part, and says so)."""
ALL = "*"
"""The namespace of a listing across all namespaces (-A), or of a cluster-scoped kind."""


@dataclass(frozen=True)
class Skipped:
    """A section the reader did not read: where, which command, and why."""

    file: str
    line: int
    command: str
    why: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "command": self.command, "why": self.why}

    def __str__(self) -> str:
        shown = f" ({self.command})" if self.command else ""
        return f"{self.file}:{self.line}{shown}: {self.why}"


LINE = "kubemedic.io/line"
"""The key (on an object read from text, taken off by `Recording.add`) of the line it was read
from (0-based in the text); a view without it was read from its section's first line."""


@dataclass
class View:
    """One object as one output showed it, and the line of the text it was read from."""

    kind: str
    namespace: str | None
    name: str
    obj: JsonObject
    rank: int
    line: int = -1


@dataclass(frozen=True)
class Part:
    """Lines [start, stop) of the text (0-based) that one output (or a command line) took."""

    start: int
    stop: int
    shape: str


@dataclass
class LogRecord:
    """One `kubectl logs` output: of a pod, or of a controller's pod (`deploy/NAME`)."""

    namespace: str | None
    owner_kind: str
    name: str
    container: str | None
    previous: bool
    text: str


@dataclass
class Recording:
    """Everything read from the outputs, in reading order."""

    views: list[View] = field(default_factory=list)
    unnamed: list[View] = field(default_factory=list)
    """Objects a part of an output shows without their name (a describe's Containers alone):
    their facts are read, but no listing or lookup can find them."""
    listings: set[tuple[str, str | None]] = field(default_factory=set)
    absent: set[tuple[str, str | None, str]] = field(default_factory=set)
    """(kind, namespace, name) kubectl said are not found."""
    logs: list[LogRecord] = field(default_factory=list)
    services: list[JsonObject] = field(default_factory=list)
    metrics: list[JsonObject] = field(default_factory=list)
    alerts: list[JsonObject] = field(default_factory=list)
    """Firing alerts an Alertmanager listing showed (bot/cluster/outputs/alerts.py)."""
    skipped: list[Skipped] = field(default_factory=list)
    named_namespaces: list[str] = field(default_factory=list)
    shown_namespaces: set[str] = field(default_factory=set)
    """Namespaces the objects themselves show (describe's `Namespace:`, a NAMESPACE column)."""
    sections_read: int = 0
    parts: list[Part] = field(default_factory=list)
    """The lines each output and command line took, in reading order (text read whole only)."""
    at: int = -1
    """The first line (0-based) of the section being read."""
    keep_parts: bool = False
    """Note `parts` (a paste's reading needs them; a folder of outputs does not)."""
    kept: dict[str, set[tuple[str | None, str]]] = field(default_factory=dict)
    """The objects kept of each kind, at most MAX_OBJECTS (memory stays bounded)."""
    dropped: Counter[str] = field(default_factory=Counter)
    """Objects of each kind left out past MAX_OBJECTS: its listings are then incomplete."""
    merged: object = None
    """Its store, once made (bot/cluster/outputs/store.py `store_of`)."""

    def add(self, kind: str, obj: JsonObject, rank: int, namespace: str | None = None) -> None:
        meta = obj.setdefault("metadata", {})
        name = str(meta.get("name") or "")
        line = obj.pop(LINE, self.at)
        if not name:
            if len(self.unnamed) < MAX_OBJECTS:
                self.unnamed.append(View(kind, namespace, "", obj, rank, line))
            return
        if not kind_of(kind).namespaced:
            meta.pop("namespace", None)
            namespace = None
        if meta.get("namespace") and kind != "events":
            self.shown_namespaces.add(str(meta["namespace"]))
        namespace = meta.get("namespace") or namespace
        if namespace and namespace != ALL:
            meta["namespace"] = namespace
        else:
            namespace = None
        kept = self.kept.setdefault(kind, set())
        if (namespace, name) not in kept:
            if len(kept) >= MAX_OBJECTS:
                self.dropped[kind] += 1
                return
            kept.add((namespace, name))
        self.views.append(View(kind, namespace, name, obj, rank, line))

    def note_dropped(self, path: Path | str) -> None:
        """List each kind read in part as skipped, with how many were left out."""
        for kind, count in self.dropped.items():
            self.skip(path, 0, "", f"only the first {MAX_OBJECTS} {kind} were kept ({count} more)")

    def listed(self, kind: str, namespace: str | None) -> None:
        self.listings.add((kind, namespace))

    def skip(self, file: Path | str, line: int, command: str, why: str) -> None:
        self.skipped.append(Skipped(str(file), line, command, why))

    def namespace_named(self, namespace: str | None) -> None:
        if namespace and namespace not in self.named_namespaces:
            self.named_namespaces.append(namespace)

    def default_namespace(self) -> str:
        """Where a command without -n (or an output without its command) looked: the one
        namespace the commands name, else the one the objects show, else default."""
        if len(self.named_namespaces) == 1:
            return self.named_namespaces[0]
        if not self.named_namespaces and len(self.shown_namespaces) == 1:
            return next(iter(self.shown_namespaces))
        return "default"
