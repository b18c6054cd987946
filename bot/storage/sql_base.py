"""The SQL store's plumbing: engine, transactions, start-up, error mapping.

Every query runs in its own short transaction (`_tx`), committed before the
method returns, so a row a method reports as written is durable. Inside
`summary_lock` the holding task's calls reuse the locked transaction instead
(a context variable carries it, tagged with the task): on SQLite a second
connection would wait for the very lock this task holds. Tasks started inside
the block inherit the variable but not the task, so they get their own
transactions rather than sharing a connection that is not theirs.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from sqlalchemy import Table, exc, func, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage import migrations
from bot.storage.base import StoreUnavailable
from bot.storage.engine import (
    _UNAVAILABLE,
    BUSY_MS,
    IMMEDIATE,
    checkpoint,
    describe,
    enable_wal,
    make_engine,
    make_sqlite_writer,
    normalise_url,
    unavailable_on_error,
)
from bot.storage.records import utcnow
from bot.storage.tables import processed_events, schema_version, work_items

Insert = postgresql.Insert | sqlite.Insert
T = TypeVar("T")
log = logging.getLogger(__name__)
CHECKPOINT_EVERY = 200
"""Commits of the SQLite writer between two WAL checkpoints (its commits do not checkpoint)."""

ACK_WAIT = 0.75
"""Seconds a write made before Slack gets its answer (event claim, accepted work) waits for
SQLite's write lock: two of them must fit well inside Slack's 3 s, after which Slack retries
the request - and a locked database could not de-duplicate the retry."""


class SqlBase:
    """Engine and transaction handling shared by the SqlStore method groups."""

    def __init__(self, url: str, *, timeout: float = 5.0, lock_timeout: float = 30.0) -> None:
        """`timeout`: seconds to connect or wait for SQLite's write lock;
        `lock_timeout`: seconds `summary_lock` waits for another holder."""
        self.url = normalise_url(url)
        self.where = describe(self.url)
        self.timeout = timeout
        self.lock_timeout = lock_timeout
        self.postgres = self.url.get_backend_name() == "postgresql"
        self._engine = make_engine(
            self.url, timeout=timeout, command_timeout=lock_timeout + timeout
        )
        on_file = not self.postgres and self.url.database not in (None, "", ":memory:")
        self._sqlite_writer = make_sqlite_writer(self.url, timeout=timeout) if on_file else None
        self._commits = 0
        self._writer_thread: ThreadPoolExecutor | None = None
        """The SQLite writer's thread, started on first use (again after `close`)."""
        self._writer = asyncio.Lock()
        self._held: ContextVar[tuple[AsyncConnection, asyncio.Task[Any] | None] | None] = (
            ContextVar(f"kubemedic_store_{id(self)}", default=None)
        )

    async def start(self) -> None:
        """Create or migrate the schema; safe to run from several replicas at once."""
        if not self.postgres:
            with unavailable_on_error(self.where):
                await enable_wal(self._engine, timeout=self.lock_timeout)
        async with self._tx(write=True, wait=self.lock_timeout) as conn:
            if self.postgres:
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"),
                    {"key": migrations.SCHEMA_LOCK_KEY},
                )
            await migrations.migrate(conn, now=utcnow())

    async def close(self) -> None:
        await self._engine.dispose()
        if self._writer_thread is not None:  # after a checkpoint or a write it may still be running
            thread, self._writer_thread = self._writer_thread, None
            await asyncio.to_thread(thread.shutdown)
        if self._sqlite_writer is not None:
            self._sqlite_writer.dispose()

    async def schema_version(self) -> int | None:
        """The schema version recorded in the database, None before the first start (read only:
        nothing is created or migrated; `kubemedic doctor` asks this)."""
        async with self._tx() as conn:
            tables = await conn.run_sync(lambda sync: inspect(sync).get_table_names())
            if "schema_version" not in tables:
                return None
            version = (await conn.execute(select(func.max(schema_version.c.version)))).scalar()
            return int(version) if version is not None else None

    def _insert(self, table: Table) -> Insert:
        """An INSERT with this dialect's ON CONFLICT support."""
        return postgresql.insert(table) if self.postgres else sqlite.insert(table)

    @functools.cached_property
    def _claim_statement(self) -> Any:
        """Statements run for every request are built once (building one costs more than running it):
        INSERT ... ON CONFLICT DO NOTHING RETURNING event_id (one event claim or many)."""
        return (
            self._insert(processed_events)
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(processed_events.c.event_id)
        )

    @functools.cached_property
    def _accept_statement(self) -> Any:
        """INSERT ... ON CONFLICT DO NOTHING RETURNING id for work items, built once (building it
        per row cost more than running it)."""
        return (
            self._insert(work_items)
            .on_conflict_do_nothing(index_elements=["id"])
            .returning(work_items.c.id)
        )

    @asynccontextmanager
    async def _tx(
        self, *, write: bool = False, wait: float | None = None, caller_body: bool = False
    ) -> AsyncIterator[AsyncConnection]:
        """One committed transaction (or the held one inside `summary_lock`).

        `caller_body`: the block runs the caller's code, whose own errors are
        not database errors and must not become StoreUnavailable.
        """
        held = self._held_connection()
        if held is not None:
            with unavailable_on_error(self.where):
                yield held
            return
        foreign: list[BaseException] = []
        async with self._writing(write, wait):
            with unavailable_on_error(self.where, foreign=foreign):
                async with self._engine.connect() as conn:
                    if not self.postgres:
                        options: dict[str, Any] = {IMMEDIATE: write}
                        if wait is not None:
                            options[BUSY_MS] = int(wait * 1000)
                        await conn.execution_options(**options)
                    async with conn.begin():
                        try:
                            yield conn
                        except BaseException as error:
                            if caller_body:
                                foreign.append(error)
                            raise

    async def _in_one_transaction(
        self, write: Callable[[Connection], T], *, wait: float | None = None
    ) -> T:
        """`write(connection)` in one committed write transaction, its statements run synchronously.

        On SQLite the transaction runs on the event loop when the file's write lock is free at once (a
        write of a batch costs less than handing it to a thread and back; aiosqlite even hands over each
        statement), else in the writer thread, which waits for the lock as long as `wait` (as for `_tx`)
        allows; every `CHECKPOINT_EVERY` commits the WAL is checkpointed in that thread. On PostgreSQL in
        the async connection (`run_sync`).
        """
        if self._sqlite_writer is None:
            async with self._tx(write=True, wait=wait) as conn:
                return await conn.run_sync(write)
        engine = self._sqlite_writer
        async with self._writing(True, wait):
            with unavailable_on_error(self.where):
                try:
                    written = _write(engine, write, busy_ms=0, locked=_LockedElsewhere)
                except _LockedElsewhere:  # another process writes: wait for it off the loop
                    busy_ms = int((self.timeout if wait is None else wait) * 1000)
                    written = await asyncio.get_running_loop().run_in_executor(
                        self._thread(), functools.partial(_write, engine, write, busy_ms=busy_ms)
                    )
        self._commits += 1
        if self._commits % CHECKPOINT_EVERY == 0:
            asyncio.get_running_loop().run_in_executor(self._thread(), self._checkpoint, engine)
        return written

    async def _read_now(self, read: Callable[[Connection], T]) -> T:
        """`read(connection)` in one read transaction, its statements run synchronously.

        On a SQLite file on the event loop, on the writes' synchronous engine: a WAL reader waits
        for no writer, and an indexed look-up costs less than aiosqlite's hand-off of each
        statement (connect, begin, execute, fetch, commit) to its thread and back. When the file
        is busy all the same (a WAL being recovered), in the async connection, as inside
        `summary_lock` (the held transaction) and on PostgreSQL."""
        if self._sqlite_writer is not None and self._held_connection() is None:
            with unavailable_on_error(self.where):
                try:
                    return _read(self._sqlite_writer, read)
                except _LockedElsewhere:
                    pass
        async with self._tx() as conn:
            return await conn.run_sync(read)

    def _thread(self) -> ThreadPoolExecutor:
        if self._writer_thread is None:
            self._writer_thread = ThreadPoolExecutor(
                max_workers=1, thread_name_prefix="kubemedic-sqlite-writer"
            )
        return self._writer_thread

    def _checkpoint(self, engine: Engine) -> None:
        try:
            checkpoint(engine)
        except _UNAVAILABLE as error:  # the next one will do
            log.warning("WAL checkpoint skipped (%s): %s", self.where, error)

    @asynccontextmanager
    async def _writing(self, write: bool, wait: float | None) -> AsyncIterator[None]:
        """On SQLite, this process's writers take turns in line (FIFO) for the file's one write lock.

        Left to SQLite, a writer finding the lock taken sleeps in its busy handler
        (up to 100 ms a try) however soon the lock is freed, and holds a pooled
        connection meanwhile; in a burst that sleeping, not the writing, limits
        how fast work is answered. Other processes on the same file still meet
        the busy timeout. Waiting longer than `wait` (else the store's timeout)
        is StoreUnavailable, as SQLite's "database is locked" would be.
        """
        if not write or self.postgres:
            yield
            return
        limit = self.timeout if wait is None else wait
        try:
            async with asyncio.timeout(limit):  # no task per acquire, as wait_for would make
                await self._writer.acquire()
        except TimeoutError:
            raise StoreUnavailable(
                f"database unavailable ({self.where}): database is locked "
                f"(this process's writers waited {limit:g} s)"
            ) from None
        try:
            yield
        finally:
            self._writer.release()

    @asynccontextmanager
    async def _holding(self, conn: AsyncConnection) -> AsyncIterator[None]:
        """Route this task's store calls through `conn` until the block ends."""
        token = self._held.set((conn, asyncio.current_task()))
        try:
            yield
        finally:
            self._held.reset(token)

    def _held_connection(self) -> AsyncConnection | None:
        """The locked transaction's connection, if the current task holds one."""
        held = self._held.get()
        if held is None or held[1] is not asyncio.current_task():
            return None
        return held[0]


class _LockedElsewhere(Exception):
    """Another process holds the SQLite file's write lock."""


def _read(engine: Engine, read: Callable[[Connection], T]) -> T:
    """One read transaction on `engine` that waits for no lock (_LockedElsewhere when the file is busy)."""
    with engine.connect() as conn:
        conn.execution_options(**{IMMEDIATE: False, BUSY_MS: 0})
        try:
            with conn.begin():
                return read(conn)
        except exc.OperationalError as error:
            if "locked" in str(error.orig) or "busy" in str(error.orig):
                raise _LockedElsewhere from error
            raise


def _write(
    engine: Engine,
    write: Callable[[Connection], T],
    *,
    busy_ms: int,
    locked: type[Exception] | None = None,
) -> T:
    """One write transaction on `engine`; with `locked`, that is raised when the write lock is not free
    within `busy_ms` (nothing was written)."""
    with engine.connect() as conn:
        conn.execution_options(**{IMMEDIATE: True, BUSY_MS: busy_ms})
        try:
            transaction = conn.begin()  # BEGIN IMMEDIATE: the write lock, or "database is locked"
        except exc.OperationalError as error:
            if locked is not None and "locked" in str(error.orig):
                raise locked from error
            raise
        with transaction:
            return write(conn)
