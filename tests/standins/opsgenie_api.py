"""A local Opsgenie: the Alert API (v2) paths kubemedic calls, and alert webhooks as Opsgenie sends them.

API (KUBEMEDIC_OPSGENIE_API_URL): `Authorization: GenieKey <key>` required (401 otherwise). A
write is asynchronous, as Opsgenie's: `POST /v2/alerts/{id}/notes` answers 202 with a
`requestId` and the note is added when the request is processed (after `process_after` looks at
its status, 0: at once); `GET /v2/alerts/requests/{id}` is 404 until then, then says whether it
succeeded (an unknown alert: "Alert does not exist"). `GET /v2/alerts/{id}/notes` pages by
`offset` (`paging.next` while more), notes have no id. Faults come from the base
(tests/standins/vendor_api.py).

Webhooks: `webhook(alert, action)` is the Webhook integration's body for an alert and
`bearer(secret)` its custom header.
"""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.standins.vendor_api import Call, VendorError, VendorStandIn

KEY = "og-genie-key-4d7a"


@dataclass
class OgAlert:
    id: str
    tiny_id: str
    message: str
    alias: str
    description: str = ""
    details: dict[str, str] = field(default_factory=dict)
    priority: str = "P2"
    notes: list[dict[str, Any]] = field(default_factory=list)
    updated_ns: int = field(default_factory=time.time_ns)


@dataclass
class _Write:
    alert_id: str
    note: str
    looks: int = 0
    done: bool = False
    success: bool = False


class OpsgenieStandIn(VendorStandIn):
    name = "opsgenie"

    def __init__(self, *, key: str = KEY, process_after: int = 0) -> None:
        super().__init__()
        self.key = key
        self.process_after = process_after
        self.alerts: dict[str, OgAlert] = {}
        self.writes: dict[str, _Write] = {}
        self._tiny = 1790

    def add_alert(
        self,
        message: str,
        *,
        details: dict[str, str] | None = None,
        alias: str | None = None,
        description: str = "",
    ) -> OgAlert:
        self._tiny += 1
        alert = OgAlert(
            id=f"{uuid.uuid4()}-{int(time.time() * 1000)}",
            tiny_id=str(self._tiny),
            message=message,
            alias=alias or uuid.uuid4().hex,
            description=description,
            details=dict(details or {}),
        )
        self.alerts[alert.id] = alert
        return alert

    def error_body(self, status: int, message: str) -> Any:
        return {"message": message, "took": 0.001, "requestId": str(uuid.uuid4())}

    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        if call.headers.get("Authorization") != f"GenieKey {self.key}":
            raise VendorError(401, self.error_body(401, "Could not authenticate"))
        parts = call.path.strip("/").split("/")
        match call.method, parts:
            case "GET", ["v2", "alerts"]:
                listed = [
                    {"id": a.id, "tinyId": a.tiny_id, "message": a.message}
                    for a in self.alerts.values()
                ]
                return 200, {"data": listed[: int(call.query.get("limit", "20"))], "took": 0.01}
            case "POST", ["v2", "alerts", alert_id, "notes"]:
                return 202, self._add_note(alert_id, call)
            case "GET", ["v2", "alerts", "requests", request_id]:
                return 200, self._status(request_id)
            case "GET", ["v2", "alerts", alert_id, "notes"]:
                return 200, self._notes(alert_id, call)
        raise VendorError(404, self.error_body(404, "Not found"))

    def _add_note(self, alert_id: str, call: Call) -> dict[str, Any]:
        body = call.body if isinstance(call.body, dict) else {}
        note = body.get("note")
        if not isinstance(note, str) or not note.strip() or len(note) > 25000:
            raise VendorError(422, self.error_body(422, "Request body is not processable"))
        request_id = str(uuid.uuid4())
        self.writes[request_id] = _Write(alert_id, note)
        if self.process_after == 0:
            self._process(request_id)
        return {"result": "Request will be processed", "took": 0.002, "requestId": request_id}

    def _process(self, request_id: str) -> None:
        write = self.writes[request_id]
        write.done = True
        alert = self.alerts.get(write.alert_id)
        write.success = alert is not None
        if alert is not None:
            offset = str(time.time_ns())
            alert.notes.append(
                {
                    "note": write.note,
                    "owner": "kubemedic",
                    "createdAt": "2026-11-28T09:15:00Z",
                    "offset": offset,
                }
            )

    def _status(self, request_id: str) -> dict[str, Any]:
        write = self.writes.get(request_id)
        if write is None:
            raise VendorError(
                404, self.error_body(404, "Request not found. It might not be processed, yet.")
            )
        write.looks += 1
        if not write.done and write.looks > self.process_after:
            self._process(request_id)
        if not write.done:
            raise VendorError(
                404, self.error_body(404, "Request not found. It might not be processed, yet.")
            )
        return {
            "data": {
                "success": write.success,
                "action": "AddNote",
                "processedAt": "2026-11-28T09:15:00.1Z",
                "integrationId": "c9cec2cb-e782-4ebb-bc1d-1b2fa703cf03",
                "isSuccess": write.success,
                "status": "Added note" if write.success else "Alert does not exist",
                "alertId": write.alert_id,
                "alias": alert.alias if (alert := self.alerts.get(write.alert_id)) else "",
            },
            "took": 0.003,
            "requestId": str(uuid.uuid4()),
        }

    def _notes(self, alert_id: str, call: Call) -> dict[str, Any]:
        alert = self.alerts.get(alert_id)
        if alert is None:
            raise VendorError(404, self.error_body(404, "Alert does not exist"))
        limit = min(int(call.query.get("limit", "20")), 100)
        ordered = sorted(
            alert.notes, key=lambda n: n["offset"], reverse=call.query.get("order") == "desc"
        )
        start = call.query.get("offset")
        if start is not None:
            ordered = [
                n
                for n in ordered
                if (
                    n["offset"] < start
                    if call.query.get("order") == "desc"
                    else n["offset"] > start
                )
            ]
        page = ordered[:limit]
        paging = {"first": "first"}
        if len(ordered) > limit:
            paging["next"] = (
                f"/v2/alerts/{alert_id}/notes?offset={page[-1]['offset']}&direction=next&limit={limit}"
            )
        return {"data": page, "paging": paging, "took": 0.01, "requestId": str(uuid.uuid4())}


