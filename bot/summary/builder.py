"""Build an incident `Summary` from what was recorded: a pure function, no I/O.

Inputs are the channel's recorded messages (already redacted), the
diagnoses the bot posted there, the remediation audit rows and feedback
counts. Only people's messages are matched against the catalog, and only
high or medium matches count as incidents, as for pasted errors. Incident
channels fill with repeated log pastes, so identical texts are matched once
and every text is capped: 10,000 messages build in well under a second or two.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.paste_input import MIN_PASTE_CHARS
from bot.storage.ask_records import CHOICE_AUDIT_KINDS
from bot.storage.records import AuditRecord, ChannelMessage, DiagnosisRecord, FeedbackStat
from bot.summary.resources import ResourceSets
from bot.summary.team_actions import team_action
from intents.advice import SeenContext, advice_for
from intents.matcher import Matcher
from intents.results import Match
from responses.redaction import redact_clipped
from responses.summary import FixLink, IncidentItem, Person, Summary, TeamAction, TimelineItem

MATCH_CHARS = 4000
"""The most of one message given to the matcher (the start of a paste names the error)."""
SCAN_CHARS = 4000
MAX_TIMELINE = 200
MAX_DISTINCT_TEXTS = 2000
"""Distinct texts matched per summary (at most about 2 s of matching)."""
_DIGITS = re.compile(r"[0-9]+")
_MITIGATED = re.compile(
    r"\b(?:mitigated|resolved|recovered|rolled back|all clear)\b", re.IGNORECASE
)
_JOINED = re.compile(r"^\S{1,100} has joined the channel$")
MAX_ACTIONS = 30
MAX_PEOPLE = 50
_POD_SUBJECT = re.compile(r"^pod ([a-z0-9-]{1,63})/(\S{1,253})$")


@dataclass(frozen=True)
class SummaryInputs:
    """Everything one summary is built from."""

    channel: str
    messages: Sequence[ChannelMessage] = ()
    diagnoses: Sequence[DiagnosisRecord] = ()
    audit: Sequence[AuditRecord] = ()
    feedback: Sequence[FeedbackStat] = ()
    partial: bool = False
    people: dict[str, str] = field(default_factory=dict)


@dataclass
class _Seen:
    match: Match
    first: datetime
    last: datetime
    count: int = 0
    best: float = 0.0


@dataclass
class _Draft:
    incidents: dict[str, _Seen] = field(default_factory=dict)
    timeline: list[TimelineItem] = field(default_factory=list)
    resources: ResourceSets = field(default_factory=ResourceSets)
    last_error: datetime | None = None
    mitigated_at: datetime | None = None
    actions: list[TeamAction] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)


def _key(text: str) -> str:
    return _DIGITS.sub("0", text[:MATCH_CHARS])


def _match_all(matcher: Matcher, messages: Sequence[ChannelMessage]) -> list[Match | None]:
    """Each message's incident (high/medium only), matching each text once, newest texts first.

    Numbers do not make a text new (timestamps, pod hashes); past MAX_DISTINCT_TEXTS the
    older new texts go unmatched, so the bound costs the past, not the present.
    """
    cache: dict[str, Match | None] = {}
    for message in reversed(messages):
        text = message.text[:MATCH_CHARS]
        key = _key(text)
        if message.is_bot or key in cache or len(text.strip()) < MIN_PASTE_CHARS:
            continue
        if len(cache) >= MAX_DISTINCT_TEXTS:
            break
        cache[key] = _incident_match(matcher, text)
    return [None if m.is_bot else cache.get(_key(m.text)) for m in messages]


def _incident_match(matcher: Matcher, text: str) -> Match | None:
    """The text's high or medium match, with the links its own words call for."""
    found = matcher.match(text, top=1)
    if not found or found[0].confidence not in ("high", "medium"):
        return None
    # the incident's links: a product's own pages only when the message names the product
    return replace(found[0], entry=advice_for(found[0].entry, SeenContext(text=text)))


