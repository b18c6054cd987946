"""Run the real Mattermost bot against the Mattermost and Kubernetes stand-ins, on loopback.

Everything is real except Mattermost and the cluster: `compose` with Mattermost's adapter as `serve
--mattermost` builds it, its HTTP server on 127.0.0.1 (slash command, clicks, dialogs, probes,
/alertmanager), its WebSocket connected to the stand-in's, the official kubernetes client on the
API stand-in, and a real SQLite file.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.mattermost.client import MattermostClient
from bot.remediation.stored_key import with_signing_key
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.web.server import http_runner
from bot.wiring.mattermost import MattermostChat
from bot.wiring.root import Kubemedic, compose
from tests.slack.harness import SteppedClock, shared_matcher
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig
from tests.standins.mattermost_api import BOT_ID, MattermostStandIn, running_mattermost
from tests.waiting import PATIENCE

COMMAND_TOKEN = "mm-command-token-0123456789"
ADMIN = "adminuser000000000000000a1"
ALICE = "aliceuser000000000000000a2"
MALLORY = "mallory0000000000000000a3"
GENERAL = "chgeneral0000000000000000c"


@dataclass
class MmBot:
    url: str
    mm: MattermostStandIn
    kube: KubeStandIn
    bot: Kubemedic[MattermostChat]
    clock: SteppedClock

    async def settle(self) -> None:
        await self.bot.background.idle()

    async def command(
        self,
        text: str,
        *,
        user: str = ALICE,
        channel: str = GENERAL,
        token: str = COMMAND_TOKEN,
        response_url: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        return await self.mm.command(
            f"{self.url}/mattermost/command",
            token,
            channel=channel,
            user=user,
            text=text,
            response_url=response_url,
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@asynccontextmanager
async def running_mattermost_bot(
    tmp_path: Path, *, kube: KubeStandIn | None = None, hub: bool = False, **settings: Any
) -> AsyncIterator[MmBot]:
    """`hub`: a fleet hub (`serve --mattermost --hub`), given no kubeconfig; its agents dial `MmBot.url`."""
    mm = MattermostStandIn()
    mm.state.add_user(ADMIN, "admin")
    mm.state.add_user(ALICE, "alice")
    mm.state.add_user(MALLORY, "mallory")
    mm.state.add_channel(GENERAL, "general", members=(ADMIN, ALICE, MALLORY))
    kube = kube or KubeStandIn(latency=0.0)
    port = _free_port()
    async with running_mattermost(mm) as mm_url, running_kube_standin(kube) as kube_url:
        kubeconfig = write_kubeconfig(tmp_path / "kubeconfig", {"lab": kube_url}, current="lab")
        config = Settings(
            **{
                "KUBEMEDIC_MATTERMOST_URL": mm_url,
                "KUBEMEDIC_MATTERMOST_TOKEN": mm.state.bot_token,
                "KUBEMEDIC_MATTERMOST_COMMAND_TOKEN": COMMAND_TOKEN,
                "KUBEMEDIC_MATTERMOST_CALLBACK_URL": f"http://127.0.0.1:{port}",
                **({} if hub else {"KUBECONFIG": str(kubeconfig)}),
                "KUBEMEDIC_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'kubemedic.db'}",
                "KUBEMEDIC_ADMINS": ADMIN,
                "KUBEMEDIC_SUMMARY_DEBOUNCE_SECONDS": "0",
                **settings,
            }
        )
        store = SqlStore(config.database_url)
        await store.start()
        config = await with_signing_key(config, store)  # as `serve` does
        client = MattermostClient(mm_url, mm.state.bot_token)
        me = await client.me()
        clock = SteppedClock()
        chat = MattermostChat(
            config, client=client, bot_user_id=str(me["id"]), bot_username=str(me["username"])
        )
        bot = compose(
            config, chat=chat, matcher=shared_matcher(), store=store, clock=clock, hub=hub
        )
        assert me["id"] == BOT_ID
        runner = http_runner(bot.web, idle_timeout=config.http_idle_timeout_seconds)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        chat.socket.start()
        await asyncio.wait_for(chat.socket.connected.wait(), PATIENCE)
        alerting = (
            asyncio.get_running_loop().create_task(bot.alerts.run())
            if bot.alerts is not None
            else None
        )
        stop_fleet = asyncio.Event()
        fleeting = (
            asyncio.get_running_loop().create_task(bot.fleet.run(stop_fleet)) if bot.fleet else None
        )
        try:
            yield MmBot(f"http://127.0.0.1:{port}", mm, kube, bot, clock)
        finally:
            stop_fleet.set()
            if fleeting is not None:
                await fleeting
            if alerting is not None:
                alerting.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await alerting
            await chat.socket.stop()
            await runner.shutdown()
            await bot.background.drain(10.0)
            await runner.cleanup()
            await client.close()
            await store.close()
