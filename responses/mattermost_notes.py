"""Mattermost Markdown for what the bot posts on its own: alert and watcher messages, roll-ups,
thread notes, and the incident summary. The words are the ones Slack's renderers use
(responses.alert_view, responses.summary_text); only the markup differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from responses import alert_view as words
from responses.alert_detail import AlertTexts
from responses.alert_view import AlertView
from responses.answer_view import Headline, Step
from responses.links import web_url
from responses.mattermost_post import MAX_MESSAGE, code, text
from responses.mrkdwn import clip
from responses.summary import Summary
from responses.summary_text import render_summary_text


def _catalog_links(cause: Headline | None) -> list[str]:
    """The cause's first catalog links that are web addresses."""
    catalog = cause.details.links if cause is not None else ()
    return [f"[{text(item.title, 120)}]({item.url})" for item in catalog[:4] if web_url(item.url)]


def _links(view: AlertView) -> list[str]:
    alert, cause = view.detail.alert or AlertTexts(), view.cause
    page = words.page_link(view.detail)
    shown = [f"[{text(page[0], 120)}]({page[1]})"] if page else []
    shown += [f"[Runbook]({alert.runbook_url})"] if web_url(alert.runbook_url or "") else []
    shown += _catalog_links(cause)
    shown += [f"[Graph]({alert.generator_url})"] if web_url(alert.generator_url or "") else []
    return [" · ".join(shown)] if shown else []


def _cause(view: AlertView) -> list[str]:
    shown = words.cause_shown(view)
    if shown is None:
        gap = view.detail.explanation.gap
        return [f"_{text(words.not_confirmed(gap), 400)}_"] if gap else []
    change = f" · {text(shown.change, 200)}" if shown.change else ""
    lines = [f"**{text(shown.heading, 400)}** `{shown.id}`{change}"]
    lines += [text(shown.root_cause, 1200)] if shown.root_cause else []
    lines += [f"- {text(fact, 300)}" for fact in shown.facts]
    lines += [f"_{text(shown.unsure, 400)}_"] if shown.unsure else []
    lines += _fix_steps(shown.steps)
    lines += [f"**{words.OTHER_SUSPECTS}:**"] if shown.others else []
    return lines + [f"- {text(other, 400)}" for other in shown.others]


def _fix_steps(steps: Sequence[Step]) -> list[str]:
    """Each fix step numbered, its command below it."""
    lines: list[str] = []
    for number, step in enumerate(steps, 1):
        lines.append(f"**Fix {number}:** {text(step.text, 1200)}")
        lines += [code(step.command, 600)] if step.command else []
    return lines


def alert_message(view: AlertView) -> str:
    """The whole alert or watcher message; the catalog id is named as in every diagnosis."""
    alert = view.detail.alert or AlertTexts()
    head = f"#### {text(words.heading(view), 200)}"
    state = text(words.state_line(view), 300) + (
        f" · `{view.catalog_id}`" if view.catalog_id else ""
    )
    lines = [head, state]
    lines += [f"**{text(alert.summary, 300)}**"] if alert.summary else []
    lines += [text(alert.description, 1200)] if alert.description else []
    detection = view.detail.detection
    if detection is not None:
        lines.append(f"{text(detection.reason, 80)} in {text(detection.owner, 300)}")
    lines += _cause(view) + _links(view)
    if view.mention and view.status == "firing":
        lines.append(
            text(view.mention, 100).replace("@\u200d", "@")
        )  # the routing file's mention pings
    return clip("\n".join(lines), MAX_MESSAGE)


def note_message(note: Mapping[str, Any]) -> str:
    return text(words.note_text(note), 3000)


def rollup_message(titles: Sequence[str], total: int) -> str:
    lines = [
        f"#### {words.rollup_heading(total)}",
        *(f"- {text(title, 200)}" for title in titles[:50]),
    ]
    return clip("\n".join(lines), MAX_MESSAGE)


def summary_message(summary: Summary) -> str:
    """The incident summary as Markdown; names in it cannot ping anyone."""
    return clip(render_summary_text(summary, markdown=True).replace("@", "@\u200d"), MAX_MESSAGE)
