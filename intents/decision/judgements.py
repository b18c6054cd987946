"""What the decision's rules judge with: tie-breaks, standings, close calls and the slots an
answer has (which findings are problems of their own is intents.findings'). Pure functions over
findings; the rules that use them, and their order, are in intents.decision.rules."""

from __future__ import annotations

from collections.abc import Sequence

from intents.findings import Confirmation, Finding, folded
from intents.policy import POLICY
from intents.schema import CatalogEntry

TIE_BREAKS = (
    "strength",
    "explaining other problems found beside it",
    "more separate lines",
    "its place in the message's reading",
    "the nodes its scheduler clause blocks",
    "more of its symptoms",
    "catalog id",
)


def tie_break(ahead: tuple[object, ...], behind: tuple[object, ...]) -> str:
    """Which part of the sort key put `ahead` first (the first that differs)."""
    return next(name for name, a, b in zip(TIE_BREAKS, ahead, behind) if a != b)


def weighed(
    text_score: float | None, confirmed: bool, refuted: bool, confirmation: Confirmation
) -> tuple[float, str]:
    """The score facts give a text match (and what the trace says of it): confirmed, at least
    medium, with a medium text match at least high; refuted, below medium."""
    where = "its own facts" if confirmation.direct else "its surroundings (node, owner)"
    if not confirmed:
        score = text_score or 0.0
        if refuted and score > POLICY.quiet_score:
            return POLICY.quiet_score, "the facts read refute it: none of its evidence rules held"
        return score, ""
    if text_score is not None and text_score >= POLICY.medium:
        return max(text_score, POLICY.high), f"confirmed by {where} and the text"
    return max(text_score or 0.0, POLICY.medium), f"confirmed by {where}"


STANDINGS = (
    "confirmed by its own facts",
    "a catch-all confirmed by its own facts",
    "confirmed by its surroundings",
    "a text match at medium or above",
    "a weaker text match",
)
"""What each `standing_group` means, for the trace."""


def standing_group(
    finding: Finding, confirmation: Confirmation, specific_on: frozenset[str]
) -> int:
    if confirmation:
        if not confirmation.direct:
            return 2
        if not finding.match.entry.fallback:
            return 0
        return 1 if not confirmation.subjects or confirmation.subjects & specific_on else 0
    return 3 if finding.match.score >= POLICY.medium else 4


def promotable(finding: Finding, top: Finding, residue: str) -> bool:
    match = finding.match
    if finding.confirmed or match.entry.fallback or top.match.id in finding.because:
        return False
    narrower = top.match.id in match.entry.outranks or top.match.id in match.entry.explains
    # the catalog says it is the more specific reading, and the paste's own words name it outside
    # the kubectl output read as facts (a pasted event row is read by the facts that confirmed the
    # broader entry: they say which reading holds)
    if (
        narrower
        and match.score >= POLICY.medium
        and any(line.kind.outright and line.line in residue for line in match.matched)
    ):
        return True
    if top.match.entry.fallback and match.score >= POLICY.high:
        return any(
            line.line in residue or (line.kind.outright and _confirming(line.line, top))
            for line in match.matched
        )
    return (
        match.named_outright
        and match.score >= POLICY.high
        and (top.text_score or 0.0) <= match.score - POLICY.promote_margin
    )


def _confirming(line: str, top: Finding) -> bool:
    """The line is the one whose fact confirmed `top` (an event row whose message it holds)."""
    message = line.strip()[-POLICY.confirming_tail :]
    return len(message) == POLICY.confirming_tail and any(message in fact for fact in top.evidence)


def declared_causes(entry: CatalogEntry) -> frozenset[str]:
    """The kinds of cause an app states that the entry's evidence rules take for its own
    (`app_cause`, intents.app_cause.CAUSE_KINDS)."""
    return frozenset(
        kind for rule in entry.evidence if (kind := getattr(rule, "app_cause", None)) is not None
    )


CLOSE_CALL_NOTE = "too close to choose between"


def rival_of(findings: list[Finding]) -> Finding | None:
    """The strongest other reading competing with the first: not a symptom it explains, not an
    entry it outranks, not an entry whose required context is absent."""
    first = findings[0]
    rivals = [
        f
        for f in findings[1:]
        if f.match.id != first.match.id
        and first.match.id not in f.because
        and f.match.id not in first.match.entry.outranks
        and not f.match.context_missing
    ]
    return max(rivals, key=lambda f: f.match.score, default=None)


def is_guess(finding: Finding) -> bool:
    """A medium match the pasted words alone support (no fact, no message format names it)."""
    return (
        POLICY.medium <= finding.match.score < POLICY.high
        and not finding.confirmed
        and not finding.named_outright
    )


def within_slots(findings: list[Finding], top: int) -> list[Finding]:
    """The first `top` problems; a symptom whose `because` names a cause kept before it comes
    along without taking a slot, so a symptom never pushes an independent problem out."""
    kept: list[Finding] = []
    slots = 0
    for finding in findings:
        if not folded(finding, kept):
            if slots >= top:
                continue
            slots += 1
        kept.append(finding)
    return kept


def has_evidence(finding: Finding) -> bool:
    """The paste speaks for it: a line of it matched the entry, or a fact of it confirms it (a
    learned suggestion alone has neither)."""
    return bool(finding.match.matched) or finding.confirmed


def offer(
    findings: Sequence[Finding], floor: float, learned: frozenset[str] = frozenset()
) -> tuple[Finding, ...]:
    """The first `POLICY.choices` findings of a paste without an answer, whenever any finding has
    evidence in the paste, or one of the first reaches `floor` or the learned decision offers
    it; none otherwise (no candidate at all). Those the paste speaks for come first: a guess of
    the text model alone never leads a candidate with evidence."""
    if not findings or findings[0].match.confidence != "low":
        return ()
    firsts = tuple(findings[: POLICY.choices])
    if not any(has_evidence(f) for f in findings) and not any(
        f.match.score >= floor or f.match.id in learned for f in firsts
    ):
        return ()
    return tuple(sorted(firsts, key=lambda f: not has_evidence(f)))
