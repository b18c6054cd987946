"""The real bot as `serve --teams` builds it, against the Bot Framework and Kubernetes stand-ins.

`running_teams_bot` composes the bot with Teams' adapter (the one root, bot/wiring/root.py),
serves its HTTP app on loopback and points it at the Bot Framework stand-in (OpenID metadata,
token endpoint, Connector); `Teams.send(activity)` POSTs an activity as the Bot Framework does,
signed (or forged). `graph=GraphStandIn(bf)` also serves Microsoft Graph over the same channels and
turns the bot's history reading on (`KUBEMEDIC_TEAMS_GRAPH`); stand-ins passed in already running
are kept running (a second bot on the same database and the same Teams: a restart).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.remediation.stored_key import with_signing_key
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.web.server import http_runner
from bot.wiring.root import Kubemedic, compose
from bot.wiring.teams_bot import TeamsChat
from tests.slack.harness import SteppedClock, shared_matcher
from tests.standins.botframework import APP_ID, APP_PASSWORD, TENANT, BotFrameworkStandIn
from tests.standins.graph_api import GraphStandIn
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig
from tests.standins.vendor_api import running

ADMIN = "aad-admin-0001"


@dataclass
class Teams:
    url: str
    bf: BotFrameworkStandIn
    kube: KubeStandIn
    kubemedic: Kubemedic[TeamsChat]
    graph: GraphStandIn | None = None

    async def send(self, activity: dict[str, Any], **signing: Any) -> tuple[int, Any]:
        """POST the activity as the Bot Framework does; (status, JSON body or text)."""
        headers = self.bf.signed(activity, **signing)
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"{self.url}/teams/messages", json=activity, headers=headers) as answer,
        ):
            text = await answer.text()
            try:
                return answer.status, await answer.json(content_type=None)
            except ValueError:
                return answer.status, text


@asynccontextmanager
async def running_teams_bot(
    tmp_path: Path,
    *,
    kube: KubeStandIn | None = None,
    bf: BotFrameworkStandIn | None = None,
    graph: GraphStandIn | None = None,
    **settings: str,
) -> AsyncIterator[Teams]:
    bf, kube = (
        bf or (graph.bf if graph else BotFrameworkStandIn()),
        kube or KubeStandIn(latency=0.0),
    )
    async with AsyncExitStack() as stack:
        for standin in (bf, graph):
            if standin is not None and not standin.url:
                await stack.enter_async_context(running(standin))
        if graph is not None:
            settings = {
                "KUBEMEDIC_TEAMS_GRAPH": "true",
                "KUBEMEDIC_TEAMS_TEAM_ID": graph.team,
                "KUBEMEDIC_TEAMS_TENANT_ID": TENANT,
                "KUBEMEDIC_TEAMS_TOKEN_URL": bf.tenant_token_url,
                "KUBEMEDIC_TEAMS_GRAPH_API_URL": graph.api_url,
                **settings,
            }
        kube_url = await stack.enter_async_context(running_kube_standin(kube))
        kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"lab": kube_url}, current="lab")
        config = Settings(
            **{
                "KUBECONFIG": str(kubeconfig),
                "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}",
                "KUBEMEDIC_TEAMS_APP_ID": APP_ID,
                "KUBEMEDIC_TEAMS_APP_PASSWORD": APP_PASSWORD,
                "KUBEMEDIC_TEAMS_OPENID_URL": bf.openid_url,
                "KUBEMEDIC_TEAMS_TOKEN_URL": bf.token_url,  # a multi-tenant bot's
                "KUBEMEDIC_TEAMS_SERVICE_URL": bf.service_url,
                "KUBEMEDIC_TEAMS_TENANT_IDS": TENANT,
                "KUBEMEDIC_ADMINS": ADMIN,
                **settings,
            }
        )
        store = SqlStore(config.database_url)
        await store.start()
        stack.push_async_callback(store.close)
        config = await with_signing_key(config, store)  # as `serve` does
        bot = compose(
            config,
            chat=TeamsChat(config),
            matcher=shared_matcher(),
            store=store,
            clock=SteppedClock(),
        )
        runner = http_runner(bot.web, idle_timeout=config.http_idle_timeout_seconds)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        alerts = bot.alerts  # the alert loop, when KUBEMEDIC_ALERTMANAGER_TOKEN is set
        alerting = asyncio.get_running_loop().create_task(alerts.run()) if alerts else None
        try:
            yield Teams(f"http://127.0.0.1:{runner.addresses[0][1]}", bf, kube, bot, graph)
        finally:
            if alerting is not None:
                alerting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await alerting
            await runner.shutdown()
            await bot.background.drain(10.0)
            await runner.cleanup()


def shown(bf: BotFrameworkStandIn, message: str) -> str:
    """The activity `message` as it reads now (its last update), with its buttons' titles."""
    versions = [sent for sent in bf.sent if sent.id == message]
    return versions[-1].text() if versions else ""


def thread(bf: BotFrameworkStandIn, message: str) -> str:
    """Every reply in `message`'s thread (the thread it is in, or the one it starts), as it reads now."""
    first = next(sent for sent in bf.sent if sent.id == message)
    root = first.reply_to or message
    replies = [s.id for s in bf.sent if s.reply_to == root and not s.updated and s.id != message]
    return "\n".join(shown(bf, reply) for reply in dict.fromkeys(replies))
