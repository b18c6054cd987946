"""Rank clues into suspects: causes above the symptoms they explain, confirmed above inferred,
the symptom text's names and class lifting what is on its chain, one suspect per object.

Each suspect after the first says why it ranks lower, so a reader can check the ranking.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime

from bot.diagnosis.suspects.chronic import chronic, newest_first
from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.fixes import source_of, write_fix
from bot.diagnosis.suspects.focus import ROUTES_OF
from bot.diagnosis.suspects.symptom import Symptom
from bot.diagnosis.suspects.times import stamp
from intents.advice import primary_step
from intents.causality import CausalGraph
from intents.findings import Finding
from intents.policy import POLICY
from intents.results import Match, Step
from intents.schema import CatalogEntry
from intents.walk_table import WalkTable
from intents.watch_table import WatchTable
from responses.suspects import Suspect

MAX_SUSPECTS = 5
OFF_CHAIN = "not on the chain of what the symptom names"
ROUTED = "it may be what is reached through"
"""A suspect tied to the question only by where routes the input does not show lead: where the
URL lands is unknown, so it is named and asked about, never said at medium or high."""


@dataclass(frozen=True)
class Scored:
    clue: Clue
    score: float
    why: tuple[str, ...]


def _effect_of(clue: Clue, root: Clue, causes: CausalGraph) -> bool:
    """`clue` is an effect of `root`: a symptom on its chain, or an entry the catalog says
    `root`'s entry explains (directly or through symptoms), seen on an object it affects, or a
    failure of a caller of `root`'s object (its dependency)."""
    if clue.because and clue.because[0] == root.object:
        return True
    if not clue.root and clue.object in root.reach:
        return True
    return clue.object in root.affects and root.entry in causes.causes_of(clue.entry)


def _explained_by(clue: Clue, roots: list[Clue], causes: CausalGraph) -> Clue | None:
    """The cause whose effect this clue is. A cause seen only through its effects (callers'
    timeouts) explains nothing: a CreateContainerConfigError the cluster states is no effect of
    a guess, and a guess never pushes it down."""
    return next(
        (r for r in roots if r is not clue and not r.indirect and _effect_of(clue, r, causes)),
        None,
    )


def _symptom_terms(
    clue: Clue, symptom: Symptom, effects: frozenset[str] = frozenset()
) -> tuple[float, list[str]]:
    """The symptom's lift: `effects`, the names on the chain of what the clue explains (a
    cause of a failure the symptom names is on its chain)."""
    delta, why = 0.0, []
    if symptom.names:
        named = sorted(symptom.names & (clue.names | effects | {clue.object.partition("/")[2]}))
        under = sorted(symptom.names & clue.below)
        if named:
            delta += POLICY.walk_named_boost
            why.append(f"the symptom names {', '.join(named)}")
        elif under:
            why.append(f"called by {', '.join(under)}, which the symptom names")
        elif maybe := sorted(symptom.names & set(clue.maybe_below)):
            unread = sorted({c for n in maybe for c in clue.maybe_below[n]})
            routed = all(u.startswith(ROUTES_OF) for u in unread)
            why.append(
                f"perhaps called by {', '.join(maybe)}: "
                + (ROUTED if routed else "what it calls is set in")
                + f" {', '.join(unread[:3])}, which the input does not show"
            )
        else:
            delta -= POLICY.walk_unnamed_cost
            why.append(OFF_CHAIN)
    if symptom.classes:
        if symptom.classes & clue.classes:
            delta += POLICY.walk_class_boost
            why.append(
                f"shows as the symptom says ({', '.join(sorted(symptom.classes & clue.classes))})"
            )
        else:
            delta -= POLICY.walk_class_cost
            why.append(
                f"shows as {', '.join(sorted(clue.classes))}, not as "
                f"{', '.join(sorted(symptom.classes))}"
            )
    return delta, why


