"""Remediation state: pending actions behind buttons, and the audit log.

A click consumes its action with one conditional UPDATE ... RETURNING (not
used, not expired): the database decides which of two concurrent clicks -
on one replica or two - wins, and only the winner gets the row back.
Audit writes are never swallowed: a failed commit raises StoreUnavailable,
and remediation writes a "started" row before it acts, updating it
afterwards, so a replica dying mid-action leaves a "started" row to find.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import get_args

from sqlalchemy import insert, select, update

from bot.storage.records import (
    AuditOutcome,
    AuditRecord,
    PendingAction,
    new_action_id,
    new_id,
    utcnow,
)
from bot.storage.sql_base import SqlBase
from bot.storage.tables import audit, pending_actions

OUTCOMES: tuple[str, ...] = get_args(AuditOutcome)


class ActionQueries(SqlBase):
    async def create_pending_action(self, action: PendingAction) -> PendingAction:
        """Store an offered action (a random id when `action.id` is empty)."""
        action = replace(
            action,
            id=action.id or new_action_id(),
            created_at=action.created_at or utcnow(),
            used_at=None,
            used_by=None,
        )
        async with self._tx(write=True) as conn:
            await conn.execute(insert(pending_actions).values(**vars(action)))
        return action

    async def consume_pending_action(
        self, id: str, *, user: str, now: datetime | None = None
    ) -> PendingAction | None:
        """Mark the action used by `user` if it is usable; None if this call lost."""
        now = now or utcnow()
        stmt = (
            update(pending_actions)
            .where(
                pending_actions.c.id == id,
                pending_actions.c.used_at.is_(None),
                pending_actions.c.expires_at > now,
            )
            .values(used_at=now, used_by=user)
            .returning(*pending_actions.c)
        )
        async with self._tx(write=True) as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else PendingAction(**row._mapping)

    async def get_pending_action(self, id: str) -> PendingAction | None:
        """The action as stored; use `.state(now)` to say "used" or "expired"."""
        stmt = select(pending_actions).where(pending_actions.c.id == id)
        async with self._tx() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else PendingAction(**row._mapping)

    async def write_audit(self, record: AuditRecord) -> AuditRecord:
        """Commit one audit row or raise StoreUnavailable; returns it with id and times."""
        _check_outcome(record.outcome)
        now = utcnow()
        record = replace(
            record,
            id=record.id or new_id(),
            created_at=record.created_at or now,
            updated_at=record.updated_at or record.created_at or now,
        )
        async with self._tx(write=True) as conn:
            await conn.execute(insert(audit).values(**vars(record)))
        return record

    async def write_refusal_once(self, record: AuditRecord, *, since: datetime) -> bool:
        """Audit a refused click unless the same user, kind, button and reason was audited at or
        after `since`; True when a row was written. (The check and the insert share one write
        transaction: on SQLite that is atomic; two PostgreSQL replicas may each write one.)"""
        now = utcnow()
        record = replace(
            record,
            outcome="refused",
            id=record.id or new_id(),
            created_at=record.created_at or now,
            updated_at=record.updated_at or now,
        )
        same = (
            select(audit.c.id)
            .where(
                audit.c.outcome == "refused",
                audit.c.user == record.user,
                audit.c.kind == record.kind,
                audit.c.action_id.is_(None)
                if record.action_id is None
                else audit.c.action_id == record.action_id,
                audit.c.reason.is_(None)
                if record.reason is None
                else audit.c.reason == record.reason,
                audit.c.created_at >= since,
            )
            .limit(1)
        )
        async with self._tx(write=True) as conn:
            if (await conn.execute(same)).first() is not None:
                return False
            await conn.execute(insert(audit).values(**vars(record)))
        return True

    async def update_audit(
        self,
        id: str,
        *,
        outcome: AuditOutcome,
        result: str | None = None,
        dry_run_result: str | None = None,
        reason: str | None = None,
        now: datetime | None = None,
    ) -> AuditRecord:
        """Record how a "started" action ended; None arguments keep stored values."""
        _check_outcome(outcome)
        changes = {
            "outcome": outcome,
            "updated_at": now or utcnow(),
            "result": result,
            "dry_run_result": dry_run_result,
            "reason": reason,
        }
        stmt = (
            update(audit)
            .where(audit.c.id == id)
            .values({k: v for k, v in changes.items() if v is not None})
            .returning(*audit.c)
        )
        async with self._tx(write=True) as conn:
            row = (await conn.execute(stmt)).first()
        if row is None:
            raise LookupError(f"no audit row {id!r} to update")
        return AuditRecord(**row._mapping)

    async def get_audit(self, id: str) -> AuditRecord | None:
        async with self._tx() as conn:
            row = (await conn.execute(select(audit).where(audit.c.id == id))).first()
        return None if row is None else AuditRecord(**row._mapping)

    async def list_audit(
        self,
        *,
        channel: str | None = None,
        since: datetime | None = None,
        outcome: AuditOutcome | None = None,
        action_id: str | None = None,
        limit: int = 100,
    ) -> list[AuditRecord]:
        """Newest first. `outcome="started"` finds actions a dead replica left open."""
        stmt = select(audit).order_by(audit.c.created_at.desc(), audit.c.id).limit(limit)
        if channel is not None:
            stmt = stmt.where(audit.c.channel == channel)
        if since is not None:
            stmt = stmt.where(audit.c.created_at >= since)
        if outcome is not None:
            stmt = stmt.where(audit.c.outcome == outcome)
        if action_id is not None:
            stmt = stmt.where(audit.c.action_id == action_id)
        async with self._tx() as conn:
            rows = (await conn.execute(stmt)).all()
        return [AuditRecord(**row._mapping) for row in rows]


def _check_outcome(outcome: str) -> None:
    if outcome not in OUTCOMES:
        raise ValueError(f"audit outcome must be one of {OUTCOMES}, not {outcome!r}")
