"""How a diagnosis crosses the fleet's wire: catalog ids plus the evidence the agent read.

The agent redacts and clips every text it read (`responses.redaction`) before it leaves the
cluster; the hub rebuilds the `Diagnosis` with its own catalog. Sending ids rather than whole
entries keeps titles, fixes, commands and links the hub's own: an agent (or whoever stole its
token) can say which known problem it saw and why, never what the chat tells people to run. An
id the hub does not know (an agent with its own catalog directory) is dropped with a note.
A suspect (bot/diagnosis/suspects) crosses the same way: its cause as an id, its evidence,
chain and ranking reasons redacted, its object and resource checked as Kubernetes names, and
its one fix written again by the hub from its own catalog's line and the checked names.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from bot.diagnosis.naming import Names, Shown, as_shown, shown_of
from bot.diagnosis.suspects.fixes import write_fix
from intents.findings import Finding
from intents.results import EvidenceKind, Match, MatchedLine, Step
from intents.schema import CatalogEntry
from responses.diagnosis import Diagnosis, PodRow
from responses.redaction import EMPTY, Redacted, redact
from responses.suspects import OBJECT_KINDS, FixSource, Suspect

MAX_TEXT = 4000
"""Characters of one evidence or note string (longer ones are cut by the sender)."""
Lookup = Callable[[str], CatalogEntry | None]
"""The hub's catalog: the entry of an id, or None."""
_NAME = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
OBJECT = re.compile(rf"^(?:{'|'.join(OBJECT_KINDS)})/{_NAME}$")
RESOURCE = re.compile(rf"^[a-z]{{2,40}}/{_NAME}$")
"""A suspect's `object` and `resource` as a hub accepts them: KIND/NAME, NAME a Kubernetes name."""


class WireModel(BaseModel):
    """Every wire message: unknown fields refused, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class WireStep(WireModel):
    rule: str
    effect: Redacted


class WireLine(WireModel):
    line: Redacted
    symptom: str
    score: float
    kind: EvidenceKind = EvidenceKind.FUZZY


class WireFinding(WireModel):
    id: str
    score: float = Field(ge=0, le=1)
    matched: tuple[WireLine, ...] = ()
    context_missing: bool = False
    why: tuple[WireStep, ...] = ()
    evidence: tuple[Redacted, ...] = ()
    text_score: float | None = None
    because: tuple[str, ...] = ()
    steps: tuple[int, ...] | None = None
    """Which of the entry's fix steps fit the case (None: all)."""
    links: tuple[int, ...] | None = None
    """Which of its links fit the case (None: all)."""
    names: tuple[tuple[str, str], ...] = ()
    """(kind, value) the agent filled into the fix commands; the hub fills its own catalog's commands
    with them after checking each value against its kind (bot/diagnosis/naming.py)."""


class WirePod(WireModel):
    pod: str
    status: str
    severity: int
    finding: WireFinding | None = None
    gaps: tuple[Redacted, ...] = ()
    diagnosed: bool = True


class WireSuspect(WireModel):
    object: str
    resource: str
    finding: WireFinding
    chain: tuple[Redacted, ...] = ()
    why: tuple[Redacted, ...] = ()
    indirect: bool = False
    lower: Redacted = EMPTY
    fix_finding: str = ""
    """The walk finding whose catalog fix line the hub fills ("": the entry's fix step)."""
    fix_step: int | None = None
    fix_names: tuple[tuple[str, str], ...] = ()
    """(kind, value) for the fix line, each checked against its kind by the hub."""
    unseen: tuple[str, ...] = ()
    since: str = Field(default="", max_length=64)
    """When the failure began, where the input tells (a time stamp, as the walk read it)."""
    because: tuple[Redacted, ...] = Field(default=(), max_length=2)
    """(object, edge) of the failing dependency that explains it (empty: none)."""


