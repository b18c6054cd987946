"""Terminal rendering of an answer: the short form first, everything with --verbose.

The short form is the AnswerView's first screen (about a dozen lines): the cause,
the facts that confirm it in a line or two, the one fix step with its command and
why this answer, then one line saying what the details hold. The verbose form adds
the details: root cause, the other fix steps, links, matched lines, close rivals,
what could not be read and notes. Commands and configs are never wrapped or cut:
they are copied as shown.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace

from responses.answer_build import answer_view
from responses.answer_view import (
    AnswerView,
    Details,
    LineView,
    PodLine,
    Problem,
    ProblemDetails,
    Rival,
    Step,
    SuspectLine,
)
from responses.diagnosis import Diagnosis
from responses.messages import beside_suspects

WIDTH = 88
WHY_LINES = 2
FACT_LINES = 2
FIX_TEXT_LINES = 2
VERBOSE_HINT = "--verbose"


def _wrap(
    text: str, indent: str = "  ", hanging: str | None = None, *, most: int | None = None
) -> list[str]:
    lines = textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=indent,
        break_on_hyphens=False,
        subsequent_indent=indent if hanging is None else hanging,
    )
    if most is not None and len(lines) > most:
        lines = [*lines[: most - 1], lines[most - 1][: WIDTH - 1].rstrip() + "…"]
    return lines


def _code(step: Step, *, whole: bool = True) -> list[str]:
    """The step's command and config as written; a long one only named when not `whole`."""
    rows: list[str] = []
    for kind, text in step.blocks(whole=whole):
        rows += (
            [f"       {row}" for row in text.rstrip().splitlines()]
            if text
            else [f"       ({kind}, with {VERBOSE_HINT})"]
        )
    return rows


def _facts(facts: tuple[str, ...]) -> list[str]:
    """The confirming facts in at most two lines."""
    if not facts:
        return []
    lines = _wrap(f"Confirmed by: {facts[0]}", "", "  ", most=FACT_LINES)
    if len(facts) > 1 and len(lines) < FACT_LINES:
        lines += _wrap(f"and {facts[1]}", "  ", most=1)
    return lines


def _fix(
    problem: Problem, *, whole: bool, text_lines: int = FIX_TEXT_LINES, indent: str = ""
) -> list[str]:
    if problem.fix is None:
        return []
    label = "Next" if problem.fix_looks else "Fix"
    # a fix that fits the first screen is shown whole, its words too
    most = None if problem.fix.fits_short and not indent else text_lines
    lines = [
        *_wrap(f"{label}: {problem.fix.text}", indent, indent + "  ", most=most),
        *_code(problem.fix, whole=whole),
    ]
    if problem.observed:
        lines += _wrap(f"Observed: {'; '.join(problem.observed)}", indent + "  ", most=1)
    return lines


def _problem(problem: Problem, *, whole: bool) -> list[str]:
    lines = [
        problem.title,
        f"  [{problem.id}]  confidence: {problem.confidence} ({problem.score:.2f})"
        + (f"  {problem.origin}" if problem.origin else ""),
        *_wrap(f"why: {problem.why}", "  ", most=WHY_LINES),
    ]
    if problem.chain:
        lines += _wrap(problem.chain, most=2)
    return [*lines, *_facts(problem.facts), *_fix(problem, whole=whole)]


def _from(problem: Problem) -> str:
    """`, from team pack frob` after an id, for an entry that is not the core catalog's."""
    return f", {problem.origin}" if problem.origin else ""


def _another(problem: Problem, number: int, *, whole: bool) -> list[str]:
    """A further independent problem, in brief: its title and its fix."""
    head = _wrap(
        f"{number}. {problem.title}  [{problem.id}, {problem.confidence}{_from(problem)}]",
        "",
        "   ",
        most=2,
    )
    return [*head, *_fix(problem, whole=whole, text_lines=1, indent="   ")]


