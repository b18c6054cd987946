"""Mattermost posts: the answer's first screen as Markdown, its buttons as interactive actions.

Rendered from the same `AnswerView` as every other chat (`answer_view(diagnosis)`), so a
Mattermost answer says what a Slack one says: the cause with its catalog id, at most two
confirming facts, the one fix step that fits, why this answer, and a Details button for the
rest. Text from a paste or the cluster is redacted, cannot mention anyone (`@channel`, `@all`
and names get a zero-width joiner after the `@`) and cannot close a code fence. A button is an
attachment action whose id is alphanumeric (Mattermost routes nothing else); what the click
means travels in its `integration` (URL and private context), which the transport supplies.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from responses import messages
from responses.answer_actions import ButtonSpec, SeenInfo
from responses.answer_view import (
    AnswerView,
    Details,
    LinkView,
    PodLine,
    Problem,
    ProblemDetails,
    Rival,
    Step,
    SuspectLine,
)
from responses.links import web_url
from responses.mrkdwn import clip

MAX_MESSAGE = 16_000
"""Below Mattermost's 16,383-character post limit."""
TEXT_LIMIT = 600
_NO_MENTION = "@\u200d"
_LINK_SYNTAX = re.compile(r"([\\\[\]<>])")
"""What Markdown builds links, images and autolinks from."""

Integration = Callable[[ButtonSpec, int], Mapping[str, Any]]
"""The `integration` of a button (its callback URL and context), given the spec and its place."""


@dataclass(frozen=True)
class Post:
    """A post's Markdown and its attachments (buttons)."""

    message: str
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def props(self) -> dict[str, Any]:
        return {"attachments": self.attachments}


def text(value: str, limit: int = TEXT_LIMIT) -> str:
    """Untrusted text (redacted where it came in) as Markdown: no mention can ping, no link or
    image can form (brackets escaped: `[t](https://x)` and `![x](y)` show as typed), clipped."""
    shown = clip(value[: 4 * limit + 4096].replace("@", _NO_MENTION), limit)
    return _LINK_SYNTAX.sub(r"\\\1", shown)


def code(value: str, limit: int = 2000) -> str:
    """A fenced code block that a ``` inside cannot close."""
    body = clip(value[: 4 * limit + 4096], limit).replace("```", "`\u200b``")
    return f"```\n{body.rstrip()}\n```"


def _step(step: Step, *, whole: bool) -> list[str]:
    lines = [f"{step.number}. {text(step.text)}"]
    for kind, block in step.blocks(whole=whole):
        lines.append(code(block) if block is not None else f"   _({kind} in Details)_")
    return lines


def _problem(problem: Problem, *, whole: bool = False) -> list[str]:
    lines = [
        f"#### {text(problem.title, 200)}",
        f"`{problem.id}` · confidence {problem.confidence} ({problem.score:.2f})"
        + (f" · {text(problem.origin, 200)}" if problem.origin else ""),
    ]
    lines += [f"_{text(problem.chain, 300)}_"] if problem.chain else []
    lines += [f"- {text(fact, 300)}" for fact in problem.facts]
    if problem.fix is not None:
        lines.append("**Next step:**" if problem.fix_looks else "**Fix:**")
        lines += _step(problem.fix, whole=whole)
        lines += [f"Observed: {text(', '.join(problem.observed), 300)}"] if problem.observed else []
    lines.append(f"_Why: {text(problem.why, 400)}_")
    return lines


def _rivals(rivals: Sequence[Rival]) -> list[str]:
    return [
        f"- `{r.id}` {text(r.title, 200)} ({r.confidence}, {r.score:.2f})"
        + (f": {text(r.reason, 200)}" if r.reason else "")
        for r in rivals
    ]


def _pods(pods: Sequence[PodLine]) -> list[str]:
    return [
        f"- `{text(p.pod, 120)}` {text(p.status, 60)}" + (f" → `{p.cause}`" if p.cause else "")
        for p in pods
    ]


def _suspect(suspect: SuspectLine, number: int, *, whole: bool) -> list[str]:
    """The first suspect on the first screen, or any suspect in Details (`whole`)."""
    change = (
        f" · change `{text(suspect.resource, 120)}`" if suspect.resource != suspect.object else ""
    )
    lead = "#### " if number == 1 and not whole else f"**{number}.** "
    lines = [
        f"{lead}{text(f'{suspect.object}: {suspect.title}', 300)}",
        f"`{suspect.id}` · confidence {suspect.confidence} ({suspect.score:.2f}){change}",
    ]
    return lines + _suspect_notes(suspect)


def _suspect_notes(suspect: SuspectLine) -> list[str]:
    """What a suspect's heading is followed by: lower ranks, why, facts, fix and chain."""
    lines = [f"_Ranks lower: {text(suspect.lower, 300)}_"] if suspect.lower else []
    lines += [f"_Why: {text('; '.join(suspect.why), 600)}_"] if suspect.why else []
    lines += (
        ["_Indirect evidence: the state read shows its effects, not the cause itself._"]
        if suspect.indirect
        else []
    )
    lines += [f"- {text(fact, 300)}" for fact in suspect.facts]
    lines += [f"**Fix:** {text(suspect.fix, 1500)}"] if suspect.fix else []
    lines += [f"_Chain: {text(' → '.join(suspect.chain), 800)}_"] if suspect.chain else []
    return lines


