"""A page, whatever tool sent it: the incident (or alert) it is about and what happened to it.

PagerDuty's v3 webhook and the alert webhook of Opsgenie and of its successor, Jira Service
Management, are read into a `Page` (pagerduty_webhook.py, opsgenie_webhook.py); everything after that
is the same for all three. Text from the page is outside
text: it is `Redacted` as it is read.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from responses.redaction import EMPTY, Redacted

Tool = Literal["pagerduty", "opsgenie", "jsm"]
Happened = Literal["triggered", "acknowledged", "resolved"]
TOOL_LABELS: dict[str, str] = {
    "pagerduty": "PagerDuty",
    "opsgenie": "Opsgenie",
    "jsm": "Jira Service Management",
}
PREFIXES: dict[str, str] = {"pagerduty": "pd", "opsgenie": "og", "jsm": "jsm"}
"""Each tool's prefix of inbox ids (`pd:<event id>`) and of its own chat threads' keys."""


class BadPage(ValueError):
    """The body is not the tool's webhook payload; the message is one line."""


class Page(BaseModel):
    """One incident event, as stored in the inbox until the leader processes it."""

    model_config = ConfigDict(frozen=True)

    tool: Tool
    target: str = Field(min_length=1, max_length=128)
    """Where notes go: the PagerDuty incident id, the Opsgenie (or JSM) alert id."""
    happened: Happened
    event_id: str = Field(min_length=1, max_length=200)
    occurred_at: datetime
    title: Redacted
    url: str | None = None
    number: str | None = None
    """How people name it: PagerDuty's incident number, an Opsgenie (or JSM) alert's tiny id."""
    dedup_key: str | None = None
    """PagerDuty's incident_key, Opsgenie's alias (Alertmanager sets both to its group's hash)."""
    service: Redacted | None = None
    severity: str | None = None
    details: dict[str, Any] | None = None
    """Its custom details (None: the tool's API could not be asked)."""
    description: Redacted = EMPTY
    by: Redacted | None = None
    """Who acknowledged or resolved it, when the tool says."""
    received_at: datetime | None = None
    """When kubemedic took it (later than `occurred_at` when the tool sent it again)."""

    @property
    def key(self) -> str:
        """The incident's record key: one note per incident, whatever its events."""
        return f"{self.tool}:{self.target}"

    @property
    def label(self) -> str:
        return TOOL_LABELS[self.tool]

    @property
    def inbox_id(self) -> str:
        return f"{PREFIXES[self.tool]}:{self.event_id}"

    @property
    def named(self) -> str:
        """ "PagerDuty incident #1234" / "Opsgenie alert 1791"."""
        what = "incident" if self.tool == "pagerduty" else "alert"
        number = (
            f" #{self.number}"
            if self.number and self.tool == "pagerduty"
            else (f" {self.number}" if self.number else "")
        )
        return f"{self.label} {what}{number}"


def http_url(value: object) -> str | None:
    """A link worth showing: http(s) only."""
    text = str(value or "").strip()
    return text if text.startswith(("https://", "http://")) and len(text) <= 2000 else None
