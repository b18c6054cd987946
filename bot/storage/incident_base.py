"""What the incident tools need from storage (`SqlStore` provides it).

- accept_page(item) -> bool: store a page in the alert inbox before answering; False when an
  item with its id was stored before (a replayed webhook), whenever that was.
- record_incident(record) -> IncidentRecord: the incident as the leader saw it (insert, or
  update its thread, status and link; a new status bumps `version`).
- due_incidents: notes still to write or update, their retry time come.
- get_ticket, claim_ticket (one filer per problem at a time; a stale claim is taken over),
  ticket_filed, ticket_commented, release_ticket: one Jira issue per problem.
- note_posting, note_posted, note_failed: the write-back's progress, column by column (the
  leader's processing and its notes loop never overwrite each other's fields).
Every method raises StoreUnavailable when the database is down.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from bot.storage.alert_records import InboxItem
from bot.storage.incident_records import IncidentRecord, NoteFailure, TicketRecord


class IncidentStore(Protocol):
    async def accept_page(self, item: InboxItem) -> bool: ...
    async def record_incident(self, record: IncidentRecord) -> IncidentRecord: ...
    async def due_incidents(self, *, now: datetime, limit: int = 100) -> list[IncidentRecord]: ...
    async def note_posting(self, key: str, *, at: datetime) -> None: ...
    async def note_posted(
        self, key: str, *, version: int, note_id: str | None, now: datetime
    ) -> None: ...
    async def note_failed(self, key: str, failure: NoteFailure) -> None: ...
    async def get_ticket(self, fingerprint: str) -> TicketRecord | None: ...
    async def claim_ticket(
        self, fingerprint: str, problem: str, *, now: datetime, stale: timedelta
    ) -> bool: ...
    async def ticket_filed(
        self, fingerprint: str, *, key: str, url: str, now: datetime
    ) -> None: ...
    async def ticket_commented(
        self, fingerprint: str, *, key: str, url: str, now: datetime
    ) -> None: ...
    async def release_ticket(self, fingerprint: str) -> None: ...
