"""Run the real bot over HTTP against local Slack and Kubernetes stand-ins.

Everything is real except Slack and the cluster: the bolt AsyncApp behind
aiohttp on 127.0.0.1, requests signed as Slack signs them, the Web API
pointed at the recording Slack stand-in through SLACK_API_URL, the official
kubernetes client talking to the API stand-in through a kubeconfig, and a
real SQLite file (or PostgreSQL when a URL is given).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.commands.serve_cmd import build_remediation
from bot.settings import Settings
from bot.slack.app import create_app
from bot.slack.clusters import ClusterDirectory
from bot.slack.deps import BotDeps
from bot.slack.server import build_web_app
from bot.storage.sql import SqlStore
from intents.matcher import Matcher
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig
from tests.standins.slack_api import SlackStandIn, running_slack_standin
from tests.standins.slack_requests import SignedRequest, SlackRequests, post

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-kubemedic-test"
ADMIN = "U0ADMIN0001"
_MATCHER: list[Matcher] = []


def shared_matcher() -> Matcher:
    """The built-in catalog's matcher, built once per test session."""
    if not _MATCHER:
        from bot.knowledge import load_knowledge

        _MATCHER.append(load_knowledge(Settings()).matcher)
    return _MATCHER[0]


@dataclass
class Bot:
    """A running bot and the stand-ins around it."""

    url: str
    slack: SlackStandIn
    kube: KubeStandIn
    requests: SlackRequests
    deps: BotDeps

    async def send(self, request: SignedRequest) -> tuple[int, str]:
        return await post(f"{self.url}/slack/events", request.body, request.headers)

    async def get(self, path: str) -> tuple[int, str]:
        import aiohttp

        async with aiohttp.ClientSession() as session, session.get(f"{self.url}{path}") as response:
            return response.status, await response.text()


@asynccontextmanager
async def running_bot(tmp_path: Path, *, kube: KubeStandIn | None = None, database_url: str | None = None,
                      **settings: Any) -> AsyncIterator[Bot]:
    """Start stand-ins and the bot; `settings` are extra environment names and values."""
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    kube = kube or KubeStandIn(latency=0.0)
    async with running_slack_standin(slack), running_kube_standin(kube) as kube_url:
        kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"lab": kube_url, "prod": kube_url}, current="lab")
        environment = {
            "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.api_url,
            "KUBECONFIG": str(kubeconfig),
            "KUBEMEDIC_DATABASE_URL": database_url or f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}",
            "KUBEMEDIC_ADMINS": ADMIN, **settings,
        }
        config = Settings(**environment)
        store = SqlStore(config.database_url)
        await store.start()
        deps = BotDeps(config, shared_matcher(), store, ClusterDirectory(config), bot_user_id=slack.bot_user_id)
        deps.remediation = build_remediation(deps)
        runner = web.AppRunner(build_web_app(deps, create_app(deps)))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        try:
            yield Bot(f"http://127.0.0.1:{port}", slack, kube, SlackRequests(SECRET, standin=slack), deps)
        finally:
            await runner.shutdown()
            await deps.drain(10.0)
            await runner.cleanup()
            await store.close()



def block_text(blocks: list[dict[str, Any]]) -> str:
    """All text in a message's blocks, for assertions."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(blocks)
    return "\n".join(parts)
