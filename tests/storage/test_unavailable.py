"""A database that is down, gone or locked gives StoreUnavailable, quickly.

Remediation relies on this: when the audit row cannot be committed, it must
refuse to act. (As root, a read-only directory does not stop SQLite, so the
"gone" case removes the directory instead.)
"""

from __future__ import annotations

import asyncio
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from bot.storage import SqlStore
from bot.storage.base import StoreUnavailable
from bot.storage.records import AuditRecord
from tests.storage.backends import asyncpg_dsn, opened, pg_admin


def audit_row() -> AuditRecord:
    return AuditRecord(user="U1", kind="cordon", target={"name": "node-1"}, outcome="started")


async def aiosqlite_threads_settled() -> None:
    """Let aiosqlite's worker threads of failed connects finish before the loop closes.

    On a failed connect aiosqlite stops its thread without awaiting it; if
    asyncio.run() closes the loop first, the thread reports "Event loop is closed".
    """
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and any(
        t.name.endswith("(_connection_worker_thread)") for t in threading.enumerate()
    ):
        await asyncio.sleep(0.01)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def unreachable(db_url: str, backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'no-such-dir' / 'kubemedic.db'}"
    return make_url(db_url).set(port=closed_port()).render_as_string(hide_password=False)


async def test_unreachable_database_raises_store_unavailable(
    db_url: str, backend: str, tmp_path: Path
) -> None:
    store = SqlStore(unreachable(db_url, backend, tmp_path), timeout=1.0)
    try:
        with pytest.raises(StoreUnavailable, match="database unavailable"):
            await store.start()
        with pytest.raises(StoreUnavailable):
            await store.write_audit(audit_row())
    finally:
        await store.close()
        await aiosqlite_threads_settled()


@pytest.mark.own_database  # it drops the database
async def test_database_gone_after_start_fails_the_audit_write(
    db_url: str, backend: str, tmp_path: Path
) -> None:
    async with opened(db_url, timeout=1.0) as store:
        await store.write_audit(audit_row())
        if backend == "sqlite":
            await store.close()  # idle: no open file; the next call must reconnect
            shutil.rmtree(tmp_path / "db")
        else:
            admin = make_url(db_url).set(database="postgres").render_as_string(False)
            await pg_admin(admin, f'DROP DATABASE "{make_url(db_url).database}" WITH (FORCE)')
        with pytest.raises(StoreUnavailable):
            await store.write_audit(audit_row())
    await aiosqlite_threads_settled()


async def test_locked_database_times_out_then_recovers(
    db_url: str, backend: str, tmp_path: Path
) -> None:
    async with opened(db_url, timeout=0.3, lock_timeout=0.3) as store:
        release = await hold_write_lock(db_url, backend, tmp_path)
        try:
            with pytest.raises(StoreUnavailable):
                await store.write_audit(audit_row())
        finally:
            await release()
        await store.write_audit(audit_row())
        assert len(await store.list_audit()) == 1


async def hold_write_lock(
    db_url: str,
    backend: str,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    table: str = "audit",
):
    """Another client takes the write lock (PostgreSQL: a lock on `table`); returns how to let it go."""
    if backend == "sqlite":
        raw = sqlite3.connect(tmp_path / "db" / "kubemedic.db", isolation_level=None)
        raw.execute("BEGIN EXCLUSIVE")

        async def release_sqlite() -> None:
            raw.execute("ROLLBACK")
            raw.close()

        return release_sqlite
    conn = await asyncpg.connect(asyncpg_dsn(db_url))
    await conn.execute(f"BEGIN; LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")

    async def release_pg() -> None:
        await conn.execute("ROLLBACK")
        await conn.close()

    await asyncio.sleep(0)
    return release_pg