def score_clues(clues: Iterable[Clue], symptom: Symptom, causes: CausalGraph) -> list[Scored]:
    clues = list(clues)
    roots = [clue for clue in clues if clue.root]
    explained = [_explained_by(clue, roots, causes) for clue in clues]
    effects: dict[int, frozenset[str]] = {}
    for clue, cause in zip(clues, explained, strict=True):
        if cause is not None:
            named = clue.names | {clue.object.partition("/")[2]}
            effects[id(cause)] = effects.get(id(cause), frozenset()) | named
    scored = []
    for clue, cause in zip(clues, explained, strict=True):
        delta, said = _symptom_terms(clue, symptom, effects.get(id(clue), frozenset()))
        score, why = clue.weight + delta, [*clue.why, *said]
        if cause is not None:  # a symptom of a cause found beside it is never stated
            score = min(score, cause.weight - POLICY.walk_symptom_gap, POLICY.walk_symptom_cap)
            why.append(f"a symptom: {cause.entry} on {cause.object} explains it")
        if clue.unseen:  # resting on what the input did not show: asked about, never stated
            score = min(score, POLICY.walk_unseen_cap)
            why.append(f"not seen: {'; '.join(clue.unseen)}")
        if clue.history:  # the present contradicts it: never stated, after every current one
            score = min(score, POLICY.walk_history_cap)
            why.append(clue.history)
        bounded = min(POLICY.walk_ceiling, max(POLICY.walk_floor, score))
        scored.append(Scored(clue, bounded, tuple(why)))
    return _culprits_first(scored)


def _culprits_first(scored: list[Scored]) -> list[Scored]:
    """Each victim below its culprit: a cause the chain confirms rises to the victim's score,
    and the victim stays `walk_symptom_gap` under it."""
    victims = {s.clue.because[0]: s.score for s in scored if s.clue.because and not s.clue.history}
    if not victims:
        return scored
    lifted = [
        replace(s, score=max(s.score, victims[s.clue.object]))
        if s.clue.object in victims and s.clue.root and not s.clue.because and not s.clue.history
        else s
        for s in scored
    ]
    best: dict[str, float] = {}
    for item in lifted:
        if not item.clue.because:
            best[item.clue.object] = max(best.get(item.clue.object, 0.0), item.score)
    return [
        replace(
            s,
            score=max(
                POLICY.walk_floor,
                min(s.score, best.get(s.clue.because[0], s.score) - POLICY.walk_symptom_gap),
            ),
            why=(*s.why, f"a victim: {s.clue.because[0]} fails first ({s.clue.because[1]})"),
        )
        if s.clue.because
        else s
        for s in lifted
    ]


def _best_per_object(scored: list[Scored]) -> list[Scored]:
    """One suspect per object: its best clue, naming the others it also showed."""
    by_object: dict[str, list[Scored]] = {}
    for item in sorted(  # a cause its own object states before one guessed from its callers
        scored,
        key=lambda s: (
            bool(s.clue.history),
            s.clue.indirect,
            -s.score,
            not s.clue.root,
            s.clue.entry,
        ),
    ):
        by_object.setdefault(item.clue.object, []).append(item)
    kept = []
    for items in by_object.values():
        best, others = items[0], items[1:]
        also = [
            f"also: {o.clue.entry} ({o.score:.2f})"
            for o in others
            if o.clue.entry != best.clue.entry
        ]
        kept.append(replace(best, why=(*best.why, *dict.fromkeys(also))))
    return sorted(
        kept,
        key=lambda s: (
            bool(s.clue.history),
            -s.score,
            not s.clue.root,
            -s.clue.pending,
            s.clue.object,
        ),
    )


def _lower(item: Scored, first: Scored, causes: CausalGraph) -> str:
    """Why `item` ranks below `first`."""
    if item.clue.history and not first.clue.history:
        return item.clue.history
    if item.clue.because:
        return f"also failing, because of {item.clue.because[0]}"
    if _effect_of(item.clue, first.clue, causes):
        return f"a symptom that {first.clue.entry} on {first.clue.object} explains"
    if item.clue.entry == first.clue.entry and (item.score == first.score or item.clue.below):
        fewer = item.clue.pending < first.clue.pending
        return f"the same cause ({first.clue.entry}) on another workload" + (
            ", with fewer pods waiting" if fewer else ""
        )
    if item.clue.indirect and not first.clue.indirect:
        return "only indirect evidence (its effects, not the cause itself)"
    if item.clue.root and OFF_CHAIN in item.why and OFF_CHAIN not in first.why:
        return f"also broken, {OFF_CHAIN}"  # a problem of its own, not the one asked about
    if item.clue.weight < first.clue.weight:
        return (
            f"less direct evidence ({item.clue.weight:.2f} against {first.clue.weight:.2f} "
            f"for {first.clue.object})"
        )
    said = [w for w in item.why if w.startswith(("not on the chain", "shows as"))]
    if said:
        return said[0]
    return f"a lower score ({item.score:.2f} against {first.score:.2f})"


def _chain(clue: Clue, symptom: Symptom) -> tuple[str, ...]:
    return (f"symptom: {symptom.text}", *clue.chain) if symptom else clue.chain


def _condition_entry(watch: WatchTable, condition: str) -> str | None:
    kind, _, status = condition.partition("=")
    return watch.node_condition(kind, status) if status else None


