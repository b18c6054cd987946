"""Diagnose a paste: read the kubectl output in it as facts, then match what is left.

Transport-free: the CLI (`kubemedic match`) and the Slack paste path both
call `diagnose_paste`.  The catalog's evidence rules run on the unhealthy
objects the paste shows, and their facts are quoted in the answer; the text
matcher reads the paste without its healthy kubectl output, so `kubectl get
nodes` with every node Ready, Normal events or a rollout in progress never
read as the failure they name.  A paste whose kubectl output is all healthy
is answered only when a real error line outside that output matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot.diagnosis.naming import Names, named_findings
from bot.diagnosis.paste_evidence import (
    confirm_subjects,
    refuted,
    requirement_met,
    stated_by_objects,
    stated_matches,
    with_logs,
)
from bot.diagnosis.paste_model import PasteReading, Subject
from bot.diagnosis.paste_read import read_pasted
from bot.diagnosis.paste_text import without_typed_commands, without_unsaid_clauses
from bot.diagnosis.paste_walk import reading_suspects, with_suspects
from bot.diagnosis.text_names import paste_names
from intents.advice import SeenContext
from intents.app_cause import read_app_cause
from intents.causality import graph_of
from intents.decision import FindingBoard, decide_findings
from intents.examples import TeamExample
from intents.findings import ClusterNow, Confirmation
from intents.matcher import Matcher, Scored
from intents.policy import POLICY
from intents.results import Match
from responses.diagnosis import Diagnosis
from responses.redaction import Redacted

SUBJECT = "the pasted text"
HEALTHY_NOTE = "no problem found in the pasted kubectl output"


def _shapes(parsed: PasteReading) -> str:
    shapes = dict.fromkeys(part.shape for part in parsed.parts if part.shape != "command")
    return ", ".join(shapes)


def notes(parsed: PasteReading) -> tuple[str, ...]:
    """One line on what was read from the paste (and that it is healthy, when it is)."""
    if not parsed.recognised:
        return ()
    if parsed.healthy:
        note = (
            f"{HEALTHY_NOTE} ({_shapes(parsed)}): everything in it is running, ready or progressing"
        )
        return (note,)
    unhealthy = [s.label for s in parsed.subjects if not s.healthy][:5]
    return (
        f"read from the paste: {_shapes(parsed)}"
        + (f"; not healthy: {', '.join(unhealthy)}" if unhealthy else ""),
    )


@dataclass(frozen=True)
class ReadPaste:
    """What a paste shows before the decision: its kubectl output read as facts, the facts'
    confirmations and statements, and its text scored against the catalog. The decision never
    changes it, so one reading can be decided again (`decide_paste`)."""

    text: str
    parsed: PasteReading
    unhealthy: list[Subject]
    confirmations: dict[str, Confirmation]
    statements: list[Match]
    scored: Scored | None
    """The text the matcher reads, scored (None: no text left to read)."""
    cluster: ClusterNow | None = None
    """What a connected cluster shows now of the pasted object (bot/diagnosis/paste_check.py),
    its confirming facts among `confirmations`; None: no cluster was read."""


def read_paste(matcher: Matcher, text: str, *, at: datetime | None = None) -> ReadPaste:
    """Read a paste's kubectl output as facts and score its text (the costly part of a diagnosis);
    `at`: when its outputs were recorded (default: the newest time they show)."""
    parsed = read_pasted(text, at=at)
    entries = matcher.index.entries
    healthy = [subject for subject in parsed.subjects if subject.healthy]
    unhealthy = with_logs([s for s in parsed.subjects if not s.healthy], parsed.residual_text())
    confirmations: dict[str, Confirmation] = {}
    every = unhealthy + healthy
    for entry in entries if every else ():  # (no object read: no entry to confirm)
        # an entry that `requires` context may be confirmed by a fact that looks normal
        # on its own (an HPA rescale is the Istio sidecar problem only next to istio)
        subjects = every if entry.requires else unhealthy
        if subjects and entry.evidence:
            found = confirm_subjects(entry, subjects)
            if found and requirement_met(entry, text):
                confirmations[entry.id] = found
    match_text = without_unsaid_clauses(
        without_typed_commands(parsed.matching_text() if parsed.recognised else text)
    )
    return ReadPaste(
        text,
        parsed,
        unhealthy,
        confirmations,
        stated_matches(entries, unhealthy),
        matcher.score(match_text) if match_text.strip() else None,
    )


def decide_paste(
    matcher: Matcher, read: ReadPaste, *, top: int = 3, examples: Sequence[TeamExample] = ()
) -> Diagnosis:
    """The decision's rules on a read paste: the diagnosis."""
    entries = {entry.id: entry for entry in matcher.index.entries}
    parsed = read.parsed
    matches = read.scored.decide(POLICY.match_pool) if read.scored is not None else []
    # what the pasted objects print themselves cannot be refuted by their own silence
    stated = stated_by_objects(matches, parsed)
    shown = parsed.shown  # worked out once, not once an entry
    contradicted = {
        entry_id
        for entry_id, entry in (entries.items() if shown else ())
        if entry_id not in stated and refuted(entry, shown, read.confirmations.get(entry_id))
    }
    board = FindingBoard(
        matches,
        read.confirmations,
        entries,
        graph_of(matcher.index.entries),
        top=top,
        pool=max(top, POLICY.match_pool),
        paste=True,
        contradicted=contradicted,
        seen=SeenContext(text=read.text),
        residue=parsed.residual_text(),
        examples=examples,
        statements=read.statements,
        output=parsed.recognised,
        healthy_output=parsed.healthy,
        cluster=read.cluster,
    )
    decided = decide_findings(board)
    named = named_findings(tuple(decided.findings), read_names(read))
    diagnosis = Diagnosis(
        subject=SUBJECT, findings=named, problems=decided.problems or (), offered=decided.offered
    )
    if diagnosis.answer is not None:
        return diagnosis
    return replace(diagnosis, notes=(*app_states(read.text), *notes(parsed), *decided.notes))


def read_names(read: ReadPaste) -> Names:
    """The names a read paste gives (its fix commands', and the object a cluster is asked about)."""
    parsed = read.parsed
    return paste_names(read.unhealthy, read.text, parsed.subjects, parsed.recorded_names())


def app_states(text: str) -> tuple[str, ...]:
    """The cause the pasted log states (intents.app_cause), quoted when no entry answers: the app's
    own words are the first thing to read even where the catalog names nothing."""
    cause = read_app_cause(text)
    return (f"The app states why: {cause.said()}: {cause.line}",) if cause is not None else ()


def diagnose_paste(
    matcher: Matcher,
    text: Redacted,
    *,
    top: int = 3,
    examples: Sequence[TeamExample] = (),
    at: datetime | None = None,
) -> Diagnosis:
    """The diagnosis of a pasted text: confirmed causes first, then text matches; `examples`: the
    team's examples it may read the same as (intents.examples), newest first. The text is
    `Redacted` where it arrived (a chat, the CLI, MCP), so nothing the diagnosis quotes from it
    holds a secret, and no one redacts it again. `at`: when the paste's outputs were recorded
    (default: the newest time they show)."""
    read = read_paste(matcher, text, at=at)
    decided = decide_paste(matcher, read, top=top, examples=examples)
    return with_suspects(decided, reading_suspects(matcher, read.parsed))
