"""An incident `Summary` as one Block Kit message, within Slack's limits for any channel.

The message has a fixed shape of at most 15 blocks whatever the channel's
size: long lists are cut with "…and N more", and the timeline keeps its
latest moments ("…and N earlier events"), so 10,000 messages render like 10.
Every text is redacted, escaped and clipped through `responses.mrkdwn`.
"""

from __future__ import annotations

from typing import Any

from responses.block_parts import SECTION_LIMIT, Block, context, divider, header, section
from responses.mrkdwn import bullets, inline_code, link, safe
from responses.summary import Summary
from responses.summary_text import (
    PEOPLE_TITLE,
    TEAM_TITLE,
    TITLE,
    action_line,
    clock,
    earlier,
    incident_line,
    person_line,
    resource_lines,
    status_line,
    timeline_line,
)

MAX_INCIDENTS = 10
MAX_NAMES = 20
TIMELINE_SECTIONS = 3
MAX_LINKS = 15
FALLBACK_CHARS = 1000
STATUS_ICON = {"ongoing": ":red_circle:", "mitigated": ":large_green_circle:"}


def _status(summary: Summary) -> Block:
    return section(f"{STATUS_ICON[summary.status]} *{safe(status_line(summary), 2000)}*")


def _incidents(summary: Summary) -> Block:
    items = [
        f"{inline_code(i.catalog_id, 80)} {safe(incident_line(i), 400)}"
        for i in summary.incidents[:MAX_INCIDENTS]
    ]
    body = bullets(items, SECTION_LIMIT - 40, what="incidents", total=len(summary.incidents))
    return section("*Incidents detected*\n" + (body or "None recognised yet."))


def _resources(summary: Summary) -> Block | None:
    rows = resource_lines(summary.resources)
    if not rows:
        return None
    lines = []
    for label, names in rows:
        more = f" …and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else ""
        lines.append(
            f"*{label}:* " + ", ".join(inline_code(n, 120) for n in names[:MAX_NAMES]) + more
        )
    return section(safe_join(lines, SECTION_LIMIT - 40, "*Affected resources*"))


def safe_join(lines: list[str], limit: int, title: str) -> str:
    """Title plus lines (already safe) that fit in `limit` characters."""
    text = title
    for line in lines:
        if len(text) + len(line) + 1 > limit:
            break
        text += "\n" + line
    return text


def _latest_chunks(summary: Summary) -> list[list[str]]:
    """The timeline's lines, newest first, in at most TIMELINE_SECTIONS sections' worth."""
    chunks: list[list[str]] = []
    current: list[str] = []
    size = 0
    for item in reversed(summary.timeline):
        line = "• " + safe(timeline_line(item, summary), 500)
        if size + len(line) + 1 > SECTION_LIMIT - 60:
            chunks.append(current)
            if len(chunks) == TIMELINE_SECTIONS:
                return chunks
            current, size = [], 0
        current.append(line)
        size += len(line) + 1
    return [*chunks, current]


def _timeline(summary: Summary) -> list[Block]:
    """The latest moments that fit in a few sections, oldest first."""
    chunks = _latest_chunks(summary)
    shown = sum(len(chunk) for chunk in chunks)
    chunks = [list(reversed(chunk)) for chunk in reversed(chunks) if chunk]
    note = earlier(summary, shown)
    if note and chunks:
        chunks[0].insert(0, f"_{safe(note, 80)}_")
    if not chunks:
        return [section("*Timeline*\nNothing yet.")]
    return [
        section(("*Timeline*\n" if n == 0 else "") + "\n".join(c)) for n, c in enumerate(chunks)
    ]


def _fixes(summary: Summary) -> Block | None:
    lines = [
        f"{inline_code(item.catalog_id, 80)} "
        + ", ".join(link(f.url, f.title, 300) for f in item.links[:3])
        for item in summary.incidents[:MAX_LINKS]
        if item.links
    ]
    return section(safe_join(lines, SECTION_LIMIT - 40, "*Fixes*")) if lines else None


def _listed(title: str, lines: list[str], what: str) -> Block | None:
    """A titled list of raw lines, made safe and cut with "…and N more" to fit one section."""
    if not lines:
        return None
    shown = [safe(line, 400) for line in lines]
    return section(f"*{title}*\n" + bullets(shown, SECTION_LIMIT - 40, what=what, total=len(lines)))


def _footer(summary: Summary) -> Block:
    notes = [f"Updated {clock(summary.updated, day=True)}", "kubemedic keeps this message current"]
    if summary.partial:
        notes.append("channel history only partly read")
    return context(" · ".join(notes))


def summary_blocks(summary: Summary) -> list[dict[str, Any]]:
    """The summary as block dicts (at most 15 blocks, every text within its limit)."""
    blocks: list[Block | None] = [
        header(f"{TITLE}: #{summary.channel}"),
        _status(summary),
        _incidents(summary),
        _resources(summary),
        divider(),
        *_timeline(summary),
        _listed(TEAM_TITLE, [action_line(a, summary) for a in summary.actions], "fixes"),
        _listed(PEOPLE_TITLE, [person_line(p, summary) for p in summary.involved], "people"),
        _fixes(summary),
        _footer(summary),
    ]
    return [block for block in blocks if block is not None]


def summary_fallback(summary: Summary) -> str:
    """The notification text of the summary message."""
    ids = (
        ", ".join(item.catalog_id for item in summary.incidents[:5]) or "no incident recognised yet"
    )
    return safe(
        f"{TITLE} #{summary.channel}: {status_line(summary)}. Incidents: {ids}", FALLBACK_CHARS
    )
