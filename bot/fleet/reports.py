"""What an agent finds by itself and sends up: its watcher's and its Alertmanager's findings.

The agent runs the same watcher and alert processing as a single-cluster kubemedic, but
where those would merge a signal into a stored message it sends it to the hub instead
(bot/fleet/forwarding.py), with the diagnosis made in its own cluster. What crosses is the
signal (noise key, subjects firing and cleared, counters), the routing facts and the detail
of a new problem: every text the agent read redacted and clipped before it leaves the
cluster, the diagnosis as catalog ids (bot/fleet/wire_diagnosis.py). The hub stores each
report before it says `Noted`, routes it with its own routing file and merges it into its
messages, where the same failure from several clusters becomes one fleet-wide thread
(bot/fleet/fleet_threads.py). `Synced` lists what the watcher reports after its first full
listing, so the hub resolves what a previous run left open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field

from bot.fleet.wire_diagnosis import MAX_TEXT, WireDiagnosis, WireFinding, WireModel
from responses.alert_detail import AlertDetail
from responses.redaction import EMPTY, Redacted, redact

Text = Annotated[Redacted, Field(max_length=MAX_TEXT)]
"""A text the agent read: redacted in the agent and, as the hub reads the wire, again (the wire is
a boundary: whoever holds a token may send anything)."""
Short = Annotated[str, Field(max_length=300)]
ShortText = Annotated[Redacted, Field(max_length=300)]
Subjects = Annotated[tuple[Short, ...], Field(max_length=5000)]
ReportId = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]{8,40}$")]


class WireFacts(WireModel):
    """What the hub's routing file matches on (the cluster is the one the agent's token names)."""

    namespace: Short | None = None
    catalog_id: Short | None = None
    severity: Short | None = None
    reasons: tuple[ShortText, ...] = Field(default=(), max_length=8)
    labels: dict[Short, ShortText] = Field(default_factory=dict, max_length=64)
    workload: Short | None = None
    """The failing workload's kind and name (`deployment api`): with the catalog id, what makes the
    same failure in several clusters one fleet-wide incident."""


class WireDetection(WireModel):
    problem: Short
    reason: Short
    owner: Short
    first: Short
    message: Text = EMPTY


class WireAlert(WireModel):
    name: Short
    severity: Short | None = None
    summary: Text | None = None
    description: Text | None = None
    runbook_url: Text | None = None
    generator_url: Text | None = None
    external_url: Text | None = None
    starts_at: Short | None = None


class WireOther(WireModel):
    name: Short
    what: Short
    catalog_id: Short | None = None


class WireExplanation(WireModel):
    """The cause: a finding the cluster confirmed, else the claiming entry's id, unconfirmed."""

    cause: WireFinding | None = None
    entry: Short | None = None
    confirmed: bool = False
    diagnosis: WireDiagnosis | None = None
    gap: Text | None = None


class WireDetail(WireModel):
    """What the first message of a problem shows besides its counts."""

    kind: Literal["watch", "alert", "unmapped"]
    oneshot: bool = False
    detection: WireDetection | None = None
    alert: WireAlert | None = None
    target: Short | None = None
    others: tuple[WireOther, ...] = Field(default=(), max_length=10)
    explanation: WireExplanation | None = None


class Report(WireModel):
    """Agent -> hub: one signal of its watcher or Alertmanager receiver (the hub answers `Noted`)."""

    type: Literal["report"] = "report"
    id: ReportId
    source: Literal["watch", "alertmanager"]
    key: Short
    title: ShortText
    at: datetime
    firing: Subjects = ()
    cleared: Subjects = ()
    complete: bool = False
    counters: dict[Short, int] = Field(default_factory=dict, max_length=5000)
    names: dict[Short, Short] = Field(default_factory=dict, max_length=5000)
    notes: bool = False
    facts: WireFacts = Field(default_factory=WireFacts)
    detail: WireDetail | None = None


class Synced(WireModel):
    """Agent -> hub: every watcher key and its subjects after the first full listing."""

    type: Literal["synced"] = "synced"
    id: ReportId
    keys: dict[Short, Subjects] = Field(default_factory=dict, max_length=5000)


class Noted(WireModel):
    """Hub -> agent: the report `id` is stored; the agent stops sending it."""

    type: Literal["noted"] = "noted"
    id: ReportId


def _clean(value: Any, limit: int) -> Any:
    """`value` with every string redacted and clipped (nested dicts and lists included)."""
    if isinstance(value, str):
        return redact(value[:limit])
    if isinstance(value, Mapping):
        return {str(key)[:300]: _clean(item, limit) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(item, limit) for item in value]
    return value


def thin_detail(stored: Mapping[str, Any]) -> WireDetail:
    """The detail a watcher or the alert processing made in the agent, as it may leave the
    cluster: texts redacted and clipped, the explanation already in wire form (its `wire`)."""
    detail = AlertDetail.read(stored)
    alert, detection, wire = detail.alert, detail.detection, detail.explanation.wire
    return WireDetail(
        kind=detail.kind,
        oneshot=detail.oneshot,
        detection=WireDetection.model_validate(_clean(detection.model_dump(), 500))
        if detection
        else None,
        alert=WireAlert.model_validate(_clean(alert.model_dump(exclude={"cluster"}), 1500))
        if alert
        else None,
        target=_clean(detail.target, 300),
        others=tuple(
            WireOther.model_validate(_clean(other.model_dump(), 300)) for other in detail.others
        ),
        explanation=WireExplanation.model_validate(wire) if wire else None,
    )
