"""The bot's own signing key, made at its first start and kept in its database (schema version 10).

With KUBEMEDIC_SIGNING_KEY unset, the first replica to start stores the key it generated; every
replica and worker after it reads that one (an insert that loses the race reads the winner's), so
buttons and dialog states signed by one verify on all. The value is stored as it is: a column of
the plain type (bot/storage/key_tables.py).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.storage.key_tables import signing_keys
from bot.storage.sql_base import SqlBase

MASTER = "master"


class KeyQueries(SqlBase):
    """signing_keys."""

    async def signing_key(self, *, candidate: str, now: datetime) -> str:
        """The stored master key; `candidate` is stored first when there is none yet."""
        insert = (
            self._insert(signing_keys)
            .values(name=MASTER, value=candidate, created_at=now)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        async with self._tx(write=True) as conn:
            await conn.execute(insert)
            stored = (
                await conn.execute(
                    select(signing_keys.c.value).where(signing_keys.c.name == MASTER)
                )
            ).scalar_one()
        return str(stored)
