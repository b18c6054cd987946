"""A local PagerDuty: the REST API (v2) paths kubemedic calls, and v3 webhooks as PagerDuty signs them.

REST (KUBEMEDIC_PAGERDUTY_API_URL): `Authorization: Token token=<key>` required (401 otherwise,
PagerDuty's error shape `{"error": {"message", "code"}}`); writes need `From: <email>` of a known
user (400 otherwise, as an account-level key gets). Lists are paged the classic way (`limit` at
most 100, `offset`, `more`, `total`). Notes: GET/POST `/incidents/{id}/notes`, PUT
`/incidents/{id}/notes/{note_id}`. Unknown incidents get 404. Faults (429 + Retry-After, 5xx)
come from the base (tests/standins/vendor_api.py).

Webhooks: `event(...)` makes a v3 event body for an incident and `signed(body, secret)` the
`X-PagerDuty-Signature` header PagerDuty sends with it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from tests.standins.vendor_api import Call, VendorError, VendorStandIn

TOKEN = "pd-rest-key-9c1e"
USER_EMAIL = "kubemedic@example.com"
MAX_LIMIT = 100


@dataclass
class Incident:
    id: str
    number: int
    title: str
    incident_key: str
    service: str = "checkout-api"
    status: str = "triggered"
    urgency: str = "high"
    alerts: list[dict[str, Any]] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def html_url(self) -> str:
        return f"https://acme.pagerduty.com/incidents/{self.id}"

    def as_data(self) -> dict[str, Any]:
        """The incident as a v3 webhook's `data` and the REST API show it."""
        return {
            "id": self.id,
            "type": "incident",
            "self": f"https://api.pagerduty.com/incidents/{self.id}",
            "html_url": self.html_url,
            "number": self.number,
            "status": self.status,
            "incident_key": self.incident_key,
            "created_at": "2026-11-28T09:14:07Z",
            "title": self.title,
            "urgency": self.urgency,
            "service": {
                "id": "PSVC001",
                "type": "service_reference",
                "summary": self.service,
                "self": "https://api.pagerduty.com/services/PSVC001",
                "html_url": "https://acme.pagerduty.com/service-directory/PSVC001",
            },
            "assignees": [],
            "escalation_policy": {
                "id": "PESC001",
                "type": "escalation_policy_reference",
                "summary": "Default",
                "self": "https://api.pagerduty.com/escalation_policies/PESC001",
                "html_url": "https://acme.pagerduty.com/escalation_policies/PESC001",
            },
            "teams": [],
            "priority": None,
            "conference_bridge": None,
            "resolve_reason": None,
        }


