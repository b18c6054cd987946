"""Slack end-to-end tests that must also hold on PostgreSQL (several replicas share it)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from tests.storage.backends import pg_admin
from tests.storage.conftest import postgres_base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each backend (PostgreSQL: skipped locally without a server, fails in CI)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"
        return
    base = postgres_base_url()
    name = f"kubemedic_slack_{secrets.token_hex(6)}"
    asyncio.run(pg_admin(base, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(pg_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
