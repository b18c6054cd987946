"""Plain records of the alert tables: Alertmanager deliveries and alert/watcher messages.

An `AlertThread` is the desired state of one Slack message per noise key
(an Alertmanager group, or a (cluster, workload, catalog id) the watcher
saw): the leader replica changes it as signals arrive and the sync loop
makes Slack show it. `version` counts changes; `posted_version` is the
version Slack shows. Mute fields are written only by `set_mute`, so a click
on any replica and the leader's updates never overwrite each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

ThreadStatus = Literal["firing", "resolved"]


@dataclass(frozen=True, kw_only=True)
class InboxItem:
    """One Alertmanager delivery, stored before the receiver answered 200."""

    id: str
    group_key: str
    payload: dict[str, Any]
    received_at: datetime
    deliveries: int = 1
    """How many times this same content arrived (replicas, Alertmanager HA, re-sends)."""
    attempts: int = 0
    done_at: datetime | None = None
    error: str | None = None


@dataclass(frozen=True, kw_only=True)
class AlertThread:
    """One message per noise key, as it should look."""

    key: str
    source: str
    channel: str
    mention: str | None = None
    message_ts: str | None = None
    status: ThreadStatus = "firing"
    title: str = ""
    subjects: list[str] = field(default_factory=list)
    """What is failing now (alert fingerprints, pod names)."""
    counters: dict[str, int] = field(default_factory=dict)
    """Per subject numbers to add up (restarts)."""
    detail: dict[str, Any] = field(default_factory=dict)
    """What the message shows besides counts (diagnosis, alert texts); the caller's shape."""
    notes: list[dict[str, Any]] = field(default_factory=list)
    """Thread replies waiting to be posted."""
    seen: int = 1
    version: int = 1
    posted_version: int = 0
    first_seen: datetime
    last_seen: datetime
    resolved_at: datetime | None = None
    edited_at: datetime | None = None
    posting_at: datetime | None = None
    """When a first post began; set while it is in doubt (a replica may have died right after it)."""
    muted_until: datetime | None = None
    mute_until_resolved: bool = False
    muted_by: str | None = None

    def muted(self, now: datetime) -> bool:
        """True while a Mute click silences this key."""
        if self.mute_until_resolved and self.status == "firing":
            return True
        return self.muted_until is not None and self.muted_until > now
