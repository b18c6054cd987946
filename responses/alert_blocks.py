"""An alert or watcher message as Slack Block Kit: compact, one message per problem.

Header and a state line ("firing for..., notified 4 times" / "resolved after
14 min"), the catalog id (so people can search for it), the alert's own
summary and description, the cause - confirmed by cluster facts, or what
the alert usually means, marked as not confirmed - with its first fix steps
and links (the alert's runbook_url first), the diagnosed target, other
alerts of the group, and the Mute buttons while it fires. Every text is
redacted, escaped and clipped like any other kubemedic message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from responses import alert_view as words
from responses.alert_detail import AlertDetail, AlertTexts
from responses.alert_view import (
    ALERT_TICKET,
    MUTE_ACTION_PREFIX,
    MUTE_BLOCK_ID,
    MUTE_CHOICES,
    AlertView,
)
from responses.answer_view import Headline, Step
from responses.block_notices import slack_time
from responses.block_parts import Block, context, header, section
from responses.buttons import ButtonSpec, button
from responses.mrkdwn import bullets, clip, code_block, inline_code, link, plain, safe
from responses.ticket_text import TICKET_BUTTON

TEXT_LIMIT = 1500
LINKS = 4
PODS = 5
ROLLUP_SHOWN = 40


def alert_blocks(view: AlertView) -> list[dict[str, Any]]:
    """The whole message (at most ~12 blocks)."""
    blocks: list[Block] = [header(plain(words.heading(view), 150)), context(*_context(view))]
    if view.mention and view.status == "firing":
        blocks.append(section(view.mention))
    rerouted = view.detail.rerouted
    if rerouted is not None:
        blocks.append(context(safe(words.rerouted(rerouted.channel, rerouted.error), 600)))
    blocks += _fleet(view)
    blocks += _alert_texts(view.detail)
    blocks += _cause(view)
    blocks += _target(view.detail)
    blocks += _others(view.detail)
    if view.muted:
        until = slack_time(view.muted_until) if view.muted_until else ""
        blocks.append(context(words.muted_line(view, until)))
    if view.status == "firing":
        blocks.append(mute_buttons(view.key, ticket=view.detail.tickets))
    return blocks


def fallback_text(view: AlertView) -> str:
    """The plain `text` (notifications): heading, catalog id, state."""
    catalog = f" (`{view.catalog_id}`)" if view.catalog_id else ""
    return safe(f"{words.heading(view)}{catalog}: {words.state_line(view)}", 3000)


def rollup_text(titles: Sequence[str], total: int) -> str:
    """The roll-up's plain text: how many groups it lists."""
    return safe(words.rollup_heading(total), 300)


def rollup_blocks(titles: Sequence[str], total: int) -> list[dict[str, Any]]:
    """One message listing the alert groups a busy channel did not get one by one."""
    listed = [safe(title, 200) for title in titles[:ROLLUP_SHOWN]]
    return [
        section(f"*{safe(words.rollup_heading(total), 300)}*"),
        section(bullets(listed, 2800, what="groups", total=total)),
        context(safe(words.ROLLUP_HINT, 300)),
    ]


