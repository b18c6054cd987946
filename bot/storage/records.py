"""Plain result types the store hands back: no SQLAlchemy, no Slack.

They sit below every layer that needs them (listeners, remediation, the
summary, `kubemedic stats`). Times are timezone-aware UTC; JSON-ish fields
(`target`, `body`, `state`) are plain dicts the caller owns the shape of.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Verdict = Literal["helpful", "not_this"]
AuditOutcome = Literal[
    "started", "refused", "dry-run-ok", "dry-run-failed", "done", "failed", "interrupted"
]
ActionState = Literal["usable", "used", "expired"]


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


def new_action_id() -> str:
    """Opaque and unguessable: it is the only thing a button carries."""
    return secrets.token_urlsafe(16)


@dataclass(frozen=True, kw_only=True)
class DiagnosisRecord:
    """One diagnosis as posted; `body` is the rendered Diagnosis as JSON."""

    id: str = ""
    channel: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None
    user: str | None = None
    cluster: str | None = None
    namespace: str | None = None
    subject: str = ""
    """What was diagnosed, e.g. "pod tidb/tikv-0" or "paste"."""
    catalog_ids: list[str] = field(default_factory=list)
    body: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ReplyRecord:
    """The bot's reply to a problem, so the same problem again edits it instead."""

    channel: str
    fingerprint: str
    message_ts: str
    thread_ts: str | None
    diagnosis_id: str | None
    first_seen: datetime
    last_seen: datetime
    seen_count: int


@dataclass(frozen=True, kw_only=True)
class PendingAction:
    """A remediation offered behind a button; the button carries only `id`."""

    id: str = ""
    diagnosis_id: str | None = None
    kind: str
    target: dict[str, Any] = field(default_factory=dict)
    """cluster, namespace, name and the action's extra parameters."""
    channel: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None
    created_by: str | None = None
    created_at: datetime | None = None
    expires_at: datetime
    used_at: datetime | None = None
    used_by: str | None = None

    def state(self, now: datetime) -> ActionState:
        """Why a click would be refused (or "usable"): used wins over expired."""
        if self.used_at is not None:
            return "used"
        return "expired" if self.expires_at <= now else "usable"


@dataclass(frozen=True, kw_only=True)
class AuditRecord:
    """One remediation attempt or refusal; "started" rows are written before acting."""

    id: str = ""
    user: str
    kind: str
    target: dict[str, Any] = field(default_factory=dict)
    cluster: str | None = None
    namespace: str | None = None
    channel: str | None = None
    action_id: str | None = None
    outcome: AuditOutcome
    dry_run_result: str | None = None
    result: str | None = None
    reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    identity: str | None = None
    """The Kubernetes user (and groups) a fleet agent acted as for `user` (None: its own identity)."""


@dataclass(frozen=True, kw_only=True)
class FeedbackStat:
    """Match quality of one catalog entry: votes, and how often it was reported."""

    catalog_id: str
    helpful: int = 0
    not_this: int = 0
    shown: int = 0


@dataclass(frozen=True, kw_only=True)
class SummaryRecord:
    """The incident channel's summary message; its ts survives restarts."""

    channel: str
    message_ts: str | None = None
    state: dict[str, Any] = field(default_factory=dict)
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class ChannelMessage:
    """A message seen in an incident channel (text already redacted by the caller)."""

    channel: str
    ts: str
    user: str | None = None
    text: str = ""
    thread_ts: str | None = None
    is_bot: bool = False
    edited: bool = False
    deleted: bool = False
    posted_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class WorkItem:
    """Work a replica accepted (a command, a pasted message, a click) and has not finished.

    `owner` holds it until `lease_until`; a live owner keeps renewing the
    lease, so an item whose lease ran out belongs to a replica that died and
    another replica takes it over (`attempts` counts the takers).
    """

    id: str
    kind: str
    payload: dict[str, Any]
    owner: str
    lease_until: datetime
    attempts: int = 1
    created_at: datetime | None = None
    done_at: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class RetentionCutoffs:
    """What is older than these times is deleted (see `bot.storage.retention`)."""

    work: datetime
    """Finished work items, claimed event ids, used or expired pending actions, processed
    Alertmanager deliveries, expired leases."""
    replies: datetime
    """Repeat-detection records (never before the repeat window has passed)."""
    inbox: datetime
    """Processed deliveries and pages: kept as long as a vendor may send one again
    (`REPLAYS_REFUSED_FOR`), so a replay is known by its id."""
    diagnoses: datetime
    """Diagnoses, their match rows and feedback votes; alert and watcher messages not seen since."""
    messages: datetime
    """Incident-channel messages and summaries not updated since."""
    audit: datetime
    """The remediation audit log."""
