"""The objects of a paste's recording as subjects: the facts the live collectors read, judged.

The one reader (bot/cluster/outputs) turns a paste into a recording, and its store merges every
view of an object (a `get pods` row, a describe, `-o yaml`) into one. Each object becomes the
facts a cluster read of it gives, through the same functions (pod_facts, parse_node,
event_facts), with its events; `seen` is what its views showed (`bot.cluster.seen.showed`, the
one place the recording's "unseen" is read the other way round). Events an object got past are
history (bot.evidence.history): dropped from its facts, their lines quiet. Events about an object
the paste does not show stand as a subject of their own, named after it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime

from bot.cluster.moments import moment
from bot.cluster.outputs.describe_cluster import USED_BY
from bot.cluster.outputs.kinds import kind_of
from bot.cluster.outputs.store import Store
from bot.cluster.reader import JsonObject
from bot.cluster.seen import ALLOCATED, CONTAINER_STATES, EVENTS, POD_EVENTS, VOLUMES, showed
from bot.diagnosis.paste_model import Subject
from bot.evidence import health
from bot.evidence.common import event_facts, quantity
from bot.evidence.history import (
    CONTROLLER_KINDS,
    creations_got_past,
    desired_replicas,
    probes_got_past,
    scheduling_got_past,
)
from bot.evidence.nodes import parse_node
from bot.evidence.pods import pod_facts
from intents.facts.model import ContainerFacts, EventFacts, NodeFacts, PodFacts, VolumeFacts
from intents.policy import POLICY

Key = tuple[str, str, str]
"""(kind, namespace, name) of an object as the store files it ("" for cluster-scoped)."""
EventKey = tuple[str, str]
"""(namespace, name) of an event as the store files it."""


@dataclass
class Events:
    """The recording's events by the object they are about, the ones it got past dropped."""

    by_object: dict[Key, list[tuple[EventKey, EventFacts]]] = field(default_factory=dict)
    gone: set[EventKey] = field(default_factory=set)
    """The events that are history: their lines are quiet."""
    claimed: set[Key] = field(default_factory=set)
    """The objects a subject took the events of."""
    verdicts: dict[EventKey, bool] = field(default_factory=dict)
    """Each event's: healthy, or history."""
    said: set[Key] = field(default_factory=set)
    """The objects whose namespace an event's view said (a NAMESPACE column, a describe's)."""
    shapes: dict[Key, str] = field(default_factory=dict)
    """What printed the events about each object (as an answer quotes it)."""

    def of(self, key: Key) -> list[EventFacts]:
        self.claimed.add(key)
        return [event for _key, event in self.by_object.get(key, [])]


def events_of(store: Store, naming: Naming) -> Events:
    """Every event, grouped by its object, without the failures the object got past (`_recency`):
    a pod's scheduling once a node acted on it, a controller's refused creations, the probe
    failures of a pod's start it is steady since."""
    grouped: dict[Key, list[tuple[float | None, EventKey, EventFacts]]] = defaultdict(list)
    found = Events()
    for (namespace, name), obj in store.objects.get("events", {}).items():
        if "message" not in obj and "note" not in obj:
            continue  # an Event cut before its message: its reason alone refutes nothing
        involved = obj.get("involvedObject") or {}
        kind = str(involved.get("kind") or "")
        scope = namespace if kind_of(_plural(kind)).namespaced else ""
        key = (kind, scope, str(involved.get("name") or ""))
        shape = naming.shapes.get(("events", namespace, name), "")
        recency = _recency(obj, naming.lines.get(("events", namespace, name), 0), shape)
        if ("events", namespace, name) in naming.said:
            found.said.add(key)
        if shape:
            found.shapes.setdefault(key, shape)
        grouped[key].append((recency, (namespace, name), event_facts(obj)))
    everything = [item for items in grouped.values() for item in items]
    desired = desired_replicas([e for _, _, e in everything], [r for r, _, _ in everything])
    for key, items in grouped.items():
        events, times = [e for _, _, e in items], [r for r, _, _ in items]
        gone = _got_past(key, events, times, desired)
        if key[0] == "Pod" and _steady(store.objects.get("pods", {}).get(key[1:])):
            gone |= probes_got_past(events)
        found.gone.update(items[at][1] for at in gone)
        found.by_object[key] = [(k, e) for at, (_, k, e) in enumerate(items) if at not in gone]
        for at, (_, event_key, event) in enumerate(items):
            found.verdicts[event_key] = at in gone or health.event_healthy(event)
    return found