def _suspects(suspects: Sequence[SuspectLine]) -> list[str]:
    """The first suspect in full, then one line per other suspect saying why it ranks lower."""
    first, *others = suspects
    lines = _suspect(first, 1, whole=False)
    lines += ["**Other suspects:**"] if others else []
    lines += [
        f"{number}. `{text(other.object, 120)}` {text(other.title, 200)} (`{other.id}`, "
        f"{other.confidence}): ranks lower: {text(other.lower, 300)}"
        for number, other in enumerate(others, start=2)
    ]
    return lines


def _head(view: AnswerView) -> list[str]:
    lines = [f"Cluster: `{text(view.cluster, 100)}`"] if view.cluster else []
    lines += [f"_{text(view.preface, 400)}_"] if view.preface else []
    if view.suspects:
        lines += [f"### {text(view.headline, 200)}", *_suspects(view.suspects)]
        lines += [text(note, 400) for note in messages.beside_suspects(view.notes)]
    elif view.state in ("overview", "healthy", "unsure"):
        lines.append(f"### {text(view.headline, 200)}")
        lines += [text(note, 400) for note in view.notes]
    if view.overview is not None:
        lines += _pods(view.overview.pods)
        lines += [f"…and {view.overview.more} more pods (Details)"] if view.overview.more else []
        lines += (
            [text(view.overview.in_full, 300)] if view.overview.in_full and view.problems else []
        )
    if view.state == "unsure" and view.closest:
        lines += ["Closest (low confidence):", *_rivals(view.closest)]
    return [*lines, *(f"Could not read: {text(gap, 300)}" for gap in view.unread)]


def answer_message(view: AnswerView, *, seen: SeenInfo | None = None) -> str:
    """The first screen as Markdown."""
    lines = _head(view)
    for number, problem in enumerate(view.problems):
        lines += ([] if number == 0 else ["", f"**Also ({number + 1}):**"]) + _problem(problem)
    if view.details:
        lines.append(f"_More in Details: {', '.join(view.details.parts())}_")
    if seen is not None:
        lines.append(f"_{messages.seen(seen.count, f'{seen.last_seen:%H:%M} UTC')}_")
    return clip("\n".join(lines), MAX_MESSAGE)


def action(spec: ButtonSpec, number: int, integration: Integration) -> dict[str, Any]:
    """One interactive button; its id is the spec's action id with everything but letters and digits
    dropped, numbered to stay unique in the post."""
    ident = "".join(ch for ch in spec.action_id if ch.isalnum())[:40] + str(number)
    style = {"danger": "danger", "primary": "primary"}.get(spec.style or "", "default")
    return {
        "id": ident,
        "type": "button",
        "name": clip(spec.text, 75),
        "style": style,
        "integration": dict(integration(spec, number)),
    }


def buttons_attachment(
    specs: Sequence[ButtonSpec], integration: Integration, *, text_: str = ""
) -> list[dict[str, Any]]:
    if not specs:
        return []
    return [
        {
            "fallback": text_ or "buttons",
            "text": text_,
            "actions": [action(spec, number, integration) for number, spec in enumerate(specs, 1)],
        }
    ]


def answer_post(
    view: AnswerView,
    buttons: Sequence[ButtonSpec],
    integration: Integration,
    *,
    seen: SeenInfo | None = None,
) -> Post:
    """The answer's post: the first screen and a row of buttons."""
    return Post(answer_message(view, seen=seen), buttons_attachment(buttons, integration))


def _links(links: Sequence[LinkView]) -> list[str]:
    return [
        f"- [{text(link.title, 150)}]({link.url})"
        if web_url(link.url)
        else f"- {text(link.title, 150)}"
        for link in links
    ]


def _problem_details(problem: ProblemDetails) -> list[str]:
    lines = [f"#### `{problem.id}` {text(problem.title, 200)}", text(problem.root_cause, 1500)]
    lines += [f"- {text(fact, 300)}" for fact in problem.facts]
    steps = ([problem.fix] if problem.fix else []) + list(problem.steps)
    if steps:
        lines.append("**Fix steps:**")
        for step in sorted(steps, key=lambda s: s.number):
            lines += _step(step, whole=True)
    lines += ["**Links:**", *_links(problem.links)] if problem.links else []
    lines += (
        [
            "**Matched lines:**",
            *(f"- ({line.score:.2f}) {text(line.line, 200)}" for line in problem.matched),
        ]
        if problem.matched
        else []
    )
    return lines


def details_message(details: Details, *, title: str) -> str:
    """What Details posts in the thread."""
    lines = [f"### {text(title, 200)}"]
    lines += ["**Suspects:**"] if details.suspects else []
    for number, suspect in enumerate(details.suspects, start=1):
        lines += _suspect(suspect, number, whole=True)
    for problem in details.problems:
        lines += _problem_details(problem)
    lines += ["**Close matches:**", *_rivals(details.others)] if details.others else []
    lines += ["**More pods:**", *_pods(details.pods)] if details.pods else []
    lines += [f"Could not read: {text(gap, 300)}" for gap in details.unread]
    lines += [text(note, 400) for note in details.notes]
    return clip("\n".join(lines), MAX_MESSAGE)


def notice(line: str) -> str:
    """One line from the bot (a refusal, an outcome) as safe Markdown."""
    return text(line, 3000)
