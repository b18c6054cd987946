"""Who may connect to `/fleet/connect`: decided before an agent is served (bot/fleet/hub_socket.py).

- A draining replica (from SIGTERM on) answers 503 with Retry-After: the agent dials again and
  lands on a replica that stays.
- The token in `Authorization: Bearer` must be valid: unknown, malformed, forged or revoked ->
  401 with one line, before any WebSocket.
- A token is bound to its agent's key when it is issued (bot/fleet/agent_key.py): every
  connection must sign the hub's fresh challenge with that key. A copy of the token alone is
  refused (4403), audited, marked as used from two places and alarmed in chat. A token issued
  before binding was made at issue (it would bind at first use, a race a copy can win) is
  refused with the way to a new one.
- One live connection per token. While a connection holds the token (its replica renews the hold
  like a request's lease), a second one is refused: for an unbound token, 409 with Retry-After
  before the upgrade, or closed with 4409 when two raced past that check - audited, marked and
  alarmed (`/diagnose clusters`, `kubemedic doctor --hub`, a message in the alert channel naming
  both addresses); for a bound one, after it proved the key, closed with 4409 and not marked: it
  is the same agent's key (an overlapping pod of a rollout), so it dials again once the first is
  gone. The token is free again once the first connection is gone: closed, or its replica dead
  for a lease. The same agent process dialling again (its random instance id, never shown) is
  not a second place: an agent keeps one connection, so its old one is gone although its replica
  may not have seen it close yet; the new one takes the token over, and that replica closes the
  old one when it renews.

Refusals are logged as warnings at most once a minute (bot/runtime/log_budget.py).
"""

from __future__ import annotations

import logging
import math
from datetime import timedelta

import aiohttp
from aiohttp import web
from pydantic import ValidationError

from bot.fleet import agent_key, alarms, tokens
from bot.fleet.links import AgentLink
from bot.fleet.timing import FleetParts
from bot.fleet.wire import (
    AGENT_MESSAGES,
    IN_USE,
    INSTANCE_HEADER,
    KEY_REFUSED,
    PROBE_HEADER,
    Challenge,
    Hello,
    Proof,
)
from bot.storage.base import StoreUnavailable
from bot.storage.fleet_records import TokenRecord
from bot.storage.records import AuditRecord

log = logging.getLogger(__name__)
PROOF_SECONDS = 10.0
FIRST_USE = (
    "this token was issued to bind at first use, which a copy could win: issue one bound at issue"
)
"""Under the 120 bytes a close reason carries (the agent says it, then what to run)."""
AUDIT_AGAIN = timedelta(hours=1)
"""The same refusal (token, reason, address) is audited once in this long."""


def _bearer(request: web.Request) -> str:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def address(request: web.Request) -> str:
    """Where a connection came from, as the hub can tell (a proxy's X-Forwarded-For shown as said)."""
    first = request.headers.get("X-Forwarded-For", "").split(",")[0].strip()[:64]
    forwarded = "".join(char for char in first if char.isalnum() or char in ".:[]-")
    remote = request.remote or "unknown"
    return f"{remote} (for {forwarded})" if forwarded else remote


def instance(request: web.Request) -> str | None:
    return request.headers.get(INSTANCE_HEADER, "").strip()[:64] or None


async def admit(parts: FleetParts, request: web.Request) -> TokenRecord | web.Response:
    """The valid token of the connection, or the response refusing it before any WebSocket."""
    if parts.draining:
        return web.Response(
            status=503,
            text="this hub replica is shutting down; dial again\n",
            headers={"Retry-After": "1"},
        )
    text = _bearer(request)
    token_id = tokens.token_id(text)
    try:
        record = await parts.store.get_token(token_id) if token_id else None
    except StoreUnavailable:
        return web.Response(status=503, text="the hub's database is unavailable; try again\n")
    if record is None or not tokens.matches(text, record):
        parts.metrics_refused()
        why = "revoked token" if record and record.revoked_at else "unknown or malformed token"
        parts.refusals.warning("agent refused from %s: %s", address(request), why)
        return web.Response(
            status=401, text="agent token refused (unknown, revoked or malformed)\n"
        )
    now = parts.clock()
    probe = PROBE_HEADER in request.headers  # never holds the token (its hello must say so)
    taken = record.live_holder(now) and not probe and not _same_agent(record, request)
    if taken and not record.bind:  # a bound token's second connection proves its key first
        await _second(parts, record, request)
        assert record.held_until is not None
        wait = max(1, math.ceil((record.held_until - now).total_seconds()))
        return web.Response(
            status=409,
            text="another connection uses this agent token; dial again once it is gone\n",
            headers={"Retry-After": str(wait)},
        )
    return record


