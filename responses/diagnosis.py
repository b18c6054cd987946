"""The transport-neutral diagnosis every renderer (terminal, JSON, Slack) draws.

It holds catalog matches plus the cluster facts that confirmed them, and
what could not be read; it knows nothing about Slack or Kubernetes clients.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from intents.findings import Finding, folded, independent_problems
from intents.policy import POLICY
from responses.suspects import Suspect

__all__ = ["Diagnosis", "Finding", "PodRow", "Suspect", "folded"]


@dataclass(frozen=True)
class PodRow:
    """One pod in a namespace or node diagnosis, with its top cause if it has one."""

    pod: str
    status: str
    severity: int
    finding: Finding | None = None
    gaps: tuple[str, ...] = ()
    diagnosed: bool = True
    history: str = ""
    """Why its failures are over ("" when they are not): listed after the pods failing now."""


def _without_lead(title: str, said: str) -> str:
    """A cause's title without the symptom it starts with ("Node NotReady: container runtime
    network not ready" after "Node NotReady because:"), so the chain never says it twice."""
    if title.lower() == said.lower():
        return ""
    if title.lower().startswith(said.lower()):
        rest = title[len(said) :].lstrip(" :-—,")
        return rest if rest and title[len(said)] in " :-—," else title
    return title


@dataclass(frozen=True)
class Diagnosis:
    """The answer for one subject (a paste, a pod, a namespace, a node)."""

    subject: str
    findings: tuple[Finding, ...] = ()
    gaps: tuple[str, ...] = ()
    cluster: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)
    preface: str = ""
    """What the reader needs before the answer: how the ask was understood ("your question names
    pod ..."), how old shared evidence is. First on every screen."""
    pods: tuple[PodRow, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    """For a namespace or node: how many pods are in each status."""
    suspects: tuple[Suspect, ...] | None = None
    """For a namespace or Service: the objects that could cause the symptom, most likely first
    (bot/diagnosis/suspects); () when nothing explains it, None when no walk was made."""
    problems: tuple[str, ...] | None = None
    """The findings the decision's "problems" rule named as problems of their own, the answer
    first; None for a diagnosis no decision counted (a namespace's pods, each decided apart)."""
    offered: tuple[str, ...] | None = None
    """The findings the decision's "offered" rule offers when there is no answer ("Is it one
    of these?"); None for a diagnosis no decision offered from."""

    def explained_by(self, cause: Finding) -> list[Finding]:
        """The symptom findings this cause explains (their `because` names it)."""
        return [finding for finding in self.findings if cause.match.id in finding.because]

    def chain(self, cause: Finding) -> str | None:
        """The chain the answer names ("Node NotReady because: <the cause's title>"), if any."""
        symptoms = [
            finding.match.entry.symptom or finding.match.entry.title
            for finding in self.explained_by(cause)
        ]
        if not symptoms:
            return None
        said = ", ".join(symptoms)
        cause_title = _without_lead(cause.match.entry.title, said)
        return f"{said} because: {cause_title}" if cause_title else None

    def at_most(self, count: int) -> Diagnosis:
        """This diagnosis with at most `count` findings (`match --top N`): symptoms folded under
        a cause listed before them go first, the last first, then the lowest ranked."""
        findings = list(self.findings)
        while len(findings) > count:
            under = [
                number
                for number, finding in enumerate(findings)
                if folded(finding, findings[:number])
            ]
            findings.pop(under[-1] if under else -1)
        return replace(self, findings=tuple(findings))

    @property
    def others(self) -> list[Finding]:
        """The findings listed as other possible matches: neither an answer nor a symptom an
        answer's chain already names."""
        problems = self.answers
        return [
            finding
            for finding in self.findings
            if finding not in problems and not folded(finding, problems)
        ]

    @property
    def answer_pod(self) -> str | None:
        """For a namespace or node: the listed pod whose cause `answer` is (None: the node's own)."""
        answer = self.answer
        return next(
            (row.pod for row in self.pods if answer is not None and row.finding is answer), None
        )

    @property
    def answer(self) -> Finding | None:
        """The finding the bot states: the best one, if high or medium confidence."""
        if self.findings and self.findings[0].match.confidence in ("high", "medium"):
            return self.findings[0]
        return None

    @property
    def answers(self) -> tuple[Finding, ...]:
        """The independent problems the subject shows, the answer first (intents.findings)."""
        if self.answer is None:
            return ()
        answer = self.findings[0]
        if self.problems is None:
            return independent_problems(self.findings, POLICY.problems)
        by_id = {finding.match.id: finding for finding in self.findings}
        return (answer, *(by_id[i] for i in self.problems if i in by_id and i != answer.match.id))
