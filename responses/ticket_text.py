"""A Jira issue (and a comment on it) for one problem: Atlassian Document Format or wiki text.

The same draft renders for Jira Cloud's REST v3 (`description` and comment bodies are ADF
documents) and Server/Data Center's v2 (wiki markup). It carries the diagnosis (the answer and
its catalog id, confirmed or not, the root cause), the evidence (the cluster's facts), the fix,
and the links (the runbook, the catalog's sources, the chat thread). Text from the cluster or a
paste is redacted text already; the wiki rendering escapes what wiki markup would read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from responses.answer_view import Headline, suspect_heading
from responses.redaction import redact

MAX_SUMMARY = 250
FACTS = 8
FIX_STEPS = 5
LINKS = 8


@dataclass(frozen=True)
class TicketDraft:
    """What an issue says about one problem."""

    summary: str
    answer: str
    cause: str
    facts: tuple[str, ...]
    fix: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    where: str


def ticket_draft(
    cause: Headline, *, where: str, links: Sequence[tuple[str, str]] = ()
) -> TicketDraft:
    """The draft for the cause a message or an answer leads with (its fix steps in the order every
    door shows them, the first one first); `where`: the object and cluster; `links`: the chat
    thread, the runbook, the incident, listed first."""
    confirmed = "confirmed in the cluster" if cause.confirmed else "not confirmed in the cluster"
    title = cause.problem.title
    catalog = [(link.title, link.url) for link in cause.details.links]
    steps = []
    for step in cause.steps[:FIX_STEPS]:
        command = f" `{step.command}`" if step.command else ""
        steps.append(_line(f"{step.text}{command}", 600))
    answer = f"{title} [{cause.id}], {confirmed}"
    if cause.suspect is not None:  # as the chat card and the note say it
        answer = f"{suspect_heading(cause.suspect)} [{cause.id}], {confirmed}"
    return TicketDraft(
        summary=_line(f"{title}: {where}", MAX_SUMMARY),
        answer=_line(answer, 400),
        cause=_line(cause.details.root_cause, 2000),
        facts=tuple(_line(fact, 400) for fact in cause.details.facts[:FACTS]),
        fix=tuple(steps),
        links=tuple(
            (_line(title, 120), url) for title, url in [*links, *catalog][:LINKS] if _web(url)
        ),
        where=_line(where, 300),
    )


def adf_description(draft: TicketDraft, *, heading: str = "kubemedic diagnosis") -> dict[str, Any]:
    """The issue's description (or a comment's body) as an ADF document (Jira Cloud, REST v3)."""
    content: list[dict[str, Any]] = [
        _adf_paragraph(f"{heading}: {draft.answer}", strong=True),
        _adf_paragraph(f"Where: {draft.where}"),
    ]
    if draft.cause:
        content.append(_adf_paragraph(draft.cause))
    for title, items in (("Evidence", draft.facts), ("Fix", draft.fix)):
        if items:
            content += [_adf_heading(title), _adf_bullets(items)]
    if draft.links:
        content += [_adf_heading("Links"), _adf_links(draft.links)]
    return {"type": "doc", "version": 1, "content": content}


def wiki_description(draft: TicketDraft, *, heading: str = "kubemedic diagnosis") -> str:
    """The same as wiki markup (Jira Server/Data Center, REST v2)."""
    lines = [f"*{_wiki(heading)}: {_wiki(draft.answer)}*", f"Where: {_wiki(draft.where)}"]
    if draft.cause:
        lines.append(_wiki(draft.cause))
    for title, items in (("Evidence", draft.facts), ("Fix", draft.fix)):
        if items:
            lines += [f"h3. {title}", *(f"* {_wiki(item)}" for item in items)]
    if draft.links:
        lines += ["h3. Links", *(f"* [{_wiki(title)}|{url}]" for title, url in draft.links)]
    return "\n".join(lines)


def _adf_text(text: str, *, strong: bool = False, href: str | None = None) -> dict[str, Any]:
    node: dict[str, Any] = {"type": "text", "text": text or " "}
    marks = ([{"type": "strong"}] if strong else []) + (
        [{"type": "link", "attrs": {"href": href}}] if href else []
    )
    if marks:
        node["marks"] = marks
    return node


def _adf_paragraph(text: str, *, strong: bool = False) -> dict[str, Any]:
    return {"type": "paragraph", "content": [_adf_text(text, strong=strong)]}


def _adf_heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "attrs": {"level": 3}, "content": [_adf_text(text)]}


def _adf_bullets(items: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "bulletList",
        "content": [{"type": "listItem", "content": [_adf_paragraph(item)]} for item in items],
    }


def _adf_links(links: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {
        "type": "bulletList",
        "content": [
            {
                "type": "listItem",
                "content": [{"type": "paragraph", "content": [_adf_text(title, href=url)]}],
            }
            for title, url in links
        ],
    }


def _line(text: str, limit: int) -> str:
    return str(redact(" ".join(str(text).split())))[:limit]


def _web(url: str) -> bool:
    return url.startswith(("https://", "http://")) and len(url) <= 2000


WIKI_SPECIAL = str.maketrans(
    {"\\": "&#92;", "&": "&amp;", **{c: f"\\{c}" for c in "*_{}[]|!#^+-~?"}}
)
"""Jira's wiki escapes a markup character with a backslash, and reads two backslashes as a line
break: a backslash of the text is written as its entity (and `&` as `&amp;`, so no text reads as
an entity), so every backslash of the output escapes the character after it, and nothing else."""


def _wiki(text: str) -> str:
    """Text as itself in wiki markup: its markup characters escaped."""
    return text.translate(WIKI_SPECIAL)


NOTHING_TO_FILE = "Nothing to file: this answer or message is no longer stored."
BEING_FILED = "A ticket for this problem is being filed right now; look in its thread in a moment."


def opened(key: str, url: str) -> str:
    return f"Opened {key} for this: {url}"


def commented(key: str, url: str) -> str:
    return f"{key} is still open for this problem: added this occurrence as a comment ({url})"


TICKET_BUTTON = "Open ticket"
TICKETS_OFF = (
    "Tickets are off: set KUBEMEDIC_JIRA_URL, KUBEMEDIC_JIRA_TOKEN and KUBEMEDIC_JIRA_PROJECT."
)
NO_ANSWER_TO_FILE = "No ticket: nothing was diagnosed to file."


def jira_failed(reason: str, *, refused: bool, in_doubt: bool = False) -> str:
    said = " ".join(reason.split())[:300]
    if refused:
        return f"Jira refused the ticket: {said}"
    if in_doubt:
        return (
            f"Jira did not answer ({said}); the ticket may have been filed: asking again finds it "
            "instead of filing another"
        )
    return f"Jira is unreachable now ({said}); nothing was filed, try again"