async def hold(
    parts: FleetParts, record: TokenRecord, link: AgentLink, request: web.Request
) -> bool:
    """Make `link` the token's one live connection; False (the link closed, 4409) when another holds it."""
    now = parts.clock()
    until = now + timedelta(seconds=parts.timing.lease_seconds)
    held = await parts.store.hold_token(
        record.id,
        holder=link.holder,
        by=instance(request),
        address=address(request),
        now=now,
        until=until,
    )
    if not held and record.bind:  # it proved the key: the same agent, one of its pods overlapping
        log.info(
            "agent of %s: a second connection proving its key waits for the first", record.cluster
        )
        await link.close(
            IN_USE, "another connection of this agent (its key proven) holds the token"
        )
    elif not held:
        fresh = await parts.store.get_token(record.id)
        await _second(parts, fresh or record, request)
        await link.close(IN_USE, "another connection uses this agent token")
    return held


def _same_agent(record: TokenRecord, request: web.Request) -> bool:
    return record.held_by is not None and record.held_by == instance(request)


async def _second(parts: FleetParts, record: TokenRecord, request: web.Request) -> None:
    """A second connection with a held token: refused, marked and audited."""
    parts.metrics_refused()
    where = address(request)
    parts.refusals.warning(
        "agent token %s of %s used from two places: refused a second connection from %s "
        "(connected from %s)",
        record.id,
        record.cluster,
        where,
        record.held_from,
    )
    await _mark(parts, record, where, f"a second connection from {where} while one is live")


async def _mark(parts: FleetParts, record: TokenRecord, where: str, reason: str) -> None:
    """A second place: marked on the token, audited, and alarmed in chat (both once an hour)."""
    now = parts.clock()
    try:
        await parts.store.token_conflict(record.id, at=now, address=where)
        audited = await parts.store.write_refusal_once(
            AuditRecord(
                user=f"agent token {record.id}",
                kind="fleet-connect",
                cluster=record.cluster,
                outcome="refused",
                reason=reason,
            ),
            since=now - AUDIT_AGAIN,
        )
    except StoreUnavailable:
        parts.refusals.warning("agent token %s: its refusal was not audited", record.id)
        return
    if audited:
        await parts.reports.alarm(
            record.cluster, alarms.copied(record, where, reason, now), now=now
        )


async def prove(
    parts: FleetParts,
    socket: web.WebSocketResponse,
    record: TokenRecord,
    hello: Hello,
    request: web.Request,
) -> bool:
    """For a token bound to its agent's key: the agent proved it holds that key. False after
    closing the socket with the reason (4403)."""
    if not record.bind:
        return True
    if record.agent_key is None:  # issued to bind at first use: a copy could win that race
        return await _refuse_key(parts, socket, record, request, FIRST_USE, copy=False)
    if hello.key is None:
        return await _refuse_key(
            parts,
            socket,
            record,
            request,
            "this agent token is bound to its agent's key, and this connection sent none",
        )
    if record.agent_key != hello.key:
        return await _refuse_key(
            parts, socket, record, request, "this agent token is bound to another agent's key"
        )
    challenge = agent_key.new_challenge()
    await socket.send_str(Challenge(challenge=challenge).model_dump_json())
    signature = await _proof(socket)
    if signature is None or not agent_key.verify(
        hello.key, signature, token_id=record.id, challenge=challenge
    ):
        return await _refuse_key(parts, socket, record, request, "the agent's key proof failed")
    return True


async def _proof(socket: web.WebSocketResponse) -> str | None:
    try:
        message = await socket.receive(timeout=PROOF_SECONDS)
        said = (
            AGENT_MESSAGES.validate_json(message.data)
            if message.type == aiohttp.WSMsgType.TEXT
            else None
        )
    except (TimeoutError, ValidationError):
        return None
    return said.signature if isinstance(said, Proof) else None


async def _refuse_key(
    parts: FleetParts,
    socket: web.WebSocketResponse,
    record: TokenRecord,
    request: web.Request,
    reason: str,
    *,
    copy: bool = True,
) -> bool:
    parts.metrics_refused()
    where = address(request)
    parts.refusals.warning("agent from %s refused (token %s): %s", where, record.id, reason)
    if copy:
        await _mark(parts, record, where, f"{reason} (from {where})")
    await socket.close(code=KEY_REFUSED, message=reason.encode()[:120])
    return False