def _recency(event: JsonObject, line: int, shape: str) -> float | None:
    """When an event was last seen, for history: a describe lists an object's events oldest
    first, so a row's place is its time; a `get events` table is in no order, its ages say."""
    if shape.startswith("kubectl describe"):
        return float(line)
    when = moment(event.get("lastTimestamp") or event.get("firstTimestamp"))
    return None if when is None else when.timestamp()


def _got_past(
    key: Key, events: list[EventFacts], recency: list[float | None], desired: dict[str, int]
) -> set[int]:
    kind, _namespace, name = key
    if not name:  # a describe's Events pasted alone: of a pod or a controller
        return scheduling_got_past(events, recency) | creations_got_past(events, recency)
    if kind == "Pod":
        return scheduling_got_past(events, recency)
    if kind in CONTROLLER_KINDS:
        wanted = desired.get(name) if kind == "ReplicaSet" else None
        return creations_got_past(events, recency, wanted)
    return set()


def _steady(pod: JsonObject | None) -> bool:
    """Running, every app container ready, none ever restarted: a pod past its start."""
    status = (pod or {}).get("status") or {}
    apps = status.get("containerStatuses") or []
    return (
        status.get("phase") == "Running"
        and bool(apps)
        and all(c.get("ready") and not c.get("restartCount") for c in apps)
    )


def _plural(kind: str) -> str:
    return kind.lower() + "s" if kind else "pods"


@dataclass
class Naming:
    """How the paste names what it shows: the namespaces its views said, the shape of each
    object's richest view, the line each was first read from."""

    said: set[Key] = field(default_factory=set)
    shapes: dict[Key, str] = field(default_factory=dict)
    lines: dict[Key, int] = field(default_factory=dict)
    restarted: set[Key] = field(default_factory=set)
    """Pods a row shows restarted within the last hour (`5 (2m ago)`)."""

    def label(self, word: str, key: Key) -> str:
        _kind, namespace, name = key
        where = f"{namespace}/" if namespace and key in self.said else ""
        return f"{word} {where}{name}"

    def namespace(self, key: Key) -> str:
        return key[1] if key in self.said else ""


def pod_subject(
    key: Key,
    obj: JsonObject,
    unseen: frozenset[str],
    *,
    now: datetime,
    naming: Naming,
    events: Events,
) -> Subject:
    """A pod as a cluster read gives it, with the events about it."""
    facts = pod_facts(obj, as_of=now, unseen=unseen)
    facts.namespace = naming.namespace(key)
    facts.events = events.of(("Pod", key[1], key[2]))
    # how long ago a container last ended is read from a row's RESTARTS only (`5 (2m ago)`,
    # naming.restarted): a describe's dates say when, not how long before the paste
    told = _ready_told(obj)
    facts.containers = [
        replace(_judged(c, facts, (c.name, c.init) in told), last_finished=None)
        for c in facts.containers
    ]
    views = showed("pods", obj, unseen)
    healthy = _pod_healthy(facts, obj, key, CONTAINER_STATES in views, naming)
    if EVENTS not in views and not facts.events:
        facts.gaps.append(EVENTS_NOT_SHOWN)
    present = {CONTAINER_STATES} if facts.containers else set()
    if facts.events:
        present |= {EVENTS, POD_EVENTS}
    label = naming.label("pod", key) if key[2] else "the pasted pod"
    shape = naming.shapes.get(key, "kubectl")
    hidden = frozenset(present - views) | cut_short(facts.events)
    return Subject(label, shape, facts, {*views, *present}, healthy, hidden)


