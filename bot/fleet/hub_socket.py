"""`GET /fleet/connect`: where agents dial in, one WebSocket each.

The token in `Authorization: Bearer` is checked before the upgrade: unknown, malformed,
forged or revoked -> 401 with one line, and nothing else happens. After the agent's hello
(wire version, its own version, what it cannot read) the hub welcomes it with the cluster
its token was issued for, records the agent and serves its answers and reports. Whatever an
agent sends is checked against that cluster: an answer to another cluster's request changes
nothing, and a report is stored as that cluster's (then `Noted`), whatever it says inside.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiohttp import web
from pydantic import ValidationError

from bot.fleet import tokens
from bot.fleet.links import AgentLink
from bot.fleet.timing import FleetParts
from bot.fleet.wire import (
    AGENT_MESSAGES,
    PROTOCOL_ERROR,
    WIRE,
    Accepted,
    AgentSaid,
    Answer,
    Hello,
    Noted,
    Report,
    Synced,
    Welcome,
)
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_records import OPEN_STATES, AgentRecord

log = logging.getLogger(__name__)

MAX_MESSAGE = 4 * 1024 * 1024
HELLO_SECONDS = 10.0


def _bearer(request: web.Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


async def authenticate(parts: FleetParts, request: web.Request) -> tuple[str, str] | web.Response:
    """(cluster, token id) of a valid token, else the response refusing it."""
    text = _bearer(request)
    token_id = tokens.token_id(text)
    try:
        record = await parts.store.get_token(token_id) if token_id else None
    except StoreUnavailable:
        return web.Response(status=503, text="the hub's database is unavailable; try again\n")
    if record is None or not tokens.matches(text, record):
        parts.metrics_refused()
        log.warning(
            "agent refused from %s: %s",
            request.remote,
            "revoked token" if record and record.revoked_at else "unknown or malformed token",
        )
        return web.Response(
            status=401, text="agent token refused (unknown, revoked or malformed)\n"
        )
    return record.cluster, record.id


async def connect(parts: FleetParts, request: web.Request) -> web.StreamResponse:
    """Authenticate, upgrade, greet, then serve the agent until its socket closes."""
    who = await authenticate(parts, request)
    if isinstance(who, web.Response):
        return who
    cluster, token_id = who
    socket = web.WebSocketResponse(heartbeat=parts.timing.ping_seconds, max_msg_size=MAX_MESSAGE)
    await socket.prepare(request)
    hello = await _hello(socket)
    if hello is None:
        return socket
    if hello.probe:  # `kubemedic doctor` checking the way in: the cluster's name, then goodbye
        await socket.send_str(Welcome(cluster=cluster).model_dump_json())
        await socket.close()
        return socket
    link = AgentLink(
        socket,
        cluster=cluster,
        token_id=token_id,
        version=hello.version[:64],
        replica=parts.replica,
    )
    now = parts.clock()
    try:
        await parts.store.agent_connected(
            AgentRecord(
                cluster=cluster,
                version=link.version,
                wire=hello.wire,
                replica=parts.replica,
                connected=True,
                connected_at=now,
                last_seen=now,
                cannot_read=tuple(hello.cannot_read),
                remediation=hello.remediation,
            )
        )
    except StoreUnavailable:
        await link.close(1011, "the hub's database is unavailable")
        return socket
    await link.send(Welcome(cluster=cluster))
    parts.links.add(link)
    log.info("agent of %s connected (version %s)", cluster, link.version)
    try:
        await _serve(parts, link)
    finally:
        await _closed(parts, link)
    return socket


async def _hello(socket: web.WebSocketResponse) -> Hello | None:
    """The agent's hello, or None after closing a socket that did not send a valid one."""
    try:
        message = await socket.receive(timeout=HELLO_SECONDS)
    except TimeoutError:
        await socket.close(code=PROTOCOL_ERROR, message=b"no hello")
        return None
    try:
        hello = (
            AGENT_MESSAGES.validate_json(message.data)
            if message.type == aiohttp.WSMsgType.TEXT
            else None
        )
    except ValidationError:
        hello = None
    if not isinstance(hello, Hello):
        await socket.close(code=PROTOCOL_ERROR, message=b"the first message must be a hello")
        return None
    if hello.wire != WIRE:
        reason = f"wire version {hello.wire} is not spoken here (this hub speaks {WIRE}): upgrade the agent"
        await socket.close(code=PROTOCOL_ERROR, message=reason.encode()[:120])
        return None
    return hello


async def _serve(parts: FleetParts, link: AgentLink) -> None:
    async for message in link.socket:
        if message.type != aiohttp.WSMsgType.TEXT:
            continue
        try:
            said = AGENT_MESSAGES.validate_json(message.data)
        except ValidationError as exc:
            log.warning("agent of %s sent an invalid message: %s", link.cluster, exc.errors()[:1])
            await link.close(PROTOCOL_ERROR, "invalid message")
            return
        try:
            await _heard(parts, link, said)
        except StoreUnavailable:
            log.warning(
                "agent of %s: its message was not stored (database unavailable)", link.cluster
            )


async def _heard(parts: FleetParts, link: AgentLink, said: AgentSaid) -> None:
    now = parts.clock()
    if isinstance(said, Report | Synced):
        if await parts.reports.take(link.cluster, said, now=now):
            await link.send(Noted(id=said.id))
    elif isinstance(said, Accepted):
        await parts.store.move_request(
            said.id, cluster=link.cluster, leaving=("sent", "pending"), to="accepted", now=now
        )
    elif isinstance(said, Answer):
        stored = await parts.store.move_request(
            said.id,
            cluster=link.cluster,
            leaving=OPEN_STATES,
            to="done",
            now=now,
            answer=said.model_dump(mode="json"),
        )
        if not stored:
            log.info(
                "agent of %s answered request %s, which is not open for it", link.cluster, said.id
            )
        parts.answered(said.id)


async def _closed(parts: FleetParts, link: AgentLink) -> None:
    """Forget the link; what it was sent goes back to pending for the agent's next connection."""
    last = parts.links.remove(link)
    now = parts.clock()
    try:
        released = await parts.store.release_requests(link.holder, now=now)
        if last:
            await parts.store.agent_disconnected(link.cluster, replica=parts.replica, now=now)
    except StoreUnavailable:
        log.warning(
            "agent of %s left; its requests stay leased until the lease runs out", link.cluster
        )
        return
    finally:
        if not link.socket.closed:
            await asyncio.shield(link.socket.close())
    log.info("agent of %s disconnected; %d request(s) put back", link.cluster, released)
