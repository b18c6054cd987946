"""One storage suite, run against every backend: SQLite and PostgreSQL.

SQLite uses a real file in tmp_path. PostgreSQL uses a fresh database per
test on the server named by KUBEMEDIC_TEST_POSTGRES_URL (`.ci/postgres.sh`
starts one); without it the PostgreSQL cases are skipped - except under
CI (CI=1 or true), where they fail, so CI cannot silently test SQLite alone.
Tests are plain `async def`: the hook in tests/conftest.py runs each in a fresh event loop.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ci import in_ci
from tests.storage.backends import fresh_postgres_database, pg_admin

PG_ENV = "KUBEMEDIC_TEST_POSTGRES_URL"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "own_database: the test gets a PostgreSQL database of its own"
    )


def postgres_base_url() -> str:
    url = os.environ.get(PG_ENV, "")
    if url:
        return url
    if in_ci():
        pytest.fail(f'CI is set but {PG_ENV} is unset: run `eval "$(bash .ci/postgres.sh)"` first')
    pytest.skip(f'{PG_ENV} is unset; start one with: eval "$(bash .ci/postgres.sh)"')


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def postgres_session_url() -> Iterator[str]:
    """One database for the session; each test empties it (much faster than CREATE DATABASE)."""
    with fresh_postgres_database(postgres_base_url()) as url:
        yield url


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A URL to an empty database of this backend.

    PostgreSQL: the session database with its schema dropped and recreated, or
    (marker `own_database`, for tests that drop it) a database of its own.
    """
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'db' / 'kubemedic.db'}"
        return
    if request.node.get_closest_marker("own_database") is None:
        url = request.getfixturevalue("postgres_session_url")
        asyncio.run(pg_admin(url, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        yield url
        return
    with fresh_postgres_database(postgres_base_url()) as url:
        yield url


@pytest.fixture(autouse=True)
def _sqlite_dir(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
