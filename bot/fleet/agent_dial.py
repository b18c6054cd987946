"""How an agent dials its hub: the handshake, its answers, and how long to wait before the next dial.

The hub may refuse before any WebSocket: 401 (the token is unknown or revoked: only a new token
mends that, so the agent stops with exit status 2), 409 (another connection holds the token) or
503 (that replica is draining, or its database is down): both name a `Retry-After` the agent
keeps to. After the upgrade the hub may close with 4401 (revoked), 4403 (the token is bound to
another key: stop) or 4409 (the token is taken: dial later). Between dials the agent waits a
jittered exponential back-off (0.5-1 s, doubling to 30-60 s), started again from its first step
by every welcome: a connection the hub accepted was a good one, however short (a rolling
restart of the hub closes every connection after a few seconds).
"""

from __future__ import annotations

import random

import aiohttp

from bot.fleet.wire import IN_USE, KEY_REFUSED, TOKEN_REVOKED

BACKOFF = (1.0, 60.0)
"""The first wait's ceiling after a drop, and the longest (each wait is drawn in [ceiling/2, ceiling])."""
RETRY_AFTER_LIMIT = 60.0
NEW_TOKEN = "issue a new one with `kubemedic fleet token issue CLUSTER` on the hub"


class TokenRefused(Exception):
    """The hub refused the agent's token (HTTP 401, revoked, or bound to another key)."""


class DialLater(Exception):
    """The hub asked to be dialled again after `seconds` (a held token, a draining replica)."""

    def __init__(self, reason: str, seconds: float) -> None:
        super().__init__(reason)
        self.seconds = seconds


def backoff(attempt: int, *, rng: random.Random | None = None) -> float:
    """Seconds to wait before dial `attempt` (0 = the first retry): doubling, capped, jittered."""
    first, cap = BACKOFF
    ceiling = min(cap, first * 2 ** min(attempt, 16))
    return (rng or random).uniform(ceiling / 2, ceiling)


def refused_handshake(exc: aiohttp.WSServerHandshakeError) -> Exception:
    """What a refused upgrade means for the agent: stop (TokenRefused), wait (DialLater), or the
    error itself (dialled again after the back-off)."""
    if exc.status in (401, 403):
        return TokenRefused(f"the hub refused this agent's token (HTTP {exc.status}): {NEW_TOKEN}")
    if exc.status in (409, 503):
        why = (
            "another connection uses this agent's token"
            if exc.status == 409
            else "the hub replica is draining or its database is down"
        )
        return DialLater(f"{why} (HTTP {exc.status})", _retry_after(exc))
    return exc


def _retry_after(exc: aiohttp.WSServerHandshakeError) -> float:
    try:
        seconds = float(exc.headers.get("Retry-After", "1") if exc.headers else "1")
    except ValueError:
        seconds = 1.0
    return min(max(seconds, 0.0), RETRY_AFTER_LIMIT)


def closed_verdict(code: int | None, reason: str) -> Exception | None:
    """What the hub's close code says: stop (TokenRefused), dial later (DialLater), or None."""
    if code == TOKEN_REVOKED:
        return TokenRefused(f"the hub revoked this agent's token: {NEW_TOKEN}")
    if code == KEY_REFUSED:
        return TokenRefused(
            f"the hub refused this agent's key ({reason or 'no reason given'}): {NEW_TOKEN} "
            "--secret, or --key with this agent's `kubemedic agent --public-key`"
        )
    if code == IN_USE:
        return DialLater(f"the hub closed this connection: {reason or 'token in use'}", 1.0)
    return None
