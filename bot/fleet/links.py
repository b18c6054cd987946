"""The agents connected to this hub replica: one `AgentLink` per open WebSocket.

Kept in memory only: what other replicas need to know (which replica holds a cluster's
agent, when it was last heard from) is in the database. A link is the holder of the
requests it was sent (`holder`), so a closing link puts back exactly its own.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections import defaultdict

from aiohttp import web
from pydantic import BaseModel

log = logging.getLogger(__name__)


class AgentLink:
    """One agent's open WebSocket on this replica, for the cluster its token names."""

    def __init__(
        self,
        socket: web.WebSocketResponse,
        *,
        cluster: str,
        token_id: str,
        version: str,
        replica: str,
    ) -> None:
        self.socket = socket
        self.cluster = cluster
        self.token_id = token_id
        self.version = version
        self.holder = f"{replica}/{uuid.uuid4().hex[:8]}"
        """The name the requests sent over this link are held under."""
        self._sending = asyncio.Lock()

    async def send(self, message: BaseModel) -> bool:
        """Send one message; False when the socket is closed or the write failed."""
        if self.socket.closed:
            return False
        try:
            async with self._sending:
                await self.socket.send_str(message.model_dump_json(exclude_none=True))
        except (ConnectionError, RuntimeError) as exc:
            log.info("agent of %s: send failed (%s)", self.cluster, exc)
            return False
        return True

    async def close(self, code: int, reason: str) -> None:
        await self.socket.close(code=code, message=reason.encode()[:120])


class Links:
    """This replica's agent links by cluster, and a wake-up for the dispatcher."""

    def __init__(self) -> None:
        self._by_cluster: dict[str, list[AgentLink]] = defaultdict(list)
        self.changed = asyncio.Event()
        """Set when a link comes or a request is opened here: the dispatcher looks at once."""

    def add(self, link: AgentLink) -> None:
        self._by_cluster[link.cluster].append(link)
        self.changed.set()

    def remove(self, link: AgentLink) -> bool:
        """Forget `link`; True when it was the cluster's last one here."""
        links = self._by_cluster.get(link.cluster, [])
        if link in links:
            links.remove(link)
        if not links:
            self._by_cluster.pop(link.cluster, None)
            return True
        return False

    def newest(self, cluster: str) -> AgentLink | None:
        links = self._by_cluster.get(cluster)
        return links[-1] if links else None

    def clusters(self) -> list[str]:
        return sorted(self._by_cluster)

    def all(self) -> list[AgentLink]:
        return [link for links in self._by_cluster.values() for link in links]