def note_blocks(note: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [section(safe(words.note_text(note), TEXT_LIMIT))]


def mute_buttons(key: str, *, ticket: bool = False) -> Block:
    """The Mute buttons (and "Open ticket", with Jira set up)."""
    specs = [
        ButtonSpec(f"{MUTE_ACTION_PREFIX}{choice}", label, json.dumps({"k": key, "d": choice}))
        for choice, label in MUTE_CHOICES.items()
    ]
    if ticket:
        specs.append(ButtonSpec(ALERT_TICKET, TICKET_BUTTON, key))
    return {
        "type": "actions",
        "block_id": MUTE_BLOCK_ID,
        "elements": [button(spec) for spec in specs],
    }


def _context(view: AlertView) -> list[str]:
    detail = view.detail
    alert = detail.alert or AlertTexts()
    parts = [safe(words.state_line(view), 300)]
    if view.catalog_id:
        parts.append(inline_code(view.catalog_id, 80))
    cluster = detail.cluster or alert.cluster
    if cluster and not words.fleet_clusters(view):  # a fleet thread lists its clusters below
        parts.append(f"cluster {safe(cluster, 100)}")
    if alert.severity:
        parts.append(f"severity {safe(alert.severity, 40)}")
    parts.append(f"since {slack_time(view.first_seen)}")
    return parts


def _fleet(view: AlertView) -> list[Block]:
    """A fleet-wide incident's roll-call: every cluster that took part, failing or resolved."""
    clusters = words.fleet_clusters(view)
    if not clusters:
        return []
    rows = [
        (":white_check_mark: " if state.resolved_at else ":red_circle: ")
        + safe(words.cluster_state(name, state, view.now), 300)
        for name, state in sorted(clusters.items())
    ]
    return [section("*Clusters*\n" + bullets(rows, 2500, what="clusters"))]


def _alert_texts(detail: AlertDetail) -> list[Block]:
    alert, detection = detail.alert or AlertTexts(), detail.detection
    lines = []
    if alert.summary:
        lines.append(f"*{safe(alert.summary, 300)}*")
    if alert.description:
        lines.append(safe(alert.description, TEXT_LIMIT))
    if detection is not None:
        lines.append(
            f"{safe(detection.reason, 80)} in {safe(detection.owner, 300)} "
            f"(first: {inline_code(detection.first, 120)})"
        )
        if detection.message:
            lines.append(safe(detection.message, 600))
    if detail.kind == "unmapped":
        lines.append(f"_{words.unmapped_line(detail)}_")
    return [section("\n".join(lines))] if lines else []


def _no_cause(view: AlertView) -> list[Block]:
    """What was not confirmed (when said), then the alert's own links."""
    gap = view.detail.explanation.gap
    return ([context(safe(words.not_confirmed(gap), 600))] if gap else []) + _links(
        view.detail, None
    )


def _cause(view: AlertView) -> list[Block]:
    """The first suspect or the cause, its facts and fix, the other suspects; then the links (the
    alert's own runbook and graph go with it even when no cause is found)."""
    shown = words.cause_shown(view)
    if shown is None:
        return _no_cause(view)
    change = f" · {safe(shown.change, 200)}" if shown.change else ""
    body = [f"*{safe(shown.heading, 400)}* {inline_code(shown.id, 80)}{change}"]
    body += [safe(shown.root_cause, TEXT_LIMIT)] if shown.root_cause else []
    body += (
        [bullets([safe(e, 300) for e in shown.facts], 1500, what="facts")] if shown.facts else []
    )
    body += [f"_{safe(shown.unsure, 600)}_"] if shown.unsure else []
    body += [_fix(shown.steps)] if shown.steps else []
    body += [_other_suspects(shown.others)] if shown.others else []
    return [section(clip("\n".join(body), 2900)), *_links(view.detail, view.cause)]


def _other_suspects(others: Sequence[str]) -> str:
    """The other suspects, as bullets under their title."""
    lines = [safe(other, 400) for other in others]
    return f"*{words.OTHER_SUSPECTS}*\n" + bullets(lines, 1200, what="suspects")


def _fix(steps: tuple[Step, ...]) -> str:
    if len(steps) == 1 and not steps[0].command:
        return f"*Fix*: {safe(steps[0].text, 1200)}"
    lines = [
        f"{n}. {safe(s.text, 400)}" + (f"\n{code_block(s.command, 600)}" if s.command else "")
        for n, s in enumerate(steps, 1)
    ]
    return "*Fix*\n" + "\n".join(lines)


def _links(detail: AlertDetail, cause: Headline | None) -> list[Block]:
    alert = detail.alert or AlertTexts()
    shown: list[str] = []
    page = words.page_link(detail)
    if page is not None:
        shown.append(link(page[1], page[0]))
    if alert.runbook_url:
        shown.append(link(alert.runbook_url, "Runbook"))
    catalog = cause.details.links if cause is not None else ()
    for item in catalog[: LINKS - len(shown)]:
        shown.append(link(item.url, item.title))
    if alert.generator_url:
        shown.append(link(alert.generator_url, "Graph"))
    return [context(" · ".join(shown))] if shown else []


def _pod_row(pod: Mapping[str, Any]) -> str:
    """A diagnosed pod: its name, status and cause."""
    cause = f" → {inline_code(str(pod['cause']), 80)}" if pod.get("cause") else ""
    return f"{inline_code(str(pod.get('pod')), 120)} {safe(str(pod.get('status')), 60)}{cause}"


def _pod_rows(pods: Sequence[Mapping[str, Any]]) -> list[str]:
    """The diagnosed pods as bullets (none when there are none)."""
    if not pods:
        return []
    return [bullets([_pod_row(pod) for pod in pods[:PODS]], 1200, what="pods", total=len(pods))]


def _target(detail: AlertDetail) -> list[Block]:
    diagnosis = detail.explanation.diagnosis or {}
    if not diagnosis:
        return []
    lines = [f"*Diagnosed:* {safe(str(diagnosis.get('subject')), 200)}"]
    lines += [f"_{safe(str(note), 300)}_" for note in (diagnosis.get("notes") or [])[:2]]
    lines += _pod_rows(diagnosis.get("pods") or [])
    gaps = [safe(str(g), 200) for g in (diagnosis.get("gaps") or [])[:3]]
    if gaps:
        lines.append("Could not read: " + "; ".join(gaps))
    return [context(clip("\n".join(lines), 2000))]


def _others(detail: AlertDetail) -> list[Block]:
    if not detail.others:
        return []
    rows = [
        safe(other.what, 200)
        + (f" {inline_code(other.catalog_id, 80)}" if other.catalog_id else "")
        for other in detail.others
    ]
    return [context(clip("*Also in this group:*\n" + bullets(rows, 1500, what="alerts"), 2000))]
