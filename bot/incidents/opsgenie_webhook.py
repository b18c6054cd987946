"""The alert webhook of Opsgenie and of Jira Service Management (its successor), read into a `Page`.

Both send the same body from their Webhook integration (Atlassian's "Alert action data" page
documents JSM's with Opsgenie's own samples), so one parser reads both; `tool` says which sent it.

`{"action": "Create", "alert": {...}, "source": {...}, "integrationName": ...}`: the action
(`Create`, `Acknowledge`, `Close`; others, such as `AddNote`, are answered and ignored), and the
alert: alertId, tinyId, alias, message, description, details (with "Add alert details to
payload"; Alertmanager puts the group's common labels there), tags, priority, createdAt and
updatedAt. An action carries no id of its own: the alert, the action and when the alert was last
updated tell a replay apart.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import first_problem
from bot.incidents.pages import TOOL_LABELS, BadPage, Happened, Page
from bot.runtime import json_depth
from responses.redaction import EMPTY, redact

ACTIONS: dict[str, Happened] = {
    "Create": "triggered",
    "Acknowledge": "acknowledged",
    "Close": "resolved",
}
AlertTool = Literal["opsgenie", "jsm"]
PRIORITIES = {"P1": "critical", "P2": "critical", "P3": "warning", "P4": "info", "P5": "info"}


class _Alert(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    alert_id: str = Field(alias="alertId", min_length=1, max_length=128)
    tiny_id: str | None = Field(default=None, alias="tinyId")
    alias: str | None = None
    message: str = ""
    description: str = ""
    details: dict[str, Any] | None = None
    priority: str | None = None
    username: str | None = None
    created_at: int | None = Field(default=None, alias="createdAt")
    updated_at: int | None = Field(default=None, alias="updatedAt")


def parse_opsgenie(body: bytes, *, now: datetime, tool: AlertTool = "opsgenie") -> Page | None:
    """The page in an Opsgenie (or JSM) webhook body; None for an action kubemedic does not act on."""
    document = _document(body, TOOL_LABELS[tool])
    happened = ACTIONS.get(str(document.get("action") or ""))
    if happened is None:
        return None
    try:
        alert = _Alert.model_validate(document.get("alert"))
    except ValidationError as exc:
        raise BadPage(
            f"not an alert of {TOOL_LABELS[tool]}: {first_problem(exc, whole='alert')}"
        ) from None
    occurred = _when(alert.updated_at) or _when(alert.created_at) or now
    return Page(
        tool=tool,
        target=alert.alert_id,
        happened=happened,
        event_id=_event_id(alert, str(document.get("action"))),
        occurred_at=occurred,
        title=redact(alert.message[:1024]),
        number=alert.tiny_id,
        dedup_key=(alert.alias or "")[:255] or None,
        severity=PRIORITIES.get(alert.priority or ""),
        details=alert.details,
        description=redact(alert.description[:4000]) if alert.description else EMPTY,
        by=redact(alert.username[:255]) if alert.username else None,
    )


def _document(body: bytes, label: str) -> dict[str, Any]:
    expected = f'a webhook of {label}: {{"action": ..., "alert": {{...}}}}'
    try:
        document = json_depth.loads_object(body, expected=expected)
    except json_depth.NotAnObject as exc:
        raise BadPage(str(exc)) from None
    if not isinstance(document.get("alert"), dict):
        raise BadPage(f"expected {expected}")
    return document


def _event_id(alert: _Alert, action: str) -> str:
    """The same for the same action on the same alert at the same update (a replay)."""
    seen = f"{alert.alert_id}\n{action}\n{alert.updated_at or alert.created_at or ''}"
    return hashlib.sha256(seen.encode()).hexdigest()[:40]


def _when(value: int | None) -> datetime | None:
    """The webhook's times: createdAt in milliseconds, updatedAt in nanoseconds since the epoch."""
    if not value:
        return None
    seconds = value / 1e9 if value > 10**14 else value / 1e3
    try:
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None
