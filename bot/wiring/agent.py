"""The composition root of `kubemedic agent`: the loop to the hub, and what its cluster turns on.

Built once, like `bot.wiring` builds the bot: the agent's connection to the hub
(bot/fleet/agent.py), and when its cluster asks for them its own watcher (KUBEMEDIC_WATCH,
with the watch Role) and Alertmanager receiver (KUBEMEDIC_ALERTMANAGER_TOKEN). Both report to
the hub through one `Forwarder`; the receiver is the only thing an agent ever listens for, on
PORT inside its cluster (the chart's Service is cluster-internal); without it the agent opens
no port.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from aiohttp import web

from bot.answering.chosen import catalog_entry
from bot.cluster.directory import ClusterDirectory, Connector
from bot.cluster.watching import Watchable
from bot.diagnosis.pod import Judge
from bot.fleet.agent import Agent
from bot.fleet.agent_alerts import AgentIntake, agent_explainer, agent_processor, agent_watcher
from bot.fleet.agent_main import build_agent, stop_on_signals
from bot.fleet.forwarding import Forwarder
from bot.knowledge import Knowledge
from bot.runtime.clock import Clock, utc_now
from bot.settings import Settings
from bot.watching.watcher import ClusterWatcher
from bot.web.alertmanager import PATH, alertmanager_handler

log = logging.getLogger(__name__)


@dataclass
class AgentParts:
    """The running agent's parts, as `compose_agent` wired them."""

    agent: Agent
    forwarder: Forwarder | None = None
    watcher: ClusterWatcher | None = None
    receiver: web.Application | None = None
    """POST /alertmanager (and /healthz), served on `port` when the receiver is on."""
    port: int = 3000
    host: str = "0.0.0.0"
    """KUBEMEDIC_LISTEN_HOST: every interface by default (its Service reaches it there)."""
    serving: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once the receiver listens (on `port`)."""

    async def run(self, stop: asyncio.Event) -> None:
        """The agent, its watcher and its receiver until `stop`; TokenRefused ends them all."""
        watching = (
            asyncio.get_running_loop().create_task(self.watcher.run()) if self.watcher else None
        )
        runner = await self._serve() if self.receiver is not None else None
        try:
            await self.agent.run(stop)
        finally:
            if watching is not None:
                watching.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await watching
            if runner is not None:
                await runner.cleanup()

    async def _serve(self) -> web.AppRunner:
        assert self.receiver is not None
        runner = web.AppRunner(self.receiver, handle_signals=False)
        await runner.setup()
        await web.TCPSite(runner, self.host, self.port).start()
        self.port = runner.addresses[0][1]  # the one bound, when asked for any (0)
        self.serving.set()
        log.info("Alertmanager receiver listening on port %d (inside the cluster)", self.port)
        return runner


def compose_agent(
    settings: Settings,
    knowledge: Knowledge,
    connector: Connector | None = None,
    *,
    version: str,
    clock: Clock = utc_now,
    port: int | None = None,
) -> AgentParts:
    """Build the agent, nothing started (BadInput: a setting missing; `connector`: see compose)."""
    clusters = ClusterDirectory(settings, connector=connector)
    token = settings.alertmanager_bearer
    if not settings.watch and token is None:
        return AgentParts(build_agent(settings, knowledge, version=version, clusters=clusters))
    forwarder = Forwarder()
    agent = build_agent(
        settings, knowledge, version=version, clusters=clusters, forwarder=forwarder
    )
    matcher = knowledge.matcher
    entries = {entry.id: entry for entry in matcher.index.entries}
    explainer = agent_explainer(
        lambda: clusters.reader(None),
        entries=entries,
        judge=Judge(matcher),
        lookup=lambda entry_id: catalog_entry(matcher, entry_id),
    )
    parts = AgentParts(agent, forwarder, port=settings.port if port is None else port)
    parts.host = settings.listen_host
    if settings.watch:
        source = clusters.reader(None)
        if isinstance(source, Watchable):
            parts.watcher = agent_watcher(
                source,
                forwarder,
                explainer,
                entries=entries,
                namespaces=list(settings.namespaces),
                pending=settings.watch_pending_seconds,
                node=settings.watch_node_seconds,
                clock=clock,
            )
        else:
            log.warning("cannot watch %s: its reader has no watch streams", source.cluster_name)
    if token is not None:
        processor = agent_processor(
            forwarder, explainer, entries=entries, unmapped=settings.unmapped_alerts, clock=clock
        )
        intake = AgentIntake(processor, forwarder, connected=lambda: agent.state.connected)
        parts.receiver = _receiver(intake, token, settings)
    return parts


def _receiver(intake: AgentIntake, token: str, settings: Settings) -> web.Application:
    """The agent's Alertmanager route beside /healthz (payloads read off the loop)."""
    receiver = web.Application(client_max_size=8 * 1024 * 1024)
    receiver.router.add_post(
        PATH,
        alertmanager_handler(
            intake,
            token=token,
            on_stored=lambda: None,
            body_timeout=settings.http_body_timeout_seconds,
            text_seconds=settings.text_cpu_seconds,
        ),
    )
    receiver.router.add_get("/healthz", _healthz)
    return receiver


async def _healthz(_: web.Request) -> web.Response:
    return web.Response(text="ok\n")


async def run_composed(parts: AgentParts) -> None:
    """Until SIGTERM or SIGINT; TokenRefused ends it."""
    stop = stop_on_signals()
    log.info("kubemedic agent dialling %s", parts.agent.url)
    await parts.run(stop)
