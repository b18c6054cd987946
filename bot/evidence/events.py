"""Events about the pod: core/v1 first, events.k8s.io/v1 when core has none or is forbidden.

Scheduler events (FailedScheduling) are often written through the new API
with eventTime/series; both APIs serve the same objects, so the fallback only
costs a request when core/v1 came back empty or refused.
"""

from __future__ import annotations

from datetime import datetime

from bot.cluster.errors import ClusterError
from bot.cluster.moments import moment
from bot.cluster.reader import ClusterReader, JsonObject
from bot.evidence.common import event_facts, involved, regarding
from intents.facts.model import ContainerFacts, EventFacts, PodFacts

MAX_EVENTS = 100


async def object_events(
    reader: ClusterReader,
    kind: str,
    name: str,
    *,
    namespace: str | None,
    fallback_when_empty: bool = True,
) -> list[EventFacts]:
    """Events about one object; raises the core/v1 error only if the fallback fails too.

    `fallback_when_empty=False` asks events.k8s.io/v1 only when core/v1 failed,
    saving a round-trip for objects that rarely have events (owners, claims).
    """
    core_error: ClusterError | None = None
    items: list[JsonObject] = []
    try:
        items = await reader.list(
            "events", namespace, field_selector=involved(kind, name, namespace), limit=MAX_EVENTS
        )
    except ClusterError as exc:
        core_error = exc
    if core_error is not None or (not items and fallback_when_empty):
        try:
            items = await reader.list(
                "events.k8s.io",
                namespace,
                field_selector=regarding(kind, name, namespace),
                limit=MAX_EVENTS,
            )
        except ClusterError:
            if core_error is not None:
                raise core_error from None
    return [event_facts(item) for item in items]


class EventsCollector:
    """Events whose involved object is the pod."""

    what = "events"

    @staticmethod
    async def prefetch(namespace: str, name: str, *, reader: ClusterReader) -> None:
        """Start the core/v1 list before the pod is known (it needs only the name)."""
        await reader.list(
            "events", namespace, field_selector=involved("Pod", name, namespace), limit=MAX_EVENTS
        )

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        events = await object_events(reader, "Pod", facts.name, namespace=facts.namespace)
        if volumes_mounted(facts):
            events = [e for e in events if e.reason != "FailedMount"]
        facts.events.extend(events)


MOUNTING = frozenset({"ContainerCreating", "PodInitializing"})
"""Waiting reasons of containers whose pod may still be mounting its volumes."""


def volumes_mounted(facts: PodFacts) -> bool:
    """The kubelet got past mounting: the pod has finished, or some container (init or
    app) is anything but waiting to be created. The kubelet mounts every volume before
    it pulls images, builds container configs or starts anything, so an earlier
    FailedMount was overcome and is history, not a cause (a busy kubelet records
    'failed to sync secret cache: timed out waiting for the condition' for the token
    volume of pods that then run, crash or fail to pull normally)."""
    if facts.phase in ("Succeeded", "Failed"):
        return True
    return any(_past_mounting(c) for c in facts.containers)


def _past_mounting(c: ContainerFacts) -> bool:
    if c.last_reason is not None or c.state in ("running", "terminated"):
        return True
    return c.state == "waiting" and c.reason not in MOUNTING  # (not "unknown": no status yet)


def superseded(events: list[EventFacts]) -> list[EventFacts]:
    """The refusals a later success superseded: a controller's FailedCreate seen last at or
    before its last SuccessfulCreate (a ServiceAccount made a moment after its Deployment, a
    quota raised) is history, not a cause. Events whose times the input does not give stay."""
    created: dict[tuple[str, str], datetime] = {}
    for event in events:
        when = moment(event.last_seen)
        key = (event.object_kind, event.object_name)
        if event.reason == "SuccessfulCreate" and when is not None:
            created[key] = max(when, created.get(key, when))
    return [
        e
        for e in events
        if e.reason == "FailedCreate"
        and (made := created.get((e.object_kind, e.object_name))) is not None
        and (when := moment(e.last_seen)) is not None
        and when <= made
    ]


def current(events: list[EventFacts]) -> list[EventFacts]:
    """The events without the refusals a later success superseded."""
    old = {id(e) for e in superseded(events)}
    return [e for e in events if id(e) not in old]
