"""What was shown: one vocabulary for what an object read from text did or did not show.

A live cluster and a dump give whole objects, so a field they lack is absent. Text (recorded
outputs, a paste) gives views: a `get svc` row shows ports but never a targetPort, a `get pods`
row its phase and one container's state but no labels (without --show-labels), no container
specs, no messages and no events. Each fact below is shown or not by a view; an object read from
text lists under UNSEEN the facts none of its views showed. A check or an evidence rule that needs
a fact nobody showed says what to run instead of reading its absence as a no.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.cluster.reader import JsonObject

UNSEEN = "kubemedic.io/unseen"
"""The key (top level of an object read from text) listing the facts its views did not show."""

LABELS = "labels"
"""The object's labels (a table shows them with --show-labels only)."""
CONTAINER_SPECS = "containers"
"""A pod's container specs: ports, probes, env (describe or -o yaml show them, a row does not)."""
CONTAINER_STATES = "container_states"
"""A pod's containers' states: waiting, running, terminated, with their reasons (a row shows one
container's, describe and -o yaml every container's, each with its last state)."""
CONTAINER_MESSAGES = "container_messages"
"""The messages of the containers' states (describe and -o yaml; a row never)."""
EXIT_CODES = "exit_codes"
"""How the containers last exited (describe's Exit Code; a row only as `ExitCode:N`)."""
PHASE = "phase"
"""A pod's phase and reason (a row's STATUS word, describe's Status)."""
POD_MESSAGES = "pod_messages"
"""A pod's status message (describe's Message, -o yaml's status.message)."""
PORT_NAMES = "port_names"
"""A pod's container port names (describe prints `3000/TCP` without them)."""
TEMPLATE = "template"
"""A controller's pod template: its labels and container specs."""
SELECTOR = "selector"
"""A Service's or a controller's selector (a table shows it with -o wide only)."""
TARGET_PORTS = "targetPorts"
"""A Service's targetPorts (`get svc` prints 80/TCP, never where it goes)."""
EVENTS = "events"
"""The object's events (describe shows them; a row or -o yaml does not)."""
POD_EVENTS = "events:pod"
"""Events about a pod (its describe, its rows in an events table, events of no named object):
only these show the kubelet's or the scheduler's pod events by their absence."""
TAINTS = "taints"
"""A node's taints (describe, -o yaml)."""
PODS_FULL = "pods_full"
"""A node's pod count beside its allocatable pods (describe node)."""
VOLUMES = "volumes"
"""A claim's (or volume's) phase and class."""
SERVICE_PORTS = "service_ports"
"""A Service that selects the pod, with its targetPorts, shown beside the pod."""
QUOTAS = "quotas"
"""A quota with no room for an object the text declares and lacks."""
EVERY_FACT = (LABELS, CONTAINER_SPECS, PORT_NAMES, TEMPLATE, SELECTOR, TARGET_PORTS, EVENTS)
"""What a bare name (`kubectl get pods -o name`) leaves unseen."""
SHOWS: dict[str, frozenset[str]] = {
    "pods": frozenset(
        {PHASE, POD_MESSAGES, CONTAINER_STATES, EXIT_CODES, CONTAINER_MESSAGES, EVENTS, POD_EVENTS}
    ),
    "nodes": frozenset({TAINTS, EVENTS}),
    "persistentvolumeclaims": frozenset({VOLUMES, EVENTS}),
    "persistentvolumes": frozenset({VOLUMES, EVENTS}),
}
"""The facts a view of each kind may show (any other kind: its events)."""
ALLOCATED = "kubemedic.io/allocated"
"""The key (on a Node read from describe) of what describe counts on it: its pods (`Non-terminated
Pods: (N in total)`) and the requests of `Allocated resources`; the API keeps no such field."""


def condition(kind: str) -> str:
    """A node condition's own fact (`condition:DiskPressure`)."""
    return f"condition:{kind}"


def showed(kind: str, obj: JsonObject, missing: Iterable[str]) -> frozenset[str]:
    """The facts the views of `obj` showed, `missing` being those they did not (its UNSEEN): the
    one place "unseen" is read the other way round. A pod's events are its pod events; a
    node's conditions and pod count are shown as it holds them."""
    facts = SHOWS.get(kind, frozenset({EVENTS})) - frozenset(missing)
    if kind == "pods":
        return facts if EVENTS in facts else facts - {POD_EVENTS}
    return _node_shows(obj, facts) if kind == "nodes" else facts


def _node_shows(obj: JsonObject, facts: frozenset[str]) -> frozenset[str]:
    """A node's views show its conditions and, with its allocation, whether its pods are full."""
    status = obj.get("status") or {}
    conditions = {condition(str(c.get("type"))) for c in status.get("conditions") or []}
    full = "pods" in (obj.get(ALLOCATED) or {}) and "pods" in (status.get("allocatable") or {})
    return facts | conditions | ({PODS_FULL} if full else set())


def unseen(obj: JsonObject) -> frozenset[str]:
    """The facts no view of `obj` showed (none for an object read from a cluster or a dump)."""
    found = obj.get(UNSEEN)
    return frozenset(found) if isinstance(found, list) else frozenset()


def seen(obj: JsonObject, fact: str) -> bool:
    """Some view of `obj` showed `fact` (present or absent)."""
    return fact not in unseen(obj)


def mark(obj: JsonObject, facts: Iterable[str]) -> JsonObject:
    """`obj` with `facts` named unseen (none: the key is dropped)."""
    found = sorted(set(facts))
    if found:
        obj[UNSEEN] = found
    else:
        obj.pop(UNSEEN, None)
    return obj


def shown(obj: JsonObject, facts: Iterable[str]) -> None:
    """A richer reading of `obj` showed `facts`: they are no longer unseen."""
    mark(obj, unseen(obj) - set(facts))


def merged(old: JsonObject, new: JsonObject) -> list[str] | None:
    """The facts unseen once `new` is merged over `old`: those neither view showed."""
    if UNSEEN not in old or UNSEEN not in new:
        return None
    return sorted(unseen(old) & unseen(new))
