"""`GET /fleet/connect`: where agents dial in, one WebSocket each.

Who may connect is decided first (bot/fleet/hub_door.py): a draining replica answers 503, an
invalid token 401, a token another connection holds 409, all before any WebSocket; a token bound
to its agent's key asks for the key's proof after the hello. The hub then welcomes the agent
with the cluster its token was issued for, records it (the remediation opt-in is the token's,
set when the hub issued it; the agent can only decline it) and serves its answers and reports.
Whatever an agent sends is checked against that cluster: an answer to another cluster's request
changes nothing, and a report is stored as that cluster's (then `Noted`), whatever it says
inside. An answer is bounded before it is stored, and stored through a database restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp
from aiohttp import web
from pydantic import ValidationError

from bot.fleet import hub_door
from bot.fleet.links import AgentLink
from bot.fleet.storing import store_answer, store_retrying
from bot.fleet.timing import FleetParts
from bot.fleet.wire import (
    AGENT_MESSAGES,
    PROTOCOL_ERROR,
    SPOKEN,
    Accepted,
    AgentSaid,
    Answer,
    Hello,
    Noted,
    Report,
    Synced,
    Welcome,
)
from bot.runtime.budget import TEXT_CPU_SECONDS, TooCostly, off_loop
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_records import AgentRecord, TokenRecord

log = logging.getLogger(__name__)

MAX_MESSAGE = 4 * 1024 * 1024
HELLO_SECONDS = 10.0
GOING_AWAY = 1001


async def connect(parts: FleetParts, request: web.Request) -> web.StreamResponse:
    """Admit, upgrade, greet, then serve the agent until its socket closes."""
    token = await hub_door.admit(parts, request)
    if isinstance(token, web.Response):
        return token
    socket = web.WebSocketResponse(heartbeat=parts.timing.ping_seconds, max_msg_size=MAX_MESSAGE)
    await socket.prepare(request)
    hello = await _hello(socket)
    try:
        if hello is None or not await hub_door.prove(parts, socket, token, hello, request):
            return socket
    except StoreUnavailable:
        await socket.close(code=1011, message=b"the hub's database is unavailable")
        return socket
    if hello.probe:  # `kubemedic doctor` checking the way in: the cluster's name, then goodbye
        await socket.send_str(Welcome(cluster=token.cluster).model_dump_json())
        await socket.close()
        return socket
    link = AgentLink(
        socket,
        cluster=token.cluster,
        token_id=token.id,
        version=hello.version[:64],
        replica=parts.replica,
    )
    try:
        if not await hub_door.hold(parts, token, link, request):
            return socket
        await parts.store.agent_connected(_record(parts, token, hello, link))
    except StoreUnavailable:
        await link.close(1011, "the hub's database is unavailable")
        with contextlib.suppress(StoreUnavailable):
            await parts.store.release_token(token.id, holder=link.holder)
        return socket
    await _serve_link(parts, link)
    return socket


def _record(parts: FleetParts, token: TokenRecord, hello: Hello, link: AgentLink) -> AgentRecord:
    now = parts.clock()
    return AgentRecord(
        cluster=token.cluster,
        version=link.version,
        wire=hello.wire,
        replica=parts.replica,
        connected=True,
        connected_at=now,
        last_seen=now,
        cannot_read=tuple(hello.cannot_read),
        remediation=token.remediation and hello.remediation,
    )


async def _serve_link(parts: FleetParts, link: AgentLink) -> None:
    await link.send(Welcome(cluster=link.cluster))
    parts.links.add(link)
    log.info("agent of %s connected (version %s)", link.cluster, link.version)
    try:
        if parts.draining:  # SIGTERM came while it was admitted: it dials a replica that stays
            await link.close(GOING_AWAY, "hub replica shutting down")
        await _serve(parts, link)
    finally:
        await _closed(parts, link)


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
    if hello.wire not in SPOKEN:
        reason = (
            f"wire version {hello.wire} is not spoken here (this hub speaks "
            f"{', '.join(map(str, SPOKEN))}): upgrade the older of the two"
        )
        await socket.close(code=PROTOCOL_ERROR, message=reason.encode()[:120])
        return None
    return hello


async def _serve(parts: FleetParts, link: AgentLink) -> None:
    async for message in link.socket:
        if message.type != aiohttp.WSMsgType.TEXT:
            continue
        try:  # its texts are redacted as the wire models read them: off the event loop
            said = await off_loop(TEXT_CPU_SECONDS, AGENT_MESSAGES.validate_json, message.data)
        except (ValidationError, TooCostly) as exc:
            why = exc.errors()[:1] if isinstance(exc, ValidationError) else exc
            log.warning("agent of %s sent an invalid message: %s", link.cluster, why)
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
        await store_retrying(
            parts,
            lambda: parts.store.move_request(
                said.id, cluster=link.cluster, leaving=("sent", "pending"), to="accepted", now=now
            ),
        )
    elif isinstance(said, Answer):
        await store_answer(parts, link.cluster, said)


async def _closed(parts: FleetParts, link: AgentLink) -> None:
    """Forget the link; what it was sent goes back to pending for the agent's next connection, and
    its token is free for that connection."""
    last = parts.links.remove(link)
    now = parts.clock()
    try:
        await parts.store.release_token(link.token_id, holder=link.holder)
        released = await parts.store.release_requests(link.holder, now=now)
        if last and not parts.draining:  # draining: the agent is moving to another replica
            await parts.store.agent_disconnected(link.cluster, replica=parts.replica, now=now)
    except StoreUnavailable:
        log.warning(
            "agent of %s left; its token and requests stay held until the lease runs out",
            link.cluster,
        )
        return
    finally:
        if not link.socket.closed:
            await asyncio.shield(link.socket.close())
    log.info("agent of %s disconnected; %d request(s) put back", link.cluster, released)
