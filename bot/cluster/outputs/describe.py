"""One `kubectl describe` output: each object it describes, and the events under it.

The kind comes from the command (`kubectl describe pod x`) or, with no command
line, from the shape of the text (a pod has `Containers:` and `Node:`, a Service
`TargetPort:`, ...).  Each object's own Events table becomes Events about it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from bot.cluster.outputs import describe_cluster as cluster
from bot.cluster.outputs import describe_routes as routes
from bot.cluster.outputs import describe_workloads as workloads
from bot.cluster.outputs import rows
from bot.cluster.outputs.describe_custom import custom, is_custom
from bot.cluster.outputs.describe_flat import flat, reindented
from bot.cluster.outputs.describe_pods import as_pod, pod_from_describe, pod_part
from bot.cluster.outputs.describe_tree import Entry, parse_tree, split_objects
from bot.cluster.outputs.events import describe_events
from bot.cluster.outputs.kinds import custom_plural, kind_of, resolve
from bot.cluster.outputs.recording import LINE
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject
from bot.cluster.seen import (
    CONTAINER_MESSAGES,
    CONTAINER_STATES,
    EVENTS,
    EXIT_CODES,
    PHASE,
    POD_MESSAGES,
    PORT_NAMES,
    TAINTS,
    mark,
    unseen,
)

Reader = Callable[[Entry, list[str]], list[JsonObject]]


def _one(read: Callable[[Entry], JsonObject]) -> Reader:
    return lambda root, _lines: [read(root)]


def _controller(kind: str) -> Reader:
    return lambda root, _lines: [workloads.controller(kind, root)]


READERS: dict[str, Reader] = {
    "pods": _one(pod_from_describe),
    "deployments": _controller("deployments"),
    "replicasets": _controller("replicasets"),
    "statefulsets": _controller("statefulsets"),
    "daemonsets": _controller("daemonsets"),
    "jobs": _controller("jobs"),
    "services": lambda root, _lines: [workloads.service(root), *_endpoints_line(root)],
    "endpoints": _one(workloads.endpoints),
    "serviceaccounts": _one(workloads.service_account),
    "configmaps": lambda root, lines: [workloads.config_map(root, lines)],
    "nodes": lambda root, _lines: cluster.node(root),
    "persistentvolumeclaims": _one(cluster.claim),
    "persistentvolumes": _one(cluster.volume),
    "storageclasses": _one(cluster.storage_class),
    "resourcequotas": _one(cluster.quota),
    "limitranges": _one(cluster.limit_range),
    "ingresses": _one(routes.ingress),
}


def _endpoints_line(root: Entry) -> list[JsonObject]:
    """A described Service's `Endpoints:` line (its ready addresses) as its Endpoints."""
    shown = root.value_of("Endpoints")
    if shown is None or not root.value_of("Name"):
        return []
    found = rows.endpoints({"NAME": root.value_of("Name") or "", "ENDPOINTS": shown})
    if namespace := none_if_unset(root.value_of("Namespace")):
        found["metadata"]["namespace"] = namespace
    return [found]


def _plural(kind: str, obj: JsonObject) -> str:
    """The kind an object of a describe output is filed under (a Service's Endpoints, a Lease)."""
    own = kind_of(kind).kind
    return kind if obj.get("kind") in (own, None) else resolve(str(obj["kind"])) or kind


_GUESSES = """
pods: Containers
nodes: Taints | System Info
services: TargetPort
services: Selector | Type | IP
endpoints: Subsets
deployments: StrategyType
replicasets: Pods Status | Controlled By
statefulsets: Update Strategy | Pods Status
daemonsets: Desired Number of Nodes Scheduled
replicasets: Replicas | Pods Status
jobs: Completions
jobs: Parallelism
persistentvolumeclaims: Volume | Used By
persistentvolumes: Reclaim Policy | Claim
persistentvolumes: Reclaim Policy | Access Modes
persistentvolumeclaims: StorageClass | Access Modes
nodes: Roles
nodes: Taints | Unschedulable
storageclasses: Provisioner
serviceaccounts: Mountable secrets
ingresses: Rules | Default backend
"""
GUESSES = tuple(
    (kind, frozenset(marks.split(" | ")))
    for kind, _, marks in (line.partition(": ") for line in _GUESSES.strip().split("\n"))
)
"""The kind a describe shows by the keys it holds (the first whose keys are all there)."""


def guess_kind(root: Entry) -> str | None:
    """The kind of a describe output that came without its command line."""
    keys = {c.key for c in root.children if c.key}
    for kind, marks in GUESSES:
        if marks <= keys:
            return kind
    if keys & {"QoS Class", "Start Time", "IP", "Init Containers"} and "Type" not in keys:
        return "pods"  # a pod's describe cut before its Containers
    if "Status" in keys and keys <= _NAMESPACE_KEYS:
        return "namespaces"
    return None


_NAMESPACE_KEYS = frozenset(
    {"Name", "Labels", "Annotations", "Status", "Resource Quotas", "No resource quota."}
)
"""What `kubectl describe namespace` prints (its quotas and limit ranges, when it has some)."""


