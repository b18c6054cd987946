"""The transport-neutral diagnosis every renderer (terminal, JSON, Slack) draws.

It holds catalog matches plus the cluster facts that confirmed them, and
what could not be read; it knows nothing about Slack or Kubernetes clients.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from intents.policy import POLICY
from intents.results import Match

MAX_PROBLEMS = 3


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
        return frozenset(line.line for line in self.match.matched if line.score >= POLICY.corroboration_min)

    @property
    def named_outright(self) -> bool:
        """Did a component's own message format name this entry (intents.messages)?"""
        return any(line.kind.by_grammar for line in self.match.matched)

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


def folded(finding: Finding, before: Iterable[Finding]) -> bool:
    """A symptom whose `because` names a finding listed before it: that cause's chain names it
    ("CrashLoopBackOff because: ..."), so it is no problem of its own."""
    return any(cause.match.id in finding.because for cause in before)


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

    def explained_by(self, cause: Finding) -> list[Finding]:
        """The symptom findings this cause explains (their `because` names it)."""
        return [finding for finding in self.findings if cause.match.id in finding.because]

    def chain(self, cause: Finding) -> str | None:
        """The chain the answer names ("Node NotReady because: <the cause's title>"), if any."""
        symptoms = [finding.match.entry.symptom or finding.match.entry.title
                    for finding in self.explained_by(cause)]
        if not symptoms:
            return None
        return f"{', '.join(symptoms)} because: {cause.match.entry.title}"

    def at_most(self, count: int) -> Diagnosis:
        """This diagnosis with at most `count` findings (`match --top N`): symptoms folded under
        a cause listed before them go first, the last first, then the lowest ranked."""
        findings = list(self.findings)
        while len(findings) > count:
            under = [number for number, finding in enumerate(findings)
                     if folded(finding, findings[:number])]
            findings.pop(under[-1] if under else -1)
        return replace(self, findings=tuple(findings))

    @property
    def others(self) -> list[Finding]:
        """The findings listed as other possible matches: neither an answer nor a symptom an
        answer's chain already names."""
        problems = self.answers
        return [finding for finding in self.findings
                if finding not in problems and not folded(finding, problems)]

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

    @property
    def answers(self) -> tuple[Finding, ...]:
        """The independent problems the subject shows, the answer first (up to MAX_PROBLEMS).

        A further high or medium finding is another problem when it was matched on lines the
        earlier ones were not (liveness and readiness failing, two pods with two causes), or a
        component's message names it outright (each clause of a scheduler message), and no
        earlier answer explains it (its `because`)."""
        first = self.answer
        if first is None:
            return ()
        chosen = [first]
        for finding in self.findings[1:]:
            if len(chosen) >= MAX_PROBLEMS:
                break
            if finding.match.confidence not in ("high", "medium"):
                continue
            if {c.match.id for c in chosen} & set(finding.because) or any(
                    finding.match.id in c.because for c in chosen):
                continue
            seen = frozenset().union(*(c.lines for c in chosen))
            if finding.named_outright or (finding.lines and not finding.lines & seen):
                chosen.append(finding)
        return tuple(chosen)
