"""Alert storage: the Alertmanager inbox, alert/watcher messages, and leases.

The inbox keeps every delivery before the receiver answers 200, keyed by a
digest of its content: the same group delivered to two replicas (or by two
Alertmanagers) is one row; the same content arriving again after
`resend_after` (Alertmanager's repeat_interval) re-opens the row as a
re-send. Leases are a compare-and-set on (name, holder, until), so of
replicas trying at once exactly one holds a lease.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.alert_records import AlertThread, InboxItem
from bot.storage.sql_base import ACK_WAIT, SqlBase
from bot.storage.tables import alert_inbox, alert_threads, leases

_MUTE_FIELDS = ("muted_until", "mute_until_resolved", "muted_by")


class AlertQueries(SqlBase):
    """alert_inbox, alert_threads and leases."""

    async def accept_alert(self, item: InboxItem, *, resend_after: timedelta) -> bool:
        """Store a delivery; False when the same content arrived less than `resend_after` ago."""
        return (await self.accept_alerts([item], resend_after=resend_after))[0]

    async def accept_alerts(self, items: list[InboxItem], *, resend_after: timedelta) -> list[bool]:
        """`accept_alert` for deliveries arriving together, in one transaction (one commit for a burst)."""
        stored: list[bool] = []
        async with self._tx(write=True, wait=ACK_WAIT) as conn:
            for item in items:
                stored.append(await self._accept(conn, item, resend_after))
        return stored

    async def _accept(
        self, conn: AsyncConnection, item: InboxItem, resend_after: timedelta
    ) -> bool:
        values = {
            "id": item.id,
            "group_key": item.group_key,
            "payload": item.payload,
            "received_at": item.received_at,
            "deliveries": 1,
            "attempts": 0,
            "done_at": None,
            "error": None,
        }
        insert = (
            self._insert(alert_inbox)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(alert_inbox.c.id)
        )
        this = alert_inbox.c.id == item.id
        if (await conn.execute(insert)).first() is not None:
            return True
        earlier = (await conn.execute(select(alert_inbox.c.received_at).where(this))).scalar()
        if earlier is not None and earlier >= item.received_at - resend_after:
            await conn.execute(
                update(alert_inbox).where(this).values(deliveries=alert_inbox.c.deliveries + 1)
            )
            return False
        await conn.execute(
            update(alert_inbox)
            .where(this)
            .values(
                received_at=item.received_at,
                payload=item.payload,
                done_at=None,
                attempts=0,
                error=None,
                deliveries=alert_inbox.c.deliveries + 1,
            )
        )
        return True

    async def pending_alerts(self, *, limit: int = 50) -> list[InboxItem]:
        """Deliveries not processed yet, oldest first."""
        stmt = (
            select(alert_inbox)
            .where(alert_inbox.c.done_at.is_(None))
            .order_by(alert_inbox.c.received_at, alert_inbox.c.id)
            .limit(limit)
        )
        async with self._tx() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        return [InboxItem(**row) for row in rows]

    async def count_alert_attempt(self, id: str) -> int:
        """Note one more processing attempt; the attempts so far."""
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(alert_inbox)
                .where(alert_inbox.c.id == id)
                .values(attempts=alert_inbox.c.attempts + 1)
            )
            found = (
                await conn.execute(select(alert_inbox.c.attempts).where(alert_inbox.c.id == id))
            ).scalar()
        return int(found or 0)

    async def finish_alert(self, id: str, *, now: datetime, error: str | None = None) -> None:
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(alert_inbox).where(alert_inbox.c.id == id).values(done_at=now, error=error)
            )

    async def get_thread(self, key: str) -> AlertThread | None:
        async with self._tx() as conn:
            row = (
                (await conn.execute(select(alert_threads).where(alert_threads.c.key == key)))
                .mappings()
                .first()
            )
        return _thread(row) if row else None

    async def put_thread(self, thread: AlertThread) -> None:
        """Insert or replace a thread's state; its mute fields are left as they are."""
        values = _thread_values(thread)
        changed = {
            name: value for name, value in values.items() if name not in ("key", *_MUTE_FIELDS)
        }
        stmt = (
            self._insert(alert_threads)
            .values(**values)
            .on_conflict_do_update(index_elements=["key"], set_=changed)
        )
        async with self._tx(write=True) as conn:
            await conn.execute(stmt)

    async def due_threads(self, *, edits_before: datetime, limit: int = 200) -> list[AlertThread]:
        """Threads Slack does not show as they are: never posted, with notes, or changed
        (changes only once the last edit is older than `edits_before`); oldest first."""
        changed = alert_threads.c.version > alert_threads.c.posted_version
        edit_due = or_(
            alert_threads.c.message_ts.is_(None),
            alert_threads.c.edited_at.is_(None),
            alert_threads.c.edited_at < edits_before,
        )
        stmt = (
            select(alert_threads)
            .where(or_(and_(changed, edit_due), alert_threads.c.has_notes.is_(True)))
            .order_by(alert_threads.c.first_seen, alert_threads.c.key)
            .limit(limit)
        )
        async with self._tx() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        return [_thread(row) for row in rows]

    async def open_threads(self, *, source: str, key_prefix: str = "") -> list[AlertThread]:
        """Firing threads of a source (e.g. the watcher's for one cluster)."""
        stmt = select(alert_threads).where(
            and_(
                alert_threads.c.source == source,
                alert_threads.c.status == "firing",
                alert_threads.c.key.startswith(key_prefix),
            )
        )
        async with self._tx() as conn:
            rows = (await conn.execute(stmt)).mappings().all()
        return [_thread(row) for row in rows]

    async def set_mute(
        self, key: str, *, until: datetime | None, until_resolved: bool, by: str
    ) -> AlertThread | None:
        """Mute a key (a time, or until it resolves); the thread is marked changed so it shows it."""
        stmt = (
            update(alert_threads)
            .where(alert_threads.c.key == key)
            .values(
                muted_until=until,
                mute_until_resolved=until_resolved,
                muted_by=by,
                version=alert_threads.c.version + 1,
            )
        )
        async with self._tx(write=True) as conn:
            if (await conn.execute(stmt)).rowcount == 0:
                return None
        return await self.get_thread(key)

    async def clear_mute_until_resolved(self, key: str) -> None:
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(alert_threads)
                .where(alert_threads.c.key == key)
                .values(mute_until_resolved=False)
            )

    async def acquire_lease(
        self, name: str, holder: str, *, now: datetime, until: datetime
    ) -> bool:
        """Take or renew a lease; True when `holder` holds it until `until`."""
        take = (
            update(leases)
            .where(
                and_(leases.c.name == name, or_(leases.c.holder == holder, leases.c.until < now))
            )
            .values(holder=holder, until=until)
        )
        async with self._tx(write=True) as conn:
            if (await conn.execute(take)).rowcount == 1:
                return True
            created = self._insert(leases).values(name=name, holder=holder, until=until)
            result = await conn.execute(
                created.on_conflict_do_nothing(index_elements=["name"]).returning(leases.c.name)
            )
            return result.first() is not None

    async def release_lease(self, name: str, holder: str, *, now: datetime) -> None:
        """Give a lease up at once (graceful shutdown), if `holder` holds it."""
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(leases)
                .where(and_(leases.c.name == name, leases.c.holder == holder))
                .values(until=now - timedelta(seconds=1))
            )


def _thread_values(thread: AlertThread) -> dict[str, Any]:
    values = {f.name: getattr(thread, f.name) for f in dataclasses.fields(thread)}
    return values | {"has_notes": bool(thread.notes)}


def _thread(row: Any) -> AlertThread:
    return AlertThread(**{key: value for key, value in row.items() if key != "has_notes"})
