"""Microsoft Teams: alerts, watcher posts, incident summaries and answers as Adaptive Cards (1.5).

A Teams Workflows webhook takes a message envelope with one Adaptive Card attachment and shows
it; it cannot edit it later or carry buttons that call back, so cards hold text, facts and
`Action.OpenUrl` links only (http and https). Every card names the catalog id, as every Slack
answer does. A message must stay under Teams' 28 KB: the card is built, measured as the bytes
sent, and its last body elements are dropped (with one line saying so) until it fits. Text is
redacted and clipped; Teams pings only `<at>` entities, which a card here never carries.

A TextBlock's and a fact's text is Markdown to Teams, and alert, cluster and chat text is
nobody's Markdown: every character that could start a link, an image, emphasis, code or an
autolink is escaped with a backslash (`inert`), so `[t](https://x)` and `![x](y)` show as
typed, as they do in Slack. Links reach a card only as `Action.OpenUrl`, http(s) only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from responses import alert_view as words
from responses import messages
from responses.alert_detail import AlertTexts
from responses.alert_view import AlertView
from responses.answer_view import AnswerView, Step, SuspectLine
from responses.links import web_url
from responses.mrkdwn import clip
from responses.summary import Summary
from responses.summary_text import incident_line, status_line, timeline_line

VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_BYTES = 28 * 1024
"""Teams' limit for one webhook message."""
BUDGET = MAX_BYTES - 1024
"""What a card may take, leaving room for the envelope."""
MAX_ACTIONS = 6
CUT = (
    "The rest did not fit in one Teams message; see the chat's thread or `kubemedic` for all of it."
)

Element = dict[str, Any]
_MARKDOWN = re.compile(r"([\\`*_~\[\]()!<>#|{}])")
"""The characters Markdown reads as syntax in a line (links, images, emphasis, code, autolinks)."""


def plain(value: str, limit: int = 600) -> str:
    return clip(value[: 4 * limit + 4096], limit)


def inert(value: str) -> str:
    """`value` as Teams' Markdown shows it as typed: its syntax characters backslash-escaped."""
    return _MARKDOWN.sub(r"\\\1", value)


def block(
    value: str,
    *,
    limit: int = 600,
    size: str | None = None,
    bold: bool = False,
    subtle: bool = False,
    mono: bool = False,
) -> Element:
    """A wrapped TextBlock."""
    element: Element = {
        "type": "TextBlock",
        "text": inert(plain(value, limit)) or " ",
        "wrap": True,
    }
    if size:
        element["size"] = size
    if bold:
        element["weight"] = "Bolder"
    if subtle:
        element["isSubtle"] = True
    if mono:
        element["fontType"] = "Monospace"
    return element


def facts(pairs: Sequence[tuple[str, str]]) -> Element:
    return {
        "type": "FactSet",
        "facts": [
            {"title": inert(plain(k, 80)), "value": inert(plain(v, 300)) or "-"} for k, v in pairs
        ],
    }


def links(pairs: Sequence[tuple[str, str]]) -> list[Element]:
    """`Action.OpenUrl` for each http(s) link, at most six."""
    shown = [(title, url) for title, url in pairs if web_url(url)][:MAX_ACTIONS]
    return [
        {"type": "Action.OpenUrl", "title": plain(title, 60) or "Link", "url": url}
        for title, url in shown
    ]


