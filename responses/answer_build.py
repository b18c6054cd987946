"""A Diagnosis folded into the AnswerView every renderer draws.

What goes on the first screen is decided here, once for every transport: the
cause, at most two confirming facts, the one fix step that fits this case
(intents.advice.primary_step) with any figures the facts gave for it, and the
why line. Only what fits the answer is kept: a rival shows only when it is
close to the answer (intents.decision.explain.is_close), and what a cluster
read could not read never appears under a pasted text.
"""

from __future__ import annotations

import re

from intents.advice import SeenContext, advice_for, is_check, primary_step
from intents.decision.explain import close_reason, is_close, why_line
from intents.schema import CatalogEntry, FixStep
from responses.answer_view import (
    AnswerView,
    Details,
    Headline,
    LineView,
    LinkView,
    Overview,
    PodLine,
    Problem,
    ProblemDetails,
    Rival,
    State,
    Step,
    SuspectLine,
)
from responses.diagnosis import Diagnosis, Finding, PodRow, Suspect
from responses.messages import NO_PROBLEM_PREFIX, in_full

SHORT_FACTS = 2
SHORT_PODS = 10
MAX_CLOSEST = 3
_PLACEHOLDER = re.compile(r"<[a-z][a-z0-9-]*>")
_PASTED = re.compile(r" \(pasted [^()]*(?:\([^()]*\)[^()]*)*\)$")


def _step(number: int, step: FixStep) -> Step:
    return Step(number + 1, step.text, step.command, step.config)


def _seen(finding: Finding) -> str:
    """What the answer saw of its case: the matched lines and the confirming facts."""
    return "\n".join([*(line.line for line in finding.match.matched), *finding.evidence])


def short_fact(fact: str, entry: CatalogEntry) -> str:
    """A confirming fact without the rule's own description before it and where it was pasted after
    it: "container checkout last terminated with reason OOMKilled (exit code 137)"."""
    for rule in entry.evidence:
        if rule.describe and fact.startswith(f"{rule.describe}: "):
            fact = fact[len(rule.describe) + 2 :]
            break
    fact = _PASTED.sub("", fact)
    # of the facts a rule joined, the one where the app says why is the one to read
    stated = [part for part in fact.split("; ") if _STATES.search(part)]
    return stated[0] if stated else fact


_STATES = re.compile(r"\b(?:log|message|output|event \w+) states ")
"""A fact that says the cause the app states (intents.app_cause): its kind, then its words."""
_QUOTES_LOG = re.compile(r"(?:\blog|\blogged): ")


def _quoting_first(facts: tuple[str, ...]) -> list[str]:
    """The cause the app states first (its kind and its words), then facts that quote the
    subject's own log line: the words that say why (a crashed run's last exception) are the
    evidence a reader wants on the first screen."""
    return sorted(
        facts, key=lambda fact: (_STATES.search(fact) is None, _QUOTES_LOG.search(fact) is None)
    )


def _problem(finding: Finding, diagnosis: Diagnosis) -> tuple[Problem, ProblemDetails]:
    match, entry = finding.match, finding.match.entry
    chosen = primary_step(entry.fix, _seen(finding))
    shown = tuple(
        dict.fromkeys(short_fact(fact, entry) for fact in _quoting_first(finding.evidence))
    )[:SHORT_FACTS]
    fix = entry.fix[chosen] if chosen is not None else None
    observed = tuple(
        line for line in (fix.observed if fix else ()) if not _PLACEHOLDER.search(line)
    )
    short = Problem(
        id=match.id,
        title=entry.title,
        confidence=match.confidence,
        score=match.score,
        why=why_line(finding),
        chain=diagnosis.chain(finding),
        facts=shown,
        fix=_step(chosen, fix) if fix is not None and chosen is not None else None,
        fix_looks=fix is not None and is_check(fix),
        observed=observed,
        origin=f"from {entry.origin}" if entry.origin else None,
    )
    details = ProblemDetails(
        id=match.id,
        title=entry.title,
        root_cause=entry.root_cause,
        facts=finding.evidence,
        fix=short.fix,
        steps=tuple(
            _step(number, step) for number, step in enumerate(entry.fix) if number != chosen
        ),
        links=tuple(LinkView(link.title, link.url) for link in entry.links),
        matched=tuple(LineView(line.line, line.score) for line in match.matched),
        score=match.score,
        text_score=finding.text_score,
    )
    return short, details


