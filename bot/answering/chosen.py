"""An answer a person chose: the chosen entry first, at high confidence, its why saying who chose.

The decision's "team example" rule (intents.decision) does exactly this for a paste that reads
the same as a recorded choice; `as_chosen` asks the same rule for the answer to the choice itself
(an example too short to answer later pastes, a cluster diagnosis picked in the "Not this"
dialog), so both say it the same way and the problems are counted again by the decision.
"""

from __future__ import annotations

from dataclasses import replace

from intents.causality import CausalGraph
from intents.decision import Choice, FindingBoard, decide_choice
from intents.matcher import Matcher
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis


def chosen_effect(chooser: str, day: str, *, same_error: bool) -> str:
    return f"chosen by @{chooser} on {day}" + (" for the same error" if same_error else "")


def catalog_entry(matcher: Matcher, entry_id: str) -> CatalogEntry | None:
    entries = matcher.index.entries
    number = entries.number_of.get(entry_id)
    return None if number is None else entries[number]


def as_chosen(diagnosis: Diagnosis, entry: CatalogEntry, effect: str, *, note: str) -> Diagnosis:
    """`diagnosis` with `entry` as its answer (kept with its lines and facts when it was a finding)."""
    entries = {f.match.id: f.match.entry for f in diagnosis.findings} | {entry.id: entry}
    board = FindingBoard([], {}, entries, CausalGraph({}, {}), findings=list(diagnosis.findings))
    decided = decide_choice(board, Choice(entry.id, effect))
    return replace(
        diagnosis,
        findings=tuple(decided.findings),
        problems=decided.problems or (),
        offered=(),
        notes=(note, *diagnosis.notes),
    )
