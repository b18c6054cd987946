"""Culprit over victim: a failure that a failing dependency explains ranks below that dependency.

A caller shows its callee's failure first (its readiness probe fails, it restarts, its log says
the connection is refused), so the walk meets the victim before the culprit. Where the input
shows the call (an edge, deps.py) and the callee failing, the caller's failure is a victim's:
its suspect says "because of geo" and ranks below the callee, whose suspect says the chain
("service/routes fails because of service/geo, which it calls at geo:8080"). Chains are followed
to the deepest failing object. Where the input does not show whether a failing caller calls a
failing Service, each ranks by its own facts, and the caller's says which edge would tell.

Only a failure a dependency can explain is a victim's: a symptom entry (a crash loop, a probe,
a Service without endpoints) or one the app states about a service it calls (a refused or
timed-out connection, a name that does not resolve); never an OOM kill or a missing image.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.deps import Dependencies, Edge
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.statements import FAILING_KINDS
from bot.diagnosis.suspects.workloads import Workload
from intents.schema import CatalogEntry

MAX_DEPTH = 16
"""Links followed from a victim to its culprit (a longer chain is cut there)."""


@dataclass(frozen=True)
class Victim:
    clue: Clue
    culprit: str
    """service/NAME of the failing dependency."""
    edge: Edge


def dependency_may_explain(entry: CatalogEntry) -> bool:
    """A failing dependency can explain the entry: a symptom, or a cause an app states about a
    service it calls."""
    return entry.symptom is not None or _states_failing_calls(entry)


def explainable(clue: Clue, entries: Mapping[str, CatalogEntry]) -> bool:
    """A dependency can explain the clue's failure (history and guesses are no victims)."""
    entry = entries.get(clue.entry)
    if entry is None or clue.history or clue.indirect:
        return False
    return not clue.root or dependency_may_explain(entry)


def _workloads(graph: Graph, clue: Clue) -> list[Workload]:
    """The workloads a clue is about: its resource, else the ones behind its Service."""
    found = graph.workloads.get(clue.resource)
    if found is not None:
        return [found]
    kind, _, name = clue.object.partition("/")
    service = graph.service(name) if kind == "service" else None
    return graph.backing(service) if service is not None else []


def _failing(clues: list[Clue]) -> dict[str, Clue]:
    """service/NAME -> the strongest clue of each failing object (history and guesses aside)."""
    found: dict[str, Clue] = {}
    for clue in clues:
        if clue.history or clue.indirect or not clue.object.startswith("service/"):
            continue
        known = found.get(clue.object)
        if known is None or (clue.root, clue.weight) > (known.root, known.weight):
            found[clue.object] = clue
    return found


def _own_causes(clues: list[Clue], entries: Mapping[str, CatalogEntry]) -> set[str]:
    """Objects failing for a cause of their own no dependency explains (a cordoned node, an OOM
    kill, a missing image): never a victim of what they call."""
    return {
        clue.object
        for clue in clues
        if clue.root
        and not (clue.history or clue.indirect)
        and clue.entry in entries
        and not dependency_may_explain(entries[clue.entry])
    }


def _victims(
    clues: list[Clue], graph: Graph, deps: Dependencies, entries: Mapping[str, CatalogEntry]
) -> dict[int, Victim]:
    failing = _failing(clues)
    own = _own_causes(clues, entries)
    found: dict[int, Victim] = {}
    for at, clue in enumerate(clues):
        if clue.object in own or not explainable(clue, entries):
            continue
        edges = [
            (edge, f"service/{edge.callee}")
            for workload in _workloads(graph, clue)
            for edge in deps.edges.get(workload.ref, ())
        ]
        calls = [(e, o) for e, o in edges if o in failing and o != clue.object]
        if calls:  # the call the caller says fails first, then the strongest callee
            edge, culprit = max(calls, key=lambda c: (bool(c[0].failing), failing[c[1]].weight))
            found[at] = Victim(clue, culprit, edge)
        elif (
            perhaps := _perhaps_calls(clue, graph, deps, entries, _broken(failing, entries))
        ) is not None:
            found[at] = perhaps
    return found


def _states_failing_calls(entry: CatalogEntry) -> bool:
    """The entry is a cause an app states about a service it calls (a refused connection...)."""
    return any(rule.app_cause in FAILING_KINDS for rule in entry.evidence)


def _broken(failing: dict[str, Clue], entries: Mapping[str, CatalogEntry]) -> set[str]:
    """The failing Services whose own state is their failure (not calls they say fail)."""
    return {
        o
        for o, c in failing.items()
        if c.entry in entries and not _states_failing_calls(entries[c.entry])
    }