def _part_of_one(lines: Sequence[str]) -> tuple[int, list[str]]:
    """A describe without `Name:` (a part of one): from its first `Key:` line, the first line at
    the indentation of the lines after it when copying cut its leading spaces."""
    start = next((i for i, line in enumerate(lines) if _KEYED.match(line.strip())), 0)
    chunk = list(lines[start:])
    indents = [len(line) - len(line.lstrip(" ")) for line in chunk[1:] if line.strip()]
    if chunk and chunk[0].startswith(_CUT_LINES) and indents and min(indents) > 0:
        chunk[0] = " " * min(indents) + chunk[0]
    return start, chunk


_CUT_LINES = ("State:", "Last State:", "Ready:", "Restart Count:")
"""A container's lines, the first of a part copied from the middle of its line."""
_KEYED = re.compile(r"^[A-Z][A-Za-z0-9 ()/-]{0,40}:(?:\s|$)")


def describe_objects(
    kind: str | None,
    lines: Sequence[str],
    first_line: int,
    bad: list[tuple[int, str]],
) -> list[tuple[str, JsonObject]]:
    """(kind, object) of every object and event in one describe output; a part of a pod's
    (its Containers, a container's State) is an unnamed pod. `first_line`: the text's line
    (0-based) of lines[0]; each object keeps its own (`LINE`), `bad` gets 1-based lines."""
    out: list[tuple[str, JsonObject]] = []
    for start, chunk in split_objects(lines) or [_part_of_one(lines)]:
        root = parse_tree(reindented(chunk) if flat(chunk) else chunk, first_line + start)
        this = kind or guess_kind(root)
        no_status = root.child("Status") is None  # (cut before it, or a part of a pod's)
        if not root.value_of("Name") and (kind in (None, "pods") and pod_part(root)):
            this, root = "pods", as_pod(root)
        elif not root.value_of("Name") and kind in (None, "nodes") and cluster.node_part(root):
            this = "nodes"
        elif not root.value_of("Name"):
            bad.append((first_line + start + 1, "a describe block without a Name"))
            continue
        if this is None and is_custom(root):
            this = custom_plural(root.value_of("Kind") or "")
            objects = [custom(root)]
        elif this is None:
            bad.append((first_line + start + 1, "a describe block of an unknown kind"))
            continue
        else:
            read = READERS.get(this)
            objects = read(root, chunk) if read else [workloads.generic(this, root)]
        mark(objects[0], [*unseen(objects[0]), *_unseen(this, root, objects[0], no_status)])
        for obj in objects:
            obj[LINE] = first_line + start
        out.extend((_plural(this, obj), obj) for obj in objects)
        out.extend(("events", e) for e in _events(root, this, objects[0]))
    return out


def _unseen(kind: str, root: Entry, obj: JsonObject, no_status: bool) -> list[str]:
    """What a describe cut short did not show: its Events; a pod's what `_pod_unseen` says; a
    node's taints (its Conditions alone); its (or its template's) ports' names, never printed."""
    facts = [EVENTS] if root.get("Events") is None else []  # (or a kind describe gives none)
    if kind == "pods":
        facts += _pod_unseen(obj, no_status=no_status)
    if kind in _TEMPLATED and _unnamed_ports(obj):
        facts.append(PORT_NAMES)  # describe prints `3000/TCP`: a port's name is not known
    if kind == "nodes" and root.get("Taints") is None:
        facts.append(TAINTS)
    return facts


_TEMPLATED = frozenset({"pods", *rows.CONTROLLERS})


def _unnamed_ports(obj: JsonObject) -> bool:
    """A port of the pod's (or its template's) containers shown without a name."""
    spec = obj.get("spec") or {}
    containers = ((spec.get("template") or {}).get("spec") or spec).get("containers") or []
    return any(not port.get("name") for c in containers for port in c.get("ports") or [])


def _pod_unseen(pod: JsonObject, *, no_status: bool) -> list[str]:
    """What a describe of a pod cut short leaves unseen: its phase and message without `Status:`,
    its containers' states, exit codes and messages without any container's `State:`."""
    facts = [PHASE, POD_MESSAGES] if no_status else []
    status = pod.get("status") or {}
    statuses = [*status.get("containerStatuses", ()), *status.get("initContainerStatuses", ())]
    if not any(s.get("state") for s in statuses):
        facts += [CONTAINER_STATES, EXIT_CODES, CONTAINER_MESSAGES]
    return facts


def _events(root: Entry, kind: str, main: JsonObject) -> list[JsonObject]:
    """The object's own Events table, as Events about it."""
    events = root.get("Events")
    if events is None:
        return []
    involved = {
        "kind": str(main.get("kind") or kind_of(kind).kind),
        "name": str(main["metadata"]["name"]),
    }
    if namespace := main["metadata"].get("namespace"):
        involved["namespace"] = namespace
    rows = events.descendants()
    return describe_events([row.raw for row in rows], involved, [row.line for row in rows])