def _pod_healthy(
    facts: PodFacts, obj: JsonObject, key: Key, states_shown: bool, naming: Naming
) -> bool:
    """Running and ready (or Completed, or being deleted): as `health.pod_healthy` judges it, and
    not restarted within the hour by its row; a pod whose containers no view showed is not
    known to be well (a describe cut short)."""
    if (obj.get("metadata") or {}).get("deletionTimestamp") or facts.phase == "Succeeded":
        return True
    return (
        health.pod_healthy(facts, age=facts.age_seconds)
        and key not in naming.restarted
        and not any(_ended_badly(c) for c in facts.containers)
        and (states_shown or bool(facts.containers))
    )


EVENTS_NOT_SHOWN = "could not read events: the paste does not show them"
"""A pod's events no view showed: unknown, not none (a rule reading their absence holds not)."""


def _ended_badly(container: ContainerFacts) -> bool:
    """Terminated with a failure's reason (a row's `Error`, `OOMKilled`) whose exit code the
    paste does not show."""
    return container.state == "terminated" and container.reason not in (None, "Completed")


def _ready_told(pod: JsonObject) -> set[tuple[str, bool]]:
    """(name, init) of the containers whose readiness a view showed."""
    status = pod.get("status") or {}
    return {
        (str(s.get("name")), key == "initContainerStatuses")
        for key in ("containerStatuses", "initContainerStatuses")
        for s in status.get(key) or []
        if "ready" in s
    }


def _judged(container: ContainerFacts, facts: PodFacts, told: bool) -> ContainerFacts:
    """A running container shown not ready past any start (only a failing readiness probe keeps
    one so); an init container at work past any start, never restarted (one waiting forever on
    a dependency keeps the pod there without failing)."""
    started = facts.age_seconds is None or (
        facts.age_seconds >= POLICY.starting_grace and not any(c.restarts for c in facts.containers)
    )
    unready = told and not container.ready and started
    if not container.init and container.state == "running" and unready:
        return replace(container, running_unready=True)
    waited = facts.age_seconds is not None and facts.age_seconds >= POLICY.starting_grace
    if container.init and container.state == "running" and not container.restarts and waited:
        return replace(container, init_stalled=True)
    return container


def cut_short(events: list[EventFacts]) -> frozenset[str]:
    """The Events facts when a failure's message ends inside a quoted name (an odd count of
    double quotes: the terminal or the user cut the row): what is missing was maybe cut off."""
    cut = any(e.message.count('"') % 2 for e in events if not health.event_healthy(e))
    return frozenset({EVENTS, POD_EVENTS}) if cut else frozenset()


def node_subject(
    key: Key, obj: JsonObject, unseen: frozenset[str], *, naming: Naming, events: Events
) -> Subject:
    facts = parse_node(obj)
    allocated = obj.get(ALLOCATED) or {}
    if "pods" in allocated:
        facts.pod_count = int(allocated["pods"])
    facts.requested = {k: quantity(v) for k, v in allocated.items() if k != "pods"}
    facts.events = events.of(("Node", "", key[2]))
    label = naming.label("node", key) if key[2] else "the pasted node"
    views = showed("nodes", obj, unseen)
    present = {EVENTS} if facts.events else set()
    shape = naming.shapes.get(key, "kubectl")
    hidden = frozenset(present - views)
    return Subject(label, shape, facts, {*views, *present}, node_healthy(facts, obj), hidden)


CONTROL_PLANE = ("node-role.kubernetes.io/control-plane", "node-role.kubernetes.io/master")


