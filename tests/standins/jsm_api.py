"""A local Jira Service Management: the operations API's alert paths kubemedic calls, and the alert
webhooks its outgoing Webhook integration sends.

Written from Atlassian's documentation of the JSM operations REST API: the base is
`https://api.atlassian.com/jsm/ops/api/{cloudId}` (this stand-in's `api_url`), an Atlassian
account's email and API token as basic auth (401 otherwise). Alerts live at `/v1/alerts`: a
note is written with `POST /v1/alerts/{id}/notes`, which answers 202 with a `requestId` and is
done when the request is processed (as Opsgenie's); `GET /v1/alerts/requests/{requestId}` is 404
until then, then the status itself (`isSuccess`, `status`, `alertId`: no `data` envelope);
`GET /v1/alerts/{id}/notes` lists `values`, newest first with `order=desc`, with `links.next`
while more follow; `GET /v1/alerts?size=N` lists alerts. The Webhook integration's body is
Opsgenie's (`webhook` of tests/standins/opsgenie_api.py), with its custom header (`bearer`).
"""

from __future__ import annotations

import base64
from typing import Any

from aiohttp import web

from tests.standins.opsgenie_api import OpsgenieStandIn
from tests.standins.vendor_api import Call, VendorError

EMAIL = "kubemedic-bot@example.com"
TOKEN = "ATATT3xFfGF0-jsm-stand-in-token"
CLOUD_ID = "a436116f-02ce-4520-8fbb-7301462a1674"


class JsmStandIn(OpsgenieStandIn):
    name = "jsm"

    def __init__(self, *, email: str = EMAIL, token: str = TOKEN, process_after: int = 0) -> None:
        super().__init__(process_after=process_after)
        self.email = email
        self.token = token
        self.prefix = f"/jsm/ops/api/{CLOUD_ID}"

    @property
    def api_url(self) -> str:
        """KUBEMEDIC_JSM_API_URL for this stand-in (the part before `/v1`)."""
        return f"{self.url}{self.prefix}"

    def error_body(self, status: int, message: str) -> Any:
        return {"errors": [{"title": message, "status": status}]}

    def answer(self, call: Call, request: web.Request) -> tuple[int, Any]:
        basic = base64.b64encode(f"{self.email}:{self.token}".encode()).decode()
        if call.headers.get("Authorization") != f"Basic {basic}":
            raise VendorError(401, self.error_body(401, "Unauthorized"))
        if not call.path.startswith(f"{self.prefix}/v1/"):
            raise VendorError(404, self.error_body(404, "Not found"))
        parts = call.path[len(self.prefix) :].strip("/").split("/")
        match call.method, parts:
            case "GET", ["v1", "alerts"]:
                listed = [
                    {"id": a.id, "tinyId": a.tiny_id, "message": a.message}
                    for a in self.alerts.values()
                ]
                size = int(call.query.get("size", "20"))
                return 200, {"values": listed[:size], "count": len(listed), "links": {}}
            case "POST", ["v1", "alerts", alert_id, "notes"]:
                return 202, self._add_note(alert_id, call)
            case "GET", ["v1", "alerts", "requests", request_id]:
                status = dict(self._status(request_id)["data"])
                del status["success"]  # Opsgenie's; JSM says `isSuccess` only
                return 200, status
            case "GET", ["v1", "alerts", alert_id, "notes"]:
                return 200, self._values(alert_id, call)
        raise VendorError(404, self.error_body(404, "Not found"))

    def _values(self, alert_id: str, call: Call) -> dict[str, Any]:
        listed = self._notes(alert_id, call)
        nxt = listed["paging"].get("next")
        links = {"next": f"{self.api_url}{nxt.replace('/v2/', '/v1/')}"} if nxt else {}
        return {"values": listed["data"], "links": links}
