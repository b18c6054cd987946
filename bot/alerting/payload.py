"""Alertmanager's webhook payload (version "4"), as Alertmanager's notify/webhook sends it.

The models follow Alertmanager's `template.Data` plus the webhook's own
fields (version, groupKey, truncatedAlerts). Unknown fields are kept out
but accepted, because newer Alertmanagers add some (notification_reason,
routeLabels). A body that is not such a payload gets one line saying why,
never a traceback. Every text of the payload is `Redacted` as it is read (on a worker thread,
within the text CPU budget: bot/web/alertmanager.py), a label value cut at `LABEL_CHARS` and an
annotation at `ANNOTATION_CHARS`, saying so: an alert's text is outside text, shown and stored
as it is from here on.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import first_problem
from bot.runtime import json_depth
from responses.redaction import EMPTY, Redacted, redact_json

AlertStatus = Literal["firing", "resolved"]
IGNORED_ALERTS = frozenset({"Watchdog", "InfoInhibitor"})
"""Heartbeat and inhibition helpers of kube-prometheus: never posted."""
GO_ZERO_TIME = datetime(1, 1, 1, tzinfo=UTC)
LABEL_CHARS = 1_000
"""Characters of a label value kept (a Kubernetes name has at most 253)."""
ANNOTATION_CHARS = 8_000
"""Characters of an annotation kept (a description, a summary, a runbook link)."""
_CUT_AT = {
    "labels": LABEL_CHARS,
    "groupLabels": LABEL_CHARS,
    "commonLabels": LABEL_CHARS,
    "annotations": ANNOTATION_CHARS,
    "commonAnnotations": ANNOTATION_CHARS,
}


class BadPayload(ValueError):
    """The body is not an Alertmanager webhook payload; the message is one line."""


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Alert(_Loose):
    """One alert of a group."""

    status: AlertStatus
    labels: dict[str, Redacted] = Field(default_factory=dict)
    annotations: dict[str, Redacted] = Field(default_factory=dict)
    starts_at: datetime = Field(alias="startsAt")
    ends_at: datetime = Field(default=GO_ZERO_TIME, alias="endsAt")
    generator_url: Redacted = Field(default=EMPTY, alias="generatorURL")
    fingerprint: str = ""

    @property
    def name(self) -> str:
        return self.labels.get("alertname", "")

    @property
    def key(self) -> str:
        """What tells this alert apart within its group: Alertmanager's fingerprint, else its labels."""
        return self.fingerprint or json.dumps(sorted(self.labels.items()))

    @property
    def ignored(self) -> bool:
        return self.name in IGNORED_ALERTS


class Notification(_Loose):
    """One webhook delivery: a group's current alerts."""

    version: str
    group_key: str = Field(alias="groupKey", min_length=1)
    truncated_alerts: int = Field(default=0, alias="truncatedAlerts")
    status: AlertStatus
    receiver: str = ""
    group_labels: dict[str, Redacted] = Field(default_factory=dict, alias="groupLabels")
    common_labels: dict[str, Redacted] = Field(default_factory=dict, alias="commonLabels")
    common_annotations: dict[str, Redacted] = Field(default_factory=dict, alias="commonAnnotations")
    external_url: str = Field(default="", alias="externalURL")
    alerts: tuple[Alert, ...] = ()

    @property
    def relevant(self) -> tuple[Alert, ...]:
        """The alerts kubemedic acts on (heartbeats left out)."""
        return tuple(alert for alert in self.alerts if not alert.ignored)


def parse(body: bytes) -> Notification:
    """The payload in `body`; BadPayload (one line) when it is not version-4 webhook JSON."""
    try:
        document = json_depth.loads_object(
            body, expected="a JSON object (Alertmanager's webhook payload)"
        )
    except json_depth.NotAnObject as exc:
        raise BadPayload(str(exc)) from None
    if document.get("version") != "4":
        raise BadPayload(f'unsupported payload version {document.get("version")!r}: expected "4"')
    try:
        return Notification.model_validate(_redacted(document))
    except ValidationError as exc:
        raise BadPayload(f"not an Alertmanager payload: {first_problem(exc)}") from None


def _redacted(document: dict[str, Any]) -> Any:
    """The payload with every text redacted, label values and annotations cut (`_CUT_AT`)."""
    alerts = document.get("alerts")
    for holder in [document, *(alerts if isinstance(alerts, list) else ())]:
        for field, limit in _CUT_AT.items() if isinstance(holder, dict) else ():
            if isinstance(holder.get(field), dict):
                holder[field] = redact_json(holder[field], limit)
    return redact_json(document)  # the rest; what is `Redacted` already stays as it is
