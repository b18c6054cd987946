"""Durable work across replicas: accepted once, renewed by its owner, taken over once when it dies."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import SqlStore
from bot.storage.records import WorkItem, utcnow
from bot.storage.tables import SCHEMA_VERSION
from tests.storage.backends import opened

LEASE = timedelta(seconds=30)


def item(id: str, owner: str, *, lease: timedelta = LEASE) -> WorkItem:
    now = utcnow()
    return WorkItem(
        id=id,
        kind="command",
        payload={"text": "pod shop/web-0", "n": [1, 2]},
        owner=owner,
        lease_until=now + lease,
        created_at=now,
    )


async def test_the_same_request_is_accepted_once_across_replicas(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        results = await asyncio.gather(
            *((one if i % 2 else two).accept_work(item("command:T1", f"r{i}")) for i in range(10))
        )
        assert results.count(True) == 1
        stored = await one.get_work("command:T1")
        assert stored is not None and stored.payload == {"text": "pod shop/web-0", "n": [1, 2]}


async def test_live_work_is_not_taken_over_but_expired_work_is_taken_once(db_url: str) -> None:
    now = utcnow()
    async with opened(db_url) as one, opened(db_url) as two:
        assert await one.accept_work(item("command:alive", "A"))
        assert await one.accept_work(item("command:dead", "A", lease=timedelta(seconds=-5)))
        takers = await asyncio.gather(
            one.take_over_work("B", now=now, until=now + LEASE, max_attempts=3),
            two.take_over_work("C", now=now, until=now + LEASE, max_attempts=3),
        )
        taken = [work for batch in takers for work in batch]
        assert [work.id for work in taken] == ["command:dead"]
        assert taken[0].attempts == 2 and taken[0].owner in ("B", "C")
        assert taken[0].payload["text"] == "pod shop/web-0"
        assert await two.take_over_work("D", now=now, until=now + LEASE, max_attempts=3) == []


async def test_renewal_keeps_work_and_finish_or_release_ends_it(db_url: str) -> None:
    async with opened(db_url) as store:
        assert await store.accept_work(item("event:Ev1", "A", lease=timedelta(seconds=1)))
        assert await store.accept_work(item("event:Ev2", "A", lease=timedelta(seconds=1)))
        later = utcnow() + timedelta(seconds=10)
        assert await store.renew_work("A", until=later + LEASE) == 2
        assert await store.take_over_work("B", now=later, until=later + LEASE, max_attempts=3) == []
        await store.finish_work("event:Ev1")
        assert await store.release_work("A", now=later) == 1  # only the unfinished one
        taken = await store.take_over_work("B", now=later, until=later + LEASE, max_attempts=3)
        assert [work.id for work in taken] == ["event:Ev2"]


async def test_work_that_keeps_killing_replicas_is_given_up(db_url: str) -> None:
    async with opened(db_url) as store:
        assert await store.accept_work(item("click:poison", "A", lease=timedelta(seconds=-1)))
        for owner in ("B", "C"):
            now = utcnow() + timedelta(minutes=5) * (owner == "C")
            assert len(await store.take_over_work(owner, now=now, until=now, max_attempts=3)) == 1
        later = utcnow() + timedelta(hours=1)
        assert await store.take_over_work("D", now=later, until=later + LEASE, max_attempts=3) == []
        closed = await store.get_work("click:poison")
        assert closed is not None and closed.done_at is not None and closed.attempts == 3


async def test_a_version_1_database_is_migrated_to_hold_work(db_url: str) -> None:
    async with opened(db_url):
        pass
    engine = create_async_engine(db_url)
    try:
        async with engine.begin() as conn:  # what kubemedic 0.1's schema looked like
            await conn.execute(text("DROP TABLE work_items"))
            await conn.execute(text("DELETE FROM schema_version"))
            await conn.execute(
                text(
                    "INSERT INTO schema_version (version, applied_at) VALUES (1, CURRENT_TIMESTAMP)"
                )
            )
    finally:
        await engine.dispose()
    async with opened(db_url) as store:
        assert await store.accept_work(item("command:after-upgrade", "A"))
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as conn:
            versions = [
                row[0] for row in await conn.execute(text("SELECT version FROM schema_version"))
            ]
    finally:
        await engine.dispose()
    assert sorted(versions) == list(range(1, SCHEMA_VERSION + 1))


def test_sql_store_has_the_work_methods() -> None:
    store = SqlStore("sqlite+aiosqlite://")
    assert all(
        callable(getattr(store, name))
        for name in ("accept_work", "renew_work", "finish_work", "take_over_work", "release_work")
    )


async def test_a_batch_stores_each_new_item_once(db_url: str) -> None:
    async with opened(db_url) as store:
        assert await store.accept_work(item("event:old", "A"))
        batch = [item(f"event:{n}", "A") for n in range(30)] + [item("event:old", "A")]
        assert await store.accept_works(batch) == {f"event:{n}" for n in range(30)}
