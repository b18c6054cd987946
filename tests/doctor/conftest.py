"""Fixtures for the doctor tests: a complete, healthy install each test breaks in one place."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import INDEX_CACHE
from tests.doctor.install import (
    ADMIN,
    APP_TOKEN,
    BOT_TOKEN,
    Install,
    deploy_rules,
    migrated_sqlite,
    self_signed,
)
from tests.slack.harness import SECRET
from tests.standins.kube_api import KubeStandIn, write_kubeconfig
from tests.standins.kube_api import start_in_thread as kube_in_thread
from tests.standins.slack_api import SlackStandIn
from tests.standins.slack_api import start_in_thread as slack_in_thread


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file as `serve` leaves it, created and migrated once; each test gets a copy."""
    path = tmp_path_factory.mktemp("database") / "kubemedic.db"
    migrated_sqlite(path)
    return path


@pytest.fixture
def install(tmp_path: Path, migrated_database: Path) -> Iterator[Install]:
    """Socket Mode, SQLite, one cluster "lab" granting deploy/'s read and remediation roles."""
    database = tmp_path / "kubemedic.db"
    shutil.copyfile(migrated_database, database)
    slack = SlackStandIn(bot_token=BOT_TOKEN, app_token=APP_TOKEN)
    kube = KubeStandIn(latency=0.0)
    kube.rbac = deploy_rules("kubemedic-read", "kubemedic-remediate")
    with slack_in_thread(slack) as slack_server, kube_in_thread(kube) as kube_server:
        kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"lab": kube_server.url})
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack_server.api_url,
            "KUBECONFIG": str(kubeconfig),
            "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
            "KUBEMEDIC_ADMINS": ADMIN,
            "HOME": str(tmp_path / "home"),
            "KUBEMEDIC_CACHE_DIR": str(INDEX_CACHE),  # one catalog index for the session's commands
        }
        yield Install(slack, kube, env, tmp_path)


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("tls"))
