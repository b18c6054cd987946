"""Retention: every table has a bounded life, so the database cannot fill its volume.

`prune_expired` deletes what is older than the cutoffs it is given, table by
table, in batches of `BATCH` rows per transaction: on SQLite a delete holds
the file's single write lock, and acks waiting for that lock give up after
0.75 s, so a first prune of a large backlog must not take it for seconds.
Rows that reference each other go together: a diagnosis with its match rows
and feedback votes. Finished work keeps no payload (`finish_work` empties it),
so a pasted 40 KB log is only stored while it is being answered; on SQLite the
pages freed are then given back to the file system, so the file shrinks after
a flood instead of staying at its high-water mark.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Table, delete, or_, select, tuple_

from bot.storage.engine import give_back_free_pages, unavailable_on_error
from bot.storage.fleet_tables import fleet_agents, fleet_requests, fleet_tokens
from bot.storage.records import RetentionCutoffs
from bot.storage.sql_base import SqlBase
from bot.storage.tables import (
    alert_inbox,
    alert_threads,
    audit,
    channel_messages,
    diagnoses,
    diagnosis_matches,
    examples,
    feedback,
    incident_notes,
    leases,
    pending_actions,
    processed_events,
    questions,
    replies,
    summaries,
    tickets,
    work_items,
)

BATCH = 1000
VACUUM_PAGES = 2000
"""Pages (4 KiB) given back per transaction, so the write lock is held briefly."""
MAX_VACUUM_ROUNDS = 500


class RetentionQueries(SqlBase):
    async def prune_expired(self, cutoffs: RetentionCutoffs) -> dict[str, int]:
        """Delete everything past its cutoff; rows deleted per table (tables with none left out)."""
        plan: list[tuple[Table, ColumnElement[bool]]] = [
            (processed_events, processed_events.c.claimed_at < cutoffs.work),
            (work_items, work_items.c.done_at < cutoffs.work),
            (
                pending_actions,
                or_(
                    pending_actions.c.used_at < cutoffs.work,
                    pending_actions.c.expires_at < cutoffs.work,
                ),
            ),
            (replies, replies.c.last_seen < cutoffs.replies),
            (channel_messages, channel_messages.c.posted_at < cutoffs.messages),
            (summaries, summaries.c.updated_at < cutoffs.messages),
            (audit, audit.c.created_at < cutoffs.audit),
            (alert_inbox, alert_inbox.c.done_at < cutoffs.inbox),
            (leases, leases.c.until < cutoffs.work),
            (alert_threads, alert_threads.c.last_seen < cutoffs.diagnoses),  # kept like diagnoses
            (questions, questions.c.created_at < cutoffs.diagnoses),  # kept like diagnoses
            (incident_notes, incident_notes.c.updated_at < cutoffs.diagnoses),  # like its thread
            (
                tickets,
                tickets.c.updated_at < cutoffs.audit,
            ),  # an issue's record: kept like the audit
            (
                examples,
                examples.c.undone_at < cutoffs.audit,
            ),  # in use: kept; undone: kept like the audit
            (
                fleet_requests,
                fleet_requests.c.updated_at < cutoffs.work,
            ),  # answered (or given up) long ago
            (fleet_agents, fleet_agents.c.last_seen < cutoffs.diagnoses),  # an agent gone that long
            (
                fleet_tokens,
                fleet_tokens.c.revoked_at < cutoffs.audit,
            ),  # valid: kept; revoked: like the audit
        ]
        deleted: dict[str, int] = {}
        for table, expired in plan:
            deleted[table.name] = await self._delete_in_batches(table, expired)
        deleted.update(await self._prune_diagnoses(cutoffs))
        if not self.postgres:
            await self._give_back_free_pages()
        return {name: count for name, count in deleted.items() if count}

    async def _give_back_free_pages(self) -> None:
        """SQLite keeps deleted pages for reuse; a file created with auto_vacuum=INCREMENTAL
        returns them to the file system here (PostgreSQL's autovacuum does this on its own)."""
        with unavailable_on_error(self.where):
            await give_back_free_pages(self._engine, pages=VACUUM_PAGES, rounds=MAX_VACUUM_ROUNDS)

    async def _delete_in_batches(self, table: Table, expired: ColumnElement[bool]) -> int:
        key = list(table.primary_key.columns)
        chosen: Any = key[0] if len(key) == 1 else tuple_(*key)
        total = 0
        while True:
            batch = select(*key).where(expired).limit(BATCH)
            stmt = delete(table).where(chosen.in_(batch))
            async with self._tx(write=True) as conn:
                count = (await conn.execute(stmt)).rowcount
            total += count
            if count < BATCH:
                return total

    async def _prune_diagnoses(self, cutoffs: RetentionCutoffs) -> dict[str, int]:
        """Old diagnoses, with their match rows and feedback votes, a batch at a time."""
        counts = {"diagnoses": 0, "diagnosis_matches": 0, "feedback": 0}
        while True:
            async with self._tx(write=True) as conn:
                ids = list(
                    (
                        await conn.execute(
                            select(diagnoses.c.id)
                            .where(diagnoses.c.created_at < cutoffs.diagnoses)
                            .limit(BATCH)
                        )
                    ).scalars()
                )
                if ids:
                    for table, column in (
                        (diagnosis_matches, diagnosis_matches.c.diagnosis_id),
                        (feedback, feedback.c.diagnosis_id),
                        (diagnoses, diagnoses.c.id),
                    ):
                        counts[table.name] += (
                            await conn.execute(delete(table).where(column.in_(ids)))
                        ).rowcount
            if len(ids) < BATCH:
                return counts
