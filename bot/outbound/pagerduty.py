"""PagerDuty's REST API (v2), the calls kubemedic makes: read an incident's alerts, write one note.

`Authorization: Token token=<key>` and PagerDuty's versioned Accept header go with every request;
`From: <email>` with writes (an account-level key must name the user a note is written as).
Lists are paged the classic way (`limit`, `offset`, and `more` in the answer). A note is created
with `POST /incidents/{id}/notes` and edited in place with `PUT /incidents/{id}/notes/{note_id}`;
`GET /incidents/{id}/notes` finds one whose creation kubemedic did not live to record.
"""

from __future__ import annotations

from typing import Any

from bot.outbound.http import OutboundApi, OutboundFailed, segment

ACCEPT = "application/vnd.pagerduty+json;version=2"
PAGE = 100
MAX_PAGES = 20
"""An incident with more than 2,000 alerts is read in part (its first alerts decide anyway)."""


def pagerduty_headers(token: str, sender: str | None) -> dict[str, str]:
    headers = {"Authorization": f"Token token={token}", "Accept": ACCEPT}
    if sender:
        headers["From"] = sender
    return headers


class PagerDutyApi:
    """The incident tool PagerDuty (`tool`, `label`), over one `OutboundApi`."""

    tool = "pagerduty"
    label = "PagerDuty"
    editable = True

    def __init__(self, api: OutboundApi) -> None:
        self.api = api

    async def alerts(self, incident_id: str, *, hurry: bool = False) -> list[dict[str, Any]]:
        """The incident's alerts, every page (each with `body.details`: its custom details);
        `hurry`: two tries at most, no long wait (a webhook is waiting for its answer)."""
        found: list[dict[str, Any]] = []
        offset = 0
        for _ in range(MAX_PAGES):
            page, more = await self._alerts_page(incident_id, offset, hurry=hurry)
            found += page
            if not more or not page:
                break
            offset += len(page)
        return found

    async def _alerts_page(
        self, incident_id: str, offset: int, *, hurry: bool
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of an incident's alerts, and whether more follow."""
        reply = await self.api.request(
            "list_alerts",
            "GET",
            f"/incidents/{segment(incident_id)}/alerts",
            params={"limit": str(PAGE), "offset": str(offset)},
            attempts=2 if hurry else None,
            longest_wait=1.0 if hurry else None,
        )
        body = reply.body if isinstance(reply.body, dict) else {}
        page = [alert for alert in body.get("alerts") or [] if isinstance(alert, dict)]
        return page, bool(body.get("more"))

    async def add_note(self, target: str, text: str) -> str:
        """Create the note; its id."""
        reply = await self.api.request(
            "add_note",
            "POST",
            f"/incidents/{segment(target)}/notes",
            body={"note": {"content": text}},
            creates=True,
        )
        note = (reply.body or {}).get("note") if isinstance(reply.body, dict) else None
        if not isinstance(note, dict) or not note.get("id"):
            raise OutboundFailed(self.tool, "add_note", "the answer carries no note id")
        return str(note["id"])

    async def update_note(self, target: str, note_id: str, text: str) -> None:
        await self.api.request(
            "update_note",
            "PUT",
            f"/incidents/{segment(target)}/notes/{segment(note_id)}",
            body={"note": {"content": text}},
        )

    async def find_note(self, target: str, marker: str) -> str | None:
        """The id of the incident's note that carries `marker`, if there is one."""
        reply = await self.api.request("list_notes", "GET", f"/incidents/{segment(target)}/notes")
        notes = (reply.body or {}).get("notes") if isinstance(reply.body, dict) else None
        for note in notes or []:
            if isinstance(note, dict) and marker in str(note.get("content") or ""):
                return str(note.get("id"))
        return None

    async def check(self) -> str:
        """Doctor's read-only call: one incident listed proves the key and its read access."""
        reply = await self.api.request(
            "check", "GET", "/incidents", params={"limit": "1"}, attempts=1
        )
        total = reply.body.get("total") if isinstance(reply.body, dict) else None
        return "the REST API key reads incidents" + (f" ({total} listed)" if total else "")