def _pods(pods: tuple[PodLine, ...]) -> list[str]:
    width = max(len(row.pod) for row in pods)
    status = max(len(row.status) for row in pods)
    lines = [f"{'POD':<{width}}  {'STATUS':<{status}}  CAUSE"]
    for row in pods:
        cause = "(not diagnosed in depth)" if not row.diagnosed else "-"
        if row.cause is not None:
            cause = f"{row.cause} ({row.confidence})"
        lines.append(f"{row.pod:<{width}}  {row.status:<{status}}  {cause}")
    return lines


def _rivals(rivals: tuple[Rival, ...]) -> list[str]:
    lines: list[str] = []
    for rival in rivals:
        reason = f" — {rival.reason}" if rival.reason else ""
        lines += _wrap(
            f"- {rival.id}: {rival.title} ({rival.confidence}, {rival.score:.2f}){reason}",
            "  ",
            "    ",
        )
    return lines


def _fold(details: Details, hint: str) -> list[str]:
    parts = details.parts()
    return _wrap(f"More with {hint}: {', '.join(parts)}", "", "  ") if parts else []


def _suspects(suspects: tuple[SuspectLine, ...]) -> list[str]:
    """The first suspect with its fix and chain, then one line per other suspect."""
    if not suspects:
        return []
    first, *others = suspects
    indirect = ", indirect evidence" if first.indirect else ""
    lines = _wrap(f"Most likely: {first.object} — {first.title}", "", "  ")
    lines += [
        (
            f"  [{first.id}]  confidence: {first.confidence} ({first.score:.2f}{indirect})"
            f"  change: {first.resource}"
        )
    ]
    lines += _wrap(f"Fix: {first.fix}", "  ", "    ") if first.fix else []  # the fix, whole
    if first.chain:
        lines += _wrap("Chain: " + " -> ".join(first.chain), "  ", "    ", most=2)
    lines += [row for fact in first.facts for row in _wrap(f"- {fact}", "  ", "    ", most=1)]
    if others:
        lines.append("Other suspects:")
    for number, other in enumerate(others, start=2):
        lines += _wrap(
            f"{number}. {other.object} — {other.title} [{other.id}, "
            f"{other.confidence}]: ranks lower: {other.lower}",
            "  ",
            "     ",
            most=3,  # why it ranks lower is what the line is for ("because of geo")
        )
    return [*lines, ""]


def _overview(view: AnswerView) -> list[str]:
    overview = view.overview
    notes = beside_suspects(view.notes) if view.suspects else view.notes
    lines = [view.headline, *_suspects(view.suspects), *notes]
    if overview is None:
        return lines
    if overview.pods:
        lines += ["", *_pods(overview.pods)]
        lines += [f"…and {overview.more} more pods ({VERBOSE_HINT})"] if overview.more else []
    if overview.counts:
        lines += ["", "Pods by status: " + ", ".join(f"{k} {v}" for k, v in overview.counts)]
    if view.problems and overview.in_full:
        lines += ["", overview.in_full, ""]
    return lines


SHORT_UNREAD = 2
"""Sources not read listed one by one on the first screen; more are counted (--verbose lists them)."""


def _unread(gaps: tuple[str, ...], *, whole: bool) -> list[str]:
    """What could not be read: each, or on a first screen with many, the first and a count."""
    if whole or len(gaps) <= SHORT_UNREAD:
        return [f"Could not read: {gap}" for gap in gaps]
    return [
        f"Could not read: {gaps[0]}",
        f"…and {len(gaps) - 1} more sources not read ({VERBOSE_HINT} lists them)",
    ]


def _head(view: AnswerView, *, whole: bool = True) -> list[str]:
    """What comes before the problems: the cluster, and for no answer or an overview, what there is."""
    lines = [f"Cluster: {view.cluster}"] if view.cluster else []
    lines += [view.preface] if view.preface else []
    if view.state == "overview":
        lines += _overview(view)
    elif view.state == "healthy":
        lines += list(view.notes or (view.headline,))
    elif view.state == "unsure":
        lines += [f"{view.headline}.", *view.notes]
        lines += ["", "Closest (low confidence):", *_rivals(view.closest)] if view.closest else []
    return [*lines, *_unread(view.unread, whole=whole)]


