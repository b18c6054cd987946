"""Slack end-to-end tests that must also hold on PostgreSQL (several replicas share it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.storage.backends import fresh_postgres_database
from tests.storage.conftest import postgres_base_url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each backend (PostgreSQL: skipped locally without a server, fails in CI)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}"
        return
    with fresh_postgres_database(postgres_base_url(), prefix="kubemedic_slack") as url:
        yield url
