"""What identifies a delivery and a group, and what a delivery says about its group.

Alertmanager sends a group's whole current state on every notification
(all its firing and recently resolved alerts), so a delivery is compared
with the group's last known state by alert fingerprint: new fingerprints
firing, fingerprints resolved. The delivery id is a digest of the content
(not of the arrival), so the same notification reaching two replicas, or
sent by two Alertmanagers of an HA pair, is one stored delivery.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from bot.alerting.payload import Alert, Notification

SEVERITY_ORDER = {"critical": 0, "error": 1, "warning": 2, "info": 3, "none": 4}


def _digest(text: str, size: int = 40) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def delivery_id(notification: Notification) -> str:
    """The same for the same notification from any Alertmanager to any replica."""
    alerts = sorted(
        (a.key, a.status, a.starts_at.isoformat(), a.ends_at.isoformat())
        for a in notification.alerts
    )
    return "am:" + _digest(json.dumps([notification.group_key, notification.status, alerts]))


def group_noise_key(group_key: str) -> str:
    """The noise key of an Alertmanager group: one Slack message per groupKey."""
    return "am:" + _digest(group_key)


@dataclass(frozen=True)
class GroupState:
    """The alerts of one delivery kubemedic acts on, split by status."""

    firing: tuple[Alert, ...]
    resolved: tuple[Alert, ...]

    @property
    def firing_keys(self) -> frozenset[str]:
        return frozenset(alert.key for alert in self.firing)


def group_state(notification: Notification) -> GroupState:
    alerts = notification.relevant
    return GroupState(
        firing=tuple(a for a in alerts if a.status == "firing"),
        resolved=tuple(a for a in alerts if a.status == "resolved"),
    )