def _first_screen(view: AnswerView, *, whole: bool) -> list[str]:
    lines = _head(view, whole=whole)
    if view.problems:
        first, *more = view.problems
        if more:
            lines.append(f"{len(view.problems)} problems; the first:")
        lines += _problem(first, whole=whole)
        if more:
            lines.append("Also:")
        for number, problem in enumerate(more, start=2):
            lines += _another(problem, number, whole=whole)
    return lines


def render_short(view: AnswerView, *, hint: str = VERBOSE_HINT) -> str:
    """The first screen, and one line naming what the details hold."""
    return "\n".join([*_first_screen(view, whole=False), *_fold(view.details, hint)]) + "\n"


def _problem_details(problem: ProblemDetails, *, named: bool) -> list[str]:
    lines = [f"{problem.title} [{problem.id}]:"] if named else []
    lines += ["Root cause:", *_wrap(problem.root_cause)]
    if len(problem.facts) > 1:
        lines += ["Confirmed by:", *(f"  - {fact}" for fact in problem.facts)]
    if problem.steps:
        lines.append("Other fix steps:")
        for step in problem.steps:
            lines += [*_wrap(f"{step.number}. {step.text}"), *_code(step)]
    if problem.links:
        lines += ["Links:", *(f"  - {link.title}: {link.url}" for link in problem.links)]
    return lines + _matched(problem.matched)


def _matched(matched: tuple[LineView, ...]) -> list[str]:
    """The pasted lines the problem matched, each with its score."""
    rows = [row for m in matched for row in _wrap(f"> {m.line}  (score {m.score:.2f})", "  ")]
    return ["Matched:", *rows] if rows else []


def _suspect_details(suspects: tuple[SuspectLine, ...]) -> list[str]:
    """Every suspect with its ranking's reasons, whole evidence and chain (`--verbose`)."""
    lines = ["", "Suspects:"]
    for number, suspect in enumerate(suspects, start=1):
        lines += _wrap(
            f"{number}. {suspect.object} — {suspect.title} [{suspect.id}, "
            f"{suspect.confidence} {suspect.score:.2f}]  change: {suspect.resource}",
            "",
            "   ",
        )
        lines += _wrap("why: " + "; ".join(suspect.why), "   ", "     ") if suspect.why else []
        lines += [row for fact in suspect.facts for row in _wrap(f"- {fact}", "   ", "     ")]
        lines += (
            _wrap("chain: " + " -> ".join(suspect.chain), "   ", "     ") if suspect.chain else []
        )
    return lines


def render_details(details: Details) -> str:
    """What the fold holds, in full."""
    lines: list[str] = _suspect_details(details.suspects) if details.suspects else []
    for problem in details.problems:
        lines += ["", *_problem_details(problem, named=len(details.problems) > 1)]
    if details.pods:
        lines += ["", "More pods:", *_pods(details.pods)[1:]]
    if details.others:
        lines += ["", "Close to the answer:", *_rivals(details.others)]
    for title, items in (("Could not read:", details.unread), ("Notes:", details.notes)):
        lines += ["", title, *(f"  - {item}" for item in items)] if items else []
    return "\n".join(lines) + "\n" if lines else ""


def render_full(view: AnswerView) -> str:
    """The first screen (configs whole) and every folded part (`--verbose`)."""
    return "\n".join(_first_screen(view, whole=True)) + "\n" + render_details(view.details)


def render_text(diagnosis: Diagnosis, *, verbose: bool = False, closest: bool = True) -> str:
    """The diagnosis as plain text: the short form, or everything when `verbose`; `closest=False`
    leaves out the closest matches (a question that offers them follows)."""
    view = answer_view(diagnosis)
    view = view if closest else replace(view, closest=())
    return render_full(view) if verbose else render_short(view)
