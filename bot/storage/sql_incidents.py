"""Incident storage: replay-proof page intake and the record of each note written back.

A page is stored in the alert inbox (the leader works it like an Alertmanager delivery) under its
event's id; unlike a delivery, the same id is never taken again: a replayed webhook is refused
whenever it comes. The note record is written by two hands on the leader - the page's processing
(thread, status, link) and the notes loop (note id, progress) - each updating only its own
columns, so neither overwrites the other.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update

from bot.storage.alert_records import InboxItem
from bot.storage.incident_records import IncidentRecord, NoteFailure, TicketRecord
from bot.storage.sql_base import ACK_WAIT, SqlBase
from bot.storage.tables import alert_inbox, incident_notes, tickets

_PROCESSING = ("thread_key", "label", "url", "status")


class IncidentQueries(SqlBase):
    """alert_inbox (pages) and incident_notes."""

    async def accept_page(self, item: InboxItem) -> bool:
        """Store a page; False when its id was stored before (a replay)."""
        stmt = (
            self._insert(alert_inbox)
            .values(
                id=item.id,
                group_key=item.group_key,
                payload=item.payload,
                received_at=item.received_at,
                deliveries=1,
                attempts=0,
                done_at=None,
                error=None,
            )
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(alert_inbox.c.id)
        )
        async with self._tx(write=True, wait=ACK_WAIT) as conn:
            return (await conn.execute(stmt)).first() is not None

    async def record_incident(self, record: IncidentRecord) -> IncidentRecord:
        """Insert the incident, or update what processing owns; a new status bumps `version`."""
        this = incident_notes.c.key == record.key
        async with self._tx(write=True) as conn:
            row = (await conn.execute(select(incident_notes).where(this))).mappings().first()
            if row is None:
                await conn.execute(incident_notes.insert().values(**_values(record)))
                return record
            current = IncidentRecord(**row)
            changed = {name: getattr(record, name) for name in _PROCESSING}
            bump = 1 if record.status != current.status else 0
            await conn.execute(
                update(incident_notes)
                .where(this)
                .values(
                    **changed,
                    version=incident_notes.c.version + bump,
                    updated_at=record.updated_at,
                )
            )
        return dataclasses.replace(
            current, **changed, version=current.version + bump, updated_at=record.updated_at
        )

    async def due_incidents(self, *, now: datetime, limit: int = 100) -> list[IncidentRecord]:
        """Notes to write or update whose next try has come, oldest change first."""
        stmt = (
            select(incident_notes)
            .where(
                and_(
                    incident_notes.c.gave_up.is_(False),
                    incident_notes.c.version > incident_notes.c.posted_version,
                    or_(
                        incident_notes.c.next_try_at.is_(None),
                        incident_notes.c.next_try_at <= now,
                    ),
                )
            )
            .order_by(incident_notes.c.updated_at, incident_notes.c.key)
            .limit(limit)
        )
        async with self._tx() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        return [IncidentRecord(**row) for row in rows]

    async def note_posting(self, key: str, *, at: datetime) -> None:
        """A note's creation begins: in doubt until `note_posted` (or a failure) says otherwise."""
        await self._set(key, posting_at=at)

    async def note_posted(
        self, key: str, *, version: int, note_id: str | None, now: datetime
    ) -> None:
        """The tool shows `version` (in note `note_id`; None: no note, e.g. kubemedic was unsure)."""
        await self._set(
            key,
            posted_version=version,
            note_id=note_id,
            posting_at=None,
            attempts=0,
            next_try_at=None,
            error=None,
        )

    async def note_failed(self, key: str, failure: NoteFailure) -> None:
        """A try that did not get through (in doubt: `posting_at` stays, so the note is looked for)."""
        values: dict[str, Any] = {
            "attempts": incident_notes.c.attempts + 1,
            "error": failure.error[:500],
            "next_try_at": failure.next_try_at,
            "gave_up": failure.gave_up,
        }
        if not failure.in_doubt:
            values["posting_at"] = None
        await self._set(key, **values)

    async def note_troubles(self) -> dict[str, tuple[int, int, str]]:
        """Per tool: notes still failing, notes given up, and the last error (doctor's line)."""
        stmt = (
            select(incident_notes)
            .where(incident_notes.c.error.is_not(None))
            .order_by(incident_notes.c.updated_at)
        )
        troubles: dict[str, tuple[int, int, str]] = {}
        async with self._tx() as conn:
            for row in (await conn.execute(stmt)).mappings():
                failing, given_up, _ = troubles.get(row["tool"], (0, 0, ""))
                late = bool(row["gave_up"])
                troubles[row["tool"]] = (failing + (not late), given_up + late, str(row["error"]))
        return troubles

    async def get_ticket(self, fingerprint: str) -> TicketRecord | None:
        this = tickets.c.fingerprint == fingerprint
        async with self._tx() as conn:
            row = (await conn.execute(select(tickets).where(this))).mappings().first()
        return TicketRecord(**row) if row else None

    async def claim_ticket(
        self, fingerprint: str, problem: str, *, now: datetime, stale: timedelta
    ) -> bool:
        """Claim the problem's filing: True for one caller at a time, across replicas (a claim
        older than `stale` is taken over: its filer died, or its filing is in doubt)."""
        values = {"problem": problem, "filing_at": now, "comments": 0}
        fresh = self._insert(tickets).values(
            fingerprint=fingerprint, created_at=now, updated_at=now, **values
        )
        async with self._tx(write=True) as conn:
            made = await conn.execute(
                fresh.on_conflict_do_nothing(index_elements=["fingerprint"]).returning(
                    tickets.c.fingerprint
                )
            )
            if made.first() is not None:
                return True
            free = or_(tickets.c.filing_at.is_(None), tickets.c.filing_at < now - stale)
            taken = await conn.execute(
                update(tickets)
                .where(and_(tickets.c.fingerprint == fingerprint, free))
                .values(filing_at=now, problem=problem)
            )
            return bool(taken.rowcount)

    async def ticket_filed(self, fingerprint: str, *, key: str, url: str, now: datetime) -> None:
        await self._ticket(
            fingerprint, issue_key=key, url=url, filing_at=None, comments=0, updated_at=now
        )

    async def ticket_commented(
        self, fingerprint: str, *, key: str, url: str, now: datetime
    ) -> None:
        await self._ticket(
            fingerprint,
            issue_key=key,
            url=url,
            filing_at=None,
            comments=tickets.c.comments + 1,
            updated_at=now,
        )

    async def release_ticket(self, fingerprint: str) -> None:
        """Give a claim up: the filing certainly did not happen."""
        await self._ticket(fingerprint, filing_at=None)

    async def _ticket(self, fingerprint: str, **values: Any) -> None:
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(tickets).where(tickets.c.fingerprint == fingerprint).values(**values)
            )

    async def _set(self, key: str, **values: Any) -> None:
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(incident_notes).where(incident_notes.c.key == key).values(**values)
            )


def _values(record: IncidentRecord) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
