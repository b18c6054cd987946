"""The decision's trace said in one line: why this answer, why each rival lost, and which rivals
are close enough to the answer to be shown beside it."""

from __future__ import annotations

from intents.decision.quote import quoted
from intents.decision.rules import (
    AMBIGUOUS_LINE,
    CATALOG_OUTRANKS,
    CATCH_ALL_YIELDS,
    CAUSES_FIRST,
    CLAUSE_PLACES,
    CLOSE_CALL,
    EVIDENCE,
    NAMED_OUTRIGHT,
    NEEDS_A_RARE_WORD,
    RARE_WORD_FLOOR,
    REQUIRES_CONTEXT,
    SCHEDULER_CLAUSES,
    TEAM_EXAMPLE,
    Rule,
)
from intents.findings import Finding
from intents.policy import POLICY
from intents.results import EvidenceKind, MatchedLine, Step

SILENCING = (
    NEEDS_A_RARE_WORD,
    AMBIGUOUS_LINE,
    CLOSE_CALL,
    REQUIRES_CONTEXT,
    CATCH_ALL_YIELDS,
    SCHEDULER_CLAUSES,
    EVIDENCE,
)
"""Rules whose effect on a rival explains, on its own, why it is not the answer."""
NOTABLE = (
    TEAM_EXAMPLE,
    RARE_WORD_FLOOR,
    NAMED_OUTRIGHT,
    CATALOG_OUTRANKS,
    CLAUSE_PLACES,
    CAUSES_FIRST,
)
"""Rules worth naming in the answer's own line when they moved it."""
MAX_QUOTE = 60

_BY_KIND = {
    EvidenceKind.GRAMMAR: "the {source} message format names it",
    EvidenceKind.WRAPPER: "the {source} message format points at it",
    EvidenceKind.REGEX: "its pattern matches the line",
    EvidenceKind.FUZZY: "the line resembles its symptom",
    EvidenceKind.FIELD: "a pasted object shows it, {source}",
}


def _best_line(finding: Finding) -> MatchedLine | None:
    return max(finding.match.matched, key=lambda line: line.score, default=None)


def _last(steps: tuple[Step, ...], rules: tuple[Rule, ...]) -> Step | None:
    names = {rule.name for rule in rules}
    return next((step for step in reversed(steps) if step.rule in names), None)


def why_line(finding: Finding, *, quote: bool = True) -> str:
    """What made this finding the answer, in one line (no trailing period); `quote=False` leaves
    out the matched line (a question that shows it once above its candidates)."""
    parts = []
    evidence = _last(finding.match.why, (EVIDENCE,))
    if evidence is not None and finding.confirmed:
        parts.append(evidence.effect)
    best = _best_line(finding)
    if best is not None:
        source = best.symptom.removesuffix("message format").strip()  # a format named only by kind
        said = " ".join(_BY_KIND.get(best.kind, "").format(source=source).split())
        if said:
            line = f": “{quoted(best, finding.match.entry, MAX_QUOTE)}”" if quote else ""
            parts.append(f"{said} ({best.score:.2f}){line}")
    notable = {rule.name for rule in NOTABLE}
    parts.extend(step.effect for step in finding.match.why if step.rule in notable)
    return "; ".join(parts) or "matched"


def lost_to(rival: Finding, answer: Finding) -> str:
    """Why `rival` is not the answer, next to `answer` (no trailing period)."""
    if answer.match.id in rival.because:
        return f"a symptom that {answer.match.id} explains"
    if rival.match.id in answer.match.entry.outranks:
        return f"the catalog ranks {answer.match.id} first"
    step = _last(rival.match.why, SILENCING)
    if step is not None and (step.rule != EVIDENCE.name or not rival.confirmed):
        return step.effect
    if answer.confirmed and not rival.confirmed:
        return "no fact confirms it"
    if rival.match.context_missing:
        return "the context it requires is absent"
    return f"weaker match ({rival.match.score:.2f} against {answer.match.score:.2f})"


def is_close(rival: Finding, answer: Finding) -> bool:
    """A rival worth showing beside the answer: said with medium or high confidence itself, or
    within the lead a guess must hold over every rival to be said (POLICY.clear_lead). A symptom
    the answer explains is part of its chain, not a rival."""
    if answer.match.id in rival.because:
        return False
    return (
        rival.match.confidence != "low"
        or answer.match.score - rival.match.score <= POLICY.clear_lead
    )


def close_reason(rival: Finding, answer: Finding) -> str:
    """Why a close rival is shown and why it is not the answer, in one line (no trailing period)."""
    lost = lost_to(rival, answer)
    scores = f"{rival.match.score:.2f} against {answer.match.score:.2f}"
    near = answer.match.score - rival.match.score <= POLICY.clear_lead
    close = (
        f"close to the answer ({scores})"
        if near
        else f"a {rival.match.confidence}-confidence reading too ({scores})"
    )
    return close if lost.startswith("weaker match") else f"{close}, but {lost}"
