"""Start-up and event claims: what lets several replicas share one database."""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import SqlStore
from bot.storage.base import Store
from bot.storage.tables import SCHEMA_VERSION
from tests.storage.backends import opened


async def schema_rows(url: str) -> list[int]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text("SELECT version FROM schema_version"))
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


def test_sql_store_is_a_store() -> None:
    store: Store = SqlStore("sqlite+aiosqlite://")  # mypy checks the Protocol here
    assert repr(store) == "SqlStore('sqlite+aiosqlite://')"


async def test_start_is_idempotent_and_safe_when_replicas_start_together(db_url: str) -> None:
    replicas = [SqlStore(db_url) for _ in range(3)]
    try:
        await asyncio.gather(*(store.start() for store in replicas))
        await replicas[0].start()  # a restart
        assert await replicas[1].claim_event("Ev1")
    finally:
        for store in replicas:
            await store.close()
    assert await schema_rows(db_url) == [SCHEMA_VERSION]


async def test_an_event_is_claimed_once_across_replicas(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        assert await one.claim_event("Ev1") is True
        assert await two.claim_event("Ev1") is False  # Slack's retry reached the other replica
        assert await one.claim_event("Ev1") is False
        assert await two.claim_event("Ev2") is True


async def test_twenty_concurrent_claims_have_one_winner(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        claims = [(one if i % 2 else two).claim_event("EvRace") for i in range(20)]
        results = await asyncio.gather(*claims)
    assert results.count(True) == 1
