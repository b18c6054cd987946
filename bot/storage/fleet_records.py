"""Plain records of the fleet's tables (bot/storage/fleet_tables.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

RequestState = Literal["pending", "sent", "accepted", "done", "expired"]
"""pending: waits for its cluster's agent; sent: pushed to a connection; accepted: the agent
works on it; done: answered (the answer is stored); expired: no agent took it in time."""
OPEN_STATES: tuple[RequestState, ...] = ("pending", "sent", "accepted")


@dataclass(frozen=True)
class TokenRecord:
    """An agent token as stored (its digest only)."""

    id: str
    cluster: str
    digest: str
    created_at: datetime
    revoked_at: datetime | None = None
    remediation: bool = False
    """The hub's record of the cluster's opt-in to remediation through its agent (set at issue)."""
    bind: bool = False
    """Bound to its agent's own key: a copy of the token alone is refused. Since issue 76 a token is
    bound when it is issued (`agent_key` set); a token of before that binds at first use is refused."""
    agent_key: str | None = None
    """The agent's public key (Ed25519, base64url) the token is bound to."""
    holder: str | None = None
    """The live connection that holds the token (None: no connection uses it)."""
    held_by: str | None = None
    """The agent process (its instance id) of that connection."""
    held_from: str | None = None
    held_until: datetime | None = None
    """The holder's lease: renewed while it lives; past it the token is free again."""
    conflict_at: datetime | None = None
    """When a second connection with the token was last refused (a token used from two places)."""
    conflict_from: str | None = None

    def live_holder(self, now: datetime) -> bool:
        return self.holder is not None and self.held_until is not None and self.held_until >= now


@dataclass(frozen=True)
class AgentRecord:
    """A cluster's agent as last heard of."""

    cluster: str
    version: str
    wire: int
    replica: str
    connected: bool
    connected_at: datetime
    last_seen: datetime
    cannot_read: tuple[str, ...] = ()
    remediation: bool = False
    """Its cluster opted in to remediation through it (the hub's record, unless the agent declines)."""
    moving_until: datetime | None = None
    """Its replica is draining: until then it dials another one, and its asks wait for it."""

    def moving(self, now: datetime) -> bool:
        return self.moving_until is not None and now < self.moving_until


@dataclass(frozen=True)
class FleetRequest:
    """One diagnosis asked of a cluster's agent."""

    id: str
    cluster: str
    verb: str
    namespace: str | None
    name: str | None
    state: RequestState
    created_at: datetime
    updated_at: datetime
    attempts: int = 0
    holder: str | None = None
    lease_until: datetime | None = None
    accepted_at: datetime | None = None
    """When an agent first said it works on it (None: no agent has taken it yet)."""
    answer: dict[str, Any] | None = None
    params: dict[str, Any] | None = None
    """A remediation's action and the identity a request acts as (bot/fleet/wire.py `WireRequest`)."""