def _rival(finding: Finding, reason: str = "") -> Rival:
    match = finding.match
    return Rival(match.id, match.entry.title, match.confidence, match.score, reason)


def _pod(row: PodRow) -> PodLine:
    finding = row.finding
    return PodLine(
        row.pod,
        f"{row.status}, recovered" if row.history else row.status,
        finding.match.id if finding else None,
        finding.match.confidence if finding else None,
        row.diagnosed,
    )


def _unread(diagnosis: Diagnosis) -> tuple[str, ...]:
    """What could not be read: only a cluster read has it (a pasted text reads no cluster)."""
    return diagnosis.gaps if diagnosis.cluster is not None else ()


def _overview(diagnosis: Diagnosis) -> tuple[Overview, tuple[PodLine, ...]]:
    pods = tuple(_pod(row) for row in diagnosis.pods)
    lead = (
        in_full(diagnosis.answer_pod, diagnosis.subject) if diagnosis.answer is not None else None
    )
    return Overview(pods[:SHORT_PODS], diagnosis.counts, lead, len(pods[SHORT_PODS:])), pods[
        SHORT_PODS:
    ]


def _suspect(suspect: Suspect, *, whole: bool = False) -> SuspectLine:
    """A suspect for the first screen (two facts), or `whole` for the details (every fact, why)."""
    return SuspectLine(
        suspect.object,
        suspect.resource,
        suspect.id,
        suspect.title,
        suspect.confidence,
        suspect.score,
        suspect.fix,
        suspect.chain,
        suspect.evidence if whole else _first_facts(suspect),
        suspect.indirect,
        suspect.lower,
        suspect.why if whole else (),
    )


def _first_facts(suspect: Suspect) -> tuple[str, ...]:
    """A suspect's facts for the first screen: the cause its app states first."""
    entry = suspect.finding.match.entry
    facts = (short_fact(fact, entry) for fact in _quoting_first(suspect.evidence))
    return tuple(dict.fromkeys(facts))[:SHORT_FACTS]


def _headline(diagnosis: Diagnosis) -> tuple[State, str]:
    if diagnosis.pods or diagnosis.counts or diagnosis.suspects:  # suspects lead, as for a walk
        return "overview", f"Diagnosis of {diagnosis.subject}"
    if diagnosis.answer is not None:
        return "answer", diagnosis.answer.match.entry.title
    if not diagnosis.findings and any(
        note.lower().startswith(NO_PROBLEM_PREFIX) for note in diagnosis.notes
    ):
        return "healthy", f"No problem found for {diagnosis.subject}"
    return "unsure", f"No confident match for {diagnosis.subject}"


VIEWS_KEPT = 64
"""Views kept by their diagnosis (see `answer_view`)."""
_views: dict[int, tuple[Diagnosis, AnswerView]] = {}
"""The latest views by the id of the diagnosis they were built from, each kept with that diagnosis
(so its id names no other while it is here). Dict operations are atomic: threads drawing a large
diagnosis share it."""


def answer_view(diagnosis: Diagnosis) -> AnswerView:
    """The diagnosis as its first screen and its folded details.

    One answer is viewed several times (stored, given its buttons, drawn, its fallback text):
    a `Diagnosis` is frozen (tuples of frozen values), so the view of the same object is the
    same, and is built once and kept for the last `VIEWS_KEPT` diagnoses."""
    kept = _views.get(id(diagnosis))
    if kept is not None and kept[0] is diagnosis:
        return kept[1]
    view = _built_view(diagnosis)
    if len(_views) >= VIEWS_KEPT:
        _views.clear()
    _views[id(diagnosis)] = (diagnosis, view)
    return view


