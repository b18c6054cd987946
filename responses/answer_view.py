"""The answer a person reads, folded: the first screen, and what waits behind "Details".

One transport-neutral model that every renderer draws (the terminal, Block Kit, and any
other chat's cards): plain strings, numbers and tuples, no Slack or terminal types. The
short part is what a reader needs to act: the cause, the facts that confirm it in a line
or two, the one fix step that fits this case with its command, and why this answer.
`Details` holds the rest: the root cause in full, the other fix steps, links, matched
lines, close rival readings with why each lost, what could not be read, and notes.
`to_dict`/`details_from_dict` carry it through JSON (`--json`, and the stored diagnosis a
Details click renders from).
"""

from __future__ import annotations

import textwrap
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

State = Literal["answer", "unsure", "healthy", "overview"]


SHORT_FIX_LINES = 12
"""A fix this long or shorter (its words at TEXT_WIDTH, its command and config) is shown whole on
the first screen, in every chat and the terminal alike: the fix is what the reader came for."""
TEXT_WIDTH = 88
SHORT_CODE_LINES = 6
"""In a fix longer than SHORT_FIX_LINES, a command or config longer than this is left to the
details on the first screen."""


@dataclass(frozen=True)
class Step:
    """A fix step as the catalog numbers it, with its command and config filled in the reader's names."""

    number: int
    text: str
    command: str | None = None
    config: str | None = None

    @property
    def lines(self) -> int:
        """How many lines the whole step takes: its words wrapped at TEXT_WIDTH, then its code."""
        words = len(textwrap.wrap(f"Fix: {self.text}", TEXT_WIDTH)) or 1
        code = (self.command, self.config)
        return words + sum(len(block.rstrip().splitlines()) for block in code if block)

    @property
    def fits_short(self) -> bool:
        """The whole step fits the first screen (SHORT_FIX_LINES)."""
        return self.lines <= SHORT_FIX_LINES

    def blocks(self, *, whole: bool = True) -> list[tuple[str, str | None]]:
        """(kind, text) of its command and config; on a first screen (not `whole`) of a step too
        long to show whole, a long one has no text, only its kind and, in the kind, its line count
        ("a 14-line config example")."""
        found: list[tuple[str, str | None]] = []
        short = whole or self.fits_short
        for kind, block in (("command", self.command), ("config example", self.config)):
            if not block:
                continue
            count = len(block.rstrip().splitlines())
            found.append(
                (f"a {count}-line {kind}", None)
                if not short and count > SHORT_CODE_LINES
                else (kind, block)
            )
        return found

    @property
    def long_code(self) -> bool:
        """A command or config is too long for a first screen (it is shown whole in the details)."""
        return any(text is None for _, text in self.blocks(whole=False))


@dataclass(frozen=True)
class LinkView:
    title: str
    url: str


@dataclass(frozen=True)
class LineView:
    """A pasted (or read) line the answer matched, with its score."""

    line: str
    score: float


@dataclass(frozen=True)
class Rival:
    """Another reading; `reason` says why it is shown and why it is not the answer."""

    id: str
    title: str
    confidence: str
    score: float
    reason: str = ""


@dataclass(frozen=True)
class Problem:
    """One problem on the first screen."""

    id: str
    title: str
    confidence: str
    score: float
    why: str
    chain: str | None = None
    facts: tuple[str, ...] = ()
    """At most two confirming facts (the rest are in the details)."""
    fix: Step | None = None
    fix_looks: bool = False
    """The step only looks (reads a log, describes): the answer calls it the next step, not the fix."""
    observed: tuple[str, ...] = ()
    """Figures the fix step names that the facts gave ("limit 1Gi", "peak 1.2Gi when it was killed")."""
    origin: str | None = None
    """Where the entry comes from when not the core catalog (`from pack istio`, `from team pack
    frob`): every answer from a pack says so, a team's own above all."""


@dataclass(frozen=True)
class ProblemDetails:
    """One problem's folded parts."""

    id: str
    title: str
    root_cause: str
    facts: tuple[str, ...] = ()
    fix: Step | None = None
    """The first screen's step again, whole (a short form may leave out a long config)."""
    steps: tuple[Step, ...] = ()
    """The fix steps other than the one on the first screen."""
    links: tuple[LinkView, ...] = ()
    matched: tuple[LineView, ...] = ()
    score: float = 0.0
    text_score: float | None = None


