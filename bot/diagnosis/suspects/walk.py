"""The walk: from a symptom in a namespace to the objects that could cause it.

It reads the namespace once (snapshot), builds the graph, runs every check family and ranks
what they found. The namespace diagnosis (unhealthy pods, worst first) runs beside it on the
same caching reader and its pod verdicts become clues too, so `diagnose namespace` keeps
everything it printed and leads with the suspects. `diagnose service` and `diagnose pod` are
the same walk, kept to the chain below the object named (focus.py).
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
from bot.diagnosis.suspects import hosts
from bot.diagnosis.suspects.bursts import collector_paused
from bot.diagnosis.suspects.checks import (
    admission,
    calls,
    cluster_dns,
    config,
    images,
    metrics,
    network,
    nodes,
    pods,
    probes,
    scheduling,
    services,
    storage,
)
from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.culprits import attribute, unseen_edges
from bot.diagnosis.suspects.deps import Dependencies
from bot.diagnosis.suspects.focus import (
    Start,
    below_the_named,
    chain_below,
    its_own_answer,
    on_chain,
)
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.rank import rank, resolved
from bot.diagnosis.suspects.snapshot import Snapshot, read_snapshot
from bot.diagnosis.suspects.symptom import read_symptom
from bot.diagnosis.suspects.times import as_of, began
from bot.diagnosis.suspects.workloads import labels_of, name_of, selects, service_selector
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
    images.check,
    network.check,
    cluster_dns.check,
    metrics.cpu_clues,
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
    start: Start | None = None,
) -> tuple[tuple[Suspect, ...], tuple[str, ...]]:
    """The ranked suspects of the snapshot (CPU only), and what the checks could not tell
    because the input did not show it; `start`: keep to the chain below that object."""
    with collector_paused():
        return _walked(snapshot, rows, judge=judge, symptom=symptom, start=start)


def _walked(
    snapshot: Snapshot,
    rows: Sequence[PodRow],
    *,
    judge: Judge,
    symptom: str,
    start: Start | None,
) -> tuple[tuple[Suspect, ...], tuple[str, ...]]:
    graph = Graph(snapshot)
    entries = {entry.id: entry for entry in judge.matcher.index.entries}
    clues = clues_of(graph, rows) + metrics.alert_clues(graph, AlertIndex(entries.values()))
    clues = [replace(clue, since=clue.since or began(graph, clue)) for clue in clues]
    deps = Dependencies(graph)
    accused, blamed = hosts.check(graph, deps, entries)
    clues = hosts.blame([*clues, *calls.check(graph, deps), *accused], blamed)
    clues, notes = attribute(resolved(clues, entries), graph, entries, deps)
    if start is not None:  # its chain: itself, and everything it calls, down
        clues = on_chain(clues, chain_below(graph, deps, start), start)
        symptom = symptom or (start.name if start.kind == "service" else "")
    edges = not_seen(unseen_edges(clues, graph, entries, deps))  # first: they decide the chain
    said = read_symptom(symptom, _known(graph))
    clues = below_the_named(clues, graph, deps, said.names)
    suspects = rank(clues, symptom=said, entries=entries, as_of=as_of(graph))
    if start is not None and its_own_answer(graph, start, suspects, rows):
        suspects = ()
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
    start: Start | None = None,
) -> tuple[Suspect, ...]:
    """The ranked suspects of the snapshot (CPU only); `start`: keep to the chain below it."""
    return walked(snapshot, rows, judge=judge, symptom=symptom, start=start)[0]


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
    start: Start | None = None,
    deep_limit: int = DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """The namespace diagnosis (pods worst first) led by the suspects of the symptom; `start`:
    kept to the chain below that Service or pod."""
    diagnosis, snapshot = await _read(
        reader, namespace, judge=judge, deep_limit=deep_limit, timeout=timeout
    )
    if start is not None and _absent(snapshot, start):
        raise ClusterUnavailable(
            f"service {namespace}/{start.name} not found in cluster {reader.cluster_name}"
        )
    found = await asyncio.to_thread(
        walked, snapshot, diagnosis.pods, judge=judge, symptom=symptom, start=start
    )
    led = _led(diagnosis, snapshot, found)
    return _of_service(led, snapshot, start.name) if start and start.kind == "service" else led


def _absent(snapshot: Snapshot, start: Start) -> bool:
    """The Service asked about is not among the namespace's, listed whole."""
    return (
        start.kind == "service"
        and snapshot.complete("services")
        and not any(name_of(s) == start.name for s in snapshot.of("services"))
    )


def _of_service(led: Diagnosis, snapshot: Snapshot, name: str) -> Diagnosis:
    """The Service's diagnosis: its subject, and only the unhealthy pods it selects."""
    service = next((s for s in snapshot.of("services") if name_of(s) == name), None)
    selector = service_selector(service) if service is not None else {}
    mine = {name_of(p) for p in snapshot.of("pods") if selects(selector, labels_of(p))}
    rows = tuple(row for row in led.pods if row.pod.rpartition("/")[2] in mine)
    subject = f"service {snapshot.namespace}/{name}"
    return replace(led, subject=subject, pods=rows, findings=distinct_findings(rows))


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
    start = Start("service", name)
    return await walk_namespace(
        reader,
        namespace,
        judge=judge,
        symptom=symptom,
        start=start,
        deep_limit=deep_limit,
        timeout=timeout,
    )
