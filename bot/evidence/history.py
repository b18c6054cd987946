"""Failures an object got past: what its later events (or a later look at it) say is history.

kubectl lists an object's events oldest first in describe, and `get events` by LAST SEEN; the
order says what happened since:

- a FailedScheduling of a pod that a node has acted on since (the kubelet pulling, mounting,
  starting, or the scheduler's own Scheduled), when something failed there: the pod was placed,
  and the failure on the node is its problem now;
- a controller's FailedCreate that a later, different refusal superseded, or after which it
  created every pod it wants (the Deployment's "Scaled up replica set X to N" gives N);
- a probe failing during the start of a pod shown steady since (Running, every container ready,
  never restarted), seen fewer times than a probe's failure threshold.

A failure with nothing after it stays the story. `recency`: larger is more recent (None: the
input does not say when).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.evidence.health import event_healthy
from intents.facts.model import EventFacts
from intents.lazy_re import lazy_compile
from intents.reasons import NODE_EVENT_REASONS


def scheduling_got_past(events: Sequence[EventFacts], recency: Sequence[float | None]) -> set[int]:
    """Indexes of the FailedScheduling events a later node event (by `recency`, larger is more
    recent) superseded, when some event after them failed on the node; empty otherwise."""
    failures = [at for at, event in enumerate(events) if event.reason == "FailedScheduling"]
    if not failures or any(recency[at] is None for at in failures):
        return set()
    last_failure = max(float(recency[at] or 0) for at in failures)
    onward = [
        event
        for at, event in enumerate(events)
        if event.reason in NODE_EVENT_REASONS
        and recency[at] is not None
        and float(recency[at] or 0) > last_failure
    ]
    if not any(not event_healthy(event) for event in onward):
        return set()
    return set(failures)


CONTROLLER_KINDS = frozenset(
    {"ReplicaSet", "StatefulSet", "Job", "DaemonSet", "ReplicationController"}
)
_SCALED = lazy_compile(
    r"^Scaled (?:up|down) replica set (\S{1,253}) (?:from \d{1,9} )?to (\d{1,9})$"
)
"""The deployment controller's scaling event (`to N` before 1.28, `from M to N` since)."""
_CREATED_POD = lazy_compile(r"^Created pod: (\S{1,253})$")
_VARYING = lazy_compile(r'"[^"]{0,253}"|\d+')
_COMBINED = "(combined from similar events): "


def desired_replicas(
    events: Sequence[EventFacts], recency: Sequence[float | None]
) -> dict[str, int]:
    """ReplicaSet name -> the replica count its Deployment last scaled it to."""
    latest: dict[str, tuple[float, int]] = {}
    for event, at in zip(events, recency):
        found = (
            _SCALED.match(event.message.strip()) if event.reason == "ScalingReplicaSet" else None
        )
        if found is None or at is None:
            continue
        name, count = found.group(1), int(found.group(2))
        if name not in latest or at >= latest[name][0]:
            latest[name] = (at, count)
    return {name: count for name, (_at, count) in latest.items()}


def refusal(message: str) -> str:
    """A FailedCreate message without what changes between tries (pod names, counts)."""
    return _VARYING.sub("", message.strip().removeprefix(_COMBINED))


def creations_got_past(
    events: Sequence[EventFacts], recency: Sequence[float | None], desired: int | None = None
) -> set[int]:
    """Indexes of one controller's FailedCreate events it got past (by `recency`, larger is more
    recent): refusals older than a later, different one, or all of them once it created its pods."""
    failures = [at for at, event in enumerate(events) if event.reason == "FailedCreate"]
    if not failures or any(recency[at] is None for at in failures):
        return set()
    last = max(failures, key=lambda at: float(recency[at] or 0))
    last_at = float(recency[last] or 0)
    gone = {
        at
        for at in failures
        if float(recency[at] or 0) < last_at
        and refusal(events[at].message) != refusal(events[last].message)
    }
    created = {
        at: _CREATED_POD.match(event.message.strip())
        for at, event in enumerate(events)
        if event.reason == "SuccessfulCreate" and recency[at] is not None
    }
    since = [at for at in created if float(recency[at] or 0) >= last_at]
    if not since:
        return gone
    pods = {found.group(1) for found in created.values() if found is not None}
    if desired is not None and len(pods) >= desired:
        return set(failures)
    if any(float(recency[at] or 0) > last_at for at in since):
        return set(failures)
    return gone


FLAPPING_COUNT = 3
"""The kubelet's default failureThreshold: a probe failing this often has acted on the pod."""
_PROBES = (
    "Liveness probe failed",
    "Readiness probe failed",
    "Startup probe failed",
    "Liveness probe errored",
    "Readiness probe errored",
    "Startup probe errored",
)


def warming_up(event: EventFacts) -> bool:
    """A probe failure seen fewer times than a probe's default failure threshold."""
    return (
        event.reason == "Unhealthy"
        and event.message.lstrip().startswith(_PROBES)
        and event.count < FLAPPING_COUNT
    )


def probes_got_past(events: Sequence[EventFacts]) -> set[int]:
    """Indexes of the probe failures of a pod shown steady (the caller knows it is)."""
    return {at for at, event in enumerate(events) if warming_up(event)}


def steady(phase: str | None, ready: Sequence[str | None], restarts: Sequence[str | None]) -> bool:
    """Running, every (app) container `Ready: True`, each `Restart Count: 0`."""
    return (
        phase == "Running"
        and bool(ready)
        and all(value == "True" for value in ready)
        and all(value == "0" for value in restarts)
    )