@dataclass(frozen=True)
class PodLine:
    """One pod of a namespace or node overview."""

    pod: str
    status: str
    cause: str | None = None
    confidence: str | None = None
    diagnosed: bool = True


@dataclass(frozen=True)
class Overview:
    """A namespace or node: its unhealthy pods worst first, and which one the problem below is about."""

    pods: tuple[PodLine, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    in_full: str | None = None
    more: int = 0
    """Pods listed in the details only."""


@dataclass(frozen=True)
class SuspectLine:
    """One suspect of a namespace or Service: the first in full, the others with why they rank
    lower."""

    object: str
    resource: str
    id: str
    title: str
    confidence: str
    score: float
    fix: str = ""
    chain: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()
    indirect: bool = False
    lower: str = ""
    """Why it ranks below the first (empty for the first)."""
    why: tuple[str, ...] = ()
    """The ranking's reasons (in the details only)."""


def suspect_heading(suspect: SuspectLine) -> str:
    """ "Most likely: service/checkout: Service has no endpoints" (the walk's first suspect)."""
    indirect = (
        " (indirect evidence: the cluster shows its effects, not the cause)"
        if suspect.indirect
        else ""
    )
    sure = "" if suspect.confidence in ("high", "medium") else f" ({suspect.confidence} confidence)"
    return f"Most likely{sure}: {suspect.object}: {suspect.title}{indirect}"


@dataclass(frozen=True)
class Details:
    """Everything behind the fold."""

    problems: tuple[ProblemDetails, ...] = ()
    others: tuple[Rival, ...] = ()
    """Other readings close to the answer (a distant one is not shown at all)."""
    unread: tuple[str, ...] = ()
    """What a cluster read could not read (a pasted text has none)."""
    notes: tuple[str, ...] = ()
    pods: tuple[PodLine, ...] = ()
    """An overview's pods beyond those on the first screen."""
    suspects: tuple[SuspectLine, ...] = ()
    """Every suspect with all its evidence, its chain and why it ranks where it does."""

    def __bool__(self) -> bool:
        return any((self.problems, self.others, self.unread, self.notes, self.pods, self.suspects))

    def parts(self) -> list[str]:
        """What the fold holds, counted ("3 more fix steps", "2 sources not read"), for the line offering it."""
        steps = sum(len(problem.steps) for problem in self.problems)
        links = sum(len(problem.links) for problem in self.problems)
        matched = sum(len(problem.matched) for problem in self.problems)
        return [
            one if count == 1 else f"{count} {many}"
            for count, one, many in (
                (len(self.problems), "root cause", "root causes"),
                (steps, "1 more fix step", "more fix steps"),
                (links, "1 link", "links"),
                (matched, "1 matched line", "matched lines"),
                (len(self.others), "1 close match", "close matches"),
                (len(self.unread), "1 source not read", "sources not read"),
                (len(self.notes), "1 note", "notes"),
                (len(self.pods), "1 more pod", "more pods"),
                (
                    len(self.suspects),
                    "evidence and chain of 1 suspect",
                    "suspects' evidence and chains",
                ),
            )
            if count
        ]


@dataclass(frozen=True)
class AnswerView:
    """The whole answer: `short` parts for the first screen, `details` behind the fold."""

    state: State
    subject: str
    headline: str
    cluster: str | None = None
    problems: tuple[Problem, ...] = ()
    closest: tuple[Rival, ...] = ()
    """With no answer: the nearest readings, all low confidence."""
    notes: tuple[str, ...] = ()
    """With no answer: what the diagnosis has to say instead (no problem found, a close call...)."""
    unread: tuple[str, ...] = ()
    """With no answer from a cluster read: what could not be read (it may be why nothing was found)."""
    overview: Overview | None = None
    preface: str = ""
    """How the ask was understood, when the bot had to read it (a named object)."""
    details: Details = field(default_factory=Details)
    suspects: tuple[SuspectLine, ...] = ()
    """For a namespace or Service: the objects that could cause the symptom, the first leading
    the answer with its one fix, each other one saying why it ranks lower."""

    def short(self) -> dict[str, Any]:
        """The first screen as plain data."""
        data = asdict(self)
        data.pop("details")
        return data

    def to_dict(self) -> dict[str, Any]:
        """{"short": ..., "details": ...}, JSON-ready."""
        return {"short": self.short(), "details": asdict(self.details)}


def _step(data: dict[str, Any]) -> Step:
    return Step(int(data["number"]), str(data["text"]), data.get("command"), data.get("config"))


def _rival(data: dict[str, Any]) -> Rival:
    return Rival(
        str(data["id"]),
        str(data["title"]),
        str(data["confidence"]),
        float(data["score"]),
        str(data.get("reason", "")),
    )


def _problem_details(data: dict[str, Any]) -> ProblemDetails:
    fix = data.get("fix")
    return ProblemDetails(
        id=str(data["id"]),
        title=str(data["title"]),
        root_cause=str(data["root_cause"]),
        facts=tuple(map(str, data.get("facts", ()))),
        fix=_step(fix) if fix else None,
        steps=tuple(_step(step) for step in data.get("steps", ())),
        links=tuple(
            LinkView(str(link["title"]), str(link["url"])) for link in data.get("links", ())
        ),
        matched=tuple(
            LineView(str(line["line"]), float(line["score"])) for line in data.get("matched", ())
        ),
        score=float(data.get("score", 0.0)),
        text_score=data.get("text_score"),
    )


def suspect_from_dict(data: dict[str, Any]) -> SuspectLine:
    """One suspect as `asdict` wrote it (a stored diagnosis' details)."""
    return SuspectLine(
        object=str(data["object"]),
        resource=str(data["resource"]),
        id=str(data["id"]),
        title=str(data["title"]),
        confidence=str(data["confidence"]),
        score=float(data["score"]),
        fix=str(data.get("fix", "")),
        chain=tuple(map(str, data.get("chain", ()))),
        facts=tuple(map(str, data.get("facts", ()))),
        indirect=bool(data.get("indirect", False)),
        lower=str(data.get("lower", "")),
        why=tuple(map(str, data.get("why", ()))),
    )


def details_from_dict(data: dict[str, Any]) -> Details:
    """The details as `AnswerView.to_dict()["details"]` wrote them (a stored diagnosis)."""
    return Details(
        problems=tuple(_problem_details(problem) for problem in data.get("problems", ())),
        others=tuple(_rival(rival) for rival in data.get("others", ())),
        unread=tuple(map(str, data.get("unread", ()))),
        notes=tuple(map(str, data.get("notes", ()))),
        pods=tuple(
            PodLine(
                str(p["pod"]),
                str(p["status"]),
                p.get("cause"),
                p.get("confidence"),
                bool(p.get("diagnosed", True)),
            )
            for p in data.get("pods", ())
        ),
        suspects=tuple(suspect_from_dict(item) for item in data.get("suspects", ())),
    )


@dataclass(frozen=True)
class Headline:
    """The one cause a message about an alert, a page, a watcher finding or a ticket leads with:
    the problem (and the suspect) the chat's answer leads with, its first fix step chosen once,
    so the chat card, the incident tool's note and the Jira ticket all say the same."""

    problem: Problem
    details: ProblemDetails
    confirmed: bool
    """Confirmed by the cluster's facts (False: what the alert usually means, or the effects only)."""
    suspect: SuspectLine | None = None
    """The walk's first suspect (a pod's culprit, a Service, a workload), when it leads."""

    @property
    def id(self) -> str:
        return self.problem.id

    @property
    def first_step(self) -> Step | None:
        """The one fix step every door shows first: the suspect's fix in the cluster's names, else
        the step that fits this case (intents.advice.primary_step)."""
        if self.suspect is not None and self.suspect.fix:
            return Step(1, self.suspect.fix)
        return self.problem.fix

    @property
    def steps(self) -> tuple[Step, ...]:
        """The fix steps in the order every door lists them: the first step, then the catalog's
        others (a suspect has its one fix)."""
        first = self.first_step
        lead = (first,) if first is not None else ()
        return lead if self.suspect is not None else (*lead, *self.details.steps)
