"""Watch one cluster and turn what the detectors find into signals for the noise gate.

Three list/watch streams (pods - per allowed namespace, or all; nodes;
Warning events) keep a cache of the objects; every change re-runs the
detector for that object, and a periodic tick re-runs it for all cached
objects so time-based problems (Pending for 5 minutes, a node NotReady for
2) are found without a change to trigger them. A problem appearing is a
firing signal for its key (cluster, owning workload); a problem becoming
another while the workload keeps failing edits the same message with the
new diagnosis; a problem going away (the pod recovered or was deleted)
clears its subject, and the message resolves when nothing of its key is
left. After the first complete listing, messages left open by a previous
leader whose problems are gone are resolved too.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.cluster.reader import JsonObject
from bot.cluster.watching import Reflector, Watchable, WatchTarget
from bot.diagnosis.explaining import Explainer
from bot.diagnosis.targets import Focus
from bot.noise.gate import Gate
from bot.noise.merging import Signal
from bot.noise.routing import Destination, Facts, Routing
from bot.storage.alert_base import AlertStore
from bot.watching.detectors import Detection, Thresholds, detect_event, detect_node, detect_pod
from intents.schema import CatalogEntry
from intents.watch_table import WatchTable
from responses.alert_detail import AlertDetail, Detected

Synced = Callable[[Mapping[str, set[str]]], Awaitable[None]]

EVENT_TTL = timedelta(hours=1)
"""A failure known only from an event (a failed Job) counts as over after this long without another."""
TICK_SECONDS = 5.0
MAX_KEY = 255


@dataclass
class Tracked:
    """What the watcher currently reports for one object (pod, node or Job)."""

    detections: dict[str, Detection] = field(default_factory=dict)
    """problem -> detection (a node can have several)."""
    seen_at: datetime | None = None


class ClusterWatcher:
    """One cluster's reflectors, detections and signals; `run` until cancelled."""

    def __init__(
        self,
        source: Watchable,
        *,
        gate: Gate,
        store: AlertStore | None,
        routing: Routing,
        explainer: Explainer,
        entries: Mapping[str, CatalogEntry],
        thresholds: Thresholds,
        namespaces: list[str],
        clock: Callable[[], datetime],
        context: str | None = None,
        tick_seconds: float = TICK_SECONDS,
        on_restart: Callable[[str, str], None] | None = None,
        on_synced: Synced | None = None,
    ) -> None:
        self.source = source
        self.cluster = source.cluster_name
        self.context = context
        self.gate = gate
        self.store = store
        self.routing = routing
        self.explainer = explainer
        self.entries = entries
        self.table = WatchTable.of(entries.values())
        self.thresholds = thresholds
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.on_restart = on_restart or (lambda _kind, _why: None)
        self.pods: dict[str, JsonObject] = {}
        self.nodes: dict[str, JsonObject] = {}
        self.tracked: dict[str, Tracked] = {}
        self.reflectors = [self._reflector(target) for target in _targets(namespaces)]
        self.signals = 0
        self.on_synced = on_synced
        """Told every key and its subjects after the first full listing (a fleet agent tells its hub,
        which resolves what is left); None: resolve the leftovers in `store` here."""

    def _reflector(self, target: WatchTarget) -> Reflector:
        async def on_list(items: list[JsonObject]) -> None:
            await self._listed(target, items)

        async def on_event(kind: str, obj: JsonObject) -> None:
            await self._changed(target, kind, obj)

        return Reflector(
            self.source,
            target,
            on_list=on_list,
            on_event=on_event,
            on_restart=lambda why: self.on_restart(target.kind, why),
        )

    async def run(self) -> None:
        """Watch until cancelled."""
        tasks = [
            asyncio.get_running_loop().create_task(r.run(), name=f"watch {r.target}")
            for r in self.reflectors
        ]
        try:
            await asyncio.gather(*(r.synced.wait() for r in self.reflectors))
            await self._resolve_leftovers()
            while True:
                await asyncio.sleep(self.tick_seconds)
                await self.tick()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def tick(self) -> None:
        """Re-run the time-based detections over every cached object."""
        for key, pod in list(self.pods.items()):
            await self._update(key, self._pod_detections(pod))
        for key, node in list(self.nodes.items()):
            await self._update(key, self._node_detections(node))
        cutoff = self.clock() - EVENT_TTL
        for key, tracked in list(self.tracked.items()):
            if (
                key.startswith("event:")
                and tracked.seen_at is not None
                and tracked.seen_at < cutoff
            ):
                await self._update(key, {})

    async def _listed(self, target: WatchTarget, items: list[JsonObject]) -> None:
        if target.kind == "events":
            return  # old events are history: only new ones are news
        cache = self.pods if target.kind == "pods" else self.nodes
        fresh = {_object_key(target.kind, item): item for item in items}
        scope = [k for k in cache if _in_scope(k, target)]
        for gone in set(scope) - set(fresh):
            del cache[gone]
            await self._update(gone, {})
        for key, item in fresh.items():
            cache[key] = item
            await self._update(key, self._detections(target.kind, item))

    async def _changed(self, target: WatchTarget, kind: str, obj: JsonObject) -> None:
        if target.kind == "events":
            found = detect_event(obj, table=self.table)
            if found is not None:
                key = f"event:{found.owner.kind}:{found.namespace or '-'}/{found.subject}/{found.problem}"
                await self._update(key, {found.problem: found}, seen=True)
            return
        cache = self.pods if target.kind == "pods" else self.nodes
        key = _object_key(target.kind, obj)
        if kind == "DELETED":
            cache.pop(key, None)
            await self._update(key, {})
            return
        cache[key] = obj
        await self._update(key, self._detections(target.kind, obj))

    def _detections(self, kind: str, obj: JsonObject) -> dict[str, Detection]:
        return self._pod_detections(obj) if kind == "pods" else self._node_detections(obj)

    def _pod_detections(self, pod: JsonObject) -> dict[str, Detection]:
        found = detect_pod(pod, table=self.table, now=self.clock(), thresholds=self.thresholds)
        return {found.problem: found} if found else {}

    def _node_detections(self, node: JsonObject) -> dict[str, Detection]:
        return {
            d.problem: d
            for d in detect_node(
                node, table=self.table, now=self.clock(), thresholds=self.thresholds
            )
        }

    async def _update(
        self, key: str, now_found: dict[str, Detection], *, seen: bool = False
    ) -> None:
        tracked = self.tracked.get(key) or Tracked()
        before = tracked.detections
        keys, earlier = {self.key_of(d) for d in now_found.values()}, self._keyed(before)
        for gone in (d for k, d in earlier.items() if k not in keys):
            await self._emit(gone, firing=False)
        for problem, new in now_found.items():
            await self._refire(before.get(problem) or earlier.get(self.key_of(new)), new, seen=seen)
        self._track(key, tracked, now_found, seen=seen)

    def _track(
        self, key: str, tracked: Tracked, now_found: dict[str, Detection], *, seen: bool
    ) -> None:
        """Keep what a listing found under its key (forgotten when it found nothing)."""
        tracked.detections = dict(now_found)
        if seen:
            tracked.seen_at = self.clock()
        if now_found:
            self.tracked[key] = tracked
        else:
            self.tracked.pop(key, None)

    def _keyed(self, detections: dict[str, Detection]) -> dict[str, Detection]:
        return {self.key_of(d): d for d in detections.values()}

    async def _refire(self, earlier: Detection | None, new: Detection, *, seen: bool) -> None:
        """Fire a problem that is new, restarted again or became another problem of the same
        workload (all of them when `seen`); one whose diagnosis changed is diagnosed again, its
        message edited, never a second one."""
        changed = earlier is not None and earlier.problem != new.problem
        if seen or earlier is None or changed or earlier.restarts != new.restarts:
            await self._emit(new, firing=True, rediagnose=changed)

    async def _emit(self, detection: Detection, *, firing: bool, rediagnose: bool = False) -> None:
        facts = Facts(
            "watch",
            cluster=self.cluster,
            namespace=detection.namespace,
            catalog_id=detection.problem,
            reasons=(detection.reason, detection.problem),
            workload=f"{detection.owner.kind.lower()} {detection.owner.name}",
        )
        destination = self.routing.destination(facts)
        if self.routing.refusal(facts) is not None or destination is None:
            return
        subject = detection.subject
        signal = Signal(
            key=self.key_of(detection),
            source="watch",
            title=_title(detection),
            destination=destination,
            at=self.clock(),
            firing=frozenset({subject}) if firing else frozenset(),
            cleared=frozenset() if firing else frozenset({subject}),
            counters={subject: detection.restarts} if firing else {},
            facts=facts,
            rediagnosed=rediagnose,
        )
        self.signals += 1
        async with self.gate.locks.hold(signal.key):
            detail = None
            if firing and (rediagnose or await self.gate.needs_detail(signal)):
                detail = await self._detail(detection)
            await self.gate.observe(signal, detail=detail)

    async def _detail(self, detection: Detection) -> dict[str, Any]:
        owner = detection.owner
        if owner.kind == "Node":
            target = Focus("node", owner.name, cluster=self.context)
        elif detection.from_event:
            target = Focus("job", detection.subject, owner.namespace, self.context)
        else:
            target = Focus("pod", detection.subject, owner.namespace, self.context)
        entry = detection.problem if detection.problem in self.entries else None
        explanation = await self.explainer.explain(target, entry)
        return AlertDetail(
            kind="watch",
            oneshot=owner.kind in ("Job", "CronJob"),
            cluster=self.cluster,
            detection=Detected(
                problem=detection.problem,
                reason=detection.reason,
                owner=str(owner),
                first=detection.subject,
                message=detection.message[:500],
            ),
            target=str(target),
            explanation=explanation,
        ).stored()

    def key_of(self, detection: Detection) -> str:
        """The noise key: one message per (cluster, owning workload), whatever its problem
        becomes while it keeps failing (a crash loop whose kill turns from OOMKilled to 137)."""
        owner = detection.owner
        key = f"watch:{self.cluster}/{owner.namespace or '-'}/{owner.kind}/{owner.name}"
        if len(key) <= MAX_KEY:
            return key
        return f"watch:{self.cluster[:100]}/" + hashlib.sha256(key.encode()).hexdigest()

    async def _resolve_leftovers(self) -> None:
        """Clear subjects of open watcher messages of this cluster that nothing reports any more."""
        current: dict[str, set[str]] = {}
        for tracked in self.tracked.values():
            for detection in tracked.detections.values():
                current.setdefault(self.key_of(detection), set()).add(detection.subject)
        if self.on_synced is not None:
            await self.on_synced(current)
            return
        assert self.store is not None, (
            "a watcher without on_synced resolves its leftovers in its store"
        )
        for thread in await self.store.open_threads(
            source="watch", key_prefix=f"watch:{self.cluster}/"
        ):
            stale = set(thread.subjects) - current.get(thread.key, set())
            if stale:
                signal = Signal(
                    key=thread.key,
                    source="watch",
                    title=thread.title,
                    destination=_same_place(thread.channel, thread.mention),
                    at=self.clock(),
                    cleared=frozenset(stale),
                )
                async with self.gate.locks.hold(thread.key):
                    await self.gate.observe(signal)


def _targets(namespaces: list[str]) -> list[WatchTarget]:
    pods = [WatchTarget("pods", ns) for ns in namespaces] or [WatchTarget("pods")]
    events = [WatchTarget("events", ns, "type=Warning") for ns in namespaces] or [
        WatchTarget("events", None, "type=Warning")
    ]
    return [*pods, WatchTarget("nodes"), *events]


def _object_key(kind: str, obj: JsonObject) -> str:
    meta = obj.get("metadata") or {}
    return (
        f"pod:{meta.get('namespace')}/{meta.get('name')}"
        if kind == "pods"
        else f"node:{meta.get('name')}"
    )


def _in_scope(key: str, target: WatchTarget) -> bool:
    if target.kind == "nodes":
        return key.startswith("node:")
    return key.startswith("pod:") and (
        target.namespace is None or key.startswith(f"pod:{target.namespace}/")
    )


def _title(detection: Detection) -> str:
    return f"{detection.reason} in {detection.owner}"


def _same_place(channel: str, mention: str | None) -> Destination:
    """Where an existing message already is (checked when it was first routed)."""
    return Destination.model_construct(channel=channel, mention=mention)
