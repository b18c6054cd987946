"""Incident tests share the storage suite's backends: `db_url` is SQLite, then PostgreSQL."""

from tests.storage.conftest import (  # noqa: F401 - fixtures, used by name
    _sqlite_dir,
    backend,
    db_url,
    postgres_session_url,
)
