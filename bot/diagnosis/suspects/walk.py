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

from bot.cluster.caching import CachingReader, shared_reads
from bot.cluster.reader import ClusterReader, JsonObject
from bot.diagnosis.many import DEEP_LIMIT, distinct_findings
from bot.diagnosis.namespace import diagnose_namespace
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects import hosts
from bot.diagnosis.suspects.bursts import collector_paused
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
    moved_paths,
    network,
    nodes,
    pods,
    policies,
    probes,
    routes,
    scheduling,
    services,
    storage,
)
from bot.diagnosis.suspects.checks.route_table import routed_to
from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.culprits import attribute, unseen_edges
from bot.diagnosis.suspects.deps import Dependencies
from bot.diagnosis.suspects.focus import (
    Start,
    below_the_named,
    chain_below,
    its_own_answer,
    on_chain,
    unread_on,
)
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.rank import rank, resolved
from bot.diagnosis.suspects.snapshot import MAX_LOG_PODS, Snapshot, read_logs, read_snapshot
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
    config_keys.check,
    images.check,
    network.check,
    cluster_dns.check,
    metrics.cpu_clues,
    routes.check,
    moved_paths.check,
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
    alerts = AlertIndex(entries.values())
    clues = clues_of(graph, rows) + metrics.alert_clues(graph, alerts)
    clues = [replace(clue, since=clue.since or began(graph, clue)) for clue in clues]
    deps = Dependencies(graph)
    accused, blamed = hosts.check(graph, deps, judge.matcher.index)
    measured = latency.check(graph, deps, alerts)
    clues = hosts.blame(
        [*clues, *calls.check(graph, deps), *policies.check(graph, deps), *measured, *accused],
        blamed,
    )
    clues, notes = attribute(resolved(clues, entries), graph, entries, deps)
    if start is not None:  # its chain: itself, and everything it calls, down
        chain = chain_below(graph, deps, start)
        clues = on_chain(clues, chain, start, unread_on(graph, deps, chain))
        symptom = symptom or (start.name if start.kind == "service" else "")
    edges = not_seen(unseen_edges(clues, graph, entries, deps))  # first: they decide the chain
    said = read_symptom(symptom, _known(graph))
    said = replace(said, names=said.names | routed_to(graph, symptom))  # the URL's route
    clues = below_the_named(clues, graph, deps, said.names)
    suspects = rank(clues, symptom=said, entries=entries, as_of=as_of(graph))
    if start is not None and its_own_answer(graph, start, suspects, rows):
        suspects = ()
    asks = (*notes, *edges, *not_seen(list(graph.asks)[: max(1, MAX_ASKS - len(edges))]))
    stated = any(s.confidence in ("high", "medium") for s in suspects)
    needs = metrics.needs_metrics(graph, said, stated)
    return suspects, (*asks, needs) if needs else asks


async def _read(
    shared: CachingReader,
    reader: ClusterReader,
    namespace: str,
    *,
    judge: Judge,
    deep_limit: int,
    timeout: float,
    start: Start | None,
) -> tuple[Diagnosis, Snapshot]:
    """The namespace diagnosis and the walk's snapshot, read once through one caching reader; a
    pod's walk deep-reads only the pods on the chain below it (the snapshot first says which)."""
    if start is None or start.kind != "pod":
        diagnosis, snapshot = await asyncio.gather(
            diagnose_namespace(
                shared, namespace, judge=judge, deep_limit=deep_limit, timeout=timeout
            ),
            read_snapshot(shared, namespace, raw=reader),
        )
        return diagnosis, snapshot
    snapshot = await read_snapshot(shared, namespace, raw=reader, logs=False)
    within = await _chain_logs_read(shared, snapshot, start)
    diagnosis = await diagnose_namespace(
        shared, namespace, judge=judge, deep_limit=deep_limit, timeout=timeout, within=within
    )
    return diagnosis, snapshot


MAX_LOG_PODS_A_WORKLOAD = 4
"""A pod's walk reads the logs of at most this many pods of each workload on its chain (the pod
asked about first), and of one pod of each other workload (a caller's log says what it sees
fail below): a workload's pods say the same calls (its edges, what fails below)."""


async def _chain_logs_read(
    reader: ClusterReader, snapshot: Snapshot, start: Start
) -> Callable[[str], bool]:
    """The logs of the pods on the chain below the pod asked about, read until the chain they
    reveal (a log naming a host it calls) has none left unread; which rows it keeps."""
    read: set[str] = set()
    while True:
        within, unread = await asyncio.to_thread(_on_chain, snapshot, start, read)
        if not unread or len(read) >= MAX_LOG_PODS:
            return within
        await read_logs(reader, snapshot, unread[: MAX_LOG_PODS - len(read)])
        read |= {name_of(pod) for pod in unread}


def _on_chain(
    snapshot: Snapshot, start: Start, read: set[str]
) -> tuple[Callable[[str], bool], list[JsonObject]]:
    """Whether a row ("ns/pod", or "ns/kind/name" for a blocked controller) is the pod asked
    about or belongs to a workload below it (what it calls, directly or through others; any
    workload, when the chain reads settings the input does not show): the only rows a pod's walk
    reads in depth (its siblings are not below it); and the chain's pods whose logs are still
    unread, the pod asked about first."""
    with collector_paused():
        graph = Graph(snapshot)
        deps = Dependencies(graph)
        chain = chain_below(graph, deps, start)
        own = graph.owner(start.name)
        below = chain - ({own.ref, graph.known_as(own)} if own is not None else set())
        on = {w.ref for w in graph.workloads.values() if {w.ref, graph.known_as(w)} & chain}
        hidden = bool(unread_on(graph, deps, chain))  # settings not shown: any may be below
    workloads = graph.workloads.values()
    mine = [p for p in graph.pods if name_of(p) == start.name]
    pods = [
        *mine,
        *(p for w in workloads if w.ref in on for p in w.pods[:MAX_LOG_PODS_A_WORKLOAD]),
        *(w.pods[0] for w in workloads if w.ref not in on and w.pods),
    ]
    unread = [p for p in {name_of(p): p for p in pods}.values() if name_of(p) not in read]

    def within(row: str) -> bool:
        parts = row.split("/")
        if len(parts) == 2 and parts[1] == start.name:
            return True
        owner = graph.owner(parts[1]) if len(parts) == 2 else graph.controller(*parts[1:3])
        return owner is not None and (hidden or bool({owner.ref, graph.known_as(owner)} & below))

    return within, unread


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
    async with shared_reads(reader) as shared:
        diagnosis, snapshot = await _read(
            shared,
            reader,
            namespace,
            judge=judge,
            deep_limit=deep_limit,
            timeout=timeout,
            start=start,
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