def _person(draft: _Draft, message: ChannelMessage, when: datetime) -> str | None:
    """Count the message for its author and note a fix it reports; the fix, if any."""
    if message.is_bot or message.user is None or _JOINED.match(message.text.strip()):
        return None
    action = team_action(message.text)
    if action is not None:  # what people wrote is quoted: an export's text was never redacted
        action = redact_clipped(action, 500)
    old = draft.people.get(message.user)
    draft.people[message.user] = Person(
        message.user,
        old.first if old else when,
        (old.messages if old else 0) + 1,
        (old.fixes if old else 0) + (action is not None),
    )
    if action is not None:
        draft.actions.append(TeamAction(when, message.user, action))
        draft.timeline.append(TimelineItem(when, "fix", action, message.user))
    return action


def _message(draft: _Draft, message: ChannelMessage, match: Match | None) -> None:
    when = message.posted_at
    assert when is not None
    draft.resources.scan(message.text[:SCAN_CHARS])
    _person(draft, message, when)
    if match is None:
        if not message.is_bot and _MITIGATED.search(message.text[:SCAN_CHARS]):
            draft.mitigated_at = when
            draft.timeline.append(
                TimelineItem(when, "note", redact_clipped(message.text, 200), message.user)
            )
        return
    seen = draft.incidents.get(match.id)
    if seen is None:
        seen = draft.incidents[match.id] = _Seen(match, when, when)
        draft.timeline.append(
            TimelineItem(
                when, "error", f"first `{match.id}` error: {match.entry.title}", message.user
            )
        )
    seen.last, seen.count, seen.best = when, seen.count + 1, max(seen.best, match.score)
    if seen.best == match.score:
        seen.match = match
    draft.last_error = when


def _diagnosis(draft: _Draft, record: DiagnosisRecord) -> None:
    if record.created_at is None:
        return
    matches = record.body.get("matches") or []
    top = matches[0] if matches else {}
    if record.cluster:
        draft.resources.add(draft.resources.clusters, record.cluster)
    pod = _POD_SUBJECT.match(record.subject)
    if pod:
        draft.resources.add(draft.resources.namespaces, pod.group(1))
        draft.resources.add(draft.resources.pods, f"{pod.group(1)}/{pod.group(2)}")
    cause = f"`{top['id']}` {top.get('title', '')}".strip() if top.get("id") else "no known cause"
    draft.timeline.append(
        TimelineItem(
            record.created_at, "diagnosis", f"diagnosed {record.subject}: {cause}", record.user
        )
    )


def _remediation(draft: _Draft, row: AuditRecord) -> None:
    when = row.updated_at or row.created_at
    if when is None:
        return
    draft.timeline.append(TimelineItem(when, "remediation", _remediation_text(row), row.user))
    if row.cluster:
        draft.resources.add(draft.resources.clusters, row.cluster)
    if row.namespace:
        draft.resources.add(draft.resources.namespaces, row.namespace)
    fixed = (
        row.outcome == "done" and row.kind not in CHOICE_AUDIT_KINDS
    )  # a choice changes no cluster
    if fixed and (draft.mitigated_at is None or when > draft.mitigated_at):
        draft.mitigated_at = when


def _remediation_text(row: AuditRecord) -> str:
    """`restart-pod shop/web-1: done - restarted`, at most 300 characters."""
    name = next((row.target[key] for key in ("name", "pod", "entry") if row.target.get(key)), "")
    where = "/".join(p for p in (row.namespace, str(name)) if p)
    detail = row.result or row.reason or row.dry_run_result or ""
    return (f"{row.kind} {where}: {row.outcome}" + (f" - {detail}" if detail else ""))[:300]


def _incident(seen: _Seen, votes: dict[str, FeedbackStat]) -> IncidentItem:
    entry, stat = seen.match.entry, votes.get(seen.match.id)
    return IncidentItem(
        catalog_id=entry.id,
        title=entry.title,
        confidence=seen.match.confidence,
        first_seen=seen.first,
        last_seen=seen.last,
        messages=seen.count,
        links=tuple(FixLink(link.url, link.title) for link in entry.links),
        helpful=stat.helpful if stat else 0,
        not_this=stat.not_this if stat else 0,
    )


