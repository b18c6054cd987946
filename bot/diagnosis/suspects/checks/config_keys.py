"""Config keys: a setting the app reads at start, from a ConfigMap that lacks the key.

A ConfigMap mounted as a volume gives each key as a file; loaded with `envFrom`, each key as an
environment variable. Rename a key (`catalog.yaml` to `catalog.yml`) and nothing in Kubernetes
fails: the pod starts, the app says a file or a setting is missing and exits, and the pod
crash-loops with the ConfigMap as the cause. The app's own line says what it missed; the pod's
spec says which ConfigMap gives that path or those variables; the ConfigMap, where the input
shows it (a ticket's `kubectl get cm -o yaml`; a cluster's are never read), says whether the
key is there. A key the ConfigMap has is no suspect, and a ConfigMap the input did not show is
asked for rather than read as missing the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import (
    affected,
    mapping,
    mappings,
    names,
    workload_chain,
)
from bot.diagnosis.suspects.clues import CONFIRMED, NOT_RUNNING, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.app_cause import AppCause, read_app_cause
from intents.policy import POLICY


@dataclass(frozen=True)
class Wanted:
    """A key the app read and the ConfigMap that gives it."""

    config_map: str
    key: str
    how: str
    """How the app reads it ("mounted at /etc/catalog", "envFrom")."""


def _config_volumes(spec: JsonObject) -> dict[str, JsonObject]:
    """Volume name -> its configMap source (a projected volume's too)."""
    found: dict[str, JsonObject] = {}
    for volume in mappings(spec, "volumes"):
        sources = [mapping(volume, "configMap")] if mapping(volume, "configMap") else []
        sources += [
            mapping(s, "configMap")
            for s in mappings(volume, "projected", "sources")
            if mapping(s, "configMap")
        ]
        if len(sources) == 1 and sources[0].get("name"):
            found[str(volume.get("name"))] = sources[0]
    return found


def _key_at(source: JsonObject, rest: str) -> str:
    """The key a file under the volume's mount comes from (its `items` map keys to paths)."""
    for item in mappings(source, "items"):
        if str(item.get("path")) == rest:
            return str(item.get("key"))
    return rest.split("/", 1)[0]


def _file_wanted(spec: JsonObject, path: str) -> Wanted | None:
    """The ConfigMap key a missing file would be, where a ConfigMap volume is mounted above it."""
    volumes = _config_volumes(spec)
    for container in [*mappings(spec, "containers"), *mappings(spec, "initContainers")]:
        for mount in mappings(container, "volumeMounts"):
            source = volumes.get(str(mount.get("name")))
            where = str(mount.get("mountPath") or "").rstrip("/")
            if source is None or mount.get("subPath") or not path.startswith(where + "/"):
                continue
            key = _key_at(source, path[len(where) + 1 :])
            return Wanted(str(source["name"]), key, f"mounted at {where}")
    return None


def _env_wanted(spec: JsonObject, name: str) -> list[Wanted]:
    """The ConfigMaps a container loads whole (`envFrom`) that would give variable `name`."""
    found = []
    for container in mappings(spec, "containers"):
        if any(e.get("name") == name for e in mappings(container, "env")):
            return []  # set on its own: the ConfigMap is not where it comes from
        for source in mappings(container, "envFrom"):
            ref, prefix = mapping(source, "configMapRef"), str(source.get("prefix") or "")
            if ref.get("name") and name.startswith(prefix):
                found.append(Wanted(str(ref["name"]), name[len(prefix) :], "envFrom"))
    return found


def _keys(config_map: JsonObject) -> set[str] | None:
    """The ConfigMap's keys, when the input showed its data (a table row shows a count only)."""
    if "data" not in config_map and "binaryData" not in config_map:
        return None
    return {*mapping(config_map, "data"), *mapping(config_map, "binaryData")}


def _near(key: str, keys: set[str]) -> str | None:
    scored = max(((fuzz.ratio(key, k), k) for k in keys), default=(0.0, ""))
    return scored[1] if scored[0] >= POLICY.walk_config_key_near else None


def _stated(graph: Graph, workload: Workload) -> tuple[str, AppCause] | None:
    """The pod whose log says a file or setting is missing, and what it says."""
    for pod in workload.pods:
        cause = read_app_cause(graph.snapshot.logs.get(name_of(pod), ""))
        if cause is not None and cause.kind in ("missing-file", "missing-setting"):
            return name_of(pod), cause
    return None


def _judged(graph: Graph, wanted: Wanted) -> tuple[float, str] | None:
    """How sure, and what the ConfigMap shows: None when it has the key (no suspect)."""
    shown = (graph.snapshot.config_maps or {}).get(wanted.config_map)
    keys = _keys(shown) if shown is not None else None
    if keys is None:
        graph.ask(
            f"the keys of ConfigMap {wanted.config_map} (kubectl get configmap "
            f"{wanted.config_map} -n {graph.namespace} -o yaml)"
        )
        return OBSERVED, f"ConfigMap {wanted.config_map}'s keys were not shown"
    if wanted.key in keys:
        return None
    near = _near(wanted.key, keys)
    has = ", ".join(sorted(keys)[:6]) or "no key"
    said = f"ConfigMap {wanted.config_map} has no key {wanted.key} (it has {has})"
    return CONFIRMED, said + (f": renamed to {near}?" if near else "")


def _clue(
    graph: Graph, workload: Workload, stated: tuple[str, AppCause], wanted: Wanted
) -> Clue | None:
    judged = _judged(graph, wanted)
    if judged is None:
        return None
    weight, shown = judged
    pod, cause = stated
    via = f"{wanted.how} from ConfigMap {wanted.config_map}"
    return Clue(
        "config_key_missing",
        graph.known_as(workload),
        f"configmap/{wanted.config_map}",
        (f"{workload.ref}'s log: {cause.line[:300]}", f"{wanted.key}: {via}", shown),
        workload_chain(
            graph, workload, f"pod {pod}: {cause.about}", f"reads {wanted.key} ({via})", shown
        ),
        weight,
        affects=affected(graph, [workload]),
        classes=NOT_RUNNING | {"restarts"},
        names=names(graph, workload) | {wanted.config_map},
        why=("the app reads a key its ConfigMap does not have",),
        fix_names={
            "configmap": wanted.config_map,
            "config-key": wanted.key,
            "workload": workload.ref,
            "namespace": graph.namespace,
        },
    )


def _wanted(workload: Workload, cause: AppCause) -> list[Wanted]:
    if cause.kind == "missing-file" and (path := cause.value("path")):
        found = _file_wanted(workload.spec, path)
        return [found] if found is not None else []
    name = cause.value("name")
    return _env_wanted(workload.spec, name) if name else []


def _has(graph: Graph, wanted: Wanted) -> bool:
    shown = (graph.snapshot.config_maps or {}).get(wanted.config_map)
    return wanted.key in (_keys(shown) or set()) if shown is not None else False


def check(graph: Graph) -> list[Clue]:
    clues = []
    for workload in graph.workloads.values():
        stated = _stated(graph, workload)
        wanted = _wanted(workload, stated[1]) if stated is not None else []
        if stated is None or not wanted or any(_has(graph, w) for w in wanted):
            continue  # nothing read from a ConfigMap, or one of them gives it
        if (clue := _clue(graph, workload, stated, wanted[0])) is not None:
            clues.append(clue)
    return clues
