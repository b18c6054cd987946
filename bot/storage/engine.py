"""Engine set-up per backend, and the one place database errors are translated.

SQLite: WAL (readers never block the writer), `secure_delete` (a deleted or
replaced value is overwritten, not left in a free page), and a busy timeout, so a second
writer waits a bounded time instead of failing at once or hanging. The
driver's own transaction handling is switched off and each transaction
emits its own BEGIN: write transactions use BEGIN IMMEDIATE, taking the
single write lock up front, so two processes never deadlock upgrading a
read lock (the SQLAlchemy-documented recipe for pysqlite/aiosqlite).
PostgreSQL (asyncpg): connect and command timeouts, and pre-ping so a
restarted server or dropped connection is noticed before use.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import create_engine, event, exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.base import StoreUnavailable

log = logging.getLogger(__name__)

IMMEDIATE = "kubemedic_sqlite_immediate"
INCREMENTAL = 2
"""`PRAGMA auto_vacuum` of a file that can give pages back."""
WAL_LIMIT_BYTES = 4 * 1024 * 1024
"""After a checkpoint the WAL is cut back to this size (it otherwise keeps its largest)."""
BUSY_MS = "kubemedic_sqlite_busy_ms"

_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


def normalise_url(url: str) -> URL:
    """Accept plain sqlite:// and postgresql:// URLs and pick the async driver."""
    parsed = make_url(url)
    return parsed.set(drivername=_DRIVERS.get(parsed.drivername, parsed.drivername))


def describe(url: URL) -> str:
    """The URL without its password, for error messages and logs."""
    return url.render_as_string(hide_password=True)


def make_engine(url: URL, *, timeout: float, command_timeout: float) -> AsyncEngine:
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url)
        _install_sqlite_hooks(engine.sync_engine, busy_ms=int(timeout * 1000))
        return engine
    if url.get_backend_name() == "postgresql":
        return create_async_engine(
            url,
            pool_pre_ping=True,
            pool_timeout=timeout,
            connect_args={"timeout": timeout, "command_timeout": command_timeout},
        )
    raise ValueError(f"unsupported database URL {describe(url)}: use sqlite or postgresql")


def make_sqlite_writer(url: URL, *, timeout: float) -> Engine:
    """A synchronous engine on the same SQLite file that writes whole transactions on the event loop (or,
    when another process holds the write lock, in a thread): no hand-off per statement (aiosqlite's).
    Its commits never checkpoint the WAL (that can wait on the disk): `checkpoint` does, off the loop."""
    engine = create_engine(
        url.set(drivername="sqlite+pysqlite"), connect_args={"check_same_thread": False}
    )
    _install_sqlite_hooks(engine, busy_ms=int(timeout * 1000))

    @event.listens_for(engine, "connect")
    def _no_checkpoint_on_commit(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.execute("PRAGMA wal_autocheckpoint = 0")

    return engine


def checkpoint(engine: Engine) -> None:
    """Copy what the WAL holds into the database file as far as readers allow (PASSIVE: waits for nobody)."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")


def _install_sqlite_hooks(engine: Engine, *, busy_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves, below
        record.info[BUSY_MS] = busy_ms
        cursor = dbapi_conn.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {busy_ms}")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT_BYTES}")
            cursor.execute(
                "PRAGMA secure_delete = ON"
            )  # deleted rows' bytes zeroed, not left in free pages
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        options = conn.get_execution_options()
        wanted = int(options.get(BUSY_MS, busy_ms))
        info = conn.connection.info  # kept with the driver connection across pool check-outs
        if info.get(BUSY_MS) != wanted:  # one statement less per transaction when it is unchanged
            conn.exec_driver_sql(f"PRAGMA busy_timeout = {wanted}")
            info[BUSY_MS] = wanted
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get(IMMEDIATE) else "BEGIN")


async def enable_wal(engine: AsyncEngine, *, timeout: float) -> str:
    """Switch the SQLite file to WAL (persistent); returns the journal mode now in use.

    The switch needs an exclusive lock and does not wait on the busy timeout,
    so replicas starting together retry here for up to `timeout` seconds.
    """
    deadline = time.monotonic() + timeout
    async with engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        # Only a new file takes this (before its first table): free pages can then be given
        # back to the file system after retention deletes (see sql_retention).
        await raw.execute("PRAGMA auto_vacuum = INCREMENTAL")
        while True:
            try:
                async with raw.execute("PRAGMA journal_mode = WAL") as cursor:
                    row = await cursor.fetchone()
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.02)
    mode = str(row[0]) if row else "unknown"
    if mode not in ("wal", "memory"):
        log.warning("SQLite journal mode is %s, not wal: readers may block writers", mode)
    return mode


_UNAVAILABLE = (exc.DBAPIError, exc.TimeoutError, sqlite3.Error, OSError, TimeoutError)


@contextmanager
def unavailable_on_error(where: str, *, foreign: Sequence[BaseException] = ()) -> Iterator[None]:
    """Turn driver, pool and network errors into StoreUnavailable, keeping the cause.

    `foreign`: errors raised by the caller's own code (say a Slack call that
    timed out inside `summary_lock`), passed through untouched.
    """
    try:
        yield
    except exc.IntegrityError:
        raise  # a constraint the caller asked for, not an outage
    except _UNAVAILABLE as error:
        if any(error is other for other in foreign):
            raise
        reason = error.orig if isinstance(error, exc.DBAPIError) else error
        text = str(reason).strip().splitlines()[0] if str(reason).strip() else type(reason).__name__
        log.warning("database unavailable (%s): %s", where, text)
        raise StoreUnavailable(f"database unavailable ({where}): {text}") from error


async def give_back_free_pages(engine: AsyncEngine, *, pages: int, rounds: int) -> int:
    """Return free pages of an auto_vacuum=INCREMENTAL file to the file system, `pages` per
    write (each its own short transaction), then truncate the WAL; the pages given back.

    `executescript` steps the pragma to its end: a plain execute frees a single page.
    The WAL checkpoint is best effort (a reader may hold it for a while).
    """
    given = 0
    async with engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        assert raw is not None
        async with raw.execute("PRAGMA auto_vacuum") as cursor:
            mode = (await cursor.fetchone() or (0,))[0]
        for _ in range(rounds if mode == INCREMENTAL else 0):
            async with raw.execute("PRAGMA freelist_count") as cursor:
                free = int((await cursor.fetchone() or (0,))[0])
            if not free:
                break
            await raw.executescript(f"PRAGMA incremental_vacuum({pages});")
            given += min(free, pages)
        await raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return given
