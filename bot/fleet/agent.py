"""`kubemedic agent`: diagnoses its own cluster when the hub asks, over a connection it dials out.

It opens no port (its Alertmanager receiver, when a cluster turns it on, listens inside the
cluster only). It connects to the hub's `/fleet/connect` with its token, says hello (wire
version, its version, the reads its RBAC does not grant, whether its cluster opted in to
remediation), and answers each `Ask` with `Accepted` at once and the answer when done, redacted
before it leaves (bot/fleet/agent_work.py). Its watcher's and Alertmanager's reports are sent
as they come and again after a reconnect until the hub says it stored them (`Noted`).
A dropped connection is dialled again after a jittered exponential back-off (1 s doubling to
60 s, each wait drawn between half and all of it, so a hub restart is not met by every agent
at once); answers that could not be sent are sent on the next connection. A refused token ends
the agent with exit status 2 and one line: only a new token (a new Secret) mends that.

While connected it touches its status file; `kubemedic agent --alive` (the liveness probe)
checks that it is fresh, so the kubelet needs no port either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
from pydantic import ValidationError

from bot.fleet.agent_work import AgentWork
from bot.fleet.forwarding import Forwarder
from bot.fleet.wire import (
    HUB_MESSAGES,
    PATH,
    TOKEN_REVOKED,
    Accepted,
    Answer,
    Ask,
    Hello,
    Noted,
    Welcome,
)

log = logging.getLogger(__name__)

BACKOFF = (1.0, 60.0)
"""The first wait after a drop, and the longest."""
TOUCH_SECONDS = 10.0
"""How often a running agent touches its status file (the probe allows several missed)."""
STEADY_SECONDS = 30.0
"""A connection that lasted this long starts the back-off again from the first wait."""
CONCURRENCY = 4
"""Asks diagnosed at once; more wait their turn (the agent's API budget is its cluster's)."""
RESEND_SECONDS = 30.0
"""A report the hub has not confirmed this long after it was sent is sent again."""


class TokenRefused(Exception):
    """The hub refused the agent's token (HTTP 401, or closed for revocation)."""


def backoff(attempt: int, *, rng: random.Random | None = None) -> float:
    """Seconds to wait before dial `attempt` (0 = the first retry): doubling, capped, jittered."""
    first, cap = BACKOFF
    ceiling = min(cap, first * 2 ** min(attempt, 16))
    return (rng or random).uniform(ceiling / 2, ceiling)


@dataclass
class AgentState:
    """What the agent knows of itself: for the status file, `doctor` and tests."""

    cluster: str | None = None
    """The cluster the hub knows it as (from the welcome)."""
    connected: bool = False
    connections: int = 0
    answered: int = 0
    outbox: list[Answer] = field(default_factory=list)
    """Answers whose connection closed before they were sent."""


