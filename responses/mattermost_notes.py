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
from responses.answer_view import Headline, SuspectLine, suspect_heading
from responses.links import web_url
from responses.mattermost_post import MAX_MESSAGE, code, text
from responses.mrkdwn import clip
from responses.summary import Summary
from responses.summary_text import render_summary_text


def _links(view: AlertView) -> list[str]:
    alert, cause = view.detail.alert or AlertTexts(), view.cause
    page = words.page_link(view.detail)
    shown = [f"[{text(page[0], 120)}]({page[1]})"] if page else []
    shown += [f"[Runbook]({alert.runbook_url})"] if web_url(alert.runbook_url or "") else []
    catalog = cause.details.links if cause is not None else ()
    shown += [f"[{text(item.title, 120)}]({item.url})" for item in catalog[:4] if web_url(item.url)]
    shown += [f"[Graph]({alert.generator_url})"] if web_url(alert.generator_url or "") else []
    return [" · ".join(shown)] if shown else []


def _suspect(view: AlertView, cause: Headline, suspect: SuspectLine) -> list[str]:
    change = words.change_line(suspect)
    lines = [
        f"**{text(suspect_heading(suspect), 400)}** `{cause.id}`"
        + (f" · {text(change, 200)}" if change else "")
    ]
    lines += [f"- {text(fact, 300)}" for fact in cause.details.facts[:5]]
    lines += [f"**Fix:** {text(suspect.fix, 1200)}"] if suspect.fix else []
    others = view.other_suspects
    lines += [f"**{words.OTHER_SUSPECTS}:**"] if others else []
    return lines + [f"- {text(words.other_suspect_line(other), 400)}" for other in others]


def _cause(view: AlertView) -> list[str]:
    explanation, cause = view.detail.explanation, view.cause
    if cause is None:
        gap = explanation.gap
        return [f"_{text(words.not_confirmed(gap), 400)}_"] if gap else []
    if cause.suspect is not None:
        return _suspect(view, cause, cause.suspect)
    lines = [
        f"**{words.cause_heading(cause.confirmed)}:** {text(cause.problem.title, 300)} `{cause.id}`",
        text(cause.details.root_cause, 1200),
    ]
    lines += [f"- {text(fact, 300)}" for fact in cause.details.facts[:5]]
    for number, step in enumerate(cause.steps[:3], 1):
        lines.append(f"{number}. {text(step.text, 400)}")
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
