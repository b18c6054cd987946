"""The candidates "Is it one of these?" offers, from a diagnosis with no answer.

They are the diagnosis' own findings in the decision's order (intents.decision), the first
`POLICY.choices`, offered when one of them reaches `POLICY.ask_min_score` or was suggested by
the learned second opinion. On a silent paste that order is the rules' first candidate, then the
others and the learned suggestions by the learned model's probability (it chooses among
candidates better than it tells whether there is a failure), so a weaker candidate the model
finds likely is offered. Each shows the title, the line that matched and the decision's
one-line why (the line is shown once above them all, and again only under a candidate whose line
differs). The question stores them as they were offered, so a click later
needs no new diagnosis to know what was on the button.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from intents.decision.explain import why_line
from intents.decision.judgements import offer
from intents.decision.rules import LEARNED
from intents.findings import Finding
from intents.policy import POLICY
from responses.diagnosis import Diagnosis

MAX_LINE = 200


@dataclass(frozen=True)
class Candidate:
    """One offered entry, as the question shows and stores it."""

    id: str
    title: str
    line: str
    """The pasted line that matched it best (or the fact that confirmed it): redacted text."""
    why: str
    score: float

    def stored(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def of_stored(cls, row: dict[str, Any]) -> Candidate:
        return cls(
            id=str(row["id"]),
            title=str(row["title"]),
            line=str(row.get("line", "")),
            why=str(row.get("why", "")),
            score=float(row.get("score", 0.0)),
        )


def matched_line(finding: Finding) -> str:
    """The line that matched the finding best, else the fact that confirmed it."""
    best = max(finding.match.matched, key=lambda line: line.score, default=None)
    text = (
        best.line.strip() if best is not None else (finding.evidence[0] if finding.evidence else "")
    )
    return " ".join(text.split())[:MAX_LINE]  # a diagnosis quotes redacted text only


def candidate(finding: Finding) -> Candidate:
    return Candidate(
        id=finding.match.id,
        title=finding.match.entry.title,
        line=matched_line(finding),
        why=why_line(finding, quote=False),
        score=finding.match.score,
    )


def _offered_before(diagnosis: Diagnosis, ids: Sequence[str]) -> tuple[Candidate, ...]:
    """The candidates the decision already offered, by id, in its order."""
    by_id = {f.match.id: f for f in diagnosis.findings}
    return tuple(candidate(by_id[i]) for i in ids if i in by_id)


def offered(diagnosis: Diagnosis, *, min_score: float | None = None) -> tuple[Candidate, ...]:
    """What the decision's "offered" rule offers for a diagnosis without an answer (none for one
    that has an answer); `min_score`: the same rule with another floor than
    `POLICY.ask_min_score` (the replay bench tries some)."""
    if diagnosis.answer is not None:
        return ()
    if min_score is None and diagnosis.offered is not None:
        return _offered_before(diagnosis, diagnosis.offered)
    learned = frozenset(f.match.id for f in diagnosis.findings if suggested(f))
    floor = POLICY.ask_min_score if min_score is None else min_score
    return tuple(candidate(f) for f in offer(diagnosis.findings, floor, learned))


def suggested(finding: Finding) -> bool:
    """The learned decision listed it though no other rule found it: a person may pick it, the
    bot never answers it alone."""
    return bool(finding.match.why) and finding.match.why[0].rule == LEARNED.name


def stored_candidates(rows: Sequence[dict[str, Any]]) -> tuple[Candidate, ...]:
    return tuple(Candidate.of_stored(row) for row in rows if isinstance(row, dict) and "id" in row)
