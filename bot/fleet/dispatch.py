"""The dispatcher: pushes requests to the agents connected to this replica, wherever they were asked.

Routing goes through the database. Any replica opens a request as a row; each replica,
every `poll_seconds` (at once when one of its own links or requests changed), claims the
open rows of the clusters whose agents it holds and sends them down those links. While
it lives it renews their leases and records that its agents are still there; a replica
killed mid-request stops renewing, and the rows become claimable again for whichever
replica the agent reconnects to. Revoked tokens' links are closed here too.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import datetime, timedelta

from bot.fleet.links import AgentLink
from bot.fleet.timing import FleetParts
from bot.fleet.wire import IN_USE, TOKEN_REVOKED, Ask, WireRequest
from bot.runtime.rounds import first_of
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_records import FleetRequest

log = logging.getLogger(__name__)


class Dispatcher:
    """One replica's loop over its agent links (see the module docstring)."""

    def __init__(self, parts: FleetParts) -> None:
        self.parts = parts
        self._next_renew = 0.0
        self._next_seen = 0.0
        self._next_revocation = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set; a database outage is logged and waited out."""
        links = self.parts.links
        while not stop.is_set():
            links.changed.clear()
            try:
                await self.tick()
            except StoreUnavailable as exc:
                log.warning("fleet dispatch skipped a turn: %s", exc)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.parts.timing.poll_seconds):
                    await first_of(links.changed, stop)

    async def tick(self) -> None:
        """One turn: push what is open, then renew, heartbeat and revoke when they are due."""
        parts, timing, now, mono = (
            self.parts,
            self.parts.timing,
            self.parts.clock(),
            time.monotonic(),
        )
        links = parts.links.all()
        if not links:
            return
        holders = {
            cluster: link.holder
            for cluster in parts.links.clusters()
            if (link := parts.links.newest(cluster)) is not None
        }
        claimed = await parts.store.claim_requests(
            holders, now=now, until=now + timedelta(seconds=timing.lease_seconds)
        )
        for request in claimed:
            await self._send(request)
        if mono >= self._next_renew:
            self._next_renew = mono + timing.lease_seconds / 3
            await self._renew(links, until=now + timedelta(seconds=timing.lease_seconds))
        if mono >= self._next_seen:
            self._next_seen = mono + timing.seen_seconds
            await parts.store.agents_seen(list(holders), replica=parts.replica, now=now)
        if mono >= self._next_revocation:
            self._next_revocation = mono + timing.revocation_seconds
            await self._close_revoked()

    async def _send(self, request: FleetRequest) -> None:
        link = self.parts.links.newest(request.cluster)
        params = request.params or {}
        ask = Ask(
            id=request.id,
            request=WireRequest(
                verb=request.verb,  # type: ignore[arg-type]
                namespace=request.namespace,
                name=request.name,
                identity=params.get("identity"),
                action=params.get("action"),
            ),
        )
        if link is None or not await link.send(ask):
            await self.parts.store.release_requests(request.holder or "", now=self.parts.clock())

    async def _renew(self, links: list[AgentLink], *, until: datetime) -> None:
        """Renew the leases of what the links were sent and the holds of their tokens; a link whose
        token its agent's newer connection took over (it dialled again elsewhere) is closed."""
        holders = [link.holder for link in links]
        await self.parts.store.renew_requests(holders, until=until)
        holding = await self.parts.store.renew_tokens(holders, until=until)
        for link in links:
            if link.holder not in holding:
                log.info(
                    "agent of %s dialled again elsewhere; closing its old connection", link.cluster
                )
                await link.close(IN_USE, "replaced by the agent's newer connection")

    async def _close_revoked(self) -> None:
        links = self.parts.links.all()
        revoked = await self.parts.store.revoked_tokens(sorted({link.token_id for link in links}))
        for link in links:
            if link.token_id in revoked:
                log.warning(
                    "agent of %s: its token was revoked; closing its connection", link.cluster
                )
                await link.close(TOKEN_REVOKED, "token revoked")
