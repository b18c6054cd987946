"""Durable work: what a replica accepted, so another can finish it if it dies.

An item is inserted when a request is acked (INSERT ... ON CONFLICT, so the
same request accepted twice is one item), its lease renewed while the owner
lives, and marked done when the work ends. Taking over an expired item is a
compare-and-set UPDATE on (id, lease_until), so of replicas sweeping at the
same moment exactly one wins each item.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, select, update

from bot.storage.records import WorkItem, utcnow
from bot.storage.sql_base import ACK_WAIT, SqlBase
from bot.storage.tables import work_items

_FINISH = (
    update(work_items)
    .where(work_items.c.id.in_(bindparam("ids", expanding=True)))
    .values(done_at=bindparam("now"), payload=bindparam("empty", type_=work_items.c.payload.type))
)
"""Marking work done, for every answer: built once."""


class WorkQueries(SqlBase):
    """work_items: accept, renew, finish, take over, release, prune."""

    async def accept_work(self, item: WorkItem) -> bool:
        """Store a new item; False when an item with this id already exists."""
        return item.id in await self.accept_works([item])

    async def accept_works(self, items: list[WorkItem]) -> set[str]:
        """Store new items in one statement and transaction (a burst of acks commits once); the ids stored."""
        rows = [
            {
                "id": item.id,
                "kind": item.kind,
                "payload": item.payload,
                "owner": item.owner,
                "lease_until": item.lease_until,
                "attempts": item.attempts,
                "created_at": item.created_at or utcnow(),
                "done_at": None,
            }
            for item in items
        ]
        if not rows:
            return set()
        async with self._tx(
            write=True, wait=ACK_WAIT
        ) as conn:  # one INSERT ... VALUES (...), (...): an id
            result = await conn.execute(self._accept_statement, rows)  # given twice is stored once
            return {row[0] for row in result.all()}

    async def finish_work(self, id: str, *, now: datetime | None = None) -> None:
        """Mark an item done and drop its payload: nobody takes it over after this, and a
        pasted log is stored only while it is being answered."""
        await self.finish_works([id], now=now)

    async def finish_works(self, ids: list[str], *, now: datetime | None = None) -> None:
        """`finish_work` for many items in one transaction (a burst of answers commits once)."""
        async with self._tx(write=True) as conn:
            await conn.execute(_FINISH, {"ids": ids, "now": now or utcnow(), "empty": {}})

    async def renew_work(self, owner: str, *, until: datetime) -> int:
        """Extend the lease of every open item `owner` holds; return how many."""
        stmt = (
            update(work_items)
            .where(and_(work_items.c.owner == owner, work_items.c.done_at.is_(None)))
            .values(lease_until=until)
        )
        async with self._tx(write=True) as conn:
            return (await conn.execute(stmt)).rowcount

    async def take_over_work(
        self, owner: str, *, now: datetime, until: datetime, max_attempts: int, limit: int = 20
    ) -> list[WorkItem]:
        """Claim open items whose lease ran out (their owner died) for `owner`.

        Items already tried `max_attempts` times are closed instead (poison
        work must not hop from replica to replica forever).
        """
        expired = and_(work_items.c.done_at.is_(None), work_items.c.lease_until < now)
        async with self._tx(write=True) as conn:
            await conn.execute(
                update(work_items)
                .where(and_(expired, work_items.c.attempts >= max_attempts))
                .values(done_at=now, payload={})
            )
            rows = (
                (
                    await conn.execute(
                        select(work_items)
                        .where(expired)
                        .order_by(work_items.c.created_at)
                        .limit(limit)
                    )
                )
                .mappings()
                .all()
            )
        taken: list[WorkItem] = []
        for row in rows:
            stmt = (
                update(work_items)
                .where(
                    and_(
                        work_items.c.id == row["id"],
                        work_items.c.done_at.is_(None),
                        work_items.c.lease_until == row["lease_until"],
                    )
                )
                .values(owner=owner, lease_until=until, attempts=row["attempts"] + 1)
            )
            async with self._tx(write=True) as conn:
                if (await conn.execute(stmt)).rowcount == 1:
                    taken.append(
                        WorkItem(
                            **{
                                **row,
                                "owner": owner,
                                "lease_until": until,
                                "attempts": row["attempts"] + 1,
                            }
                        )
                    )
        return taken

    async def release_work(self, owner: str, *, now: datetime | None = None) -> int:
        """Give up `owner`'s open items (graceful shutdown): others take them at once."""
        stmt = (
            update(work_items)
            .where(and_(work_items.c.owner == owner, work_items.c.done_at.is_(None)))
            .values(lease_until=(now or utcnow()) - timedelta(seconds=1))
        )
        async with self._tx(write=True) as conn:
            return (await conn.execute(stmt)).rowcount

    async def get_work(self, id: str) -> WorkItem | None:
        async with self._tx() as conn:
            row = (
                (await conn.execute(select(work_items).where(work_items.c.id == id)))
                .mappings()
                .first()
            )
        return WorkItem(**row) if row else None
