"""Causes above symptoms: the catalog's `symptom`/`explains` declarations as a graph.

A symptom entry (CrashLoopBackOff, Node NotReady, a Service with no endpoints)
names a state with many possible causes; a cause entry declares the symptoms
it `explains`.  When both are found, the cause leads and the symptom names it
under `because`.  Chains are followed through the symptoms the text states:
OOMKilled explains CrashLoopBackOff, which explains a Service with no
endpoints, so with all three shown OOMKilled explains the empty Service too.
A link the text does not show breaks the chain: node disk pressure explains
a pod Pending on the pressure taint, which explains an empty Service, but
a Service empty because its running pod is unready is not the node's doing.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from intents.schema import CatalogEntry

Item = TypeVar("Item")
Key = TypeVar("Key")


@dataclass(frozen=True)
class CausalGraph:
    """symptom id -> every entry that explains it, directly or through a chain of symptoms."""

    causes: Mapping[str, frozenset[str]]
    names: Mapping[str, str]
    """symptom id -> its short name ("Node NotReady")."""
    direct: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """symptom id -> the entries that declare they explain it."""

    @classmethod
    def of(cls, entries: Iterable[CatalogEntry]) -> CausalGraph:
        known = {entry.id: entry for entry in entries}
        direct: dict[str, set[str]] = {}
        for entry in known.values():
            for symptom in entry.explains:
                if symptom in known:
                    direct.setdefault(symptom, set()).add(entry.id)
        causes = {symptom: frozenset(_reachable(symptom, direct)) for symptom in direct}
        names = {entry.id: entry.symptom for entry in known.values() if entry.symptom}
        return cls(causes, names, {symptom: frozenset(found) for symptom, found in direct.items()})

    def causes_of(self, symptom: str, through: Collection[str] | None = None) -> Collection[str]:
        """Every entry that explains `symptom`, directly or through a chain of symptoms; with
        `through`, only through the symptoms it holds."""
        if through is None:
            return self.causes.get(symptom, frozenset())
        return _reachable(symptom, self.direct, through)


def _reachable(
    symptom: str, direct: Mapping[str, Collection[str]], through: Collection[str] | None = None
) -> set[str]:
    """Every entry that explains `symptom`, directly or through a chain of symptoms (with
    `through`, a chain only through the symptoms it holds)."""
    found: set[str] = set()
    todo = list(direct.get(symptom, ()))
    while todo:
        cause = todo.pop()
        if cause not in found and cause != symptom:
            found.add(cause)
            if through is None or cause in through:
                todo.extend(direct.get(cause, ()))
    return found


def declared_order(
    ranked: Sequence[Item],
    outranked_by: Callable[[Item], Collection[Key]],
    *,
    key_of: Callable[[Item], Key],
    may_lead: Callable[[Item, Item], bool],
) -> list[Item]:
    """The catalog's pairwise order (`outranks`): an item ranked below one it outranks moves just
    ahead of the first such item it `may_lead` (equally strong, as each caller defines it).

    `outranked_by(item)` gives the keys the item outranks; `key_of` gives an item's key."""
    result = list(ranked)
    for item in ranked:
        outranked = outranked_by(item)
        if not outranked:
            continue
        at = result.index(item)
        ahead = [
            i for i in range(at) if key_of(result[i]) in outranked and may_lead(item, result[i])
        ]
        if ahead:
            result.insert(ahead[0], result.pop(at))
    return result