def resolved(clues: Iterable[Clue], entries: Mapping[str, CatalogEntry]) -> list[Clue]:
    """The clues with the catalog entry that names each: the pod judge's, the one whose `walk:`
    claims the finding, or the one whose node `watch:` is the condition (others left out)."""
    table, watch = WalkTable.of(entries.values()), WatchTable.of(entries.values())
    found = []
    for clue in clues:
        entry = (
            clue.entry
            or table.entry(clue.finding)
            or (_condition_entry(watch, clue.condition) if clue.condition else None)
            or ""
        )
        if entry in entries:
            found.append(clue if entry == clue.entry else replace(clue, entry=entry))
    return found


def _step(clue: Clue, entry: CatalogEntry) -> int | None:
    """The entry's fix step to say: the clue's own, else (no walk fix line) the one that fits."""
    if clue.step is not None or clue.finding:
        return clue.step
    return primary_step(entry.fix, "\n".join(clue.evidence))


UNTOLD = "the input does not say when it began"


def _focus(kept: list[Scored]) -> Callable[[int], tuple[bool, bool]]:
    """The order's key: history after every current one, and every object the symptom's chain
    leaves out after the current ones on it while some has evidence (a stable sort keeps the
    rest of the order)."""
    on = any(OFF_CHAIN not in s.why and not s.clue.history and s.clue.evidence for s in kept)
    return lambda at: (
        bool(kept[at].clue.history),
        on and OFF_CHAIN in kept[at].why,
    )


def _in_time(
    kept: list[Scored], causes: CausalGraph, as_of: datetime | None
) -> tuple[list[Scored], dict[int, str]]:
    """The newest fault before chronic ones (each saying how long it has failed), what the
    symptom's chain leaves out after what is on it, and the first saying when the input does
    not tell when it began."""
    focus = _focus(kept)
    judged = [at for at in range(len(kept)) if not focus(at)[1]]  # the newest is on the chain
    found = (
        chronic(
            [kept[at] for at in judged], as_of=as_of, explains=lambda a, b: _effect_of(a, b, causes)
        )
        if as_of is not None
        else {}
    )
    old = {judged[at]: text for at, text in found.items()}
    order = sorted(newest_first(kept, old), key=focus)
    ranked = [
        replace(kept[at], why=(*kept[at].why, old[at])) if at in old else kept[at] for at in order
    ]
    if ranked and as_of is not None and ranked[0].clue.since is None:
        ranked[0] = replace(ranked[0], why=(*ranked[0].why, UNTOLD))
    return ranked, {order.index(at): text for at, text in old.items()}


def _routed(item: Scored) -> bool:
    """Its tie to the question rests on routes the input does not show (ranked where its
    evidence puts it, said below medium)."""
    return any(ROUTED in why for why in item.why)


def rank(
    clues: Iterable[Clue],
    *,
    symptom: Symptom,
    entries: Mapping[str, CatalogEntry],
    limit: int = MAX_SUSPECTS,
    as_of: datetime | None = None,
) -> tuple[Suspect, ...]:
    """The suspects, most likely first (clues whose finding the catalog does not name left out;
    none when every one is history); `as_of`: the input's "now", from which a failure long
    older than the newest is chronic."""
    causes = CausalGraph.of(entries.values())
    best = _best_per_object(score_clues(resolved(clues, entries), symptom, causes))
    if all(item.clue.history for item in best):
        return ()  # history never leads: with nothing current, nothing explains what fails now
    kept, old = _in_time(best, causes, as_of)
    suspects = []
    for number, item in enumerate(kept[:limit]):
        clue = item.clue
        steps = tuple(Step("walk", why) for why in item.why) or (Step("walk", "checked"),)
        entry = entries[clue.entry]
        said = min(item.score, POLICY.walk_unseen_cap) if _routed(item) else item.score
        finding = Finding(Match(entry, round(said, 3), why=steps), evidence=clue.evidence)
        source = source_of(clue.finding, _step(clue, entry), clue.fix_names)
        suspects.append(
            Suspect(
                object=clue.object,
                resource=clue.resource,
                finding=finding,
                chain=_chain(clue, symptom),
                why=item.why,
                indirect=clue.indirect,
                fix=write_fix(entry, source, clue.resource),
                lower=old.get(number) or (_lower(item, kept[0], causes) if number else ""),
                source=source,
                unseen=clue.unseen,
                since=stamp(clue.since) if clue.since is not None else "",
                because=clue.because,
            )
        )
    return tuple(suspects)