class WireDiagnosis(WireModel):
    """A diagnosis as it crosses: every text the agent read is `Redacted`, made so in the agent
    and again as the hub reads the wire (whoever holds a token may send anything)."""

    subject: Redacted
    findings: tuple[WireFinding, ...] = ()
    gaps: tuple[Redacted, ...] = ()
    notes: tuple[Redacted, ...] = ()
    preface: Redacted = EMPTY
    pods: tuple[WirePod, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    suspects: tuple[WireSuspect, ...] | None = None
    """None: no walk was made (a pod, a node); (): nothing explains the symptom."""


def _clip(text: str) -> Redacted:
    return redact(text[:MAX_TEXT])


def _texts(texts: tuple[str, ...]) -> tuple[Redacted, ...]:
    return tuple(_clip(text) for text in texts)


def finding_to_wire(finding: Finding, lookup: Lookup) -> WireFinding:
    match = finding.match
    catalog = lookup(match.id)
    shown = shown_of(catalog, match.entry) if catalog is not None else None
    lines = tuple(
        WireLine(line=_clip(m.line), symptom=m.symptom[:MAX_TEXT], score=m.score, kind=m.kind)
        for m in match.matched
    )
    return WireFinding(
        id=match.id,
        score=min(max(match.score, 0.0), 1.0),
        matched=lines,
        context_missing=match.context_missing,
        why=tuple(WireStep(rule=s.rule, effect=_clip(s.effect)) for s in match.why),
        evidence=_texts(finding.evidence),
        text_score=finding.text_score,
        because=finding.because,
        steps=_some(shown.steps, len(catalog.fix)) if shown and catalog else None,
        links=_some(shown.links, len(catalog.links)) if shown and catalog else None,
        names=tuple(sorted(shown.names.values.items())) if shown else (),
    )


def _some(kept: tuple[int, ...], count: int) -> tuple[int, ...] | None:
    """The indices kept, or None for all of them (the usual case, and fewer bytes)."""
    return None if kept == tuple(range(count)) else kept


def suspect_to_wire(suspect: Suspect, lookup: Lookup) -> WireSuspect:
    return WireSuspect(
        object=suspect.object,
        resource=suspect.resource,
        finding=finding_to_wire(suspect.finding, lookup),
        chain=_texts(suspect.chain),
        why=_texts(suspect.why),
        indirect=suspect.indirect,
        lower=_clip(suspect.lower),
        fix_finding=suspect.source.finding,
        fix_step=suspect.source.step,
        fix_names=suspect.source.names,
        unseen=_texts(suspect.unseen),
        since=suspect.since[:64],
        because=_texts(suspect.because),
    )


def to_wire(diagnosis: Diagnosis, *, lookup: Lookup) -> WireDiagnosis:
    """The diagnosis as the agent sends it: every text it read redacted and clipped; `lookup`: the
    agent's catalog, to tell the names it filled into fix commands from the commands themselves."""
    pods = tuple(
        WirePod(
            pod=row.pod,
            status=row.status,
            severity=row.severity,
            finding=finding_to_wire(row.finding, lookup) if row.finding else None,
            gaps=_texts(row.gaps),
            diagnosed=row.diagnosed,
        )
        for row in diagnosis.pods
    )
    findings = tuple(finding_to_wire(finding, lookup) for finding in diagnosis.findings)
    suspects = (
        None
        if diagnosis.suspects is None
        else tuple(suspect_to_wire(s, lookup) for s in diagnosis.suspects)
    )
    return WireDiagnosis(
        subject=_clip(diagnosis.subject),
        findings=findings,
        gaps=_texts(diagnosis.gaps),
        notes=_texts(diagnosis.notes),
        preface=_clip(diagnosis.preface),
        pods=pods,
        counts=diagnosis.counts,
        suspects=suspects,
    )


def unknown_entry_note(entry_id: str) -> str:
    return f"the agent named catalog entry {entry_id!r}, which this hub's catalog does not have"


def refused_suspect_note(what: str) -> str:
    return f"the agent named a suspect that is no Kubernetes object name, left out: {what[:200]!r}"


class _Rebuild:
    """Findings back from ids with the hub's catalog, noting each id it does not know."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup
        self.unknown: dict[str, None] = {}
        self.refused: dict[str, None] = {}
        self.built: dict[WireFinding, Finding | None] = {}
        """One finding per wire finding: a namespace's pod rows share their findings' objects
        with the diagnosis (`Diagnosis.answer_pod` compares by identity)."""

    def finding(self, wire: WireFinding) -> Finding | None:
        if wire not in self.built:
            self.built[wire] = self._build(wire)
        return self.built[wire]

    def _build(self, wire: WireFinding) -> Finding | None:
        catalog = self.lookup(wire.id)
        if catalog is None:
            self.unknown[wire.id] = None
            return None
        steps = tuple(range(len(catalog.fix))) if wire.steps is None else wire.steps
        links = tuple(range(len(catalog.links))) if wire.links is None else wire.links
        entry = as_shown(catalog, Shown(steps, links, Names.checked(dict(wire.names))))
        matched = tuple(
            MatchedLine(line=m.line, symptom=m.symptom, score=m.score, kind=m.kind)
            for m in wire.matched
        )
        match = Match(
            entry=entry,
            score=wire.score,
            matched=matched,
            context_missing=wire.context_missing,
            why=tuple(Step(rule=s.rule, effect=s.effect) for s in wire.why),
        )
        return Finding(
            match=match, evidence=wire.evidence, text_score=wire.text_score, because=wire.because
        )

    def suspect(self, wire: WireSuspect) -> Suspect | None:
        """The suspect with the hub's entry and the fix the hub's catalog writes; None for an id
        it does not know or an object or resource that is no Kubernetes name (noted)."""
        if not (OBJECT.match(wire.object) and RESOURCE.match(wire.resource)):
            self.refused.setdefault(f"{wire.object} ({wire.resource})", None)
            return None
        finding, entry = self.finding(wire.finding), self.lookup(wire.finding.id)
        if finding is None or entry is None:
            return None
        names = tuple(sorted(Names.checked(dict(wire.fix_names)).values.items()))
        source = FixSource(wire.fix_finding, wire.fix_step, names)
        return Suspect(
            object=wire.object,
            resource=wire.resource,
            finding=finding,
            chain=wire.chain,
            why=wire.why,
            indirect=wire.indirect,
            fix=write_fix(entry, source, wire.resource),
            lower=wire.lower,
            source=source,
            unseen=wire.unseen,
            since=wire.since,
            because=(wire.because[0], wire.because[1]) if len(wire.because) == 2 else (),
        )

    def pod(self, wire: WirePod) -> PodRow:
        finding = self.finding(wire.finding) if wire.finding is not None else None
        return PodRow(
            pod=wire.pod,
            status=wire.status,
            severity=wire.severity,
            finding=finding,
            gaps=wire.gaps,
            diagnosed=wire.diagnosed,
        )


def from_wire(wire: WireDiagnosis, *, lookup: Lookup, cluster: str | None) -> Diagnosis:
    """The `Diagnosis` the agent sent, named after `cluster` (the name its token was issued for)."""
    rebuild = _Rebuild(lookup)
    findings = tuple(found for found in map(rebuild.finding, wire.findings) if found is not None)
    pods = tuple(map(rebuild.pod, wire.pods))
    suspects = (
        None
        if wire.suspects is None
        else tuple(s for s in map(rebuild.suspect, wire.suspects) if s is not None)
    )
    notes = (
        *wire.notes,
        *(unknown_entry_note(entry_id) for entry_id in rebuild.unknown),
        *(refused_suspect_note(what) for what in rebuild.refused),
    )
    return Diagnosis(
        subject=wire.subject,
        findings=findings,
        gaps=wire.gaps,
        cluster=cluster,
        notes=notes,
        preface=wire.preface,
        pods=pods,
        counts=wire.counts,
        suspects=suspects,
    )
