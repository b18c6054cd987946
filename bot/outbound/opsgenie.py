"""Opsgenie's Alert API (v2), the calls kubemedic makes: write one note on an alert, find it again.

`Authorization: GenieKey <key>` goes with every request. Opsgenie takes a write and answers 202
with a `requestId` before doing it: kubemedic then asks `GET /v2/alerts/requests/{requestId}`
(404 until it is processed) whether the note was added (`isSuccess`), so an alert that no longer
exists is a refusal, not a silent loss. Notes cannot be edited through the API: the one note
kubemedic writes stays as written (never a second); `GET /v2/alerts/{id}/notes`, paged by
`offset` while the answer names a next page, finds it again after a restart.

Jira Service Management's operations API, Opsgenie's successor, is the same API under `/v1`
without the `data` and `paging` envelopes (bot/outbound/jsm.py): the answers are read here
whichever of the two wraps them.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from bot.outbound.http import OutboundApi, OutboundFailed, segment

STATUS_CHECKS = 4
STATUS_WAIT = 0.5
"""Seconds between two looks at a write Opsgenie has not processed yet."""
NOTES_PAGE = 100
MAX_PAGES = 10


def opsgenie_headers(key: str) -> dict[str, str]:
    return {"Authorization": f"GenieKey {key}"}


class OpsgenieApi:
    """The incident tool Opsgenie (`tool`, `label`), over one `OutboundApi`."""

    tool = "opsgenie"
    label = "Opsgenie"
    editable = False
    alerts = "/v2/alerts"
    by_id: ClassVar[dict[str, str]] = {"identifierType": "id"}
    """The query that says an alert is named by its id (JSM's API takes only ids)."""
    one_alert: ClassVar[dict[str, str]] = {"limit": "1"}
    """A list of one alert (JSM's page size is `size`)."""

    def __init__(self, api: OutboundApi) -> None:
        self.api = api

    async def add_note(self, target: str, text: str) -> str:
        """Add the note; Opsgenie's request id (once it says it added it, or is still at it)."""
        reply = await self.api.request(
            "add_note",
            "POST",
            f"{self.alerts}/{segment(target)}/notes",
            params=self.by_id,
            body={"note": text, "user": "kubemedic", "source": "kubemedic"},
            creates=True,
        )
        request_id = (
            str((reply.body or {}).get("requestId") or "") if isinstance(reply.body, dict) else ""
        )
        if not request_id:
            raise OutboundFailed(self.tool, "add_note", "the answer carries no requestId")
        await self._processed(request_id)
        return request_id

    async def _processed(self, request_id: str) -> None:
        """Wait (briefly) for Opsgenie to process the write; OutboundFailed when it refused it."""
        for _ in range(STATUS_CHECKS):
            try:
                reply = await self.api.request(
                    "request_status", "GET", f"{self.alerts}/requests/{quote(request_id, safe='')}"
                )
            except OutboundFailed as exc:
                if exc.status != 404:  # 404: not processed yet
                    return  # taken; its fate is not known now: the note is looked for if needed
                await self.api.sleep(STATUS_WAIT)
                continue
            body = reply.body if isinstance(reply.body, dict) else {}
            data = body.get("data", body)  # JSM's answer has no `data` envelope
            if isinstance(data, dict) and data.get("isSuccess") is False:
                status = str(data.get("status") or "refused")
                raise OutboundFailed(
                    self.tool, "add_note", status, status=404 if "not exist" in status else 400
                )
            return

    async def update_note(self, target: str, note_id: str, text: str) -> None:
        """Opsgenie's API cannot edit a note (`editable` is False): nothing to do."""

    async def find_note(self, target: str, marker: str) -> str | None:
        """The note on the alert that carries `marker` (its request id unknown: "found")."""
        offset: str | None = None
        for _ in range(MAX_PAGES):
            params = {**self.by_id, "limit": str(NOTES_PAGE), "order": "desc"}
            if offset is not None:
                params |= {"offset": offset, "direction": "next"}
            reply = await self.api.request(
                "list_notes", "GET", f"{self.alerts}/{segment(target)}/notes", params=params
            )
            notes, more = _page(reply.body)
            if any(marker in str(note.get("note") or "") for note in notes):
                return "found"
            if not notes or not more:
                return None
            offset = str(notes[-1].get("offset") or "")
        return None

    async def check(self) -> str:
        """Doctor's read-only call: one alert listed proves the key and its read access."""
        await self.api.request("check", "GET", self.alerts, params=self.one_alert, attempts=1)
        return "the API key reads alerts"


def _page(body: Any) -> tuple[list[dict[str, Any]], bool]:
    """A list's items (Opsgenie's `data`, JSM's `values`) and whether a next page is named
    (Opsgenie's `paging.next`, JSM's `links.next`)."""
    if not isinstance(body, dict):
        return [], False
    items = body.get("data", body.get("values")) or []
    links = body.get("paging", body.get("links")) or {}
    more = bool(links.get("next")) if isinstance(links, dict) else False
    return [item for item in items if isinstance(item, dict)], more