def webhook(alert: OgAlert, action: str = "Create", *, updated_ns: int | None = None) -> bytes:
    """The Webhook integration's body for `action` on `alert` (description and details added)."""
    alert.updated_ns = updated_ns or time.time_ns()
    return json.dumps(
        {
            "source": {"name": "", "type": "API"},
            "alert": {
                "updatedAt": alert.updated_ns,
                "tags": [],
                "teams": [],
                "recipients": [],
                "message": alert.message,
                "username": "System",
                "alertId": alert.id,
                "source": "Alertmanager",
                "alias": alert.alias,
                "tinyId": alert.tiny_id,
                "createdAt": alert.updated_ns // 1_000_000,
                "userId": "",
                "entity": "",
                "description": alert.description[:1000],
                "details": {k: v[:1000] for k, v in alert.details.items()},
                "priority": alert.priority,
            },
            "action": action,
            "integrationId": "2c7d1b6e-53a4-4fd5-9c6b-0b4f8a7c0e11",
            "integrationName": "kubemedic",
        }
    ).encode()


def bearer(secret: str) -> dict[str, str]:
    """The headers of a delivery: JSON, and the custom header carrying the shared secret."""
    return {"Content-Type": "application/json", "Authorization": f"Bearer {secret}"}


def alertmanager_description(*, labels: dict[str, str], annotations: dict[str, str]) -> str:
    """An alert's description as Alertmanager's opsgenie_configs write it by default."""
    lines = ["Labels:", *(f" - {k} = {v}" for k, v in sorted(labels.items()))]
    lines += ["Annotations:", *(f" - {k} = {v}" for k, v in sorted(annotations.items()))]
    return "\n".join([*lines, "Source: http://prometheus-k8s-0:9090/graph"]) + "\n"