def _diagnosed_incidents(draft: _Draft, inputs: SummaryInputs) -> list[IncidentItem]:
    """Causes the bot diagnosed (e.g. from the cluster) that no message named."""
    found: dict[str, IncidentItem] = {}
    for record in inputs.diagnoses:
        top = (record.body.get("matches") or [{}])[0]
        cid, when = top.get("id"), record.created_at
        if not (cid and when and _confident(top)) or cid in draft.incidents:
            continue
        found[cid] = _diagnosed(cid, top, when, found.get(cid))
    return list(found.values())


def _diagnosed(
    cid: str,
    top: dict[str, Any],
    when: datetime,
    old: IncidentItem | None,
) -> IncidentItem:
    """A diagnosed cause as an incident, seen first when `old` was, or now."""
    titles = top.get("link_titles") or {}
    links = tuple(FixLink(url, titles.get(url, url)) for url in top.get("links", []))
    first, messages = (old.first_seen, old.messages) if old else (when, 0)
    return IncidentItem(
        cid, str(top.get("title", cid)), str(top["confidence"]), first, when, messages, links
    )


def _confident(match: dict[str, Any]) -> bool:
    return match.get("confidence") in ("high", "medium")


def build_summary(inputs: SummaryInputs, *, matcher: Matcher, now: datetime) -> Summary:
    """The summary of one channel as of `now`."""
    live = _live(inputs.messages)
    draft = _recorded(inputs, live, matcher)
    incidents = _incidents(draft, inputs)
    draft.timeline += [_feedback(item) for item in incidents if item.helpful or item.not_this]
    timeline = sorted(draft.timeline, key=lambda item: item.when)
    started, last = _span(draft, live, timeline)
    mitigated = _mitigated(draft)
    return Summary(
        channel=inputs.channel,
        status="mitigated" if mitigated and incidents else "ongoing",
        updated=now,
        started=started,
        last_activity=last,
        mitigated_at=mitigated,
        messages=len(live),
        incidents=tuple(incidents),
        resources=draft.resources.freeze(),
        timeline=tuple(timeline[-MAX_TIMELINE:]),
        timeline_total=len(timeline),
        partial=inputs.partial,
        people=dict(inputs.people),
        actions=tuple(draft.actions[-MAX_ACTIONS:]),
        involved=tuple(draft.people.values())[:MAX_PEOPLE],
    )


def _recorded(inputs: SummaryInputs, live: list[ChannelMessage], matcher: Matcher) -> _Draft:
    """What the messages, the bot's diagnoses and the remediations say."""
    draft = _Draft()
    for message, match in zip(live, _match_all(matcher, live), strict=True):
        _message(draft, message, match)
    for record in inputs.diagnoses:
        _diagnosis(draft, record)
    for row in inputs.audit:
        _remediation(draft, row)
    return draft


def _live(messages: Sequence[ChannelMessage]) -> list[ChannelMessage]:
    """Messages still there, with text and a time."""
    return [m for m in messages if not m.deleted and m.text and m.posted_at is not None]


def _incidents(draft: _Draft, inputs: SummaryInputs) -> list[IncidentItem]:
    """Causes people's messages named and causes the bot diagnosed, oldest first."""
    votes = {stat.catalog_id: stat for stat in inputs.feedback}
    incidents = [_incident(seen, votes) for seen in draft.incidents.values()]
    incidents += _diagnosed_incidents(draft, inputs)
    return sorted(incidents, key=lambda item: (item.first_seen, item.catalog_id))


def _feedback(item: IncidentItem) -> TimelineItem:
    return TimelineItem(
        item.last_seen,
        "feedback",
        f"`{item.catalog_id}`: {item.helpful} helpful, {item.not_this} not this",
    )


def _mitigated(draft: _Draft) -> datetime | None:
    """When the incident was mitigated, if no error came after the last fix."""
    if draft.last_error is None or draft.mitigated_at is None:
        return draft.mitigated_at
    return draft.mitigated_at if draft.mitigated_at >= draft.last_error else None


def _span(
    draft: _Draft,
    live: list[ChannelMessage],
    timeline: list[TimelineItem],
) -> tuple[datetime | None, datetime | None]:
    """When the incident started (its first error, else its first moment) and its last moment."""
    moments = [m.posted_at for m in live if m.posted_at] + [t.when for t in timeline]
    errors = [t.when for t in timeline if t.kind == "error"] if draft.last_error else []
    return min(errors or moments, default=None), max(moments, default=None)
