"""The real bot, built offline for inspection: `compose` over collaborators that
are constructed but never started (no Slack, no cluster, no database connection
is made; nothing is dispatched)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from bot.runtime import signing_key
from bot.settings import Settings
from bot.wiring.root import Kubemedic, compose
from bot.wiring.slack import SlackChat


def settings(tmp: Path) -> Settings:
    environment: dict[str, Any] = {
        "SLACK_BOT_TOKEN": "xoxb-deploy-test",
        "SLACK_SIGNING_SECRET": "deploy-test-secret",
        "SLACK_APP_TOKEN": "xapp-deploy-test",
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
        "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'kubemedic.db'}",
        "KUBECONFIG": str(tmp / "no-kubeconfig"),
        "KUBEMEDIC_CACHE_DIR": str(tmp / "cache"),
        "KUBEMEDIC_SIGNING_KEY": signing_key.generate(),  # no database is opened here
    }
    return Settings(**environment)


def composed(tmp: Path, *, socket_mode: bool) -> Kubemedic[SlackChat]:
    """The bot as serve composes it, minus the catalog (no listener reads it at registration)."""
    config = settings(tmp)
    return compose(config, chat=SlackChat(config, socket_mode=socket_mode), matcher=cast(Any, None))