def _built_view(diagnosis: Diagnosis) -> AnswerView:
    state, headline = _headline(diagnosis)
    answer = diagnosis.answer
    # an overview states the cause of one pod in full (its other pods' causes are in its table)
    problems = diagnosis.answers[:1] if state == "overview" else diagnosis.answers
    built = [_problem(finding, diagnosis) for finding in problems]
    overview, more_pods = _overview(diagnosis) if state == "overview" else (None, ())
    others = tuple(
        _rival(f, close_reason(f, answer))
        for f in diagnosis.others
        if answer is not None and state != "overview" and is_close(f, answer)
    )
    # a reading that scores 0.00 is no match at all: it is not shown among the closest
    scored = [finding for finding in diagnosis.findings if round(finding.match.score, 2) > 0]
    closest = tuple(_rival(f) for f in scored[:MAX_CLOSEST]) if answer is None else ()
    shown_notes = diagnosis.notes if answer is None or state == "overview" else ()
    unread = _unread(diagnosis)
    details = Details(
        problems=tuple(details for _, details in built),
        others=others,
        unread=unread if answer is not None else (),
        notes=() if shown_notes else diagnosis.notes,
        pods=more_pods,
        suspects=tuple(_suspect(s, whole=True) for s in diagnosis.suspects or ()),
    )
    return AnswerView(
        state=state,
        subject=diagnosis.subject,
        headline=headline,
        cluster=diagnosis.cluster,
        problems=tuple(short for short, _ in built),
        closest=closest,
        notes=shown_notes,
        unread=() if answer is not None else unread,
        overview=overview,
        preface=diagnosis.preface,
        details=details,
        suspects=tuple(map(_suspect, diagnosis.suspects or ())),
    )


def headline(
    diagnosis: Diagnosis | None,
    *,
    lead: Suspect | None = None,
    confirmed: Finding | None = None,
    entry: CatalogEntry | None = None,
) -> Headline | None:
    """What a message about an alert, a page or a watcher finding leads with, built as the chat's
    answer builds it: the walk's first suspect `lead` (confirmed when high or medium and direct),
    else the `confirmed` finding, else the `entry` that claims the alert, unconfirmed (its generic
    advice: nothing seen names a product)."""
    if diagnosis is not None and lead is not None:
        problem, details = _problem(lead.finding, diagnosis)
        sure = not lead.indirect and lead.confidence in ("high", "medium")
        return Headline(problem, details, sure, _suspect(lead))
    if diagnosis is not None and confirmed is not None:
        return Headline(*_problem(confirmed, diagnosis), True)
    if entry is None:
        return None
    generic = advice_for(entry, SeenContext())
    chosen = primary_step(generic.fix, "")
    fix = generic.fix[chosen] if chosen is not None else None
    step = _step(chosen, fix) if fix is not None and chosen is not None else None
    problem = Problem(
        generic.id,
        generic.title,
        "unconfirmed",
        0.0,
        why="",
        fix=step,
        fix_looks=fix is not None and is_check(fix),
        origin=f"from {generic.origin}" if generic.origin else None,
    )
    details = ProblemDetails(
        generic.id,
        generic.title,
        generic.root_cause,
        fix=step,
        steps=tuple(_step(n, s) for n, s in enumerate(generic.fix) if n != chosen),
        links=tuple(LinkView(link.title, link.url) for link in generic.links),
    )
    return Headline(problem, details, False)


def stored_headline(
    details: Details, *, confidence: str, confirmed: bool, entry: CatalogEntry | None = None
) -> Headline | None:
    """The headline of an answer already given, from its stored details (`confidence`,
    `confirmed`: its answer's; `entry`: the leading suspect's catalog entry, for its root cause and links): the
    suspect it led with when high or medium, else its first problem."""
    suspect = details.suspects[0] if details.suspects else None
    if suspect is not None and suspect.confidence in ("high", "medium"):
        shown = Problem(suspect.id, suspect.title, suspect.confidence, suspect.score, why="")
        root = ProblemDetails(
            suspect.id,
            suspect.title,
            entry.root_cause if entry is not None else "",
            facts=suspect.facts,
            links=tuple(LinkView(link.title, link.url) for link in entry.links) if entry else (),
        )
        return Headline(shown, root, not suspect.indirect, suspect)
    if not details.problems:
        return None
    first = details.problems[0]
    shown = Problem(first.id, first.title, confidence, first.score, why="", fix=first.fix)
    return Headline(shown, first, confirmed)


def fix_steps(finding: Finding) -> tuple[Step, ...]:
    """A finding's fix steps in the order every door lists them: the one that fits this case
    first (as the chat's answer shows it), then the catalog's others in their order."""
    entry = finding.match.entry
    chosen = primary_step(entry.fix, _seen(finding))
    order = [chosen] if chosen is not None else []
    order += [number for number in range(len(entry.fix)) if number != chosen]
    return tuple(_step(number, entry.fix[number]) for number in order)
