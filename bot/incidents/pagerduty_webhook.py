"""PagerDuty's v3 webhook: one event per request, `{"event": {...}}`, read into a `Page`.

The event names its type (`incident.triggered`, `incident.acknowledged`, `incident.resolved`;
others, such as the subscription's `pagey.ping`, are answered and ignored), its own id (what
tells a replay apart), when it occurred, who did it (`agent`), and the incident (`data`): id,
number, title, status, incident_key, service, urgency, html_url. The incident's custom details
are not in it: they are read from the REST API (its alerts' `body.details`) before the page is
accepted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import first_problem
from bot.incidents.pages import BadPage, Happened, Page, http_url
from bot.runtime import json_depth
from responses.redaction import redact

EVENTS: dict[str, Happened] = {
    "incident.triggered": "triggered",
    "incident.acknowledged": "acknowledged",
    "incident.resolved": "resolved",
}


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Reference(_Loose):
    id: str = ""
    summary: str = ""
    html_url: str | None = None


class _Incident(_Loose):
    id: str = Field(min_length=1, max_length=64)
    type: str = "incident"
    number: int | None = None
    title: str = ""
    status: str = ""
    incident_key: str | None = None
    html_url: str | None = None
    urgency: str | None = None
    service: _Reference | None = None
    priority: _Reference | None = None
    body: dict[str, Any] | None = None


class _Event(_Loose):
    id: str = Field(min_length=1, max_length=200)
    event_type: str
    resource_type: str = ""
    occurred_at: datetime
    agent: _Reference | None = None
    data: dict[str, Any] = Field(default_factory=dict)


def parse_pagerduty(body: bytes) -> Page | None:
    """The page in a v3 webhook body; None for an event kubemedic does not act on. BadPage."""
    event = _event(body)
    happened = EVENTS.get(event.event_type)
    if happened is None:
        return None
    try:
        incident = _Incident.model_validate(event.data)
    except ValidationError as exc:
        raise BadPage(f"not a PagerDuty incident: {first_problem(exc)}") from None
    details = (incident.body or {}).get("details")
    return Page(
        tool="pagerduty",
        target=incident.id,
        happened=happened,
        event_id=event.id,
        occurred_at=event.occurred_at,
        title=redact(incident.title[:1024]),
        url=http_url(incident.html_url),
        number=str(incident.number) if incident.number is not None else None,
        dedup_key=(incident.incident_key or "")[:255] or None,
        service=redact(incident.service.summary[:255]) if incident.service else None,
        severity=_severity(incident),
        details=details if isinstance(details, dict) else None,
        by=redact(event.agent.summary[:255]) if event.agent and event.agent.summary else None,
    )


def _event(body: bytes) -> _Event:
    expected = 'a PagerDuty v3 webhook: {"event": {...}}'
    try:
        document = json_depth.loads_object(body, expected=expected)
    except json_depth.NotAnObject as exc:
        raise BadPage(str(exc)) from None
    if not isinstance(document.get("event"), dict):
        raise BadPage(f"expected {expected}")
    try:
        return _Event.model_validate(document["event"])
    except ValidationError as exc:
        raise BadPage(f"not a PagerDuty v3 event: {first_problem(exc)}") from None


def _severity(incident: _Incident) -> str | None:
    """PagerDuty's urgency as a severity routing understands (high: critical, low: warning)."""
    return {"high": "critical", "low": "warning"}.get((incident.urgency or "").lower())
