"""The bot's own signing key in the database: made once, the same for every replica, stored whole.

Two replicas starting at once on one database (SQLite and PostgreSQL) each offer a key they made;
exactly one is kept and both sign with it. The value goes in as it is: the store's redacting
columns would have turned a random key into `[REDACTED]`, and a redacted key signs nothing.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.remediation.stored_key import with_signing_key
from bot.runtime import signing_key
from bot.runtime.clock import utc_now
from bot.settings import Settings
from bot.storage.tables import SCHEMA_VERSION
from tests.storage.backends import opened


async def test_two_replicas_starting_together_keep_one_key(db_url: str) -> None:
    async with opened(db_url) as first, opened(db_url) as second:
        offered = [signing_key.generate() for _ in range(6)]
        kept = await asyncio.gather(
            *(
                (first if n % 2 else second).signing_key(candidate=key, now=utc_now())
                for n, key in enumerate(offered)
            )
        )
        assert len(set(kept)) == 1 and kept[0] in offered
        assert signing_key.decode(kept[0])  # whole: not redacted on its way in or out
        later = await with_signing_key(Settings(), first)
        assert later.signing_key is not None and later.signing_key.get_secret_value() == kept[0]


async def test_a_version_9_database_gains_the_signing_key_table_and_keeps_its_incidents(
    db_url: str,
) -> None:
    async with opened(db_url):
        pass
    engine = create_async_engine(db_url)
    try:
        async with engine.begin() as conn:  # the schema of the release with incidents, before keys
            await conn.execute(text("DROP TABLE signing_keys"))
            await conn.execute(text("DELETE FROM schema_version WHERE version > 9"))
            await conn.execute(
                text(
                    "INSERT INTO tickets (fingerprint, problem, comments, created_at, updated_at)"
                    " VALUES ('kept', 'p', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                )
            )
    finally:
        await engine.dispose()
    async with opened(db_url) as store:
        key = signing_key.generate()
        assert await store.signing_key(candidate=key, now=utc_now()) == key
        assert await store.schema_version() == SCHEMA_VERSION == 10
    engine = create_async_engine(db_url)
    try:
        async with engine.connect() as conn:
            kept = (await conn.execute(text("SELECT fingerprint FROM tickets"))).scalars().all()
    finally:
        await engine.dispose()
    assert kept == ["kept"]
