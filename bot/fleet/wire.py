"""The hub-agent wire format: versioned pydantic messages over one WebSocket per agent.

A diagnosis crosses as catalog ids plus the evidence the agent read, redacted in the agent
before it leaves the cluster (bot/fleet/wire_diagnosis.py); so do what the agent finds by
itself, its watcher's and Alertmanager's findings (`Report`, `Synced`: bot/fleet/reports.py).
The hub rebuilds every text people read with its own catalog.

Every message carries `type`; `WIRE` is the version both sides announce. A hub refuses an
agent of another wire version in its handshake, with the reason, instead of misreading it.
Version 2 added the agent's reports, remediation (an `Ask` whose request carries an action;
the `offers` of an answer) and the identity a request acts as.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, TypeAdapter

from bot.fleet.reports import Noted, Report, Synced
from bot.fleet.wire_diagnosis import (
    MAX_TEXT,
    Lookup,
    WireDiagnosis,
    WireFinding,
    WireModel,
    from_wire,
    to_wire,
    unknown_entry_note,
)

__all__ = [
    "MAX_TEXT",
    "Lookup",
    "Noted",
    "Report",
    "Synced",
    "WireFinding",
    "from_wire",
    "to_wire",
    "unknown_entry_note",
]
WIRE = 2
"""The wire version; bump it when a message changes shape."""
PATH = "/fleet/connect"
"""Where agents dial in on the hub (a WebSocket upgrade, `Authorization: Bearer <token>`)."""
PROTOCOL_ERROR = 4400
"""Close code: the peer sent what the protocol does not allow (no hello, another wire version)."""
TOKEN_REVOKED = 4401
"""Close code: the agent's token was revoked while it was connected."""

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
    version: str
    cannot_read: tuple[str, ...] = ()
    remediation: bool = False
    """Its cluster opted in to remediation through it (KUBEMEDIC_AGENT_REMEDIATION and its write Role)."""
    probe: bool = False
    """`kubemedic doctor` on the agent: welcomed and closed, never recorded or sent requests."""


class Welcome(WireModel):
    """Hub -> agent, after the hello: the cluster name its token was issued for."""

    type: Literal["welcome"] = "welcome"
    wire: int = WIRE
    cluster: str


class Ask(WireModel):
    """Hub -> agent: diagnose this (the agent answers `Accepted` at once, `Answer` when done)."""

    type: Literal["ask"] = "ask"
    id: str
    request: WireRequest


class Accepted(WireModel):
    type: Literal["accepted"] = "accepted"
    id: str


Outcome = Literal["diagnosis", "done", "refused", "failed"]


class Answer(WireModel):
    """Agent -> hub: the diagnosis, or why not (`refused`: a one-line reason for the asker); for a
    remediation, `done` and its result line, or `failed` and the API server's reason."""

    type: Literal["answer"] = "answer"
    id: str
    outcome: Outcome
    diagnosis: WireDiagnosis | None = None
    reason: str = ""
    offers: tuple[WireOffer, ...] = Field(default=(), max_length=16)
    result: str = Field(default="", max_length=MAX_TEXT)


AgentSaid = Hello | Accepted | Answer | Report | Synced
AgentMessage = Annotated[AgentSaid, Field(discriminator="type")]
HubMessage = Annotated[Welcome | Ask | Noted, Field(discriminator="type")]
AGENT_MESSAGES: TypeAdapter[AgentSaid] = TypeAdapter(AgentMessage)
HUB_MESSAGES: TypeAdapter[Welcome | Ask | Noted] = TypeAdapter(HubMessage)
