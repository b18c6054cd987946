"""The pod itself: phase, conditions and every container's state, from one GET.

This is the first stage of a diagnosis: the other collectors need what it
finds (the container list for logs, the node name, the claims, the owners).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.cluster.reader import JsonObject
from bot.cluster.seen import PORT_NAMES
from bot.evidence.common import bounded, quantity, status_conditions
from bot.evidence.history import recovery_of
from intents.facts.model import ContainerFacts, PodFacts


def _state(status: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    for kind in ("waiting", "terminated", "running"):
        detail = (status.get("state") or {}).get(kind)
        if isinstance(detail, dict):
            return kind, detail
    return "unknown", {}


def container_facts(status: dict[str, Any], *, init: bool = False) -> ContainerFacts:
    """One containerStatuses / initContainerStatuses entry."""
    state, detail = _state(status)
    last = (status.get("lastState") or {}).get("terminated") or {}
    return ContainerFacts(
        name=str(status.get("name", "?")),
        init=init,
        ready=bool(status.get("ready")),
        restarts=int(status.get("restartCount") or 0),
        state=state,
        reason=detail.get("reason"),
        message=bounded(detail.get("message")),
        exit_code=detail.get("exitCode"),
        last_reason=last.get("reason"),
        last_message=bounded(last.get("message")),
        last_exit_code=last.get("exitCode"),
        last_finished=last.get("finishedAt"),
    )


def age_seconds(created: object, now: datetime | None = None) -> float | None:
    """Seconds from an RFC 3339 timestamp to `now` (default: the wall clock); None when it is
    missing or malformed."""
    if not isinstance(created, str):
        return None
    try:
        when = datetime.fromisoformat(created)
    except ValueError:
        return None
    return ((now or datetime.now(UTC)) - when).total_seconds() if when.tzinfo else None


def container_ports(spec: JsonObject) -> list[tuple[str, int, str]]:
    """(name, containerPort, protocol) of every port the pod spec's containers declare."""
    return [
        (
            str(port.get("name") or ""),
            int(port["containerPort"]),
            str(port.get("protocol") or "TCP"),
        )
        for c in spec.get("containers") or []
        for port in c.get("ports") or []
        if isinstance(port.get("containerPort"), int)
    ]


def memory_limits(spec: JsonObject) -> dict[str, str]:
    """Container name -> resources.limits.memory, for the containers that set one."""
    limits = {}
    for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        limit = ((c.get("resources") or {}).get("limits") or {}).get("memory")
        if isinstance(limit, str | int) and c.get("name"):
            limits[str(c["name"])] = str(limit)
    return limits


def pod_requests(spec: JsonObject) -> dict[str, float]:
    """The containers' cpu (cores) and memory (bytes) requests, summed (init containers run
    before them, one at a time, so they are not added)."""
    totals: dict[str, float] = {}
    for c in spec.get("containers") or []:
        for resource, value in ((c.get("resources") or {}).get("requests") or {}).items():
            if resource in ("cpu", "memory"):
                totals[resource] = totals.get(resource, 0.0) + quantity(value)
    return totals


def pod_facts(
    pod: JsonObject, *, as_of: datetime | None = None, unseen: frozenset[str] = frozenset()
) -> PodFacts:
    """PodFacts from a Pod object as the API server returns it, shown at `as_of` (the reader's
    moment, bot/cluster/moments.py; None: now); `unseen`: what the input did not show of it."""
    meta, spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    containers = [container_facts(s, init=True) for s in status.get("initContainerStatuses") or []]
    containers += [container_facts(s) for s in status.get("containerStatuses") or []]
    owners = [
        (str(ref.get("kind")), str(ref.get("name")))
        for ref in meta.get("ownerReferences") or []
        if ref.get("controller", True)
    ]
    claims = [
        vol["persistentVolumeClaim"]["claimName"]
        for vol in spec.get("volumes") or []
        if (vol.get("persistentVolumeClaim") or {}).get("claimName")
    ]
    conditions = status_conditions(status)
    return PodFacts(
        namespace=str(meta.get("namespace", "")),
        name=str(meta.get("name", "")),
        uid=meta.get("uid"),
        phase=str(status.get("phase") or "Unknown"),
        reason=status.get("reason"),
        message=bounded(status.get("message")),
        node_name=spec.get("nodeName"),
        labels=dict(meta.get("labels") or {}),
        images={
            str(c.get("name")): str(c.get("image"))
            for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
            if c.get("image")
        },
        memory_limits=memory_limits(spec),
        requests=pod_requests(spec),
        ports=container_ports(spec),
        port_names_shown=PORT_NAMES not in unseen,
        scheduler_name=str(spec.get("schedulerName") or "default-scheduler"),
        age_seconds=age_seconds(meta.get("creationTimestamp"), as_of),
        as_of=as_of,
        conditions=conditions,
        owner_refs=owners,
        claims=claims,
        containers=containers,
        recovery=recovery_of(pod),
    )
