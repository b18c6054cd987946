"""Helpers the storage tests share: started stores and PostgreSQL admin calls."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from bot.storage import SqlStore


def asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def pg_admin(url: str, sql: str) -> None:
    """Run one statement outside a transaction (CREATE/DROP DATABASE need that)."""
    conn = await asyncpg.connect(asyncpg_dsn(url), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def fresh_postgres_database(base_url: str, *, prefix: str = "kubemedic_t") -> Iterator[str]:
    """A new, empty database on the server of `base_url`, dropped afterwards; yields its URL."""
    name = f"{prefix}_{secrets.token_hex(6)}"
    asyncio.run(pg_admin(base_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(pg_admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@asynccontextmanager
async def opened(url: str, **options: Any) -> AsyncIterator[SqlStore]:
    """A started store, closed afterwards (each instance stands for one replica)."""
    store = SqlStore(url, **options)
    await store.start()
    try:
        yield store
    finally:
        await store.close()
