"""Pod creations a controller got past: a refusal it no longer meets is history.

A ReplicaSet, StatefulSet, Job or DaemonSet that cannot create a pod records
FailedCreate with the API server's refusal (a full quota, a missing
ServiceAccount, a webhook's denial) and tries again at its next sync.  Two
things among its events say a refusal is history:

- a later FailedCreate with another refusal: the controller tried since and
  was refused for something else, which is its problem now;
- SuccessfulCreate since the last refusal, for every pod it wants: the
  Deployment's "Scaled up replica set X to N" gives N; without it, only a
  creation strictly after the last refusal counts (one created in the same
  second may be one of several, the rest still refused).

A refusal with nothing after it stays the story.
"""

from __future__ import annotations

from collections.abc import Sequence

from intents.facts.model import EventFacts
from intents.lazy_re import lazy_compile

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


def resolved(
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