def card(body: list[Element], actions: list[Element] | None = None) -> dict[str, Any]:
    """An Adaptive Card within Teams' size, its tail dropped if it would not fit."""
    content: dict[str, Any] = {
        "$schema": SCHEMA,
        "type": "AdaptiveCard",
        "version": VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    if actions:
        content["actions"] = actions
    while _size(content) > BUDGET and len(content["body"]) > 1:
        content["body"] = content["body"][:-2] + [block(CUT, subtle=True)]
    return content


def message(content: Mapping[str, Any]) -> dict[str, Any]:
    """The envelope a Workflows webhook takes."""
    return {
        "type": "message",
        "attachments": [
            {"contentType": CONTENT_TYPE, "contentUrl": None, "content": dict(content)}
        ],
    }


def _size(content: Mapping[str, Any]) -> int:
    return len(json.dumps(message(content), ensure_ascii=False).encode())


def size(envelope: Mapping[str, Any]) -> int:
    """The bytes a message takes on the wire."""
    return len(json.dumps(envelope, ensure_ascii=False).encode())


# ---------------------------------------------------------------------- alerts and watcher posts
def _cause(view: AlertView) -> list[Element]:
    shown = words.cause_shown(view)
    if shown is None:
        gap = view.detail.explanation.gap
        return [block(words.not_confirmed(gap), subtle=True)] if gap else []
    pairs = [("Catalog id", shown.id)] + ([("Change", shown.change)] if shown.change else [])
    body = [block(shown.heading, bold=True, limit=400), facts(pairs)]
    body += [block(shown.root_cause, limit=1200)] if shown.root_cause else []
    body += [block(f"- {fact}", limit=300) for fact in shown.facts]
    body += [block(shown.unsure, subtle=True)] if shown.unsure else []
    body += _fix_steps(shown.steps)
    body += [block(words.OTHER_SUSPECTS, bold=True)] if shown.others else []
    return body + [block(other, limit=400) for other in shown.others]


def _fix_steps(steps: Sequence[Step]) -> list[Element]:
    """Each fix step numbered, its command below it."""
    body: list[Element] = []
    for number, step in enumerate(steps, 1):
        body.append(block(f"Fix {number}: {step.text}", limit=1200))
        body += [block(step.command, mono=True, limit=600)] if step.command else []
    return body


def _alert_links(view: AlertView) -> list[Element]:
    alert, cause = view.detail.alert or AlertTexts(), view.cause
    page = words.page_link(view.detail)
    pairs = [page] if page else []
    pairs.append(("Runbook", alert.runbook_url or ""))
    pairs += [(item.title, item.url) for item in (cause.details.links if cause else ())]
    pairs.append(("Graph", alert.generator_url or ""))
    return links(pairs)


def _alert_facts(view: AlertView, alert: AlertTexts) -> list[tuple[str, str]]:
    """The card's facts: state, catalog id, cluster and severity where known, since when."""
    known = (
        ("Catalog id", view.catalog_id),
        ("Cluster", view.detail.cluster or alert.cluster),
        ("Severity", alert.severity),
    )
    shown = [(name, value) for name, value in known if value]
    since = ("Since", f"{view.first_seen:%Y-%m-%d %H:%M} UTC")
    return [("State", words.state_line(view)), *shown, since]


def alert_card(view: AlertView, *, update: bool = False) -> dict[str, Any]:
    """An alert or watcher problem; `update`: a later state of one already posted (a reply)."""
    alert = view.detail.alert or AlertTexts()
    heading = ("Update: " if update else "") + words.heading(view)
    body = [block(heading, size="Large", bold=True, limit=200), facts(_alert_facts(view, alert))]
    body += [block(alert.summary, bold=True, limit=300)] if alert.summary else []
    body += [block(alert.description, limit=1200)] if alert.description else []
    detection = view.detail.detection
    if detection is not None:
        body.append(block(f"{detection.reason} in {detection.owner}", limit=400))
    return card(body + _cause(view), _alert_links(view))


def note_card(title: str, note: Mapping[str, Any]) -> dict[str, Any]:
    return card(
        [block(f"Update: {title}", bold=True, limit=200), block(words.note_text(note), limit=3000)]
    )


def rollup_card(titles: Sequence[str], total: int) -> dict[str, Any]:
    return card(
        [
            block(words.rollup_heading(total), size="Large", bold=True, limit=200),
            *(block(f"- {title}", limit=200) for title in titles[:40]),
        ]
    )


# ---------------------------------------------------------------------- summaries and answers
def summary_card(summary: Summary, *, update: bool = False) -> dict[str, Any]:
    body = [
        block(
            ("Update: " if update else "") + f"Incident summary: {summary.channel}",
            size="Large",
            bold=True,
            limit=200,
        ),
        block(status_line(summary), subtle=True, limit=300),
    ]
    if summary.incidents:
        body.append(
            facts([(item.catalog_id, incident_line(item)) for item in summary.incidents[:10]])
        )
    body += [block("Timeline", bold=True)] + [
        block(timeline_line(item, summary), limit=300) for item in summary.timeline[-15:]
    ]
    pairs = [
        (f"{item.catalog_id}: {link.title}", link.url)
        for item in summary.incidents
        for link in item.links
    ]
    return card(body, links(pairs))


def suspect_elements(suspects: Sequence[SuspectLine]) -> list[Element]:
    """The first suspect (object, cause, catalog id, confidence, facts, its one fix), then one line
    per other suspect saying why it ranks lower."""
    if not suspects:
        return []
    first, *others = suspects
    pairs = [("Catalog id", first.id), ("Confidence", f"{first.confidence} ({first.score:.2f})")]
    pairs += [("Change", first.resource)] if first.resource != first.object else []
    pairs += (
        [("Evidence", "indirect: the state read shows its effects, not the cause")]
        if first.indirect
        else []
    )
    body = [
        block(f"Most likely: {first.object}: {first.title}", bold=True, limit=300),
        facts(pairs),
    ]
    body += [block(f"- {fact}", limit=300) for fact in first.facts]
    body += [block(f"Fix: {first.fix}", limit=1500)] if first.fix else []
    body += (
        [block("Chain: " + " → ".join(first.chain), subtle=True, limit=800)] if first.chain else []
    )
    body += [block("Other suspects", bold=True)] if others else []
    body += [
        block(
            f"{number}. {other.object}: {other.title} ({other.id}, {other.confidence}): "
            f"ranks lower: {other.lower}",
            limit=500,
        )
        for number, other in enumerate(others, start=2)
    ]
    return body


def answer_card(view: AnswerView) -> dict[str, Any]:
    """An answer's first screen (links instead of buttons); a walked namespace or Service leads
    with its suspects."""
    body = [block(view.headline, size="Large", bold=True, limit=200)]
    body += [block(view.preface, subtle=True, limit=400)] if view.preface else []
    if view.suspects:
        notes = messages.beside_suspects(view.notes)
        return card(
            [*body, *suspect_elements(view.suspects), *(block(n, limit=400) for n in notes)]
        )
    body += [block(note, limit=400) for note in view.notes]
    pairs: list[tuple[str, str]] = []
    for problem in view.problems:
        body += [
            facts(
                [
                    ("Catalog id", problem.id),
                    ("Confidence", f"{problem.confidence} ({problem.score:.2f})"),
                    *([("Origin", problem.origin)] if problem.origin else []),
                ]
            )
        ]
        body += [block(f"- {fact}", limit=300) for fact in problem.facts]
        if problem.fix is not None:
            body.append(
                block(
                    f"{'Next step' if problem.fix_looks else 'Fix'}: {problem.fix.text}", limit=400
                )
            )
            body += [
                block(text, mono=True, limit=1500)
                for _, text in problem.fix.blocks(whole=False)
                if text
            ]
        body.append(block(f"Why: {problem.why}", subtle=True, limit=400))
    for details in view.details.problems:
        pairs += [(link.title, link.url) for link in details.links]
    body += [
        block(f"{rival.id}: {rival.title} ({rival.confidence})", limit=200)
        for rival in view.closest
    ]
    return card(body, links(pairs))
