"""The real bot, built offline for inspection: create_app and build_web_app over
collaborators that are constructed but never started (no Slack, no cluster, no
database connection is made; nothing is dispatched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from bot.settings import Settings
from bot.slack.clusters import ClusterDirectory
from bot.slack.deps import BotDeps
from bot.storage.sql import SqlStore


def settings(tmp: Path) -> Settings:
    environment: dict[str, Any] = {
        "SLACK_BOT_TOKEN": "xoxb-deploy-test", "SLACK_SIGNING_SECRET": "deploy-test-secret",
        "SLACK_APP_TOKEN": "xapp-deploy-test", "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'kubemedic.db'}",
        "KUBECONFIG": str(tmp / "no-kubeconfig"), "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
    }
    return Settings(**environment)


def stand_in_deps(tmp: Path) -> BotDeps:
    """BotDeps as serve builds them, minus the catalog (no listener reads it at registration)."""
    config = settings(tmp)
    return BotDeps(config, cast(Any, None), SqlStore(config.database_url), ClusterDirectory(config))
