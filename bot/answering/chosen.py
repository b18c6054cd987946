"""An answer a person chose: the chosen entry first, at high confidence, its why saying who chose.

The decision's "team example" rule (intents.decision.rules) does exactly this for a paste that
reads the same as a recorded choice; `as_chosen` makes sure of it for the answer to the choice
itself (an example too short to answer later pastes, a cluster diagnosis picked in the "Not
this" dialog), with the same step, so both say it the same way.
"""

from __future__ import annotations

from dataclasses import replace

from intents.findings import Finding
from intents.matcher import Matcher
from intents.policy import POLICY
from intents.results import Match, Step
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis

RULE = "team example"
"""The decision's rule name for a person's choice (intents.decision.explain names it in the why)."""


def chosen_effect(chooser: str, day: str, *, same_error: bool) -> str:
    return f"chosen by @{chooser} on {day}" + (" for the same error" if same_error else "")


def catalog_entry(matcher: Matcher, entry_id: str) -> CatalogEntry | None:
    entries = matcher.index.entries
    number = entries.number_of.get(entry_id)
    return None if number is None else entries[number]


def as_chosen(diagnosis: Diagnosis, entry: CatalogEntry, effect: str, *, note: str) -> Diagnosis:
    """`diagnosis` with `entry` as its answer (kept with its lines and facts when it was a finding)."""
    found = next((f for f in diagnosis.findings if f.match.id == entry.id), None)
    if found is None:
        found = Finding(Match(entry, POLICY.high))
    why = found.match.why if any(step.rule == RULE for step in found.match.why) else (*found.match.why,
                                                                                      Step(RULE, effect))
    first = replace(found, match=replace(found.match, score=max(found.match.score, POLICY.high), why=why),
                    because=())
    rest = tuple(f for f in diagnosis.findings if f.match.id != entry.id)
    return replace(diagnosis, findings=(first, *rest), notes=(note, *diagnosis.notes))