class Agent:
    """One agent's connection loop (see the module docstring)."""

    def __init__(
        self,
        *,
        hub_url: str,
        token: str,
        work: AgentWork,
        version: str,
        cannot_read: Callable[[], Awaitable[tuple[str, ...]]],
        status_file: Path | None = None,
        ca_file: Path | None = None,
        forwarder: Forwarder | None = None,
    ) -> None:
        self.url = hub_url.rstrip("/") + PATH
        self.token = token
        self.work = work
        self.forwarder = forwarder
        """Its watcher's and Alertmanager's reports to send (None: neither runs)."""
        self.version = version
        self.cannot_read = cannot_read
        self.status_file = status_file
        self.ssl = ssl.create_default_context(cafile=str(ca_file)) if ca_file else None
        self.state = AgentState()
        self._slots = asyncio.Semaphore(CONCURRENCY)
        self._tasks: set[asyncio.Task[None]] = set()
        self._reporter: asyncio.Task[None] | None = None

    async def run(self, stop: asyncio.Event) -> None:
        """Connect, serve, reconnect, until `stop`; raises TokenRefused when the hub refuses the token."""
        toucher = asyncio.get_running_loop().create_task(self._touching())
        try:
            await self._dial(stop)
        finally:
            toucher.cancel()
            for task in list(self._tasks):
                task.cancel()

    async def _touching(self) -> None:
        while True:
            self.touch()
            await asyncio.sleep(TOUCH_SECONDS)

    async def _dial(self, stop: asyncio.Event) -> None:
        attempt = 0
        async with aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10)
        ) as session:
            while not stop.is_set():
                began = time.monotonic()
                try:
                    await self._connection(session, stop)
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    log.warning("cannot reach the hub at %s: %s", self.url, exc)
                finally:
                    self.state.connected = False
                attempt = 0 if time.monotonic() - began >= STEADY_SECONDS else attempt + 1
                if stop.is_set():
                    break
                delay = backoff(attempt)
                log.info("dialling the hub again in %.1f s", delay)
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(delay):
                        await stop.wait()

    async def _connection(self, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            socket = await session.ws_connect(
                self.url,
                headers=headers,
                heartbeat=20.0,
                ssl=self.ssl or True,
                max_msg_size=4 * 1024 * 1024,
            )
        except aiohttp.WSServerHandshakeError as exc:
            if exc.status in (401, 403):
                raise TokenRefused(
                    f"the hub refused this agent's token (HTTP {exc.status}): issue a new one "
                    "with `kubemedic fleet token issue CLUSTER` on the hub"
                ) from exc
            raise
        async with socket:
            await socket.send_str(
                Hello(
                    version=self.version,
                    cannot_read=await self.cannot_read(),
                    remediation=self.work.remediation,
                ).model_dump_json()
            )
            closer = asyncio.get_running_loop().create_task(_close_on(stop, socket))
            try:
                await self._serve(socket)
            finally:
                closer.cancel()
                self._stop_reporting()
        if socket.close_code == TOKEN_REVOKED:
            raise TokenRefused(
                "the hub revoked this agent's token: issue a new one with "
                "`kubemedic fleet token issue CLUSTER` on the hub"
            )
        log.info("hub connection closed (%s)", socket.close_code)

    async def _serve(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        async for message in socket:
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                said = HUB_MESSAGES.validate_json(message.data)
            except ValidationError as exc:
                log.warning("the hub sent an invalid message: %s", exc.errors()[:1])
                continue
            if isinstance(said, Welcome):
                await self._welcomed(socket, said)
            elif isinstance(said, Noted):
                if self.forwarder is not None:
                    self.forwarder.noted(said.id)
            elif isinstance(said, Ask):
                await socket.send_str(Accepted(id=said.id).model_dump_json())
                task = asyncio.get_running_loop().create_task(self._answer(socket, said))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)

    async def _welcomed(self, socket: aiohttp.ClientWebSocketResponse, welcome: Welcome) -> None:
        self.state.cluster, self.state.connected = welcome.cluster, True
        self.state.connections += 1
        log.info("connected to the hub as cluster %s", welcome.cluster)
        waiting, self.state.outbox = self.state.outbox, []
        for answer in waiting:
            await self._send(socket, answer)
        if self.forwarder is not None:
            self._reporter = asyncio.get_running_loop().create_task(
                self._reporting(socket, self.forwarder)
            )

    async def _reporting(
        self, socket: aiohttp.ClientWebSocketResponse, forwarder: Forwarder
    ) -> None:
        """Send every report the hub has not confirmed, then each new one, while this connection lasts;
        one still unconfirmed after RESEND_SECONDS (the hub's database was down) is sent again."""
        sent: dict[str, float] = {}
        while not socket.closed:
            forwarder.queued.clear()
            now = time.monotonic()
            sent = {id: at for id, at in sent.items() if id in forwarder.outbox}
            for message in forwarder.pending(
                after={id for id, at in sent.items() if now - at < RESEND_SECONDS}
            ):
                try:
                    await socket.send_str(message.model_dump_json())
                except (ConnectionError, RuntimeError, aiohttp.ClientError):
                    return  # sent again on the next connection
                sent[message.id] = now
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(RESEND_SECONDS / 2):
                    await forwarder.queued.wait()

    def _stop_reporting(self) -> None:
        if self._reporter is not None:
            self._reporter.cancel()
            self._reporter = None

    async def _answer(self, socket: aiohttp.ClientWebSocketResponse, ask: Ask) -> None:
        async with self._slots:
            answer = await self.diagnose(ask)
        await self._send(socket, answer)

    async def diagnose(self, ask: Ask) -> Answer:
        """The answer to one ask, redacted (an expected failure as its one line)."""
        return await self.work.answer(ask)

    async def _send(self, socket: aiohttp.ClientWebSocketResponse, answer: Answer) -> None:
        try:
            if socket.closed:
                raise ConnectionResetError("closed")
            await socket.send_str(answer.model_dump_json())
            self.state.answered += 1
        except (ConnectionError, RuntimeError, aiohttp.ClientError):
            self.state.outbox.append(answer)  # sent on the next connection

    def touch(self) -> None:
        """Mark the agent alive for its liveness probe (alive = its loop runs, hub or no hub:
        restarting the agent would not bring a hub back)."""
        if self.status_file is not None:
            state = f"connected {self.state.cluster}" if self.state.connected else "dialling"
            with contextlib.suppress(OSError):
                self.status_file.write_text(f"{state}\n")


async def _close_on(stop: asyncio.Event, socket: aiohttp.ClientWebSocketResponse) -> None:
    await stop.wait()
    await socket.close()


def alive(status_file: Path, *, within: float) -> bool:
    """The liveness probe's check: the status file was touched within `within` seconds."""
    try:
        return time.time() - status_file.stat().st_mtime <= within
    except OSError:
        return False
