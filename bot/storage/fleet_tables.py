"""The fleet's tables (schema version 5, 6, 8): agent tokens, agents, and requests routed to agents.

Tokens are stored as SHA-256 digests only, looked up by their public id. Since version 8 a
token also holds what the hub decided when it issued it (the cluster's remediation opt-in,
whether it binds to its agent's key, and the key once bound) and its one live connection: the
connection that holds it (`holder`, renewed like a request's lease), where from, and the last
time a second connection with it was refused (a token used from two places); an agent whose
replica is draining is `moving_until` it dials another (its asks wait for it). `fleet_agents`
holds one row per cluster: which hub replica holds its connection and when it was last
heard from, for `/diagnose clusters` and for answering at once that a cluster is
unreachable, and whether its cluster opted in to remediation through it (version 6).
`fleet_requests` is how replicas route: a request is a row; the replica that
holds the cluster's agent claims it (UPDATE ... WHERE state, so exactly one does), renews
its lease while the agent works, and writes the answer; the asking replica reads it back.
A remediation's action and the identity it acts as travel in `params` (version 6).
"""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, false

from bot.storage.redacted import RedactedJSON
from bot.storage.tables import ID, NAME, UtcDateTime, metadata

fleet_tokens = Table(
    "fleet_tokens",
    metadata,
    Column("id", ID, primary_key=True),
    Column("cluster", NAME, nullable=False, index=True),
    Column("digest", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("remediation", Boolean, nullable=False, server_default=false()),
    Column("bind", Boolean, nullable=False, server_default=false()),
    Column("agent_key", String(64)),
    Column("holder", NAME),
    Column("held_by", String(64)),
    Column("held_from", String(255)),
    Column("held_until", UtcDateTime),
    Column("conflict_at", UtcDateTime),
    Column("conflict_from", String(255)),
)
TOKEN_COLUMNS_8 = (
    "remediation",
    "bind",
    "agent_key",
    "holder",
    "held_by",
    "held_from",
    "held_until",
    "conflict_at",
    "conflict_from",
)
"""What version 8 added to fleet_tokens."""

fleet_agents = Table(
    "fleet_agents",
    metadata,
    Column("cluster", NAME, primary_key=True),
    Column("version", String(64), nullable=False),
    Column("wire", Integer, nullable=False),
    Column("replica", NAME, nullable=False),
    Column("connected", Boolean, nullable=False),
    Column("connected_at", UtcDateTime, nullable=False),
    Column("last_seen", UtcDateTime, nullable=False),
    Column("cannot_read", JSON, nullable=False),
    Column("remediation", Boolean, nullable=False, server_default=false()),
    Column("moving_until", UtcDateTime),
)

fleet_requests = Table(
    "fleet_requests",
    metadata,
    Column("id", ID, primary_key=True),
    Column("cluster", NAME, nullable=False),
    Column("verb", String(16), nullable=False),
    Column("namespace", NAME),
    Column("name", NAME),
    Column("state", String(16), nullable=False),
    Column("holder", NAME),
    Column("lease_until", UtcDateTime),
    Column("attempts", Integer, nullable=False),
    Column("accepted_at", UtcDateTime),
    Column("answer", RedactedJSON),
    Column("created_at", UtcDateTime, nullable=False, index=True),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("params", JSON),
    Index("ix_fleet_requests_open", "cluster", "state"),
)

FLEET_TABLES = (fleet_tokens, fleet_agents, fleet_requests)
