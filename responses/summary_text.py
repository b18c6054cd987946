"""An incident `Summary` as terminal text or Markdown (post-mortems), plus shared wording.

The wording helpers (status line, incident line, timeline line) are used by
the Block Kit renderer too, so Slack and the post-mortem say the same thing.
They return raw text; each renderer redacts and escapes for its medium.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from responses.links import web_url
from responses.redaction import redact
from responses.summary import IncidentItem, Person, Resources, Summary, TeamAction, TimelineItem

TITLE = "Incident summary"
KIND_LABEL = {
    "error": "error",
    "diagnosis": "diagnosis",
    "remediation": "action",
    "fix": "fix",
    "feedback": "feedback",
    "note": "note",
}
TEAM_TITLE = "What the team did"
PEOPLE_TITLE = "People"
LINE_CHARS = 300


def duration(delta: timedelta) -> str:
    """ "2h 13m", "3d 4h", "45s"."""
    seconds = max(int(delta.total_seconds()), 0)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m" if minutes else f"{seconds}s"


def clock(when: datetime | None, *, day: bool = False) -> str:
    if when is None:
        return "-"
    return when.strftime("%b %d %H:%M UTC" if day else "%H:%M")


def status_line(summary: Summary) -> str:
    if summary.started is None:
        return "Ongoing: no messages recorded yet"
    how_long = duration(summary.duration_end - summary.started)
    since = clock(summary.started, day=True)
    if summary.status == "mitigated":
        return (
            f"Mitigated after {how_long} (started {since}, mitigated {clock(summary.mitigated_at)})"
        )
    last = clock(summary.last_activity)
    return (
        f"Ongoing for {how_long} (since {since}, last activity {last}, {summary.messages} messages)"
    )


def incident_line(item: IncidentItem) -> str:
    votes = f", feedback {item.helpful}+/{item.not_this}-" if item.helpful or item.not_this else ""
    return (
        f"{item.title} - {item.confidence} confidence, first {clock(item.first_seen)}, "
        f"last {clock(item.last_seen)}, {item.messages} message{'s' if item.messages != 1 else ''}{votes}"
    )


def timeline_line(item: TimelineItem, summary: Summary) -> str:
    who = summary.name_of(item.who)
    by = f" ({who})" if who else ""
    return f"{clock(item.when)} {KIND_LABEL[item.kind]}: {item.text[:LINE_CHARS]}{by}"


def action_line(action: TeamAction, summary: Summary) -> str:
    """ "09:13 deepa: bumping the limit to 1Gi"."""
    return f"{clock(action.when)} {summary.name_of(action.who) or 'someone'}: {action.what[:LINE_CHARS]}"


def person_line(person: Person, summary: Summary) -> str:
    """ "deepa: 4 messages since 09:05, 2 fixes"."""
    fixes = f", {person.fixes} fix{'es' if person.fixes != 1 else ''}" if person.fixes else ""
    messages = f"{person.messages} message{'s' if person.messages != 1 else ''}"
    return f"{summary.name_of(person.user)}: {messages} since {clock(person.first)}{fixes}"


def resource_lines(resources: Resources) -> list[tuple[str, tuple[str, ...]]]:
    kinds = (
        ("Clusters", resources.clusters),
        ("Namespaces", resources.namespaces),
        ("Pods", resources.pods),
        ("Nodes", resources.nodes),
    )
    return [(label, names) for label, names in kinds if names]


def earlier(summary: Summary, shown: int) -> str | None:
    left = summary.timeline_total - shown
    return f"…and {left} earlier event{'s' if left != 1 else ''}" if left > 0 else None


def render_summary_text(summary: Summary, *, markdown: bool = False) -> str:
    """The whole summary as plain text, or as Markdown with `markdown=True`."""
    h1, h2, bullet, code = ("# ", "## ", "- ", "`") if markdown else ("", "", "  - ", "")
    lines = [f"{h1}{TITLE}: {summary.channel}", "", status_line(summary), ""]
    lines.append(f"{h2}Incidents detected" if markdown else "Incidents detected:")
    for item in summary.incidents:
        lines.append(f"{bullet}{code}{item.catalog_id}{code} {incident_line(item)}")
    if not summary.incidents:
        lines.append(f"{bullet}none recognised yet")
    if not summary.resources.is_empty():
        lines += ["", f"{h2}Affected resources" if markdown else "Affected resources:"]
        lines += [
            f"{bullet}{label}: {', '.join(names)}"
            for label, names in resource_lines(summary.resources)
        ]
    lines += ["", f"{h2}Timeline" if markdown else "Timeline:"]
    note = earlier(summary, len(summary.timeline))
    lines += [f"{bullet}{note}"] if note else []
    lines += [f"{bullet}{timeline_line(item, summary)}" for item in summary.timeline]
    if summary.actions:
        lines += ["", f"{h2}{TEAM_TITLE}" if markdown else f"{TEAM_TITLE}:"]
        lines += [f"{bullet}{action_line(action, summary)}" for action in summary.actions]
    if summary.involved:
        lines += ["", f"{h2}{PEOPLE_TITLE}" if markdown else f"{PEOPLE_TITLE}:"]
        lines += [f"{bullet}{person_line(person, summary)}" for person in summary.involved]
    fixes = [(item.catalog_id, link) for item in summary.incidents for link in item.links]
    if fixes:
        lines += ["", f"{h2}Fixes" if markdown else "Fixes:"]
        for cid, link in fixes:
            shown = (
                f"[{link.title}]({link.url})"
                if markdown and web_url(link.url)
                else f"{link.title}: {link.url}"
            )
            lines.append(f"{bullet}{code}{cid}{code} {shown}")
    if summary.partial:
        lines += ["", "Note: the channel history could not be read completely."]
    return redact("\n".join(lines)) + "\n"
