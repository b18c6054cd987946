"""How bad a pod is, from its own status: the order a namespace is reported in.

Worst first: failing (crash loops, image/config errors, Failed pods),
then pending (not scheduled, still creating), then running but not ready
or restarting recently.  This needs only the pod object, so a namespace of
thousands of pods is sorted without any further request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from intents.facts.model import ContainerFacts, PodFacts
from intents.reasons import WAITING_FAILED

FAILING, PENDING, NOT_READY, HEALTHY = 0, 1, 2, 3
RECENT = timedelta(hours=1)


@dataclass(frozen=True)
class Health:
    """A pod's severity (0 worst .. 3 healthy) and a kubectl-like status word."""

    severity: int
    status: str

    @property
    def healthy(self) -> bool:
        return self.severity == HEALTHY


def recent(finished: str | None, now: datetime) -> bool:
    """A container's last run ended within the last hour (unknown format: assume so)."""
    if not finished:
        return False
    try:
        when = datetime.fromisoformat(finished)
    except ValueError:
        return True
    return now - when < RECENT


def _container_health(c: ContainerFacts, now: datetime) -> Health | None:
    prefix = "Init:" if c.init else ""
    if c.state == "waiting" and c.reason in WAITING_FAILED:
        return Health(FAILING, prefix + str(c.reason))
    if c.state == "terminated" and c.exit_code not in (0, None):
        return Health(FAILING, prefix + str(c.reason or "Error"))
    if c.init and c.state != "terminated":
        return Health(PENDING, prefix + str(c.reason or "Running"))
    if c.state == "waiting":
        return Health(PENDING, str(c.reason or "Waiting"))
    if not c.init and c.restarts and recent(c.last_finished, now):
        return Health(NOT_READY, f"Restarting ({c.restarts})")
    if not c.init and not c.ready and c.state != "terminated":
        return Health(NOT_READY, "NotReady")
    return None


def classify(facts: PodFacts, *, now: datetime | None = None) -> Health:
    """The pod's health at `now` (default: the moment its facts show); the worst container
    decides."""
    now = now or facts.as_of or datetime.now(UTC)
    if facts.phase == "Succeeded":
        return Health(HEALTHY, "Completed")
    if facts.phase == "Failed":
        return Health(FAILING, facts.reason or "Failed")
    found = [h for h in (_container_health(c, now) for c in facts.containers) if h]
    if found:
        return min(found, key=lambda h: h.severity)
    if facts.phase == "Pending":
        scheduled = next((c for c in facts.conditions if c.type == "PodScheduled"), None)
        reason = scheduled.reason if scheduled and scheduled.status == "False" else ""
        return Health(PENDING, reason or "Pending")
    if facts.phase != "Running":
        return Health(NOT_READY, facts.phase)
    return Health(HEALTHY, "Running")
