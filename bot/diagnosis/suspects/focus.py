"""What the person asked about, and the chain below it: the walk from a Service or a pod.

`diagnose service web` and `diagnose pod api-...` ask about one object, but the fault may sit in
anything it calls, directly or through others (web -> api -> db), or in what every pod depends
on (the cluster DNS, the node it runs on). The walk ranks the namespace's clues as `diagnose
namespace` does and keeps those on that chain: the object itself, every Service and workload
below it, and every clue whose effects reach into the chain (a node, the cluster DNS).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.deps import Dependencies
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from responses.diagnosis import PodRow, Suspect


@dataclass(frozen=True)
class Start:
    """The object a walk starts from: a Service or a pod, by name."""

    kind: Literal["service", "pod"]
    name: str

    @property
    def ref(self) -> str:
        return f"{self.kind}/{self.name}"


def _starting(graph: Graph, start: Start) -> list[Workload]:
    if start.kind == "pod":
        owner = graph.owner(start.name)
        return [owner] if owner is not None else []
    service = graph.service(start.name)
    return graph.backing(service) if service is not None else []


def _below(graph: Graph, deps: Dependencies, workloads: Iterable[Workload]) -> set[str]:
    """Every object the workloads call, directly or through others: Services and workloads."""
    todo, seen = list(workloads), set()
    found: set[str] = set()
    while todo:
        workload = todo.pop()
        if workload.ref in seen:
            continue
        seen.add(workload.ref)
        found |= {workload.ref, graph.known_as(workload)}
        found |= {f"service/{name_of(s)}" for s in workload.services}
        for edge in deps.edges.get(workload.ref, ()):
            found.add(f"service/{edge.callee}")
            called = graph.service(edge.callee)
            todo += graph.backing(called) if called is not None else []
    return found


def chain_below(graph: Graph, deps: Dependencies, start: Start) -> frozenset[str]:
    """The object named and everything below it, as clues name objects (service/NAME,
    deployment/NAME)."""
    own = {f"service/{start.name}"} if start.kind == "service" else set()
    return frozenset({*own, *_below(graph, deps, _starting(graph, start))})


ROUTES_OF = "the routes its"
"""How `unread_on` names a URL setting's routes the input does not show."""


def unread_on(graph: Graph, deps: Dependencies, chain: frozenset[str]) -> tuple[str, ...]:
    """Where the chain's calls are set and the input does not show it (a ConfigMap read on
    the chain, the routes a URL setting goes through): below them, the chain goes on unseen."""
    on = [w for w in graph.workloads.values() if w.ref in chain]
    unread = {f"ConfigMap {name}" for w in on for name in deps.unread(w)}
    routes = {f"{ROUTES_OF} {how[:200]} goes through" for w in on for how in deps.unrouted(w)}
    return tuple(sorted(unread | routes))


def _on(clue: Clue, chain: frozenset[str]) -> bool:
    return bool(clue.reach & chain) or clue.resource in chain


def _callable(clue: Clue) -> bool:
    """An object a request may pass through: a Service, a workload answering for one, a route
    (a log agent's DaemonSet, a Job or a node is called by nobody)."""
    return any(o.startswith(_CALLED) for o in (clue.object, clue.resource))


_CALLED = ("service/", "ingress/", "httproute/", "virtualservice/")


def on_chain(
    clues: Iterable[Clue], chain: frozenset[str], start: Start, unread: tuple[str, ...] = ()
) -> list[Clue]:
    """The clues about an object on the chain, whose effects reach into it, or that name the
    object asked about; with `unread` ConfigMaps on the chain, every other clue too, as
    perhaps below it (unknown is not absent)."""
    kept = []
    for clue in clues:
        if _on(clue, chain) or start.name in clue.names:
            kept.append(clue)
        elif unread and _callable(clue):
            kept.append(replace(clue, maybe_below={**clue.maybe_below, start.name: unread}))
    return kept


def its_own_answer(
    graph: Graph, start: Start, suspects: Sequence[Suspect], rows: Sequence[PodRow]
) -> bool:
    """A pod's walk leads with the pod's own workload, for the cause the pod's own diagnosis
    gives, and nothing below it fails first: the pod's own answer says it all."""
    owner = graph.owner(start.name) if start.kind == "pod" else None
    if owner is None or not suspects:
        return False
    first = suspects[0]
    own = next(
        (r.finding for r in rows if r.pod.rpartition("/")[2] == start.name and r.finding), None
    )
    return (
        first.object in {graph.known_as(owner), owner.ref}
        and own is not None
        and own.match.id == first.finding.match.id
        and not any(s.because and s.because[0] == first.object for s in suspects)
    )


def below_the_named(
    clues: list[Clue], graph: Graph, deps: Dependencies, named: Iterable[str]
) -> list[Clue]:
    """The clues with each name the symptom gives that they are below: what a named Service or
    workload calls, directly or through others, is on the chain of what the symptom names."""
    chains: dict[str, frozenset[str]] = {}
    by_name = {w.name: w for w in graph.workloads.values()}
    for name in named:
        service = graph.service(name)
        start = graph.backing(service) if service is not None else []
        start += [by_name[name]] if name in by_name else []
        if start:
            chains[name] = frozenset(_below(graph, deps, start))
    if not chains:
        return clues
    unread = {name: unread_on(graph, deps, chain) for name, chain in chains.items()}
    out = []
    for clue in clues:
        lifted = {n for n, chain in chains.items() if _on(clue, chain)}
        maybe = {n: unread[n] for n in chains if unread[n] and n not in lifted and _callable(clue)}
        if lifted - clue.names:
            clue = replace(clue, below=frozenset(lifted))
        out.append(replace(clue, maybe_below={**maybe, **clue.maybe_below}) if maybe else clue)
    return out
