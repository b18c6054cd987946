"""Run the real bot over HTTP against local Slack and Kubernetes stand-ins.

Everything is real except Slack and the cluster: the bolt AsyncApp behind
aiohttp on 127.0.0.1, requests signed as Slack signs them, the Web API
pointed at the recording Slack stand-in through SLACK_API_URL, the official
kubernetes client talking to the API stand-in through a kubeconfig, and a
real SQLite file (or PostgreSQL when a URL is given).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.cluster.directory import Connector
from bot.remediation.stored_key import with_signing_key
from bot.settings import Settings
from bot.slack.app import shared_session
from bot.storage.sql import SqlStore
from bot.web.server import http_runner
from bot.wiring.alerts import AlertParts
from bot.wiring.root import Kubemedic, compose
from bot.wiring.slack import SlackChat
from intents.matcher import Matcher
from tests.standins import kube_scenarios
from tests.standins.kube_api import Fault, KubeStandIn, running_kube_standin, write_kubeconfig
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


class SteppedClock:
    """The wall clock, plus however far a test stepped it forward (leases, signatures, windows)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


@dataclass
class Bot:
    """A running bot and the stand-ins around it."""

    url: str
    slack: SlackStandIn
    kube: KubeStandIn
    requests: SlackRequests
    kubemedic: Kubemedic[SlackChat]
    """The bot's parts, as `compose` built them."""
    clock: SteppedClock

    async def settle(self) -> None:
        """Wait until the bot has finished everything it started (instead of sleeping on a guess)."""
        await self.kubemedic.background.idle()

    @property
    def alerts(self) -> AlertParts | None:
        """The alert receiver and watcher, when KUBEMEDIC_ALERTMANAGER_TOKEN or KUBEMEDIC_WATCH is set."""
        return self.kubemedic.alerts

    async def post_alert(self, body: bytes, *, token: str | None) -> tuple[int, str]:
        """POST /alertmanager as Alertmanager does (bearer token, JSON)."""
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return await post(f"{self.url}/alertmanager", body, headers)

    async def send(self, request: SignedRequest) -> tuple[int, str]:
        return await post(f"{self.url}/slack/events", request.body, request.headers)

    async def get(self, path: str) -> tuple[int, str]:
        import aiohttp

        async with aiohttp.ClientSession() as session, session.get(f"{self.url}{path}") as response:
            return response.status, await response.text()


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    kube: KubeStandIn | None = None,
    database_url: str | None = None,
    kubeconfig: Path | None = None,
    store_timeout: float = 5.0,
    hub: bool = False,
    connector: Connector | None = None,
    **settings: Any,
) -> AsyncIterator[Bot]:
    """Start stand-ins and the bot; `settings` are extra environment names and values.

    With `kubeconfig` the bot reads that cluster (e.g. a real API server), not the stand-in.
    `hub`: a fleet hub (`serve --hub`), given no kubeconfig at all; its agents dial `Bot.url`.
    `store_timeout`: seconds a database write waits for SQLite's lock (the store's default: 5).
    `connector`: the bot reads the readers it makes (a recording) instead of the kubeconfig's.
    """
    slack = SlackStandIn(bot_token=BOT_TOKEN)
    kube = kube or KubeStandIn(latency=0.0)
    async with running_slack_standin(slack), running_kube_standin(kube) as kube_url:
        kubeconfig = kubeconfig or write_kubeconfig(
            tmp_path / "kubeconfig", {"lab": kube_url, "prod": kube_url}, current="lab"
        )
        environment = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.api_url,
            **({} if hub else {"KUBECONFIG": str(kubeconfig)}),
            "KUBEMEDIC_DATABASE_URL": database_url
            or f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}",
            "KUBEMEDIC_ADMINS": ADMIN,
            **settings,
        }
        config = Settings(**environment)
        store = SqlStore(config.database_url, timeout=store_timeout)
        await store.start()
        config = await with_signing_key(config, store)  # as `serve` does
        clock = SteppedClock()
        kubemedic = compose(
            config,
            chat=SlackChat(config, bot_user_id=slack.bot_user_id),
            matcher=shared_matcher(),
            store=store,
            clock=clock,
            hub=hub,
            connector=connector,
        )
        async with shared_session(kubemedic.chat.client):  # as `serve` runs the bot
            runner = http_runner(kubemedic.web, idle_timeout=config.http_idle_timeout_seconds)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            alerts = kubemedic.alerts
            alerting = (
                asyncio.get_running_loop().create_task(alerts.run()) if alerts is not None else None
            )
            stop_fleet = asyncio.Event()
            fleet = kubemedic.fleet
            fleeting = (
                asyncio.get_running_loop().create_task(fleet.run(stop_fleet))
                if fleet is not None
                else None
            )
            try:
                yield Bot(
                    f"http://127.0.0.1:{port}",
                    slack,
                    kube,
                    SlackRequests(SECRET, standin=slack),
                    kubemedic,
                    clock,
                )
            finally:
                stop_fleet.set()
                if fleeting is not None:
                    await fleeting
                if alerting is not None:
                    alerting.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await alerting
                await runner.shutdown()
                await kubemedic.background.drain(10.0)
                await runner.cleanup()
                await store.close()


ONE_SLOT = {"KUBEMEDIC_QUEUE_LIMIT": "1", "KUBEMEDIC_ADMISSION_WAIT_SECONDS": "0"}
"""Settings of a bot with one queue slot, which sheds at once whatever finds it taken."""


@dataclass(frozen=True)
class SlotHolder:
    """A cluster where `/diagnose <command>` reads a pod for `hold.seconds`, holding a queue slot meanwhile
    (set `hold.seconds = 0` to let it finish)."""

    kube: KubeStandIn
    command: str
    hold: Fault


def slot_holder(seconds: float) -> SlotHolder:
    kube = KubeStandIn(latency=0.0)
    case = kube_scenarios.oom_killed_deployment(kube)
    return SlotHolder(
        kube, f"pod {case.namespace}/{case.pod}", kube.delay(r"/pods/", seconds, method="GET")
    )


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
