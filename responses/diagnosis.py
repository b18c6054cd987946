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


@dataclass(frozen=True)
class Diagnosis:
    """The answer for one subject (a paste, a pod, a namespace, a node)."""

    subject: str
    findings: tuple[Finding, ...] = ()
    gaps: tuple[str, ...] = ()
    cluster: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def answer(self) -> Finding | None:
        """The finding the bot states: the best one, if high or medium confidence."""
        if self.findings and self.findings[0].match.confidence in ("high", "medium"):
            return self.findings[0]
        return None
