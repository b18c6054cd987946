"""Database check: reachable, and its schema migrated to the version this kubemedic knows.

Read only: doctor never creates a SQLite file or migrates a schema (that is
`serve`'s start-up), so a check cannot hide the problem it reports.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import Settings
from bot.storage.base import StoreError
from bot.storage.sql import SqlStore
from bot.storage.tables import SCHEMA_VERSION
from responses.doctor import Check

NAME = "Database"
START_ONCE = (
    "run `kubemedic migrate` with the bot's KUBEMEDIC_DATABASE_URL (no Slack token needed; "
    "`kubemedic serve` does the same at start-up)"
)


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


async def database(settings: Settings) -> list[Check]:
    """One check line for KUBEMEDIC_DATABASE_URL."""
    try:
        missing = _sqlite_file(settings.database_url)
    except ArgumentError as exc:
        return [
            Check(
                NAME,
                "fail",
                f"KUBEMEDIC_DATABASE_URL is not a database URL: {exc}",
                "use sqlite+aiosqlite:////PATH/kubemedic.db or postgresql+asyncpg://USER:PASSWORD@HOST/DB",
            )
        ]
    if missing is not None and not missing.is_file():
        return [Check(NAME, "fail", f"no SQLite database at {missing}", START_ONCE)]
    try:
        store = SqlStore(settings.database_url)
    except ValueError as exc:
        return [
            Check(
                NAME, "fail", str(exc), "use a sqlite or postgresql URL in KUBEMEDIC_DATABASE_URL"
            )
        ]
    try:
        version = await store.schema_version()
    except StoreError as exc:
        return [
            Check(
                NAME,
                "fail",
                str(exc),
                "check KUBEMEDIC_DATABASE_URL (host, port, password) and that the database accepts "
                "connections from kubemedic",
            )
        ]
    finally:
        await store.close()
    return [_verdict(store.where, version)]


def _verdict(where: str, version: int | None) -> Check:
    if version is None:
        return Check(NAME, "fail", f"{where} answers but has no kubemedic schema", START_ONCE)
    if version < SCHEMA_VERSION:
        return Check(
            NAME,
            "fail",
            f"{where} has schema version {version}, this kubemedic needs {SCHEMA_VERSION}",
            START_ONCE,
        )
    if version > SCHEMA_VERSION:
        return Check(
            NAME,
            "fail",
            f"{where} has schema version {version}, newer than this kubemedic ({SCHEMA_VERSION})",
            "run the same kubemedic release as the bot",
        )
    return Check(NAME, "ok", f"{where} reachable, schema version {version} (current)")
