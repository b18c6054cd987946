"""`kubemedic agent`: diagnoses its own cluster when the hub asks, over a connection it dials out.

It opens no port (its Alertmanager receiver, when a cluster turns it on, listens inside the
cluster only). It connects to the hub's `/fleet/connect` with its token, says hello (wire
version, its version, the reads its RBAC does not grant, whether its cluster opted in to
remediation, its own public key when it has one), proves it holds that key when the hub asks (a
token bound to its agent's key: bot/fleet/agent_key.py), and answers each `Ask` with `Accepted`
at once and the answer when done, redacted before it leaves (bot/fleet/agent_work.py). Its
watcher's and Alertmanager's reports are sent as they come and again after a reconnect until
the hub says it stored them (`Noted`). A dropped connection is dialled again after a jittered
back-off that every welcome starts again (bot/fleet/agent_dial.py), each dial on a connection of
its own (a refused one is closed, so a balancer routing by connection picks a replica again);
answers that could not be sent are sent on the next connection. A refused token ends the agent
with exit status 2 and one line: only a new token (a new Secret) mends that.

Its loop touches a status file for its liveness probe (bot/fleet/agent_state.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pydantic import ValidationError

from bot.fleet import agent_key, tokens
from bot.fleet.agent_dial import DialLater, TokenRefused, backoff, closed_verdict, refused_handshake
from bot.fleet.agent_reporting import report_while_open
from bot.fleet.agent_state import AgentState, alive
from bot.fleet.agent_work import AgentWork
from bot.fleet.forwarding import Forwarder
from bot.fleet.wire import (
    HUB_MESSAGES,
    INSTANCE_HEADER,
    PATH,
    Accepted,
    Answer,
    Ask,
    Challenge,
    Hello,
    HubSaid,
    Noted,
    Proof,
    Welcome,
)

__all__ = ["Agent", "TokenRefused", "alive"]
log = logging.getLogger(__name__)

TOUCH_SECONDS = 10.0
"""How often a running agent touches its status file (the probe allows several missed)."""
CONCURRENCY = 4
"""Asks diagnosed at once; more wait their turn (the agent's API budget is its cluster's)."""
CLOSED = (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED)


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
        key: Ed25519PrivateKey | None = None,
    ) -> None:
        self.url = hub_url.rstrip("/") + PATH
        self.token = token
        self.key = key
        """Its own key (KUBEMEDIC_AGENT_KEY_FILE), for a token bound to it."""
        self.instance = uuid.uuid4().hex
        """This process's id: the hub tells its own redial from a second place using its token."""
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
        # no pooling: a refused dial's connection is closed, never reused for the next one, which
        # a balancer routing by connection (a Service) would send to the same draining replica
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(force_close=True),
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=10),
        ) as session:
            while not stop.is_set():
                asked = 0.0
                try:
                    await self._connection(session, stop)
                except DialLater as exc:
                    log.info("%s", exc)
                    asked = exc.seconds
                except (aiohttp.ClientError, OSError, TimeoutError) as exc:
                    log.warning("cannot reach the hub at %s: %s", self.url, exc)
                finally:
                    self.state.connected = False
                if stop.is_set():
                    break
                await self._pause(stop, max(asked, backoff(self.state.attempt)))

    async def _pause(self, stop: asyncio.Event, delay: float) -> None:
        """Wait `delay` seconds before the next dial (or until `stop`); the next wait doubles."""
        self.state.attempt += 1
        self.state.waits = [*self.state.waits[-19:], delay]
        log.info("dialling the hub again in %.1f s", delay)
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await stop.wait()

    async def _connection(self, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        headers = {"Authorization": f"Bearer {self.token}", INSTANCE_HEADER: self.instance}
        try:
            socket = await session.ws_connect(
                self.url,
                headers=headers,
                heartbeat=20.0,
                ssl=self.ssl or True,
                max_msg_size=4 * 1024 * 1024,
            )
        except aiohttp.WSServerHandshakeError as exc:
            raise refused_handshake(exc) from exc
        async with socket:
            await socket.send_str(self._hello(await self.cannot_read()).model_dump_json())
            closer = asyncio.get_running_loop().create_task(_close_on(stop, socket))
            try:
                reason = await self._serve(socket)
            finally:
                closer.cancel()
                self._stop_reporting()
        verdict = closed_verdict(socket.close_code, reason)
        if verdict is not None:
            raise verdict
        log.info("hub connection closed (%s%s)", socket.close_code, f": {reason}" if reason else "")

    def _hello(self, cannot_read: tuple[str, ...]) -> Hello:
        return Hello(
            version=self.version,
            cannot_read=tuple(read[:200] for read in cannot_read[:64]),  # as the wire allows
            remediation=self.work.remediation,
            key=agent_key.public_text(self.key) if self.key is not None else None,
        )

    async def _serve(self, socket: aiohttp.ClientWebSocketResponse) -> str:
        """Serve the hub's messages until the socket closes; the reason the hub gave, if any."""
        while True:
            message = await socket.receive()
            if message.type in CLOSED:
                return str(message.extra or "")
            if message.type == aiohttp.WSMsgType.ERROR:
                return ""
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            try:
                said = HUB_MESSAGES.validate_json(message.data)
            except ValidationError as exc:
                log.warning("the hub sent an invalid message: %s", exc.errors()[:1])
                continue
            await self._heard(socket, said)

    async def _heard(self, socket: aiohttp.ClientWebSocketResponse, said: HubSaid) -> None:
        if isinstance(said, Welcome):
            await self._welcomed(socket, said)
        elif isinstance(said, Challenge):
            await socket.send_str(self._proof(said).model_dump_json())
        elif isinstance(said, Noted):
            if self.forwarder is not None:
                self.forwarder.noted(said.id)
        else:
            await socket.send_str(Accepted(id=said.id).model_dump_json())
            task = asyncio.get_running_loop().create_task(self._answer(socket, said))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _proof(self, challenge: Challenge) -> Proof:
        """Sign the hub's challenge (the hub asks only an agent that sent its key)."""
        token_id, key = tokens.token_id(self.token) or "", self.key
        signed = (
            agent_key.sign(key, token_id=token_id, challenge=challenge.challenge) if key else ""
        )
        return Proof(signature=signed)

    async def _welcomed(self, socket: aiohttp.ClientWebSocketResponse, welcome: Welcome) -> None:
        self.state.cluster, self.state.connected = welcome.cluster, True
        self.state.connections += 1
        self.state.attempt = 0  # a good connection: the next drop is dialled again at once
        log.info("connected to the hub as cluster %s", welcome.cluster)
        waiting, self.state.outbox = self.state.outbox, []
        for answer in waiting:
            await self._send(socket, answer)
        if self.forwarder is not None:
            self._reporter = asyncio.get_running_loop().create_task(
                report_while_open(socket, self.forwarder)
            )

    def _stop_reporting(self) -> None:
        if self._reporter is not None:
            self._reporter.cancel()
            self._reporter = None

    async def _answer(self, socket: aiohttp.ClientWebSocketResponse, ask: Ask) -> None:
        async with self._slots:
            answer = await self.work.answer(ask)  # redacted; an expected failure as its one line
        await self._send(socket, answer)

    async def _send(self, socket: aiohttp.ClientWebSocketResponse, answer: Answer) -> None:
        try:
            if socket.closed:
                raise ConnectionResetError("closed")
            await socket.send_str(answer.model_dump_json())
            self.state.answered += 1
        except (ConnectionError, RuntimeError, aiohttp.ClientError):
            self.state.outbox.append(answer)  # sent on the next connection

    def touch(self) -> None:
        """Mark the agent alive for its liveness probe (bot/fleet/agent_state.py)."""
        if self.status_file is not None:
            self.state.touch(self.status_file)


async def _close_on(stop: asyncio.Event, socket: aiohttp.ClientWebSocketResponse) -> None:
    await stop.wait()
    await socket.close()
