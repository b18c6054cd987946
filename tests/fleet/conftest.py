"""A fleet on loopback: a hub (the real bolt app, `compose(hub=True)`) and agents dialling it.

Each agent is the real `kubemedic agent` (`bot.wiring.agent.compose_agent`: its loop, and its
watcher and Alertmanager receiver when its settings turn them on) reading its own Kubernetes
API stand-in through a kubeconfig, with a token the hub's store issued. A `RawAgent` speaks the
wire by hand, for what a real agent never does (forge, stall, lie).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.cluster.directory import Connector
from bot.fleet import agent_key, tokens
from bot.fleet.agent import Agent
from bot.fleet.wire import PATH, Hello
from bot.knowledge import Knowledge
from bot.runtime.clock import utc_now
from bot.settings import Settings
from bot.storage.sql import SqlStore
from bot.wiring.agent import AgentParts, compose_agent
from tests.mattermost.harness import MmBot
from tests.slack.harness import Bot, shared_matcher
from tests.standins.kube_api import KubeStandIn, running_kube_standin, write_kubeconfig
from tests.waiting import PATIENCE


async def issue(
    store: SqlStore, cluster: str, *, remediation: bool = False, key: str | None = None
) -> str:
    """A new token for `cluster`, stored at the hub as `kubemedic fleet token issue` does (with
    `--remediation`; bound to the agent key `key`, else `--unbound`)."""
    issued = tokens.issue(cluster, now=utc_now(), remediation=remediation, key=key)
    await store.add_token(issued.record)
    return issued.text


def agent_key_file(folder: Path) -> tuple[Path, str]:
    """A key pair as `fleet token issue --secret` makes it: the private key where the chart mounts
    it for the agent (KUBEMEDIC_AGENT_KEY_FILE), and the public key the token is bound to."""
    pem, public = agent_key.new_pair()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "key.pem"
    path.write_text(pem)
    path.chmod(0o400)
    return path, public


@dataclass
class RunningAgent:
    parts: AgentParts
    task: asyncio.Task[None]
    stop: asyncio.Event
    token: str

    @property
    def agent(self) -> Agent:
        return self.parts.agent

    @property
    def receiver_url(self) -> str:
        return f"http://127.0.0.1:{self.parts.port}/alertmanager"

    async def connected(self, timeout: float = 10.0) -> None:
        async with asyncio.timeout(timeout):
            while not self.agent.state.connected:
                await asyncio.sleep(0.01)

    async def halt(self) -> None:
        """Stop the agent (one that ended by itself was awaited by its test already)."""
        if self.task.done():
            return
        self.stop.set()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task


@asynccontextmanager
async def running_agent(
    hub: Bot | MmBot,
    tmp_path: Path,
    *,
    cluster: str,
    kube: KubeStandIn,
    token: str | None = None,
    wait: bool = True,
    remediation: bool = False,
    connector: Connector | None = None,
    **env: str,
) -> AsyncIterator[RunningAgent]:
    """The real agent for `cluster`, reading `kube`, dialling `hub`, with the settings `env`
    (its receiver, when on, listens on a free port); stopped afterwards. Without `token`, one is
    issued (`remediation`: with `--remediation`); `connector`: it reads what that makes (a
    recording) instead of `kube`."""
    token = token or await issue(
        hub.kubemedic.store if isinstance(hub, Bot) else hub.bot.store,
        cluster,
        remediation=remediation,
    )
    async with running_kube_standin(kube) as kube_url:
        folder = tmp_path / f"agent-{cluster}"
        folder.mkdir(exist_ok=True)
        kubeconfig = write_kubeconfig(folder / "kubeconfig", {cluster: kube_url}, current=cluster)
        settings = Settings(
            **{
                "KUBECONFIG": str(kubeconfig),
                "KUBEMEDIC_HUB_URL": hub.url,
                "KUBEMEDIC_AGENT_TOKEN": token,
                "KUBEMEDIC_AGENT_STATUS_FILE": str(folder / "status"),
                **env,
            }
        )
        parts = compose_agent(
            settings,
            Knowledge(shared_matcher(), ()),
            version="9.9.9-test",
            port=0,
            connector=connector,
        )
        stop = asyncio.Event()
        running = RunningAgent(
            parts, asyncio.get_running_loop().create_task(parts.run(stop)), stop, token
        )
        try:
            if wait:
                await running.connected()
            if parts.receiver is not None:
                await asyncio.wait_for(parts.serving.wait(), PATIENCE)
            yield running
        finally:
            await running.halt()


class RawAgent:
    """A hand-driven agent connection: hello, then whatever the test sends."""

    def __init__(
        self, session: aiohttp.ClientSession, socket: aiohttp.ClientWebSocketResponse
    ) -> None:
        self.session = session
        self.socket = socket

    @classmethod
    @asynccontextmanager
    async def connect(
        cls,
        hub_url: str,
        token: str,
        *,
        hello: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> AsyncIterator[RawAgent]:
        async with aiohttp.ClientSession() as session:
            socket = await session.ws_connect(
                hub_url + PATH, headers={"Authorization": f"Bearer {token}", **(headers or {})}
            )
            raw = cls(session, socket)
            await raw.send(hello or json.loads(Hello(version="raw").model_dump_json()))
            try:
                yield raw
            finally:
                await socket.close()

    async def send(self, message: dict[str, Any]) -> None:
        await self.socket.send_str(json.dumps(message))

    async def receive(self, timeout: float = PATIENCE) -> dict[str, Any]:
        message = await self.socket.receive(timeout=timeout)
        assert message.type == aiohttp.WSMsgType.TEXT, (message.type, message.data, message.extra)
        received: dict[str, Any] = json.loads(message.data)
        return received

    async def next_of(self, kind: str, timeout: float = PATIENCE) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while (message := await self.receive(timeout))["type"] != kind:
                pass
        return message
