"""The walk: from a symptom in a namespace to the objects that could cause it.

It reads the namespace once (snapshot), builds the graph, runs every check family and ranks
what they found. The namespace diagnosis (unhealthy pods, worst first) runs beside it on the
same caching reader and its pod verdicts become clues too, so `diagnose namespace` keeps
everything it printed and leads with the suspects. `diagnose service` is the same walk, kept
to what is on that Service's chain.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.cluster.caching import CachingReader
from bot.cluster.reader import ClusterReader
from bot.diagnosis.many import DEEP_LIMIT, distinct_findings
from bot.diagnosis.namespace import diagnose_namespace
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.checks import (
    admission,
    autoscaling,
    calls,
    cluster_dns,
    config,
    config_keys,
    images,
    latency,
    metrics,
    network,
    nodes,
    pods,
    probes,
    routes,
    scheduling,
    services,
    storage,
)
from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.culprits import attribute, downstream, unseen_edges
from bot.diagnosis.suspects.deps import Dependencies
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.rank import rank, resolved
from bot.diagnosis.suspects.snapshot import Snapshot, read_snapshot
from bot.diagnosis.suspects.symptom import read_symptom
from bot.diagnosis.suspects.times import as_of, began
from bot.diagnosis.suspects.workloads import name_of
from bot.errors import ClusterUnavailable
from bot.evidence.runner import DEFAULT_TIMEOUT
from intents.alert_map import AlertIndex
from responses.diagnosis import Diagnosis, PodRow, Suspect
from responses.messages import not_seen

CHECKS: tuple[Callable[[Graph], list[Clue]], ...] = (
    services.check,
    admission.check,
    scheduling.check,
    nodes.check,
    probes.check,
    storage.check,
    config.check,
    config_keys.check,
    images.check,
    network.check,
    cluster_dns.check,
    metrics.cpu_clues,
    routes.check,
    autoscaling.check,
)
"""Every check family that reads only the graph (the pod judge's clues come with the rows)."""


def clues_of(graph: Graph, rows: Sequence[PodRow]) -> list[Clue]:
    clues = [clue for check in CHECKS for clue in check(graph)]
    return [*clues, *pods.check(graph, rows)]


def _known(graph: Graph) -> set[str]:
    return {
        *(name_of(s) for s in graph.services),
        *(w.name for w in graph.workloads.values()),
        *graph.nodes,
        graph.namespace,
    }


MAX_ASKS = 3
"""What the input did not show, said as what to run next, at most this many lines."""


def walked(
    snapshot: Snapshot,
    rows: Sequence[PodRow],
    *,
    judge: Judge,
    symptom: str,
    service: str | None = None,
) -> tuple[tuple[Suspect, ...], tuple[str, ...]]:
    """The ranked suspects of the snapshot (CPU only), and what the checks could not tell
    because the input did not show it; `service`: keep to its chain."""
    graph = Graph(snapshot)
    entries = {entry.id: entry for entry in judge.matcher.index.entries}
    alerts = AlertIndex(entries.values())
    clues = clues_of(graph, rows) + metrics.alert_clues(graph, alerts)
    clues = [replace(clue, since=clue.since or began(graph, clue)) for clue in clues]
    deps = Dependencies(graph)
    clues += calls.check(graph, deps) + latency.check(graph, deps, alerts)
    clues, notes = attribute(resolved(clues, entries), graph, entries, deps)
    if service is not None:  # its chain: itself, and every Service it calls, down
        keep = {f"service/{service}", *downstream(graph, deps, service)}
        clues = [clue for clue in clues if clue.reach & keep or service in clue.names]
        symptom = symptom or service
    edges = not_seen(unseen_edges(clues, graph, entries, deps))  # first: they decide the chain
    said = read_symptom(symptom, _known(graph))
    suspects = rank(clues, symptom=said, entries=entries, as_of=as_of(graph))
    asks = (*notes, *edges, *not_seen(list(graph.asks)[: max(1, MAX_ASKS - len(edges))]))
    stated = any(s.confidence in ("high", "medium") for s in suspects)
    needs = metrics.needs_metrics(graph, said, stated)
    return suspects, (*asks, needs) if needs else asks


def suspects_of(
    snapshot: Snapshot,
    rows: Sequence[PodRow],
    *,
    judge: Judge,
    symptom: str,
    service: str | None = None,
) -> tuple[Suspect, ...]:
    """The ranked suspects of the snapshot (CPU only); `service`: keep to its chain."""
    return walked(snapshot, rows, judge=judge, symptom=symptom, service=service)[0]


async def _read(
    reader: ClusterReader, namespace: str, *, judge: Judge, deep_limit: int, timeout: float
) -> tuple[Diagnosis, Snapshot]:
    """The namespace diagnosis and the walk's snapshot, read once through one caching reader."""
    shared = CachingReader(reader)
    diagnosis, snapshot = await asyncio.gather(
        diagnose_namespace(shared, namespace, judge=judge, deep_limit=deep_limit, timeout=timeout),
        read_snapshot(shared, namespace, raw=reader),
    )
    return diagnosis, snapshot


def _led(
    diagnosis: Diagnosis, snapshot: Snapshot, found: tuple[tuple[Suspect, ...], tuple[str, ...]]
) -> Diagnosis:
    suspects, asks = found
    return replace(
        diagnosis,
        suspects=suspects,
        notes=(*diagnosis.notes, *asks),
        gaps=tuple(dict.fromkeys((*diagnosis.gaps, *snapshot.gaps))),
    )


async def walk_namespace(
    reader: ClusterReader,
    namespace: str,
    *,
    judge: Judge,
    symptom: str = "",
    deep_limit: int = DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """The namespace diagnosis (pods worst first) led by the suspects of the symptom."""
    diagnosis, snapshot = await _read(
        reader, namespace, judge=judge, deep_limit=deep_limit, timeout=timeout
    )
    found = await asyncio.to_thread(walked, snapshot, diagnosis.pods, judge=judge, symptom=symptom)
    return _led(diagnosis, snapshot, found)


async def walk_service(
    reader: ClusterReader,
    namespace: str,
    name: str,
    *,
    judge: Judge,
    symptom: str = "",
    deep_limit: int = DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """The suspects on one Service's chain, and its unhealthy pods; exit 1 if it does not exist."""
    diagnosis, snapshot = await _read(
        reader, namespace, judge=judge, deep_limit=deep_limit, timeout=timeout
    )
    if snapshot.complete("services") and not any(
        name_of(s) == name for s in snapshot.of("services")
    ):
        raise ClusterUnavailable(
            f"service {namespace}/{name} not found in cluster {reader.cluster_name}"
        )
    found = await asyncio.to_thread(
        walked, snapshot, diagnosis.pods, judge=judge, symptom=symptom, service=name
    )
    graph_pods = _service_pods(snapshot, name)
    rows = tuple(row for row in diagnosis.pods if row.pod.rpartition("/")[2] in graph_pods)
    return replace(
        _led(diagnosis, snapshot, found),
        subject=f"service {namespace}/{name}",
        pods=rows,
        findings=distinct_findings(rows),
    )


def _service_pods(snapshot: Snapshot, name: str) -> set[str]:
    graph = Graph(snapshot)
    service = graph.service(name)
    workloads = graph.backing(service) if service is not None else []
    return {name_of(p) for w in workloads for p in w.pods} | (
        {name_of(p) for p in graph.selected(service)} if service is not None else set()
    )
