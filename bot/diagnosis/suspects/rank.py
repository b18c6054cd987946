"""Rank clues into suspects: causes above the symptoms they explain, confirmed above inferred,
the symptom text's names and class lifting what is on its chain, one suspect per object.

Each suspect after the first says why it ranks lower, so a reader can check the ranking.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.symptom import Symptom
from intents.findings import Finding
from intents.results import Match, Step
from intents.schema import CatalogEntry
from responses.suspects import Suspect

MAX_SUSPECTS = 5
NAMED_BOOST = 0.06
UNNAMED_COST = 0.08
CLASS_BOOST = 0.03
CLASS_COST = 0.06
SYMPTOM_GAP = 0.2
"""A symptom ranks at least this far below the cause that explains it."""
SYMPTOM_CAP = 0.45
"""Below the catalog's medium: a symptom whose cause is found is named, not stated."""
FLOOR, CEILING = 0.05, 0.97


@dataclass(frozen=True)
class Scored:
    clue: Clue
    score: float
    why: tuple[str, ...]


def _explained_by(clue: Clue, roots: list[Clue]) -> Clue | None:
    """The cause whose effect this clue is: a symptom on its chain, or an entry it explains."""
    for root in roots:
        if root is clue:
            continue
        if not clue.root and clue.object in root.reach:
            return root
        if clue.entry in root.explains and clue.object in root.affects:
            return root
    return None


def _symptom_terms(clue: Clue, symptom: Symptom) -> tuple[float, list[str]]:
    delta, why = 0.0, []
    if symptom.names:
        named = sorted(symptom.names & (clue.names | {clue.object.partition("/")[2]}))
        if named:
            delta += NAMED_BOOST
            why.append(f"the symptom names {', '.join(named)}")
        else:
            delta -= UNNAMED_COST
            why.append("not on the chain of what the symptom names")
    if symptom.classes:
        if symptom.classes & clue.classes:
            delta += CLASS_BOOST
            why.append(
                f"shows as the symptom says ({', '.join(sorted(symptom.classes & clue.classes))})"
            )
        else:
            delta -= CLASS_COST
            why.append(
                f"shows as {', '.join(sorted(clue.classes))}, not as "
                f"{', '.join(sorted(symptom.classes))}"
            )
    return delta, why


def score_clues(clues: Iterable[Clue], symptom: Symptom) -> list[Scored]:
    clues = list(clues)
    roots = [clue for clue in clues if clue.root]
    scored = []
    for clue in clues:
        delta, said = _symptom_terms(clue, symptom)
        score, why = clue.weight + delta, [*clue.why, *said]
        cause = _explained_by(clue, roots)
        if cause is not None:  # a symptom of a cause found beside it is never stated
            score = min(score, cause.weight - SYMPTOM_GAP, SYMPTOM_CAP)
            why.append(f"a symptom: {cause.entry} on {cause.object} explains it")
        scored.append(Scored(clue, min(CEILING, max(FLOOR, score)), tuple(why)))
    return scored


def _best_per_object(scored: list[Scored]) -> list[Scored]:
    """One suspect per object: its best clue, naming the others it also showed."""
    by_object: dict[str, list[Scored]] = {}
    for item in sorted(scored, key=lambda s: (-s.score, not s.clue.root, s.clue.entry)):
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
    return sorted(kept, key=lambda s: (-s.score, not s.clue.root, s.clue.object))


def _lower(item: Scored, first: Scored) -> str:
    """Why `item` ranks below `first`."""
    if (not item.clue.root and item.clue.object in first.clue.reach) or (
        item.clue.entry in first.clue.explains and item.clue.object in first.clue.affects
    ):
        return f"a symptom that {first.clue.entry} on {first.clue.object} explains"
    if item.clue.indirect and not first.clue.indirect:
        return "only indirect evidence (its effects, not the cause itself)"
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


def rank(
    clues: Iterable[Clue],
    *,
    symptom: Symptom,
    entries: Mapping[str, CatalogEntry],
    limit: int = MAX_SUSPECTS,
) -> tuple[Suspect, ...]:
    """The suspects, most likely first (clues whose entry the catalog lacks are left out)."""
    kept = _best_per_object([s for s in score_clues(clues, symptom) if s.clue.entry in entries])
    suspects = []
    for number, item in enumerate(kept[:limit]):
        clue = item.clue
        steps = tuple(Step("walk", why) for why in item.why) or (Step("walk", "checked"),)
        finding = Finding(
            Match(entries[clue.entry], round(item.score, 3), why=steps), evidence=clue.evidence
        )
        suspects.append(
            Suspect(
                object=clue.object,
                resource=clue.resource,
                finding=finding,
                chain=_chain(clue, symptom),
                why=item.why,
                indirect=clue.indirect,
                fix=clue.fix,
                lower=_lower(item, kept[0]) if number else "",
            )
        )
    return tuple(suspects)
