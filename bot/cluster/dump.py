"""A `ClusterReader` over a `kubectl cluster-info dump --output-directory DIR` tree.

Dumps are how people attach cluster state to tickets, so reading one through
the same protocol as the live gateway lets every collector and rule run
unchanged with no cluster. kubectl (pkg/cmd/clusterinfo/clusterinfo_dump.go)
writes `DIR/nodes.json`; per namespace `DIR/<ns>/{events,
replication-controllers,services,daemonsets,deployments,replicasets,pods}.json`
(List objects; `.yaml` with `-o yaml`); and `DIR/<ns>/<pod>/logs.txt` with
each container's *current* log between "==== START logs for container C of
pod NS/POD ====" and "==== END ... ====" lines. Kinds kubectl leaves out
(PVCs, PVs, StatefulSets, ...) are read from `DIR/<ns>/<kind>.json` or
`DIR/<kind>.json` when someone added `kubectl get -o json` output; otherwise
the reader says plainly that the dump lacks them; `events.k8s.io` is served
from the dumped core events, as the API serves both. Selectors are applied in
memory, files are parsed once on first use, and logs are scanned in chunks
so a huge logs.txt is never held in memory.
"""

from __future__ import annotations

import asyncio
import builtins
import re
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Unpack

from bot.cluster.dump_files import (
    TYPES,
    as_events_v1,
    find_file,
    log_markers,
    parse_objects,
    section_tail,
)
from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.kinds import CLUSTER_SCOPED, DUMPED_BY_KUBECTL
from bot.cluster.moments import newest
from bot.cluster.reader import JsonObject, Kind, Listing, LogWindow, log_window
from bot.errors import BadInput

__all__ = ["NO_PREVIOUS_LOGS", "DumpReader", "NotInDump"]

IN_DUMP = DUMPED_BY_KUBECTL
NO_PREVIOUS_LOGS = "the dump has no previous-container logs"
_LOG_ERROR_PREFIXES = ("Request log error: ", "Create log request error: ")
_SAFE_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
Predicate = Callable[[JsonObject], bool]


class NotInDump(ClusterError):
    """The dump cannot answer: kubectl does not dump that kind, namespace or log."""


def not_a_dump(directory: Path, why: str) -> str:
    return f"{directory} is not a kubectl cluster-info dump: {why}"


def kind_not_dumped(kind: str) -> str:
    return (
        f"kubectl cluster-info dump does not include {kind} "
        f"(add `kubectl get {kind} -o json` output as <namespace>/{kind}.json)"
    )


def namespace_not_dumped(namespace: str, dumped: list[str]) -> str:
    return (
        f"the dump does not include namespace {namespace} (it has: {', '.join(dumped)}); "
        "dump it with --namespaces or --all-namespaces"
    )


# ----------------------------------------------------------------------------- selectors

_SET_TERM = re.compile(r"^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$")
_EQ_TERM = re.compile(r"^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$")
_EXISTS_TERM = re.compile(r"^(!?)\s*([\w./-]+)$")


def _label_term(term: str) -> Callable[[dict[str, str]], bool]:
    if m := _SET_TERM.match(term):
        key, values = m[1], {v.strip() for v in m[3].split(",") if v.strip()}
        wanted = m[2] == "in"
        return lambda labels: (labels.get(key) in values) == wanted
    if m := _EQ_TERM.match(term):
        key, equal, value = m[1], m[2] != "!=", m[3]
        return lambda labels: (labels.get(key) == value) == equal
    if m := _EXISTS_TERM.match(term):
        key, present = m[2], not m[1]
        return lambda labels: (key in labels) == present
    raise ClusterError(f"invalid label selector term {term!r}")


def label_predicate(selector: str | None) -> Predicate:
    """Equality (`a=b`, `a!=b`) and set-based (`a in (x,y)`, `a notin (x)`, `a`, `!a`) terms."""
    terms = [_label_term(t.strip()) for t in re.split(r",(?![^(]*\))", selector or "") if t.strip()]
    return lambda obj: all(t((obj.get("metadata") or {}).get("labels") or {}) for t in terms)


