"""What the chat side stores: claimed events, diagnoses, replies, feedback.

Event claims and feedback votes are single INSERT ... ON CONFLICT statements,
so concurrent replicas race inside the database, not in Python (replies are
remembered and bumped in `write_batch`, bot/storage/sql_batch.py).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, insert, select

from bot.storage.records import (
    DiagnosisRecord,
    FeedbackStat,
    Verdict,
    new_id,
    utcnow,
)
from bot.storage.sql_base import ACK_WAIT, SqlBase
from bot.storage.tables import (
    diagnoses,
    diagnosis_matches,
    feedback,
)

VERDICTS = ("helpful", "not_this")

# Statements run for every answer, built once (building one cost more than running it).
_INSERT_DIAGNOSIS = insert(diagnoses)


class ChatQueries(SqlBase):
    async def claim_event(self, event_id: str, *, now: datetime | None = None) -> bool:
        """True the first time `event_id` is claimed by any replica, False after."""
        values = {"event_id": event_id, "claimed_at": now or utcnow()}
        async with self._tx(write=True, wait=ACK_WAIT) as conn:
            return (await conn.execute(self._claim_statement, values)).first() is not None

    async def save_diagnosis(self, record: DiagnosisRecord) -> str:
        """Store a diagnosis (a new UUID when `record.id` is empty); return its id."""
        record = replace(record, id=record.id or new_id(), created_at=record.created_at or utcnow())
        values = vars(record)
        matches = [
            {"diagnosis_id": record.id, "catalog_id": cid}
            for cid in dict.fromkeys(record.catalog_ids)
        ]
        async with self._tx(write=True) as conn:
            await conn.execute(_INSERT_DIAGNOSIS, values)
            if matches:
                await conn.execute(insert(diagnosis_matches), matches)
        return record.id

    async def get_diagnosis(self, id: str) -> DiagnosisRecord | None:
        async with self._tx() as conn:
            row = (await conn.execute(select(diagnoses).where(diagnoses.c.id == id))).first()
        return None if row is None else DiagnosisRecord(**row._mapping)

    async def add_feedback(
        self,
        *,
        diagnosis_id: str,
        catalog_id: str,
        user: str,
        verdict: Verdict,
        now: datetime | None = None,
    ) -> None:
        """One vote per user, diagnosis and catalog id: a later vote replaces it."""
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, not {verdict!r}")
        changes = {"verdict": verdict, "updated_at": now or utcnow()}
        stmt = (
            self._insert(feedback)
            .values(diagnosis_id=diagnosis_id, catalog_id=catalog_id, user=user, **changes)
            .on_conflict_do_update(
                index_elements=["diagnosis_id", "catalog_id", "user"], set_=changes
            )
        )
        async with self._tx(write=True) as conn:
            await conn.execute(stmt)

    async def feedback_stats(self) -> list[FeedbackStat]:
        """Votes and times shown per catalog id, sorted by catalog id."""
        votes = select(feedback.c.catalog_id, feedback.c.verdict, func.count()).group_by(
            feedback.c.catalog_id, feedback.c.verdict
        )
        shown = select(diagnosis_matches.c.catalog_id, func.count()).group_by(
            diagnosis_matches.c.catalog_id
        )
        counts: dict[str, dict[str, int]] = {}
        async with self._tx() as conn:
            for catalog_id, verdict, n in await conn.execute(votes):
                counts.setdefault(catalog_id, {})[verdict] = n
            for catalog_id, n in await conn.execute(shown):
                counts.setdefault(catalog_id, {})["shown"] = n
        return [FeedbackStat(catalog_id=cid, **counts[cid]) for cid in sorted(counts)]
