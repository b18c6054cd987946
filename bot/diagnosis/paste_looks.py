"""What each view of a paste's recording showed, as it showed it: read before the store merges
the views of one object.

A `get pods` row shows a container's state, a describe its messages; each view's facts (`showed`)
are what refutes a rule by their absence, whichever view it was. Where each view stood (its
output, its line) says how to quote it ("pasted kubectl get pods") and which object each line of
an output is about. Two looks at one object are merged into its latest state, unless the paste's
own words stand between them or the object restarted since: then the earlier look stays its own
story (`earlier`).
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from bot.cluster.outputs.ages import Stamp
from bot.cluster.outputs.kinds import OUTPUT_KINDS, kind_of
from bot.cluster.outputs.recording import DESCRIBE, MANIFEST, WIDE, Recording, View
from bot.cluster.outputs.recording import Part as Output
from bot.cluster.outputs.scan import DESCRIBE as DESCRIBED
from bot.cluster.outputs.scan import EVENTS as EVENTS_ALONE
from bot.cluster.outputs.scan import MANIFEST as MANIFESTS
from bot.cluster.outputs.scan import ROWS, TABLE, UNIT, headerless
from bot.cluster.outputs.table import Header, read_header
from bot.cluster.reader import JsonObject
from bot.cluster.seen import CONTAINER_STATES, showed, unseen
from bot.diagnosis.paste_model import Subject
from bot.diagnosis.paste_subjects import Key, Naming
from bot.diagnosis.paste_text import is_command
from intents.lazy_re import lazy_compile
from intents.policy import POLICY

VOLUME_KINDS = ("persistentvolumeclaims", "persistentvolumes")


@dataclass
class Looks:
    """What the views of the recording showed, as they showed it (read before the store merges
    them), and where each was read."""

    lines: list[str]
    default: str
    naming: Naming = field(default_factory=Naming)
    views_shown: set[frozenset[str]] = field(default_factory=set)
    at_line: dict[int, list[Key]] = field(default_factory=dict)
    written: set[Key] = field(default_factory=set)
    """Objects only a manifest as written shows: what was applied, not what the cluster says."""
    reported: set[Key] = field(default_factory=set)
    every_namespace: bool = False
    sightings: dict[Key, list[tuple[int, int, View]]] = field(default_factory=dict)
    """(episode, restarts, view) of each look at a pod, node or volume, in reading order."""
    earlier: list[tuple[Key, int, JsonObject]] = field(default_factory=list)
    """(key, line, object as that look read it) of the earlier looks kept as their own."""
    by_line: dict[int, Subject] = field(default_factory=dict)
    """The subject of an earlier look, at the line it was read from."""

    @classmethod
    def of(cls, rec: Recording, lines: list[str]) -> Looks:
        looks = cls(lines, rec.default_namespace())
        outputs = sorted(rec.parts, key=lambda part: part.start)
        starts = [part.start for part in outputs]
        episodes = _episodes(outputs, lines)
        rows: dict[int, list[tuple[frozenset[str], bool]]] = {}
        for view in [*rec.views, *rec.unnamed]:
            at = bisect_right(starts, view.line) - 1
            inside = at >= 0 and view.line < outputs[at].stop
            looks.add(view, outputs[at] if inside else None)
            looks.looked(view, episodes[at] if inside else 0)
            if inside and view.kind == "pods" and view.rank <= WIDE:
                rows.setdefault(at, []).append(looks.pod_row(view))
        looks.written -= looks.reported
        looks.hide_restarted(rows.values())
        looks.keep_earlier()
        return looks

    def pod_row(self, view: View) -> tuple[frozenset[str], bool]:
        """A pod's row of a table: the facts it shows and whether it is steady; a pod restarted
        lately is noted."""
        if _restarted_ago(view.obj) < POLICY.recent_restart:
            self.naming.restarted.add(self.key(view))
        return showed(view.kind, view.obj, unseen(view.obj)), _steady_row(view.obj)

    def hide_restarted(self, tables: Iterable[list[tuple[frozenset[str], bool]]]) -> None:
        """A row that restarted (or backs off) does not say how it last ended: the steady rows
        beside it say nothing of that either."""
        for table in tables:
            if any(CONTAINER_STATES not in facts for facts, _steady in table):
                steady = {facts for facts, steady in table if steady}
                self.views_shown -= steady - {facts for facts, steady in table if not steady}
                self.views_shown |= {facts - {CONTAINER_STATES} for facts in steady}

    def looked(self, view: View, episode: int) -> None:
        if view.kind in ("pods", "nodes", *VOLUME_KINDS) and view.name:
            self.sightings.setdefault(self.key(view), []).append(
                (episode, _restarts(view.obj), view)
            )

    def keep_earlier(self) -> None:
        """An earlier look at an object stays its own story when the paste's own words stand
        between it and the later one ("after I restarted the kubelet it came back": the first
        table is the problem told) or the object restarted since (a crash loop between two
        looks): kept as it was read, before the store merges the looks."""
        for key, found in self.sightings.items():
            last_episode, last_restarts, _last = found[-1]
            for episode, restarts, view in found[:-1]:
                if episode < last_episode or restarts < last_restarts:
                    self.earlier.append((key, view.line, copy.deepcopy(view.obj)))

    def key(self, view: View) -> Key:
        if not view.name:
            return (view.kind, self.default, "")
        namespaced = kind_of(view.kind).namespaced
        return (view.kind, (view.namespace or self.default) if namespaced else "", view.name)

    def add(self, view: View, output: Output | None) -> None:
        key = self.key(view)
        if view.rank == MANIFEST and _as_written(view.obj):
            self.written.add(key)
        else:
            self.reported.add(key)
            if view.kind != "events":
                self.views_shown.add(showed(view.kind, view.obj, unseen(view.obj)))
        if view.namespace is not None:
            self.naming.said.add(key)
        if view.kind == "pods" and output is not None and output.shape in (TABLE, ROWS):
            header = _header(output, self.lines)
            self.every_namespace |= header is not None and "NAMESPACE" in header.names
        self.naming.lines.setdefault(key, view.line)
        self.at_line.setdefault(view.line, []).append(key)
        if output is not None and (key not in self.naming.shapes or view.rank >= DESCRIBE):
            self.naming.shapes[key] = self.shape(output, view.kind)

    def shape(self, output: Output, kind: str) -> str:
        """What kubectl printed, as the answer quotes it ("pasted kubectl get pods")."""
        if output.shape == MANIFESTS:
            first = self.lines[output.start].lstrip()[:1] if output.start < len(self.lines) else ""
            return "kubectl get -o json" if first in ("{", "[") else "kubectl get -o yaml"
        if output.shape == DESCRIBED:
            return f"kubectl describe {_singular(kind)}"
        if output.shape == EVENTS_ALONE:
            return "kubectl describe (Events)"
        return "systemctl status" if output.shape == UNIT else f"kubectl get {kind}".strip()

    def described(self, key: Key) -> bool:
        """The object a describe is of (not one it shows beside: a node's Lease)."""
        line = self.naming.lines.get(key)
        return line is not None and self.at_line.get(line, [key])[0] == key

    def kind_at(self, start: int, stop: int) -> str:
        """The kind of the first object (not an event) read in lines [start, stop)."""
        keys = [key for n in range(start, stop) for key in self.at_line.get(n, ())]
        return next((key[0] for key in keys if key[0] != "events"), "events" if keys else "")


_BETWEEN = lazy_compile(r"^\s*(?:$|`{3}|~{3}|[$#>%]\s|\[[^\]]{1,80}\][$#]|[\w.@:~/-]{1,80}[$#]\s)")
"""A line that may stand between two looks at the same output: blank, a fence, a shell prompt."""


def _episodes(outputs: list[Output], lines: list[str]) -> list[int]:
    """Each output's episode: the count of the paste's own words before it (a line between two
    outputs that is no command, prompt, fence or blank starts the next)."""
    found, episode, stop = [], 0, 0
    for output in outputs:
        between = lines[stop : output.start]
        if any(not is_command(line) and not _BETWEEN.match(line) for line in between):
            episode += 1
        found.append(episode)
        stop = max(stop, output.stop)
    return found


def _restarts(obj: JsonObject) -> int:
    statuses = [s for key in _STATUSES for s in (obj.get("status") or {}).get(key) or []]
    return sum(int(s.get("restartCount") or 0) for s in statuses if isinstance(s, dict))


def _steady_row(pod: JsonObject) -> bool:
    """A row Running with every container ready, or Completed."""
    status = pod.get("status") or {}
    ready = [s.get("ready") for s in status.get("containerStatuses") or []]
    running = status.get("phase") == "Running" and bool(ready) and all(ready)
    return running or status.get("phase") == "Succeeded"


def _header(output: Output, lines: list[str]) -> Header | None:
    """A table's header: its first line's, or the one its rows fit when pasted without."""
    return read_header(lines[output.start]) or (
        headerless(lines[output.start]) if output.shape == ROWS else None
    )


def _finished_at(status: JsonObject) -> Any:
    """When a container's last run ended (`lastState.terminated.finishedAt`)."""
    return ((status.get("lastState") or {}).get("terminated") or {}).get("finishedAt")


def _restarted_ago(pod: JsonObject) -> float:
    """Seconds since a pod row's container last ended (its RESTARTS `5 (2m ago)`; inf: unsaid)."""
    statuses = [s for key in _STATUSES for s in (pod.get("status") or {}).get(key) or []]
    ended = [_finished_at(s) for s in statuses]
    ago = [stamp.ago for stamp in ended if isinstance(stamp, Stamp) and stamp.ago is not None]
    return min(ago, default=float("inf"))


_STATUSES = ("containerStatuses", "initContainerStatuses")


def _as_written(obj: dict[str, object]) -> bool:
    """A manifest as written (a file, a chart's template): no status and none of the fields the
    API server sets: what was applied, not what the cluster reports."""
    meta = obj.get("metadata")
    assigned = isinstance(meta, dict) and any(
        meta.get(key) for key in ("uid", "creationTimestamp", "resourceVersion")
    )
    return "status" not in obj and not assigned and obj.get("kind") != "Event"


def _singular(kind: str) -> str:
    found = OUTPUT_KINDS.get(kind)
    return found.kind.lower() if found is not None else kind.removesuffix("s")