def _perhaps_calls(
    clue: Clue,
    graph: Graph,
    deps: Dependencies,
    entries: Mapping[str, CatalogEntry],
    broken: set[str],
) -> Victim | None:
    """A caller that states its calls fail without naming whom, whose calls are set in
    ConfigMaps or go through routes the input does not show, while exactly one Service fails
    for a cause of its own: perhaps that Service's victim (unknown is not absent; the deepest
    failure ranks first)."""
    if not _states_failing_calls(entries[clue.entry]):
        return None
    candidates = sorted(o for o in broken if o != clue.object)
    workloads = _workloads(graph, clue)
    if len(candidates) != 1 or len(workloads) != 1:
        return None
    workload, callee = workloads[0], candidates[0].partition("/")[2]
    unread, unrouted = deps.unread(workload), deps.unrouted(workload)
    if not (unread or unrouted) or deps.calls(workload, callee) != "unseen":
        return None
    how = (
        f"perhaps: what it calls is set in ConfigMap {', '.join(unread[:3])}, not shown"
        if unread
        else f"perhaps: it calls through the cluster's routes, not shown ({unrouted[0][:200]})"
    )
    return Victim(clue, candidates[0], Edge(workload.ref, callee, None, how))


def _deepest(start: str, links: dict[str, str]) -> tuple[str, list[str]]:
    """The object a chain of victims ends at, and the chain; a cycle ends where it closes."""
    path = [start]
    while (after := links.get(path[-1])) is not None and len(path) < MAX_DEPTH:
        if after in path:
            return path[-1], [*path, after]  # a cycle: each keeps its own facts
        path.append(after)
    return path[-1], path


def _chain_text(victim: Victim, failing: Clue, entries: Mapping[str, CatalogEntry]) -> str:
    entry = entries.get(failing.entry)
    state = (entry.symptom or entry.title) if entry is not None else failing.entry
    said = f" ({victim.edge.failing})" if victim.edge.failing else ""
    return (
        f"{victim.clue.object} fails because of {victim.culprit}, which it calls at "
        f"{victim.edge.at}{said}; {victim.culprit}: {state}"
    )


def attribute(
    clues: list[Clue], graph: Graph, entries: Mapping[str, CatalogEntry], deps: Dependencies
) -> tuple[list[Clue], list[str]]:
    """The clues with every victim's `because` set (its deepest failing dependency) and each
    culprit's `why` saying the chain; and the notes to add (a cycle, hosts left out)."""
    victims = _victims(clues, graph, deps, entries)
    links = {c.object: c.because[0] for c in clues if c.because}  # said already (hosts.py)
    links.update({v.clue.object: v.culprit for v in victims.values()})
    failing, notes = _failing(clues), []
    said: dict[str, list[str]] = {}
    named: dict[str, frozenset[str]] = {}
    out = list(clues)
    for at, victim in victims.items():
        culprit, path = _deepest(victim.clue.object, links)
        if culprit == victim.clue.object or path[-1] in path[:-1]:
            cycle = " -> ".join(path)
            notes.append(f"a cycle in the calls ({cycle}): each is ranked by its own facts")
            continue
        out[at] = replace(victim.clue, because=(culprit, victim.edge.how))
        said.setdefault(culprit, []).append(_chain_text(victim, failing[victim.culprit], entries))
        named[culprit] = named.get(culprit, frozenset()) | victim.clue.names
    out = [
        replace(c, why=(*c.why, *dict.fromkeys(said[c.object])), names=c.names | named[c.object])
        if c.object in said
        else c
        for c in out
    ]
    notes += [
        f"{ref} names more hosts than are read; the rest were left out" for ref in deps.dropped
    ]
    return out, list(dict.fromkeys(notes))


def unseen_edges(
    clues: list[Clue], graph: Graph, entries: Mapping[str, CatalogEntry], deps: Dependencies
) -> list[str]:
    """Where objects fail and the input does not show whether a failing caller calls the
    others: the edge that would tell, as what to run next."""
    failing = _failing(clues)
    asks: list[str] = []
    for clue in clues:
        if clue.because or not explainable(clue, entries):
            continue
        others = sorted(o for o in failing if o != clue.object)
        for workload in _workloads(graph, clue):
            if others and all(
                deps.calls(workload, o.partition("/")[2]) == "unseen" for o in others
            ):
                routes = (
                    f"; kubectl get ingress,httproute -n {graph.namespace} -o yaml"
                    if deps.unrouted(workload)
                    else ""
                )
                asks.append(
                    f"whether {workload.ref} calls {', '.join(others[:3])}: its env and log "
                    f"(kubectl describe {workload.ref} -n {graph.namespace}; kubectl logs "
                    f"{workload.ref} -n {graph.namespace}{routes})"
                )
    return list(dict.fromkeys(asks))