def _field_value(obj: JsonObject, path: str) -> str:
    cur: Any = obj
    for part in ["source", "component"] if path == "source" else path.split("."):
        cur = cur.get(part) if isinstance(cur, dict) else None
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return ("false" if path == "spec.unschedulable" else "") if cur is None else str(cur)


def field_predicate(selector: str | None) -> Predicate:
    """`path=value`, `path==value`, `path!=value` on dotted paths, as the API server compares."""
    terms: list[tuple[str, bool, str]] = []
    for term in (t.strip() for t in (selector or "").split(",")):
        if not term:
            continue
        if not (m := re.match(r"^([\w.]+)\s*(==|=|!=)\s*+(.*)$", term)):
            raise ClusterError(f"invalid field selector term {term!r}")
        terms.append((m[1], m[2] != "!=", m[3].strip()))
    return lambda obj: all((_field_value(obj, p) == v) == eq for p, eq, v in terms)


def listed(objects: Iterable[JsonObject], listing: Listing) -> list[JsonObject]:
    """What a list narrowed by `listing` returns, filtered in memory as the API server filters."""
    match_fields = field_predicate(listing.get("field_selector"))
    match_labels = label_predicate(listing.get("label_selector"))
    found = [o for o in objects if match_fields(o) and match_labels(o)]
    limit = listing.get("limit")
    return found[:limit] if limit else found


def _checked(*names: str) -> None:
    for name in names:
        if not _SAFE_NAME.match(name):
            raise BadInput(f"{name!r} is not a valid Kubernetes name")


def _scope(kind: str, namespace: str | None) -> str | None:
    """The checked namespace to read `kind` in; None for a cluster-scoped kind or all namespaces."""
    scoped = namespace if kind not in CLUSTER_SCOPED else None
    if scoped is not None:
        _checked(scoped)
    return scoped


# ----------------------------------------------------------------------------- reader


