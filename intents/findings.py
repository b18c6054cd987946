"""Findings: a catalog match with the facts that confirm it, the decision's unit of work.

Plain result types at the bottom of the house, so the decision (intents.decision), the
renderers (responses) and the bot all share them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from intents.policy import POLICY
from intents.results import Match


@dataclass(frozen=True)
class Confirmation:
    """The evidence for one entry from facts (a cluster read or a pasted object).

    `direct`: some rule held on the subject itself.  `strength`: predicates in
    the most specific rule that held (a reason plus a message beats a reason).
    `subjects`: the pasted objects a rule held on directly (empty for one cluster object).
    """

    evidence: tuple[str, ...] = ()
    direct: bool = False
    strength: int = 0
    subjects: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.evidence)


@dataclass(frozen=True)
class ClusterNow:
    """What a connected cluster shows now of the object a paste is about
    (bot/diagnosis/paste_check.py): the present judges the pasted past."""

    read: str
    """What was read, as the answer says it ("pod shop/web in cluster lab: CrashLoopBackOff")."""
    refuted: frozenset[str] = frozenset()
    """Entries its facts contradict: the object fails now, and none of their rules holds."""
    over: str = ""
    """Why the pasted failure is over ("recovered since ..."); empty: not known to be over."""
    soon: str = ""
    """Why it is not said high though not known to be over: the object is past it now, not yet
    long enough to call it over."""


@dataclass(frozen=True)
class Finding:
    """One likely cause: a catalog match and the facts that confirm it."""

    match: Match
    evidence: tuple[str, ...] = ()
    text_score: float | None = None
    """The text matcher's own score before evidence adjusted it (None: text did not match)."""
    because: tuple[str, ...] = ()
    """Ids of the findings that explain this one (its entry is a symptom of theirs), causes first."""

    @property
    def lines(self) -> frozenset[str]:
        """The paste lines this finding was matched on (strongly)."""
        return frozenset(
            line.line for line in self.match.matched if line.score >= POLICY.corroboration_min
        )

    @property
    def named_outright(self) -> bool:
        """Did a component's own message format name this entry (intents.messages)?"""
        return any(line.kind.by_grammar for line in self.match.matched)

    @property
    def confirmed(self) -> bool:
        """True when cluster facts confirm this cause."""
        return bool(self.evidence)


def folded(finding: Finding, before: Iterable[Finding]) -> bool:
    """A symptom whose `because` names a finding listed before it: that cause's chain names it
    ("CrashLoopBackOff because: ..."), so it is no problem of its own."""
    return any(cause.match.id in finding.because for cause in before)


def _explained(finding: Finding, chosen: Sequence[Finding]) -> bool:
    """An earlier answer explains the finding, or the finding explains one."""
    return bool({c.match.id for c in chosen} & set(finding.because)) or any(
        finding.match.id in c.because for c in chosen
    )


def independent_problems(findings: Sequence[Finding], limit: int) -> tuple[Finding, ...]:
    """The answer and the further findings that are problems of their own: high or medium,
    matched on lines the earlier ones were not (liveness and readiness failing, two pods with two
    causes) or named outright by a component's message, and explained by no earlier answer."""
    chosen = [findings[0]]
    for finding in findings[1:]:
        if len(chosen) >= limit:
            break
        if finding.match.confidence not in ("high", "medium"):
            continue
        if _explained(finding, chosen):
            continue
        seen = frozenset().union(*(c.lines for c in chosen))
        if finding.named_outright or (finding.lines and not finding.lines & seen):
            chosen.append(finding)
    return tuple(chosen)
