"""`kubectl describe` of objects other than pods and nodes: claims, deployments, jobs, ...

They share the pod's layout (Name / Namespace / ... / Conditions / Events),
so the same reader reads them; what differs is which facts they hold: a
claim's phase, a deployment's conditions (ProgressDeadlineExceeded), and
for every kind its events.
"""

from __future__ import annotations

from bot.evidence import health
from bot.paste.model import EVENTS, VOLUMES, Subject
from intents.facts.model import EventFacts, NodeCondition, OwnerFacts, PodFacts, VolumeFacts
from intents.lazy_re import lazy_compile

_FAILED_PODS = lazy_compile(r"\b([1-9]\d{0,6}) Failed\b")
HEALTHY_CONDITION_FALSE = frozenset(
    {
        "ReplicaFailure",
        "Failed",
        "Suspended",
        "FailureTarget",
        # a Namespace being deleted reports each step that is stuck as True
        "NamespaceDeletionDiscoveryFailure",
        "NamespaceDeletionGroupVersionParsingFailure",
        "NamespaceDeletionContentFailure",
        "NamespaceContentRemaining",
        "NamespaceFinalizersRemaining",
    }
)
"""Conditions that are healthy when False; every other condition is healthy when True."""


def healthy_condition(condition: NodeCondition) -> bool:
    return (condition.status == "False") == (condition.type in HEALTHY_CONDITION_FALSE)


def condition_states(conditions: list[NodeCondition]) -> tuple[str, ...]:
    """`Type=Status` of each condition that is not healthy."""
    return tuple(f"{c.type}={c.status}" for c in conditions if not healthy_condition(c))


def kind_of(keys: set[str], has_states: bool) -> str:
    """Which kind of object a describe shows, from the keys it printed."""
    if has_states:
        return "Pod"
    if {"StorageClass", "Access Modes"} <= keys:
        return "PersistentVolume" if "Reclaim Policy" in keys else "PersistentVolumeClaim"
    if "StrategyType" in keys or {"Replicas", "Selector"} <= keys and "Pods Status" in keys:
        return "Deployment" if "StrategyType" in keys else "ReplicaSet"
    if keys & {"Completions", "Parallelism"}:
        return "Job"
    if keys & {"QoS Class", "Start Time", "IP", "Init Containers"} and "Type" not in keys:
        return "Pod"
    return "object"


def conditions_healthy(conditions: list[NodeCondition]) -> bool:
    return all(healthy_condition(c) for c in conditions)


def awaits_first_consumer(claim: dict[str, str], events: list[EventFacts]) -> bool:
    """A Pending claim of a WaitForFirstConsumer class that no pod uses yet: binding waits for
    the first pod by design (the PV controller's Normal WaitForFirstConsumer event says so)."""
    # kubectl before 1.20 printed the pods as "Mounted By", later as "Used By"
    users = claim.get("Used By", claim.get("Mounted By", "<none>"))
    unused = users.strip() in ("", "<none>")
    return (
        unused
        and claim.get("Status") == "Pending"
        and any(e.reason == "WaitForFirstConsumer" and e.type == "Normal" for e in events)
    )


def other_subject(
    kind: str, pod: dict[str, str], conditions: list[NodeCondition], events: list[EventFacts]
) -> Subject:
    """A subject for a described claim, deployment, job or any other object."""
    name, namespace = pod.get("Name", ""), pod.get("Namespace", "")
    facts = PodFacts(namespace=namespace, name=name, events=events)
    # an object's events expire (the API server keeps them an hour by default) and a missing
    # controller writes none: only events shown say what its controllers did
    seen = {EVENTS} if events else set()
    healthy = all(health.event_healthy(e) for e in events)
    if kind in ("PersistentVolumeClaim", "PersistentVolume"):
        # kubectl prints a deleted claim or volume as "Terminating (lasts 3h)"
        phase = pod.get("Status", "Unknown").split(" (lasts ", 1)[0].strip() or "Unknown"
        if kind == "PersistentVolume":  # its `Claim:` is namespace/name, empty while Available
            volume = VolumeFacts(
                claim=pod.get("Claim", "").rpartition("/")[2],
                phase="",
                storage_class=pod.get("StorageClass") or None,
                volume=name,
                volume_phase=phase,
            )
        else:
            volume = VolumeFacts(
                claim=name,
                phase=phase,
                storage_class=pod.get("StorageClass") or None,
                volume=pod.get("Volume") or None,
            )
        facts.volumes.append(volume)
        seen.add(VOLUMES)
        healthy = healthy and (health.volume_healthy(volume) or awaits_first_consumer(pod, events))
    elif conditions:
        facts.owners.append(
            OwnerFacts(
                kind if kind != "object" else "Object",
                name,
                tuple(c.reason for c in conditions if c.reason),
                condition_states=condition_states(conditions),
            )
        )
        healthy = healthy and conditions_healthy(conditions)
    if kind == "Job" and _FAILED_PODS.search(pod.get("Pods Statuses", "")):
        healthy = False
    if kind == "object":
        healthy = False  # a kind whose health these facts cannot tell: its text decides
    label = f"{kind if kind != 'object' else 'object'} {namespace + '/' if namespace else ''}{name}"
    described = "kubectl describe" + (f" {kind.lower()}" if kind != "object" else "")
    return Subject(label, described, facts, seen, healthy)
