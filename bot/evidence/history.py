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

The present judges the past: a pod Running and ready at the input's moment, since after its
last failure was seen and for longer than its failures used to recur, got past them
(`judged_past`: history, or too soon to tell and so never said high); a failure seen since it
became ready is current. A finished run (a Job's pod) runs
no more: its failure is history once trouble that began after it ended is seen elsewhere
(`run_ended_before`), or long after it ended (`run_ended_long_ago`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import NamedTuple

from bot.cluster.moments import moment
from bot.cluster.reader import JsonObject
from bot.evidence.health import event_healthy
from intents.facts.model import EventFacts, PodFacts, Recovery
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


def well_since(pod: JsonObject) -> datetime | None:
    """When a pod Running with every container ready became so: its Ready condition's last
    change, else its containers' latest start (it became ready no sooner). None when it is not
    well now, or the input does not say since when."""
    status = pod.get("status") or {}
    containers = status.get("containerStatuses") or []
    if status.get("phase") != "Running" or not containers:
        return None
    if not all(c.get("ready") for c in containers):
        return None
    ready: JsonObject = next(
        (c for c in status.get("conditions") or [] if c.get("type") == "Ready"), {}
    )
    if ready.get("status") not in (None, "True"):
        return None
    started = [
        moment(((c.get("state") or {}).get("running") or {}).get("startedAt")) for c in containers
    ]
    known = [when for when in started if when is not None]
    changed = moment(ready.get("lastTransitionTime"))
    return changed or (max(known) if len(known) == len(started) else None)


def _transition_told(pod: JsonObject) -> bool:
    """The input tells when the pod's Ready condition last changed (a describe does not)."""
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("lastTransitionTime") for c in conditions)


def _every(event: EventFacts) -> float:
    """How often a repeated event recurred, in seconds (0: once, or the input does not say)."""
    first, last = moment(event.first_seen), moment(event.last_seen)
    if event.count < 2 or first is None or last is None:
        return 0.0
    return (last - first).total_seconds() / (event.count - 1)


def _last_run(pod: JsonObject) -> float:
    """How long the longest last run of a restarted container lasted before it ended."""
    lasted = [0.0]
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        ended = (status.get("lastState") or {}).get("terminated") or {}
        start, end = moment(ended.get("startedAt")), moment(ended.get("finishedAt"))
        if start is not None and end is not None:
            lasted.append((end - start).total_seconds())
    return max(lasted)


def recovery_of(pod: JsonObject) -> Recovery | None:
    """Since when the pod is Running and ready, as its object tells (None: it is not, or it
    does not say since when)."""
    since = well_since(pod)
    return None if since is None else Recovery(since, _transition_told(pod), _last_run(pod))


def object_past(pod: JsonObject, events: Sequence[EventFacts], as_of: datetime) -> Past:
    """What the present says of the pod's failures (`judged_past`), from its object."""
    name = str((pod.get("metadata") or {}).get("name") or "")
    return judged_past(recovery_of(pod), events, as_of, name)


def got_past(pod: JsonObject, events: Sequence[EventFacts], as_of: datetime) -> str:
    """Why the pod's failures are history ("" when they are not), from its object."""
    return object_past(pod, events, as_of).over


def facts_past(facts: PodFacts) -> Past:
    """What the present says of the pod's failures (nothing when the facts do not say at what
    moment they were read: a pod is judged at its input's time, never the clock's)."""
    if facts.as_of is None:
        return Past()
    return judged_past(facts.recovery, facts.events, facts.as_of, facts.name)


def recovered(facts: PodFacts) -> str:
    """Why the pod's failures are history ("" when they are not, or the moment is not told)."""
    return facts_past(facts).over


def _ready_after(recovery: Recovery | None, events: Sequence[EventFacts]) -> datetime | None:
    """Since when the pod is ready, when every failure it shows was seen before that (None:
    not ready, nothing failed, or a failure seen since or untold)."""
    failures = [e for e in events if not event_healthy(e)]
    if recovery is None or not (failures or recovery.last_run):
        return None
    since = recovery.since
    if not recovery.transition_told:  # ready now: so no sooner than its last failed probe
        probes = [moment(e.last_seen) for e in failures if e.reason == "Unhealthy"]
        since = max([since, *(when for when in probes if when is not None)])
    seen = [moment(e.last_seen) for e in failures]
    return None if any(when is None or when > since for when in seen) else since


class Past(NamedTuple):
    """What the present says of a pod's failures: at most one of the two is said."""

    over: str = ""
    """Why they are history: ready since after them for longer than they used to recur."""
    soon: str = ""
    """Why none is said high though not yet history: ready since after every one of them, not
    yet long enough to tell a recovery from the moment between two crashes."""


def judged_past(
    recovery: Recovery | None, events: Sequence[EventFacts], as_of: datetime, name: str
) -> Past:
    """What the present says of a pod's failures: history when it is Running and ready since
    after the last of them was seen, for longer than they used to recur and than its last run
    lasted before it failed; too soon to tell when ready since after them, not that long yet;
    nothing when a failure is seen since, or its time is not told (it is current)."""
    since = _ready_after(recovery, events)
    if recovery is None or since is None:
        return Past()
    ready = f"pod {name} is Running and ready since {since.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
    failures = [e for e in events if not event_healthy(e)]
    well = (as_of - since).total_seconds()
    if well <= max([recovery.last_run, *(_every(e) for e in failures)]):
        return Past(
            soon=f"{ready}, after its failures were last seen: too soon to call them over, "
            "so not said high"
        )
    return Past(over=f"history: {ready}, after its failures were last seen")


def run_ended_long_ago(pod: JsonObject, as_of: datetime, gap: float) -> str:
    """Why a finished pod's failure is over ("" when it is not): every container of a Failed
    (or Succeeded) pod ended more than `gap` seconds before the input's moment, as a Job that
    failed yesterday did."""
    status = pod.get("status") or {}
    if status.get("phase") not in ("Failed", "Succeeded"):
        return ""
    ended = [
        moment(((c.get("state") or {}).get("terminated") or {}).get("finishedAt"))
        for c in status.get("containerStatuses") or []
    ]
    if not ended or any(when is None or (as_of - when).total_seconds() <= gap for when in ended):
        return ""
    name = str((pod.get("metadata") or {}).get("name") or "")
    return f"history: pod {name} ended its run long before the input's time, and runs no more"


def _run_end(pod: JsonObject) -> datetime | None:
    """When every container of a finished (Failed or Succeeded) pod ended; None when it runs
    or the input does not say."""
    status = pod.get("status") or {}
    if status.get("phase") not in ("Failed", "Succeeded"):
        return None
    ended = [
        moment(((c.get("state") or {}).get("terminated") or {}).get("finishedAt"))
        for c in status.get("containerStatuses") or []
    ]
    known = [when for when in ended if when is not None]
    return max(known) if known and len(known) == len(ended) else None


def run_ended_before(pod: JsonObject, events: Sequence[EventFacts], own: set[str]) -> str:
    """Why a finished pod's failure is older than the current trouble ("" when it is not): a
    warning on another object (`own`: the pod's and its Job's names) first seen after the run
    ended. Trouble that began before the run (chronic noise) does not make it history."""
    ended = _run_end(pod)
    if ended is None:
        return ""
    later = [
        event
        for event in events
        if event.type == "Warning"
        and event.object_name not in own
        and (first := moment(event.first_seen)) is not None
        and first > ended
    ]
    if not later:
        return ""
    name = str((pod.get("metadata") or {}).get("name") or "")
    other = later[0]
    return (
        f"history: pod {name} ended its run before the current trouble began "
        f"({other.reason} on {other.object_kind.lower()}/{other.object_name})"
    )