class DumpReader:
    """Read-only `ClusterReader` over a dump directory; returned objects are shared."""

    def __init__(self, directory: Path, *, at: datetime | None = None) -> None:
        """`at`: when the dump was made, when the person knows (`--at`); else its newest time."""
        self._root = Path(directory)
        self._at = at
        if not self._root.is_dir():
            why = (
                "it is a file, pass the --output-directory folder"
                if self._root.exists()
                else "no such directory"
            )
            raise BadInput(not_a_dump(self._root, why))
        if find_file(self._root, "nodes") is None:
            raise BadInput(not_a_dump(self._root, "no nodes.json"))
        self._lock = threading.Lock()
        self._cache: dict[Path, builtins.list[JsonObject]] = {}
        self._namespaces: builtins.list[str] | None = None

    @property
    def cluster_name(self) -> str:
        """The dump folder as it was given (`Cluster: examples/dump`), the name a reader knows."""
        return str(self._root)

    def as_of(self) -> datetime:
        """The moment the dump shows: `at`, else the newest time its nodes and events write
        (the nodes' heartbeats, the last events); the wall clock only if it writes none."""
        if self._at is None:
            shown: builtins.list[JsonObject] = [*self._objects("nodes", None)]
            try:
                shown += self._objects("events", None)
            except (ClusterError, BadInput):
                pass  # no events (or unreadable ones, a gap where they are read): the nodes say
            self._at = newest(shown) or datetime.now(UTC)
        return self._at

    def namespaces(self) -> builtins.list[str]:
        """Namespaces the dump holds (directories with a pods or events file)."""
        if self._namespaces is None:
            self._namespaces = sorted(
                d.name
                for d in self._root.iterdir()
                if d.is_dir() and (find_file(d, "pods") or find_file(d, "events"))
            )
        return self._namespaces

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        """One object by name; NotFound when the dump's file for its scope lacks it."""
        objs = await asyncio.to_thread(self._objects, kind, namespace)
        found = next((o for o in objs if o.get("metadata", {}).get("name") == name), None)
        if found is None:
            where = "" if kind in CLUSTER_SCOPED or namespace is None else f"{namespace}/"
            raise NotFound(f'{kind} "{where}{name}" not found in {self.cluster_name}')
        return found

    async def list(
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> builtins.list[JsonObject]:
        """Objects of a kind in a namespace (or all), filtered in memory like the API server."""
        objs = await asyncio.to_thread(self._objects, kind, namespace)
        return listed(objs, listing)

    async def logs(
        self, namespace: str, pod: str, container: str, **window: Unpack[LogWindow]
    ) -> str:
        """A container's current log from logs.txt; a dump never holds previous logs."""
        previous, tail_lines, limit_bytes = log_window(window)
        if previous:
            raise NotInDump(NO_PREVIOUS_LOGS)
        _checked(namespace, pod, container)
        return await asyncio.to_thread(
            self._log, namespace, pod, container, tail_lines, limit_bytes
        )

    def _log(self, namespace: str, pod: str, container: str, tail: int, limit: int) -> str:
        path = self._root / namespace / pod / "logs.txt"
        what = f"container {container} of pod {namespace}/{pod}"
        if not path.is_file():
            raise NotFound(f"the dump has no logs for pod {namespace}/{pod}")
        text = section_tail(
            path, *log_markers(namespace, pod, container), tail_lines=tail, limit_bytes=limit
        )
        if text is None:
            raise NotFound(f"the dump has no logs for {what}")
        if text.count("\n") <= 1 and text.startswith(_LOG_ERROR_PREFIXES):
            raise NotInDump(f"the dump has no log for {what}: {text.split(': ', 1)[1].strip()}")
        return text

    def _objects(self, kind: str, namespace: str | None) -> builtins.list[JsonObject]:
        if kind == "events.k8s.io":
            return [as_events_v1(e) for e in self._objects("events", namespace)]
        if kind not in TYPES:
            raise ClusterError(f"unknown kind {kind!r}")
        scoped = _scope(kind, namespace)
        out: dict[tuple[str, str], JsonObject] = {}
        for path, only in self._sources(kind, scoped):
            for obj in self._load(path, kind):
                where = _namespace_and_name(obj)
                if only is None or where[0] == only:
                    out.setdefault(where, obj)
        return builtins.list(out.values())

    def _sources(self, kind: str, namespace: str | None) -> builtins.list[tuple[Path, str | None]]:
        """Files holding `kind` in scope, each with the namespace to filter a top-level file on."""
        top = find_file(self._root, kind)
        found: builtins.list[tuple[Path, str | None]]
        if kind in CLUSTER_SCOPED:
            found = [(top, None)] if top else []
        elif namespace is not None:
            found = self._namespace_files(kind, namespace, top)
        else:
            per_ns = (find_file(self._root / ns, kind) for ns in self.namespaces())
            found = [(p, None) for p in [*per_ns, top] if p]
        if not found:
            raise self._not_dumped(kind, namespace)
        return found

    def _namespace_files(
        self,
        kind: str,
        namespace: str,
        top: Path | None,
    ) -> builtins.list[tuple[Path, str | None]]:
        """The namespace's own file, else the top-level file filtered on the namespace."""
        own = find_file(self._root / namespace, kind)
        return [(own, None)] if own else [(top, namespace)] if top else []

    def _not_dumped(self, kind: str, namespace: str | None) -> NotInDump:
        """Why the dump holds no file of `kind` (in `namespace`)."""
        if kind not in IN_DUMP:
            return NotInDump(kind_not_dumped(kind))
        if namespace is not None and namespace not in self.namespaces():
            return NotInDump(namespace_not_dumped(namespace, self.namespaces()))
        return NotInDump(
            f"the dump has no {kind} file" + (f" for {namespace}" if namespace else "")
        )

    def _load(self, path: Path, kind: str) -> builtins.list[JsonObject]:
        with self._lock:
            if path not in self._cache:
                self._cache[path] = parse_objects(path, kind)
            return self._cache[path]


def _namespace_and_name(obj: JsonObject) -> tuple[str, str]:
    meta = obj.get("metadata") or {}
    return meta.get("namespace", ""), meta.get("name", "")
