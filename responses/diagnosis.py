"""The transport-neutral diagnosis every renderer (terminal, JSON, Slack) draws.

It holds catalog matches plus the cluster facts that confirmed them, and
what could not be read; it knows nothing about Slack or Kubernetes clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from intents.results import Match


@dataclass(frozen=True)
class Finding:
    """One likely cause: a catalog match and the facts that confirm it."""

    match: Match
    evidence: tuple[str, ...] = ()
    text_score: float | None = None
    """The text matcher's own score before evidence adjusted it (None: text did not match)."""

    @property
    def confirmed(self) -> bool:
        """True when cluster facts confirm this cause."""
        return bool(self.evidence)


@dataclass(frozen=True)
class PodRow:
    """One pod in a namespace or node diagnosis, with its top cause if it has one."""

    pod: str
    status: str
    severity: int
    finding: Finding | None = None
    gaps: tuple[str, ...] = ()
    diagnosed: bool = True


@dataclass(frozen=True)
class Diagnosis:
    """The answer for one subject (a paste, a pod, a namespace, a node)."""

    subject: str
    findings: tuple[Finding, ...] = ()
    gaps: tuple[str, ...] = ()
    cluster: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    pods: tuple[PodRow, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    """For a namespace or node: how many pods are in each status."""

    @property
    def answer_pod(self) -> str | None:
        """For a namespace or node: the listed pod whose cause `answer` is (None: the node's own)."""
        answer = self.answer
        return next((row.pod for row in self.pods if answer is not None and row.finding is answer), None)

    @property
    def answer(self) -> Finding | None:
        """The finding the bot states: the best one, if high or medium confidence."""
        if self.findings and self.findings[0].match.confidence in ("high", "medium"):
            return self.findings[0]
        return None