class PagerDutyStandIn(VendorStandIn):
    name = "pagerduty"

    def __init__(self, *, token: str = TOKEN, users: tuple[str, ...] = (USER_EMAIL,)) -> None:
        super().__init__()
        self.token = token
        self.users = set(users)
        self.incidents: dict[str, Incident] = {}
        self._numbers = itertools.count(1000)

    def add_incident(
        self,
        title: str,
        *,
        details: dict[str, Any] | None = None,
        incident_key: str | None = None,
        alerts: int = 1,
        id: str | None = None,
    ) -> Incident:
        """An incident whose alerts carry `details` (the first one; the others none)."""
        number = next(self._numbers)
        incident = Incident(
            id=id or f"P{number:06d}",
            number=number,
            title=title,
            incident_key=incident_key or uuid.uuid4().hex,
        )
        for index in range(alerts):
            incident.alerts.append(
                {
                    "id": f"A{number}{index:04d}",
                    "type": "alert",
                    "status": "triggered",
                    "alert_key": incident.incident_key,
                    "summary": title,
                    "body": {
                        "type": "alert_body",
                        "contexts": [],
                        "details": details if index == 0 and details is not None else {},
                    },
                }
            )
        self.incidents[incident.id] = incident
        return incident

    def error_body(self, status: int, message: str) -> Any:
        return {"error": {"message": message, "code": 2000 + status}}

    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        if call.headers.get("Authorization") != f"Token token={self.token}":
            raise VendorError(401, {"error": {"message": "Unauthorized", "code": 2006}})
        parts = call.path.strip("/").split("/")
        match call.method, parts:
            case "GET", ["incidents"]:
                return 200, self._page(
                    [i.as_data() for i in self.incidents.values()], "incidents", call
                )
            case "GET", ["incidents", incident_id, "alerts"]:
                return 200, self._page(self._incident(incident_id).alerts, "alerts", call)
            case "GET", ["incidents", incident_id, "notes"]:
                return 200, {"notes": list(self._incident(incident_id).notes)}
            case "POST", ["incidents", incident_id, "notes"]:
                return 201, {"note": self._add_note(self._incident(incident_id), call)}
            case "PUT", ["incidents", incident_id, "notes", note_id]:
                return 200, {"note": self._edit_note(self._incident(incident_id), note_id, call)}
        raise VendorError(404, {"error": {"message": "Not Found", "code": 2100}})

    def _incident(self, incident_id: str) -> Incident:
        if incident_id not in self.incidents:
            raise VendorError(404, {"error": {"message": "Incident Not Found", "code": 5001}})
        return self.incidents[incident_id]

    def _page(self, items: list[Any], name: str, call: Call) -> dict[str, Any]:
        limit = min(int(call.query.get("limit", "25")), MAX_LIMIT)
        offset = int(call.query.get("offset", "0"))
        page = items[offset : offset + limit]
        return {
            name: page,
            "limit": limit,
            "offset": offset,
            "more": offset + len(page) < len(items),
            "total": len(items),
        }

    def _requester(self, call: Call) -> str:
        sender = call.headers.get("From", "")
        if sender not in self.users:
            raise VendorError(
                400,
                {
                    "error": {
                        "message": "Invalid Input Provided",
                        "code": 2001,
                        "errors": ["Requester User Not Found"],
                    }
                },
            )
        return sender

    def _content(self, call: Call) -> str:
        note = (call.body or {}).get("note") if isinstance(call.body, dict) else None
        content = note.get("content") if isinstance(note, dict) else None
        if not isinstance(content, str) or not content.strip():
            raise VendorError(
                400,
                {
                    "error": {
                        "message": "Invalid Input Provided",
                        "code": 2001,
                        "errors": ["Note content can't be blank."],
                    }
                },
            )
        if len(content) > 25000:
            raise VendorError(
                400,
                {
                    "error": {
                        "message": "Invalid Input Provided",
                        "code": 2001,
                        "errors": ["Note content is too long."],
                    }
                },
            )
        return content

    def _add_note(self, incident: Incident, call: Call) -> dict[str, Any]:
        sender = self._requester(call)
        note = {
            "id": f"PN{uuid.uuid4().hex[:10].upper()}",
            "user": {
                "id": "PUSER01",
                "type": "user_reference",
                "summary": sender,
                "self": "https://api.pagerduty.com/users/PUSER01",
                "html_url": "https://acme.pagerduty.com/users/PUSER01",
            },
            "channel": {"summary": "The PagerDuty website or APIs"},
            "content": self._content(call),
            "created_at": datetime.now(UTC).isoformat(),
        }
        incident.notes.append(note)
        return note

    def _edit_note(self, incident: Incident, note_id: str, call: Call) -> dict[str, Any]:
        self._requester(call)
        for note in incident.notes:
            if note["id"] == note_id:
                note["content"] = self._content(call)
                return note
        raise VendorError(404, {"error": {"message": "Not Found", "code": 2100}})


def event(
    incident: Incident,
    event_type: str = "incident.triggered",
    *,
    id: str | None = None,
    occurred_at: datetime | None = None,
    agent: str = "Earline Greenholt",
) -> bytes:
    """A v3 webhook body for `incident`, as PagerDuty sends it."""
    if event_type == "incident.resolved":
        incident.status = "resolved"
    elif event_type == "incident.acknowledged":
        incident.status = "acknowledged"
    return json.dumps(
        {
            "event": {
                "id": id or str(uuid.uuid4()),
                "event_type": event_type,
                "resource_type": "incident",
                "occurred_at": (occurred_at or datetime.now(UTC))
                .isoformat()
                .replace("+00:00", "Z"),
                "agent": {
                    "html_url": "https://acme.pagerduty.com/users/PXPGF42",
                    "id": "PXPGF42",
                    "self": "https://api.pagerduty.com/users/PXPGF42",
                    "summary": agent,
                    "type": "user_reference",
                },
                "client": {"name": "PagerDuty"},
                "data": incident.as_data(),
            }
        }
    ).encode()


def signed(body: bytes, secret: str, *extra: str) -> dict[str, str]:
    """The headers of a v3 webhook delivery: JSON, and `v1=` signatures (`extra` secrets too,
    as while a secret is rotated)."""
    signatures = [
        "v1=" + hmac.new(key.encode(), body, hashlib.sha256).hexdigest() for key in (secret, *extra)
    ]
    return {
        "Content-Type": "application/json",
        "X-PagerDuty-Signature": ",".join(signatures),
        "User-Agent": "PagerDuty-Webhook/V3.0",
    }


def alertmanager_details(*, firing: list[dict[str, Any]]) -> dict[str, str]:
    """Custom details as Alertmanager's pagerduty_config sends them by default (text lists)."""

    def listed(alerts: list[dict[str, Any]]) -> str:
        lines = []
        for alert in alerts:
            lines.append("Labels:")
            lines += [f" - {k} = {v}" for k, v in sorted(alert["labels"].items())]
            lines.append("Annotations:")
            lines += [f" - {k} = {v}" for k, v in sorted(alert.get("annotations", {}).items())]
            lines.append(f"Source: {alert.get('generatorURL', '')}")
        return "\n".join(lines) + ("\n" if lines else "")

    return {
        "firing": listed(firing),
        "resolved": "",
        "num_firing": str(len(firing)),
        "num_resolved": "0",
    }
