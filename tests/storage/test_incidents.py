"""Incident storage on SQLite and PostgreSQL: a page id is taken once, ever (a replay is refused
even after its row was worked), and the note record's two writers never overwrite each other."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.storage import SqlStore
from bot.storage.alert_records import InboxItem
from bot.storage.incident_records import IncidentRecord, NoteFailure
from bot.storage.records import utcnow
from bot.storage.tables import incident_notes
from tests.storage.backends import opened


async def stored_incident(store: SqlStore) -> IncidentRecord | None:
    """The note record as stored (the product reads it through `due_incidents`)."""
    async with store._tx() as conn:  # a test reading the row back
        query = select(incident_notes).where(incident_notes.c.key == "pagerduty:PT4KHLK")
        row = (await conn.execute(query)).mappings().first()
    return IncidentRecord(**row) if row else None


def page(id: str) -> InboxItem:
    return InboxItem(
        id=id, group_key="pagerduty:PT4KHLK", payload={"tool": "pagerduty"}, received_at=utcnow()
    )


def incident(**changes: object) -> IncidentRecord:
    now = utcnow()
    base = IncidentRecord(
        key="pagerduty:PT4KHLK",
        tool="pagerduty",
        target="PT4KHLK",
        thread_key="pd:PT4KHLK",
        label="PagerDuty incident #1234",
        url="https://acme.pagerduty.com/incidents/PT4KHLK",
        created_at=now,
        updated_at=now,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


async def test_a_page_id_is_taken_once_even_by_replicas_racing_and_after_it_was_worked(
    db_url: str,
) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        taken = await asyncio.gather(
            *((one if i % 2 else two).accept_page(page("pd:E1")) for i in range(6))
        )
        assert taken.count(True) == 1
        await one.finish_alert("pd:E1", now=utcnow() + timedelta(hours=2))
        assert not await two.accept_page(page("pd:E1"))  # replayed hours later: still refused
        assert [item.id for item in await one.pending_alerts()] == []


async def test_a_new_status_bumps_the_version_a_repeat_does_not(db_url: str) -> None:
    async with opened(db_url) as store:
        first = await store.record_incident(incident())
        again = await store.record_incident(incident())
        assert (first.version, again.version) == (1, 1)
        resolved = await store.record_incident(incident(status="resolved"))
        assert resolved.version == 2 and resolved.status == "resolved"
        stored = await stored_incident(store)
        assert stored is not None and stored.version == 2 and stored.posted_version == 0


async def test_the_notes_progress_and_the_processing_keep_their_own_columns(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.record_incident(incident())
        now = utcnow()
        await store.note_posting("pagerduty:PT4KHLK", at=now)
        await store.record_incident(incident(status="resolved"))  # processing, meanwhile
        await store.note_posted("pagerduty:PT4KHLK", version=1, note_id="PN1", now=now)
        stored = await stored_incident(store)
        assert stored is not None
        assert (stored.version, stored.posted_version, stored.note_id) == (2, 1, "PN1")
        assert stored.status == "resolved" and stored.posting_at is None
        assert [r.key for r in await store.due_incidents(now=now)] == ["pagerduty:PT4KHLK"]


async def test_a_failed_try_waits_and_a_final_refusal_is_given_up(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.record_incident(incident())
        now = utcnow()
        await store.note_posting("pagerduty:PT4KHLK", at=now)
        later = now + timedelta(seconds=30)
        await store.note_failed("pagerduty:PT4KHLK", NoteFailure("no answer", later, in_doubt=True))
        assert await store.due_incidents(now=now) == []
        [due] = await store.due_incidents(now=later)
        assert due.attempts == 1 and due.posting_at is not None and due.error == "no answer"
        await store.note_failed("pagerduty:PT4KHLK", NoteFailure("HTTP 404", None, gave_up=True))
        assert await store.due_incidents(now=later + timedelta(days=1)) == []
        stored = await stored_incident(store)
        assert stored is not None and stored.gave_up and stored.posting_at is None


async def test_one_filer_claims_a_problem_at_a_time_and_a_stale_claim_is_taken_over(
    db_url: str,
) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        now, stale = utcnow(), timedelta(minutes=2)
        claims = await asyncio.gather(
            *(
                (one if i % 2 else two).claim_ticket(
                    "fp1", "oom-killed pod shop/a", now=now, stale=stale
                )
                for i in range(6)
            )
        )
        assert claims.count(True) == 1
        later = now + timedelta(minutes=3)  # the filer died mid-way
        assert await two.claim_ticket("fp1", "oom-killed pod shop/a", now=later, stale=stale)
        await two.ticket_filed("fp1", key="OPS-1", url="https://jira/browse/OPS-1", now=later)
        assert await one.claim_ticket("fp1", "oom-killed pod shop/a", now=later, stale=stale)
        await one.ticket_commented("fp1", key="OPS-1", url="https://jira/browse/OPS-1", now=later)
        ticket = await one.get_ticket("fp1")
        assert ticket is not None and (ticket.issue_key, ticket.comments) == ("OPS-1", 1)
        assert ticket.filing_at is None
