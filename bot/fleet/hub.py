"""`kubemedic serve --hub`: the fleet's parts on one hub replica, built once by `bot.wiring`.

The hub reads no cluster: every pod, namespace or node goes to the cluster's agent
(`remote`), `/fleet/connect` is where agents dial in, the dispatcher routes requests through
the database, and `/diagnose clusters` lists the agents. A channel may have a default cluster
(KUBEMEDIC_CHANNEL_CLUSTERS), used when a request names none. With per-user identity
(KUBEMEDIC_IDENTITY_FILE) a request carries who asked, so the agent reads as that person.
The agents' own reports are stored in `reports` (bot/fleet/report_inbox.py); the remediation
buttons they offer are carried out by them (bot/fleet/writes.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta

from aiohttp import web

from bot.answering.requests import DiagnoseRequest, Place
from bot.fleet.dispatch import Dispatcher
from bot.fleet.hub_socket import GOING_AWAY, connect
from bot.fleet.identities import Identities
from bot.fleet.remote import RemoteDiagnoser
from bot.fleet.report_inbox import ReportInbox
from bot.fleet.timing import FleetParts, FleetTiming
from bot.fleet.tokens import bindings, two_places
from bot.fleet.wire import PATH, Lookup
from bot.runtime.clock import Clock
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_base import FleetStore
from responses.chat import ClustersMessage
from responses.fleet_messages import ClusterLine

Route = tuple[str, str, Callable[[web.Request], Awaitable[web.StreamResponse]]]


class FleetHub:
    """One hub replica's side of the fleet."""

    def __init__(
        self,
        *,
        store: FleetStore,
        replica: str,
        clock: Clock,
        lookup: Lookup,
        timing: FleetTiming | None = None,
        channel_clusters: Mapping[str, str] | None = None,
        on_refused: Callable[[], None] = lambda: None,
        reports: ReportInbox | None = None,
        identities: Identities | None = None,
    ) -> None:
        self.parts = FleetParts(
            store=store,
            replica=replica,
            clock=clock,
            timing=timing or FleetTiming(),
            on_refused=on_refused,
            reports=reports or ReportInbox(None),
        )
        self.remote = RemoteDiagnoser(self.parts, lookup=lookup, identities=identities)
        self.dispatcher = Dispatcher(self.parts)
        self.channel_clusters = dict(channel_clusters or {})

    def routes(self) -> list[Route]:
        return [("GET", PATH, functools.partial(connect, self.parts))]

    async def run(self, stop: asyncio.Event) -> None:
        """Dispatch until `stop` (SIGTERM); from then on this replica is draining: it welcomes no agent
        (503) and closes its links, so their agents dial a replica that stays. It dispatches until
        they are closed: an ask pushed meanwhile is taken by its agent, which brings it along."""
        closed = asyncio.Event()
        dispatching = asyncio.get_running_loop().create_task(self.dispatcher.run(closed))
        try:
            await stop.wait()
            self.parts.draining = True
            await self.close()
        finally:
            closed.set()
            await dispatching

    async def close(self) -> None:
        """Close every link at once (each waits for its agent's close reply); their agents are
        marked as moving first, so the asks made meanwhile wait for them to dial another replica."""
        parts, links = self.parts, self.parts.links.all()
        until = parts.clock() + timedelta(seconds=parts.timing.moving_seconds)
        with contextlib.suppress(StoreUnavailable):
            await parts.store.agents_moving(
                sorted({link.cluster for link in links}), replica=parts.replica, until=until
            )
        await asyncio.gather(
            *(link.close(GOING_AWAY, "hub replica shutting down") for link in links)
        )

    def with_default_cluster(self, request: DiagnoseRequest, place: Place) -> DiagnoseRequest:
        """`request` with the channel's default cluster when it names none (pastes are not routed),
        and who asked when the agents read as each person."""
        if request.verb == "paste":
            return request
        if self.remote.identities is not None:
            request = dataclasses.replace(request, asker=place.user)
        default = self.channel_clusters.get(place.channel)
        return (
            dataclasses.replace(request, context=default)
            if default and request.context is None
            else request
        )

    async def clusters(self, channel: str | None) -> ClustersMessage:
        """`/diagnose clusters`: every agent, its version, whether it is reachable, last contact; what a
        connection said of itself only while it lives; a token used from two places."""
        now = self.parts.clock()
        agents = await self.parts.store.list_agents()
        known = await self.parts.store.list_tokens()
        said = _token_notes(bindings(known, now), two_places(known, now))
        lines = [
            ClusterLine(
                cluster=agent.cluster,
                version=agent.version,
                reachable=(reachable := self.parts.timing.reachable(agent, now)),
                last_seen=agent.last_seen,
                cannot_read=agent.cannot_read if reachable else (),
                remediation=agent.remediation and reachable,
                token=said.get(agent.cluster),
            )
            for agent in agents
        ]
        return ClustersMessage(lines, now=now, default=self.channel_clusters.get(channel or ""))


def _token_notes(*notes: Mapping[str, str]) -> dict[str, str]:
    """Cluster -> what its token says, each note in turn (its key, then a use from two places)."""
    joined: dict[str, str] = {}
    for by_cluster in notes:
        for cluster, note in by_cluster.items():
            joined[cluster] = f"{joined[cluster]}; {note}" if cluster in joined else note
    return joined
