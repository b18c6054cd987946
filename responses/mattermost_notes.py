"""Mattermost Markdown for what the bot posts on its own: alert and watcher messages, roll-ups,
thread notes, and the incident summary. The words are the ones Slack's renderers use
(responses.alert_view, responses.summary_text); only the markup differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from responses import alert_view as words
from responses.alert_view import AlertView
from responses.links import web_url
from responses.mattermost_post import MAX_MESSAGE, code, text
from responses.mrkdwn import clip
from responses.summary import Summary
from responses.summary_text import render_summary_text


def _links(view: AlertView) -> list[str]:
    alert, cause = view.detail.get("alert") or {}, view.cause or {}
    incident = words.incident_link(view.detail)
    shown = [f"[{text(incident[0], 120)}]({incident[1]})"] if incident else []
    shown += (
        [f"[Runbook]({alert['runbook_url']})"]
        if web_url(str(alert.get("runbook_url") or ""))
        else []
    )
    titles: Mapping[str, str] = cause.get("link_titles") or {}
    shown += [
        f"[{text(titles.get(url, url), 120)}]({url})"
        for url in (cause.get("links") or [])[:4]
        if web_url(str(url))
    ]
    shown += (
        [f"[Graph]({alert['generator_url']})"]
        if web_url(str(alert.get("generator_url") or ""))
        else []
    )
    return [" · ".join(shown)] if shown else []


def _suspect(view: AlertView, cause: Mapping[str, Any]) -> list[str]:
    change = words.change_line(cause)
    lines = [
        f"**{text(words.suspect_heading(cause), 400)}** `{cause.get('id')}`"
        + (f" · {text(change, 200)}" if change else "")
    ]
    lines += [f"- {text(str(fact), 300)}" for fact in (cause.get("evidence") or [])[:5]]
    lines += (
        [f"**Fix:** {text(str(cause['suspect_fix']), 1200)}"] if cause.get("suspect_fix") else []
    )
    others = view.other_suspects
    lines += [f"**{words.OTHER_SUSPECTS}:**"] if others else []
    return lines + [f"- {text(words.other_suspect_line(other), 400)}" for other in others]


def _cause(view: AlertView) -> list[str]:
    explanation = view.detail.get("explanation") or {}
    cause = view.cause
    if view.suspect is not None:
        return _suspect(view, view.suspect)
    if cause is None:
        return (
            [f"_{text(words.not_confirmed(explanation.get('gap')), 400)}_"]
            if explanation.get("gap")
            else []
        )
    confirmed = bool(explanation.get("confirmed"))
    lines = [
        f"**{words.cause_heading(confirmed)}:** {text(str(cause.get('title')), 300)} `{cause.get('id')}`",
        text(str(cause.get("root_cause") or ""), 1200),
    ]
    lines += [f"- {text(str(fact), 300)}" for fact in (cause.get("evidence") or [])[:5]]
    for number, step in enumerate((cause.get("fix") or [])[:3], 1):
        lines.append(f"{number}. {text(str(step.get('text', '')), 400)}")
        lines += [code(str(step["command"]), 600)] if step.get("command") else []
    return lines


def alert_message(view: AlertView) -> str:
    """The whole alert or watcher message; the catalog id is named as in every diagnosis."""
    alert = view.detail.get("alert") or {}
    head = f"#### {text(words.heading(view), 200)}"
    state = text(words.state_line(view), 300) + (
        f" · `{view.catalog_id}`" if view.catalog_id else ""
    )
    lines = [head, state]
    lines += [f"**{text(str(alert['summary']), 300)}**"] if alert.get("summary") else []
    lines += [text(str(alert["description"]), 1200)] if alert.get("description") else []
    detection = view.detail.get("detection") or {}
    if detection:
        lines.append(
            f"{text(str(detection.get('reason')), 80)} in {text(str(detection.get('owner')), 300)}"
        )
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
