"""The hub-agent wire format: versioned pydantic messages over one WebSocket per agent.

A diagnosis crosses as catalog ids plus the evidence the agent read, redacted in the agent
before it leaves the cluster (bot/fleet/wire_diagnosis.py); so do what the agent finds by
itself, its watcher's and Alertmanager's findings (`Report`, `Synced`: bot/fleet/reports.py).
The hub rebuilds every text people read with its own catalog.

Every message carries `type`; `WIRE` is the version both sides announce. A hub refuses an
agent of another wire version in its handshake, with the reason, instead of misreading it.
Version 2 added the agent's reports, remediation (an `Ask` whose request carries an action;
the `offers` of an answer) and the identity a request acts as. Version 3 added the agent's own
key (`Hello.key`, then the hub's `Challenge` and the agent's `Proof`, for a token bound to its
agent's key); a hub speaks 2 and 3, so agents may be upgraded after it.

Whatever an agent sends is bounded here, before the hub looks at it, let alone stores it: ids,
versions, the reads it lacks, a refusal's reason (an answer as a whole: `MAX_ANSWER_BYTES`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from bot.fleet.reports import Noted, Report, Synced
from bot.fleet.wire_diagnosis import MAX_TEXT, Lookup, WireDiagnosis, WireModel, from_wire, to_wire

__all__ = ["Lookup", "Noted", "Report", "Synced", "from_wire", "to_wire"]
WIRE = 3
"""The wire version; bump it when a message changes shape."""
SPOKEN = (2, 3)
"""The agents' wire versions a hub serves (a version 2 agent has no key to bind a token to)."""
MAX_ANSWER_BYTES = 1024 * 1024
"""An answer larger than this is not stored: the asker is told the agent's answer was too large."""
MAX_REASON = 1000
"""Characters of a refusal's or a failure's reason (the agent clips its own at 600)."""
INSTANCE_HEADER = "Kubemedic-Agent-Instance"
"""The agent process's random id, sent as it dials: the same process dialling again after a drop
is not a second place using its token."""
PROBE_HEADER = "Kubemedic-Probe"
"""Sent by `kubemedic doctor --agent`: a probe never holds its token, so a live agent does not
make it wait (the hub still checks its hello says it is a probe)."""
PATH = "/fleet/connect"
"""Where agents dial in on the hub (a WebSocket upgrade, `Authorization: Bearer <token>`)."""
PROTOCOL_ERROR = 4400
"""Close code: the peer sent what the protocol does not allow (no hello, another wire version)."""
TOKEN_REVOKED = 4401
"""Close code: the agent's token was revoked while it was connected."""
KEY_REFUSED = 4403
"""Close code: the token is bound to another agent's key, or the agent could not prove it holds it."""
IN_USE = 4409
"""Close code: another connection holds the token (the agent dials again later)."""
Id = Annotated[str, Field(max_length=128)]

Verb = Literal["pod", "namespace", "node", "remediate"]
Label = Annotated[str, Field(min_length=1, max_length=253)]


class WireIdentity(WireModel):
    """The Kubernetes user (and groups) the agent impersonates for this request."""

    user: Label
    groups: tuple[Label, ...] = Field(default=(), max_length=20)


class WireAction(WireModel):
    """A remediation to carry out: an allowlisted kind and its target, checked again by the agent."""

    kind: str = Field(max_length=64)
    target: dict[str, Any]
    dry_run: bool


class WireOffer(WireModel):
    """A remediation button the agent's facts support (the hub decides whether to show it)."""

    kind: str = Field(max_length=64)
    target: dict[str, Any]
    catalog_id: str = Field(max_length=128)


class WireRequest(WireModel):
    """What the hub asks an agent to diagnose (or, `remediate`, to change) in its own cluster."""

    verb: Verb
    namespace: str | None = None
    name: str | None = None
    identity: WireIdentity | None = None
    """Act as this person (None: the agent's own identity)."""
    action: WireAction | None = None


class Hello(WireModel):
    """Agent -> hub, first: who it is and what it cannot read (for `kubemedic doctor`)."""

    type: Literal["hello"] = "hello"
    wire: int = WIRE
    version: str = Field(max_length=200)
    cannot_read: tuple[Annotated[str, Field(max_length=200)], ...] = Field(
        default=(), max_length=64
    )
    remediation: bool = False
    """Its cluster opted in to remediation through it (KUBEMEDIC_AGENT_REMEDIATION and its write Role)."""
    probe: bool = False
    """`kubemedic doctor` on the agent: welcomed and closed, never recorded or sent requests."""
    key: str | None = Field(default=None, max_length=64)
    """Wire 3: the agent's public key (bot/fleet/agent_key.py), for a token bound to it."""


class Challenge(WireModel):
    """Hub -> agent, for a token bound to its agent's key: sign this (the agent answers `Proof`)."""

    type: Literal["challenge"] = "challenge"
    challenge: str = Field(max_length=64)


class Proof(WireModel):
    """Agent -> hub: its key's signature of the challenge and its token's id."""

    type: Literal["proof"] = "proof"
    signature: str = Field(max_length=128)


class Welcome(WireModel):
    """Hub -> agent, after the hello: the cluster name its token was issued for."""

    type: Literal["welcome"] = "welcome"
    wire: int = WIRE
    cluster: str


class Ask(WireModel):
    """Hub -> agent: diagnose this (the agent answers `Accepted` at once, `Answer` when done)."""

    type: Literal["ask"] = "ask"
    id: Id
    request: WireRequest


class Accepted(WireModel):
    type: Literal["accepted"] = "accepted"
    id: Id


Outcome = Literal["diagnosis", "done", "refused", "failed"]


class Answer(WireModel):
    """Agent -> hub: the diagnosis, or why not (`refused`: a one-line reason for the asker); for a
    remediation, `done` and its result line, or `failed` and the API server's reason."""

    type: Literal["answer"] = "answer"
    id: Id
    outcome: Outcome
    diagnosis: WireDiagnosis | None = None
    reason: str = Field(default="", max_length=MAX_REASON)
    offers: tuple[WireOffer, ...] = Field(default=(), max_length=16)
    result: str = Field(default="", max_length=MAX_TEXT)


AgentSaid = Hello | Proof | Accepted | Answer | Report | Synced
HubSaid = Welcome | Challenge | Ask | Noted
AgentMessage = Annotated[AgentSaid, Field(discriminator="type")]
HubMessage = Annotated[HubSaid, Field(discriminator="type")]
AGENT_MESSAGES: TypeAdapter[AgentSaid] = TypeAdapter(AgentMessage)
HUB_MESSAGES: TypeAdapter[HubSaid] = TypeAdapter(HubMessage)