def lead_with_causes(
    ranked: Sequence[Item],
    graph: CausalGraph,
    *,
    id_of: Callable[[Item], str],
    present: Callable[[Item], bool],
    stated: Callable[[Item], bool] | None = None,
) -> list[tuple[Item, tuple[str, ...]]]:
    """The ranked items with every present cause placed just before the first symptom it explains.

    Returns (item, because) pairs: `because` lists the present causes of the item
    (in rank order), empty for an item nothing found explains.  Items keep their
    rank order otherwise; an item that is not `present` (low confidence) never moves.
    A symptom that is not `stated` (the text only resembles it) is named in no chain and
    carries none: "rollout stuck because ..." would claim a rollout the paste never shows.
    """
    by_id = {id_of(item): item for item in ranked}
    found = [entry_id for entry_id, item in by_id.items() if present(item)]
    shown = (
        None if stated is None else {entry_id for entry_id, item in by_id.items() if stated(item)}
    )
    because: dict[str, tuple[str, ...]] = {}
    for entry_id in by_id:
        causes = graph.causes_of(entry_id, shown) if shown is None or entry_id in shown else ()
        because[entry_id] = tuple(cause for cause in found if cause in causes)
    placed: set[str] = set()
    ordered: list[tuple[Item, tuple[str, ...]]] = []

    def place(entry_id: str) -> None:
        if entry_id in placed:
            return
        placed.add(entry_id)
        for cause in because[entry_id]:
            place(cause)
        ordered.append((by_id[entry_id], because[entry_id]))

    for entry_id in by_id:
        place(entry_id)
    return ordered


def causal_problems(
    entries: Iterable[CatalogEntry], *, absent: Collection[str] = ()
) -> list[tuple[str, str]]:
    """(entry id, problem) for every `explains` or `outranks` declaration `catalog check` must
    refuse; an id in `absent` (an entry of a pack switched off) may be named."""
    known = {entry.id: entry for entry in entries}
    problems: list[tuple[str, str]] = []
    for entry in sorted(known.values(), key=lambda e: e.id):
        for symptom in entry.explains:
            target = known.get(symptom)
            if target is None and symptom in absent:
                continue
            if target is None:
                problems.append((entry.id, f"explains: unknown entry {symptom!r}"))
            elif not target.symptom:
                why = (
                    f"explains: {symptom} is not declared a symptom "
                    "(give it `symptom: <short name>` or drop it from explains)"
                )
                problems.append((entry.id, why))
        problems.extend(
            (entry.id, f"outranks: unknown entry {other!r}")
            for other in entry.outranks
            if other not in known and other not in absent
        )
        problems.extend(
            (entry.id, f"outranks: {other} also outranks {entry.id}")
            for other in entry.outranks
            if other in known and entry.id in known[other].outranks
        )
    problems.extend(_cycles(known))
    return problems


def _cycles(known: Mapping[str, CatalogEntry]) -> list[tuple[str, str]]:
    """One problem per entry on a cycle of `explains` (A explains B explains A)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    on_cycle: dict[str, list[str]] = {}

    def visit(entry_id: str, path: list[str]) -> None:
        state[entry_id] = 1
        for symptom in known[entry_id].explains:
            if symptom not in known:
                continue
            if state.get(symptom) == 1:
                cycle = path[path.index(symptom) :] + [symptom]
                for member in cycle[:-1]:
                    on_cycle.setdefault(member, cycle)
            elif symptom not in state:
                visit(symptom, [*path, symptom])
        state[entry_id] = 2

    for entry_id in sorted(known):
        if entry_id not in state:
            visit(entry_id, [entry_id])
    return [
        (entry_id, "explains: cycle " + " -> ".join(cycle))
        for entry_id, cycle in sorted(on_cycle.items())
    ]


_REMEMBERED: dict[int, tuple[object, CausalGraph]] = {}


def graph_of(entries: Iterable[CatalogEntry]) -> CausalGraph:
    """CausalGraph.of, remembered for the same entries object (a catalog is loaded once)."""
    remembered = _REMEMBERED.get(id(entries))
    if remembered is not None and remembered[0] is entries:
        return remembered[1]
    graph = CausalGraph.of(entries)
    if len(_REMEMBERED) >= 8:
        _REMEMBERED.clear()
    _REMEMBERED[id(entries)] = (entries, graph)
    return graph
