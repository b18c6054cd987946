"""`OutputsReader`: a `ClusterReader` over recorded kubectl outputs (`--from-outputs PATH`).

People attach kubectl outputs to tickets, not cluster dumps; reading them through
the same seam as the live gateway and `--from-dump` lets every collector, every
`diagnose` verb and the suspects walk run on them unchanged.  What the outputs do
not show is said plainly: a kind or namespace nobody listed raises `NotRecorded`
(a gap in the diagnosis, never a false "missing"), while an object absent from a
complete listing (`kubectl get endpoints -n shop`) is NotFound, as the API says.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from pathlib import Path
from typing import Unpack

from bot.cluster.dump import listed
from bot.cluster.dump_files import as_events_v1
from bot.cluster.errors import NotFound, NotRecorded
from bot.cluster.outputs.ages import Clock
from bot.cluster.outputs.files import checked_files, file_lines
from bot.cluster.outputs.kinds import kind_of, resolve
from bot.cluster.outputs.logs import find_log, tail
from bot.cluster.outputs.parse import read_section
from bot.cluster.outputs.recording import Recording, Skipped
from bot.cluster.outputs.row_pods import UNNAMED
from bot.cluster.outputs.sections import sections_of
from bot.cluster.outputs.store import store_of
from bot.cluster.reader import JsonObject, Listing, LogWindow, log_window
from bot.cluster.seen import EVENTS
from bot.errors import BadInput


def _command_for(kind: str, namespace: str | None) -> str:
    where = f" -n {namespace}" if namespace and kind_of(kind).namespaced else ""
    return f"`kubectl get {kind}{where}`"


def read_recording(path: Path) -> Recording:
    """Every section of every file under `path`, read into one Recording."""
    rec = Recording()
    for file in checked_files(path):
        for section in sections_of(file, file_lines(file)):
            read_section(section, rec)
    rec.note_dropped(path)
    return rec


class OutputsReader:
    """Read-only `ClusterReader` over recorded outputs (and their node services)."""

    def __init__(
        self, path: Path, *, clock: Clock | None = None, recording: Recording | None = None
    ) -> None:
        """`clock`: the moment the outputs are judged at (bot/cluster/outputs/ages.py; by
        default, the moment they say they were recorded)."""
        self._path = Path(path)
        rec = recording if recording is not None else read_recording(self._path)
        if rec.sections_read == 0 and recording is None:
            raise BadInput(_nothing_read(self._path, rec.skipped))
        self.skipped: builtins.list[Skipped] = rec.skipped
        self.metrics: builtins.list[JsonObject] = rec.metrics
        self.alerts: builtins.list[JsonObject] = rec.alerts
        self._logs = rec.logs
        self._services = _merged_services(rec.services)
        self._clock = clock or Clock()
        self._store = store_of(rec, self._clock)

    def as_of(self) -> datetime:
        """The moment the recording shows: `at`, else the recording's own time (`Clock`)."""
        return self._clock.now

    @property
    def cluster_name(self) -> str:
        """The outputs' path as it was given (`Cluster: tickets/1234`)."""
        return str(self._path)

    def namespaces(self) -> builtins.list[str]:
        """Namespaces the outputs show objects or listings of."""
        return self._store.namespaces()

    def kinds(self) -> builtins.list[str]:
        """Every kind the outputs hold objects of (including ones the API gateway does not read)."""
        return sorted(kind for kind, objects in self._store.objects.items() if objects)

    async def get(self, kind: str, name: str, namespace: str | None = None) -> JsonObject:
        """One object; NotFound when a complete listing lacks it, NotRecorded when none was made."""
        for obj in self._objects(kind, namespace, strict=False):
            if obj["metadata"].get("name") == name:
                return obj
        where = f"{namespace}/" if namespace and kind_of(kind).namespaced else ""
        if self._store.listed(_served(kind), namespace) or self._store.said_absent(
            _served(kind), namespace, name
        ):
            raise NotFound(f'{kind} "{where}{name}" not found in {self.cluster_name}')
        raise NotRecorded(
            f'{kind} "{where}{name}" is not in the recorded outputs '
            f"(add {_command_for(_served(kind), namespace)} or a describe of it)"
        )

    async def list(
        self, kind: str, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> builtins.list[JsonObject]:
        """Objects of a kind as recorded, filtered in memory like the API server."""
        found = listed(self._objects(kind, namespace, strict=True), listing)
        if not found and _served(kind) == "events":
            self._events_shown(namespace, listing.get("field_selector"))
        return found

    def _events_shown(self, namespace: str | None, field_selector: str | None) -> None:
        """No event of one object is not "no events" unless its events were shown: a whole
        listing, or its describe; NotRecorded otherwise."""
        about = dict(
            term.split("=", 1) for term in (field_selector or "").split(",") if "=" in term
        )
        kind = about.get("involvedObject.kind") or about.get("regarding.kind")
        name = about.get("involvedObject.name") or about.get("regarding.name")
        if not kind or not name or self._store.listed("events", namespace):
            return
        plural = resolve(kind.lower())
        if (
            plural is None
            or EVENTS in self.unseen(plural, namespace, name)
            or not self._named(plural, namespace or "", name)
        ):
            where = f" -n {namespace}" if namespace else ""
            raise NotRecorded(
                f"the recorded outputs show no events of {kind} {name} (add `kubectl describe "
                f"{kind.lower()} {name}{where}` or `kubectl get events{where}`)"
            )

    async def logs(
        self, namespace: str, pod: str, container: str, **window: Unpack[LogWindow]
    ) -> str:
        """A container's recorded log (`kubectl logs`), its tail as the API would return it."""
        previous, tail_lines, limit_bytes = log_window(window)
        owners, default = self._owners(namespace, pod)
        record = find_log(
            self._logs, namespace, pod, container, previous, owners, default_container=default
        )
        if record is None:
            flag = " --previous" if previous else ""
            raise NotRecorded(
                f"the recorded outputs have no `kubectl logs {pod} -c {container}"
                f"{flag} -n {namespace}`"
            )
        return tail(record.text, tail_lines=tail_lines, limit_bytes=limit_bytes)

    def complete(self, kind: str, namespace: str | None) -> bool:
        """The outputs list every object of `kind` in `namespace`: one missing is absent."""
        return self._store.listed(_served(kind), namespace)

    def unseen(self, kind: str, namespace: str | None, name: str) -> frozenset[str]:
        """The facts of one object no output showed (bot/cluster/seen.py)."""
        scope = (namespace or "") if kind_of(kind).namespaced else ""
        return self._store.unseen.get((_served(kind), scope, name), frozenset())

    async def node_services(self) -> builtins.list[JsonObject]:
        """Node services (kubelet, containerd, ...) as `systemctl status`/`journalctl` showed them."""
        return [dict(s, lines=list(s["lines"])) for s in self._services]

    def _objects(
        self, kind: str, namespace: str | None, *, strict: bool
    ) -> builtins.list[JsonObject]:
        served = _served(kind)
        found = self._store.of(served, namespace)
        if not found and strict and not self._store.listed(served, namespace):
            raise NotRecorded(f"the recorded outputs have no {_command_for(served, namespace)}")
        return [as_events_v1(e) for e in found] if kind == "events.k8s.io" else found

    def _owners(self, namespace: str, pod: str) -> tuple[builtins.list[str], str | None]:
        """Names of the pod's owner and its owner (`web-7d4b9c` and `web`), and the pod's
        default container (its annotation, else its first), when the outputs show the pod."""
        found = self._named("pods", namespace, pod)
        if found is None:
            return [], None
        names = _owner_names(found)
        for name in list(names):
            if (replica_set := self._named("replicasets", namespace, name)) is not None:
                names += _owner_names(replica_set)
        return names, _default_container(found)

    def _named(self, kind: str, namespace: str, name: str) -> JsonObject | None:
        return next(
            (obj for obj in self._store.of(kind, namespace) if obj["metadata"].get("name") == name),
            None,
        )


def _owner_names(obj: JsonObject) -> builtins.list[str]:
    return [str(r.get("name")) for r in obj["metadata"].get("ownerReferences") or []]


def _default_container(pod: JsonObject) -> str | None:
    annotations = pod["metadata"].get("annotations") or {}
    if chosen := annotations.get("kubectl.kubernetes.io/default-container"):
        return str(chosen)
    containers = (pod.get("spec") or {}).get("containers") or []
    name = containers[0].get("name") if containers and isinstance(containers[0], dict) else None
    return str(name) if name and str(name) != UNNAMED else None


def _served(kind: str) -> str:
    return "events" if kind == "events.k8s.io" else kind


def _merged_services(services: builtins.list[JsonObject]) -> builtins.list[JsonObject]:
    """One entry per (node, service): the latest known state, the journal lines of all."""
    merged: dict[tuple[str, str], JsonObject] = {}
    for service in services:
        key = (service["node"], service["service"])
        if key not in merged:
            merged[key] = dict(service, lines=list(service["lines"]))
            continue
        into = merged[key]
        if service["active"] != "unknown":
            into["active"], into["since"] = service["active"], service["since"]
        into["lines"] = (into["lines"] + service["lines"])[-50:]
    return list(merged.values())


def _nothing_read(path: Path, skipped: builtins.list[Skipped]) -> str:
    if skipped:
        return (
            f"--from-outputs: {skipped[0].file}:{skipped[0].line}: no recorded kubectl output "
            f"kubemedic can read ({len(skipped)} skipped, first: {skipped[0].why})"
        )
    return f"--from-outputs: {path}: no recorded kubectl output in it"