def node_healthy(facts: NodeFacts, obj: JsonObject) -> bool:
    """`health.node_healthy`; a control-plane node Ready but cordoned is healthy too: many
    installers (kubeasz, kops, kubespray) leave it cordoned on purpose."""
    if health.node_healthy(facts):
        return True
    labels = (obj.get("metadata") or {}).get("labels") or {}
    ready = any(c.type == "Ready" and c.status == "True" for c in facts.conditions)
    only_cordoned = health.node_healthy(replace(facts, unschedulable=False))
    return ready and only_cordoned and any(role in labels for role in CONTROL_PLANE)


def volume_subject(
    key: Key, obj: JsonObject, unseen: frozenset[str], *, naming: Naming, events: Events
) -> Subject:
    """A claim or a PersistentVolume as the VolumeFacts a pod-less holder carries."""
    kind, _namespace, name = key
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    # kubectl prints a deleted claim or volume as "Terminating (lasts 3h)"
    phase = str(status.get("phase") or "Unknown").split(" (lasts ", 1)[0].strip() or "Unknown"
    deleting = bool(meta.get("deletionTimestamp")) or phase == "Terminating"
    word = "PersistentVolumeClaim" if kind == "persistentvolumeclaims" else "PersistentVolume"
    storage_class = spec.get("storageClassName")
    if kind == "persistentvolumeclaims":
        volume = VolumeFacts(
            name,
            phase,
            storage_class,
            volume=spec.get("volumeName"),
            deleting=bool(meta.get("deletionTimestamp")),
        )
        healthy = health.volume_healthy(volume) and not volume.deleting
    else:
        claim = str((spec.get("claimRef") or {}).get("name") or "")
        volume = VolumeFacts(
            claim,
            "",
            storage_class,
            volume=name,
            volume_phase=phase,
            deleting=bool(meta.get("deletionTimestamp")),
        )
        healthy = phase in ("Bound", "Available", "") and not deleting
    facts = PodFacts(namespace=naming.namespace(key), name=name, volumes=[volume])
    facts.events = events.of((obj.get("kind") or word, key[1], name))
    healthy = healthy or _awaits_first_consumer(obj, phase, facts.events)
    healthy = healthy and all(health.event_healthy(e) for e in facts.events)
    views = showed(kind, obj, unseen)
    present = {VOLUMES, EVENTS} if facts.events else {VOLUMES}
    shape = naming.shapes.get(key, "kubectl")
    hidden = frozenset(present - views)
    return Subject(naming.label(word, key), shape, facts, {*views, *present}, healthy, hidden)


def _awaits_first_consumer(obj: JsonObject, phase: str, events: list[EventFacts]) -> bool:
    """A Pending claim of a WaitForFirstConsumer class no pod uses yet (describe's `Used By:
    <none>`): binding waits for the first pod by design (the PV controller's Normal event)."""
    return (
        obj.get(USED_BY) == []
        and phase == "Pending"
        and any(e.reason == "WaitForFirstConsumer" and e.type == "Normal" for e in events)
    )


def event_subjects(events: Events, naming: Naming) -> Iterator[Subject]:
    """The events about objects no other subject holds, one subject per object."""
    for key, items in events.by_object.items():
        found = [event for _key, event in items]
        if key in events.claimed or not found:
            continue
        kind, namespace, name = key
        facts: PodFacts | NodeFacts
        namespace = namespace if key in events.said else ""
        if kind == "Node":
            facts = NodeFacts(name=name, events=found)
        else:
            facts = PodFacts(namespace=namespace, name=name, events=found)
        healthy = all(health.event_healthy(event) for event in found)
        seen = {EVENTS, POD_EVENTS} if kind in ("Pod", "") else {EVENTS}
        where = f"{namespace}/" if namespace and kind != "Node" else ""
        label = f"{kind or 'object'} {where}{name}".strip() if name else "the pasted events"
        yield Subject(
            label,
            events.shapes.get(key, "kubectl get events"),
            facts,
            seen,
            healthy,
            cut_short(found),
        )
