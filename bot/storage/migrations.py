"""Schema creation and migration, run by every replica at start-up.

`create_all` creates missing tables (a fresh database gets the current
schema in one go); numbered steps then bring an older database up to
SCHEMA_VERSION, one recorded row per applied version. The caller runs this
inside one transaction that holds a cross-replica lock (an advisory lock on
PostgreSQL, BEGIN IMMEDIATE on SQLite), so two replicas starting together
never both create or migrate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Table, func, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.base import SchemaTooNew
from bot.storage.fleet_tables import (
    FLEET_TABLES,
    TOKEN_COLUMNS_8,
    fleet_agents,
    fleet_requests,
    fleet_tokens,
)
from bot.storage.key_tables import signing_keys
from bot.storage.tables import (
    SCHEMA_VERSION,
    alert_inbox,
    alert_threads,
    audit,
    examples,
    incident_notes,
    leases,
    metadata,
    questions,
    schema_version,
    tickets,
    work_items,
)


def _add_work_items(conn: Connection) -> None:
    """Version 2: the work_items table (durable work taken over from dead replicas)."""
    work_items.create(conn, checkfirst=True)


def _add_alert_tables(conn: Connection) -> None:
    """Version 3: the Alertmanager inbox, one row per alert/watcher message, and leases."""
    for table in (alert_inbox, alert_threads, leases):
        table.create(conn, checkfirst=True)


def _add_ask_tables(conn: Connection) -> None:
    """Version 4: the questions kubemedic asked and the team's examples."""
    for table in (questions, examples):
        table.create(conn, checkfirst=True)


def _add_fleet_tables(conn: Connection) -> None:
    """Version 5: the fleet's agent tokens, agents and routed requests."""
    for table in FLEET_TABLES:
        table.create(conn, checkfirst=True)


def _add_fleet_columns(conn: Connection) -> None:
    """Version 6: remediation through agents (the agent's opt-in, a request's action) and the
    identity an audited change acted as."""
    for table, column in (
        (fleet_agents, "remediation"),
        (fleet_requests, "params"),
        (audit, "identity"),
    ):
        _add_column(conn, table, column)


def _add_column(conn: Connection, table: Table, name: str) -> None:
    """Add a column the table lacks (`create_all` made the tables an older database lacked whole)."""
    if name in {column["name"] for column in inspect(conn).get_columns(table.name)}:
        return
    column = table.c[name]
    kind = column.type.compile(dialect=conn.dialect)
    default = " NOT NULL DEFAULT false" if column.server_default is not None else ""
    conn.execute(text(f'ALTER TABLE {table.name} ADD COLUMN "{name}" {kind}{default}'))


def _add_trust_columns(conn: Connection) -> None:
    """Version 7: what a question offered (a pick names one of them), who confirmed an example."""
    for table, column in (
        (questions, "offered"),
        (examples, "confirmed_by"),
        (examples, "confirmed_at"),
    ):
        _add_column(conn, table, column)


def _add_token_columns(conn: Connection) -> None:
    """Version 8: a token's hub-side opt-in and key binding, and its one live connection; an
    agent moving to another replica."""
    for column in TOKEN_COLUMNS_8:
        _add_column(conn, fleet_tokens, column)
    _add_column(conn, fleet_agents, "moving_until")


def _add_incident_tables(conn: Connection) -> None:
    """Version 9: paged incidents and the notes written back to them; Jira issues per problem."""
    for table in (incident_notes, tickets):
        table.create(conn, checkfirst=True)


def _add_signing_keys(conn: Connection) -> None:
    """Version 10: the key the bot signs with when KUBEMEDIC_SIGNING_KEY is unset."""
    signing_keys.create(conn, checkfirst=True)


# version -> the step that turns version-1 into version (sync: run via run_sync).
STEPS: dict[int, Callable[[Connection], None]] = {
    2: _add_work_items,
    3: _add_alert_tables,
    4: _add_ask_tables,
    5: _add_fleet_tables,
    6: _add_fleet_columns,
    7: _add_trust_columns,
    8: _add_token_columns,
    9: _add_incident_tables,
    10: _add_signing_keys,
}

# Any constant bigint; all kubemedic replicas must agree on it.
SCHEMA_LOCK_KEY = 0x6B75_6265_6D65_6463 & 0x7FFF_FFFF_FFFF_FFFF


async def migrate(conn: AsyncConnection, *, now: datetime) -> int:
    """Create missing tables, apply pending steps; return the schema version."""
    await conn.run_sync(metadata.create_all)
    current = (await conn.execute(select(func.max(schema_version.c.version)))).scalar()
    if current is None:
        await _record(conn, SCHEMA_VERSION, now)
        return SCHEMA_VERSION
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"database schema is version {current}, this kubemedic knows up to "
            f"{SCHEMA_VERSION}: upgrade kubemedic"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        await conn.run_sync(STEPS[version])
        await _record(conn, version, now)
    return SCHEMA_VERSION


async def _record(conn: AsyncConnection, version: int, now: datetime) -> None:
    await conn.execute(insert(schema_version).values(version=version, applied_at=now))
