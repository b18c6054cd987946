"""Incident channel state: the summary message, its lock, and seen messages.

`summary_lock(channel)` lets one holder at a time - across tasks, processes
and replicas - read, edit and save a channel's summary:

- PostgreSQL: a transaction holding `pg_advisory_xact_lock(key)`, the key a
  64-bit hash of the channel. Other channels are not blocked; the lock is
  released at commit, rollback or when the holder's connection dies.
- SQLite: a BEGIN IMMEDIATE transaction, i.e. SQLite's single write lock.
  It serialises every writer of the file, so keep the block short (no slow
  Slack calls in it); other writers wait up to the store's `timeout`.

A waiter gives up after `lock_timeout` seconds with StoreUnavailable. The
block's store calls (get_summary, save_summary, ...) run in the locked
transaction and commit together when the block exits without an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import case, func, or_, select, text

from bot.storage.records import ChannelMessage, SummaryRecord, utcnow
from bot.storage.sql_base import SqlBase
from bot.storage.tables import channel_messages, summaries


def summary_lock_key(channel: str) -> int:
    """A signed 64-bit advisory-lock key every replica computes alike."""
    digest = hashlib.blake2b(f"kubemedic:summary:{channel}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def posted_at(ts: str, default: datetime) -> datetime:
    """A Slack ts ("1712345678.123456") as a UTC time, exact to the microsecond."""
    seconds, _, fraction = ts.partition(".")
    try:
        at = datetime.fromtimestamp(int(seconds), UTC)
        return at.replace(microsecond=int((fraction + "000000")[:6]))
    except (ValueError, OverflowError, OSError):
        return default


class SummaryQueries(SqlBase):
    async def get_summary(self, channel: str) -> SummaryRecord | None:
        stmt = select(summaries).where(summaries.c.channel == channel)
        async with self._tx() as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else SummaryRecord(**row._mapping)

    async def save_summary(self, record: SummaryRecord) -> SummaryRecord:
        """Insert or replace the channel's summary; created_at is kept on replace."""
        now = record.updated_at or utcnow()
        record = replace(record, created_at=record.created_at or now, updated_at=now)
        changes = {"message_ts": record.message_ts, "state": record.state, "updated_at": now}
        stmt = (
            self._insert(summaries)
            .values(**vars(record))
            .on_conflict_do_update(index_elements=["channel"], set_=changes)
            .returning(*summaries.c)
        )
        async with self._tx(write=True) as conn:
            row = (await conn.execute(stmt)).one()
        return SummaryRecord(**row._mapping)

    @asynccontextmanager
    async def summary_lock(self, channel: str) -> AsyncIterator[SummaryRecord | None]:
        """Hold the channel's summary lock; yields the summary as stored (or None)."""
        if self._held_connection() is not None:
            raise RuntimeError("summary_lock is not re-entrant")
        async with self._tx(write=True, wait=self.lock_timeout, caller_body=True) as conn:
            if self.postgres:
                await conn.execute(
                    text(f"SET LOCAL lock_timeout = {int(self.lock_timeout * 1000)}")
                )
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"),
                    {"key": summary_lock_key(channel)},
                )
            async with self._holding(conn):
                yield await self.get_summary(channel)

    async def record_channel_message(self, message: ChannelMessage) -> None:
        """Upsert on (channel, ts): an edit replaces the text, a deletion blanks it for good."""
        now = message.updated_at or utcnow()
        message = replace(
            message,
            text="" if message.deleted else message.text,
            posted_at=message.posted_at or posted_at(message.ts, now),
            updated_at=now,
        )
        stmt = self._insert(channel_messages).values(**vars(message))
        new, old = stmt.excluded, channel_messages.c
        gone = or_(old.deleted, new.deleted)
        stmt = stmt.on_conflict_do_update(
            index_elements=["channel", "ts"],
            set_={
                "text": case((gone, ""), else_=new.text),
                "deleted": gone,
                "edited": or_(old.edited, new.edited),
                "is_bot": or_(old.is_bot, new.is_bot),
                "user": func.coalesce(new.user, old.user),
                "thread_ts": func.coalesce(new.thread_ts, old.thread_ts),
                "updated_at": new.updated_at,
            },
        )
        async with self._tx(write=True) as conn:
            await conn.execute(stmt)

    async def list_channel_messages(
        self, channel: str, *, since: datetime | None = None, limit: int = 10_000
    ) -> list[ChannelMessage]:
        """Oldest first, deleted ones included (flagged, text blank)."""
        stmt = (
            select(channel_messages)
            .where(channel_messages.c.channel == channel)
            .order_by(channel_messages.c.posted_at, channel_messages.c.ts)
            .limit(limit)
        )
        if since is not None:
            stmt = stmt.where(channel_messages.c.posted_at >= since)
        async with self._tx() as conn:
            rows = (await conn.execute(stmt)).all()
        return [ChannelMessage(**row._mapping) for row in rows]
