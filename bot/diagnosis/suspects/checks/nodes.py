"""Node checks: a stopped kubelet, container runtime, kube-proxy or scheduler; NotReady nodes.

Recorded outputs may carry each node's systemd units (`systemctl status`), the strongest
evidence there is: a unit inactive or failed names the cause outright. Without them (a live
cluster) a NotReady node's condition message says which side stopped ("Kubelet stopped posting
node status" against "container runtime is down"), and pods pending with no scheduling event at
all point at a scheduler that is absent. A node fault is named by its node.
"""

from __future__ import annotations

from bot.cluster.reader import JsonObject
from bot.cluster.seen import EVENTS
from bot.diagnosis.suspects.checks.common import affected
from bot.diagnosis.suspects.clues import ALL_CLASSES, CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.walk_findings import WalkFinding

DOWN = frozenset({"inactive", "failed"})
UNITS: dict[str, tuple[WalkFinding, str]] = {
    "kubelet": ("kubelet_stopped", "the kubelet is stopped"),
    "containerd": ("runtime_stopped", "the container runtime (containerd) is stopped"),
    "docker": ("runtime_stopped", "the container runtime (docker) is stopped"),
    "cri-o": ("runtime_stopped", "the container runtime (cri-o) is stopped"),
    "crio": ("runtime_stopped", "the container runtime (cri-o) is stopped"),
    "kube-proxy": ("kube_proxy_stopped", "kube-proxy is stopped: Service routing on it breaks"),
    "kube-scheduler": ("scheduler_stopped", "kube-scheduler is stopped: new pods get no node"),
}
"""systemd unit -> (the walk's finding, what it means)."""
RUNTIME_DOWN = (
    "container runtime is down",
    "container runtime not ready",
    "PLEG is not healthy",
    "runtime network not ready",
)


def _ready(node: JsonObject) -> JsonObject | None:
    return next(
        (c for c in (node.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"),
        None,
    )


def _hit(graph: Graph, node: str) -> list[Workload]:
    """The workloads with a pod on the node."""
    names = {name_of(p) for p in graph.on_node(node)}
    return [w for w in graph.workloads.values() if any(name_of(p) in names for p in w.pods)]


def _pending_unscheduled(graph: Graph) -> list[JsonObject]:
    return [
        p
        for p in graph.pods
        if (p.get("status") or {}).get("phase") == "Pending"
        and not (p.get("spec") or {}).get("nodeName")
    ]


def unit_clues(graph: Graph) -> list[Clue]:
    clues = []
    for unit in graph.snapshot.node_services or []:
        name, node, state = str(unit.get("service")), str(unit.get("node")), str(unit.get("active"))
        if name not in UNITS or state not in DOWN:
            continue
        finding, meaning = UNITS[name]
        hit = (
            _hit(graph, node)
            if name != "kube-scheduler"
            else [w for p in _pending_unscheduled(graph) if (w := graph.owner(p)) is not None]
        )
        since = f" since {unit.get('since')}" if unit.get("since") else ""
        evidence = [f"systemctl status {name} on node {node}: {state}{since}", meaning]
        ready = _ready(graph.nodes.get(node, {}))
        if ready is not None and ready.get("status") != "True":
            evidence.append(
                f"node {node} Ready={ready.get('status')}: {ready.get('message') or ''}"
            )
        if name == "kube-scheduler" and hit:
            evidence.append(f"{len(hit)} pod(s) Pending with no node")
        clues.append(
            Clue(
                finding,
                f"node/{node}",
                f"node/{node}",
                tuple(evidence),
                (f"node/{node}", f"{name}: {state}", meaning),
                CONFIRMED,
                affects=affected(graph, hit),
                classes=ALL_CLASSES,
                names=frozenset({node, *(w.name for w in hit)}),
                why=(f"{name} is not running on the node",),
                fix_names={"node": node, "unit": name},
            )
        )
    return clues


def condition_clues(graph: Graph, *, reported: set[str]) -> list[Clue]:
    """NotReady nodes the units did not already explain."""
    clues = []
    for node, obj in graph.nodes.items():
        ready = _ready(obj)
        if node in reported or ready is None or ready.get("status") == "True":
            continue
        message = str(ready.get("message") or "")
        runtime = any(word.lower() in message.lower() for word in RUNTIME_DOWN)
        finding: WalkFinding = "runtime_down" if runtime else "node_not_ready"
        side = (
            "the container runtime is down"
            if runtime
            else (
                "the kubelet stopped reporting"
                if "stopped posting" in message
                else "the node is NotReady"
            )
        )
        hit = _hit(graph, node)
        clues.append(
            Clue(
                finding,
                f"node/{node}",
                f"node/{node}",
                (
                    (
                        f"node {node} Ready={ready.get('status')} ({ready.get('reason') or ''}): "
                        f"{message}"
                    ),
                ),
                (f"node/{node}", f"Ready={ready.get('status')}", side),
                OBSERVED if hit else INFERRED,
                affects=affected(graph, hit),
                classes=ALL_CLASSES,
                names=frozenset({node, *(w.name for w in hit)}),
                why=("the node is not Ready",),
                fix_names={"node": node},
            )
        )
    return clues


def _running(pod: JsonObject) -> bool:
    status = pod.get("status") or {}
    return status.get("phase") == "Running" and all(
        s.get("ready") for s in status.get("containerStatuses") or []
    )


def _events_seen(graph: Graph, pod: JsonObject) -> bool:
    """Every event of the pod was shown: a whole events listing, or its describe."""
    return graph.complete("events") or (
        graph.snapshot.read("events") and graph.seen("pods", pod, EVENTS)
    )


def scheduler_clues(graph: Graph, *, reported: set[str]) -> list[Clue]:
    """Pods pending with no node and not a single scheduling event: nobody schedules them. On a
    live cluster, kube-system's scheduler pods say whether one runs."""
    if any(unit.startswith("kube-scheduler") for unit in reported):
        return []
    pending = _pending_unscheduled(graph)
    if not pending:
        return []
    unshown = [p for p in pending if not _events_seen(graph, p)]
    if unshown:  # a pod whose events were not shown may well have been scheduled
        graph.ask(
            f"the events of pending pod {name_of(unshown[0])} "
            f"(kubectl describe pod {name_of(unshown[0])} -n {graph.namespace})"
        )
        return []
    schedulers = graph.snapshot.system.get("kube-scheduler")
    if schedulers and any(_running(p) for p in schedulers):
        return []  # a scheduler runs: a pod it has not looked at yet is only young
    names = {name_of(p) for p in pending}
    scheduled = [
        e for e in graph.events_of("Pod", names) if e.reason in ("FailedScheduling", "Scheduled")
    ]
    if scheduled:
        return []
    hit = [w for p in pending if (w := graph.owner(p)) is not None]
    planes = [n for n, obj in graph.nodes.items() if graph.control_plane(obj)]
    where = f"node/{planes[0]}" if len(planes) == 1 else f"namespace/{graph.namespace}"
    return [
        Clue(
            "scheduler_absent",
            where,
            where,
            (
                (
                    f"{len(pending)} pod(s) Pending with no node and no scheduling event: "
                    f"{', '.join(sorted(names)[:3])}"
                ),
            ),
            (where, "kube-scheduler", "pods never scheduled"),
            OBSERVED if schedulers is not None else INFERRED,
            affects=affected(graph, hit),
            names=frozenset(w.name for w in hit),
            why=("no scheduler has acted on the pending pods",),
        )
    ]


def proxy_clues(graph: Graph) -> list[Clue]:
    """A node without a running kube-proxy pod while other nodes have one: Services break there."""
    proxies = graph.snapshot.system.get("kube-proxy") or []
    if not any(_running(p) for p in proxies):
        return []  # no kube-proxy pods at all: another dataplane (or none readable)
    running = {str((p.get("spec") or {}).get("nodeName")) for p in proxies if _running(p)}
    clues = []
    for node, obj in graph.nodes.items():
        ready = _ready(obj)
        if node in running or ready is None or ready.get("status") != "True":
            continue
        hit = _hit(graph, node)
        clues.append(
            Clue(
                "kube_proxy_missing",
                f"node/{node}",
                f"node/{node}",
                (
                    (
                        f"no kube-proxy pod Running on node {node} (kube-system runs it on "
                        f"{len(running)} other node(s))"
                    ),
                ),
                (f"node/{node}", "kube-proxy not running", "Service routing on it breaks"),
                OBSERVED,
                affects=affected(graph, hit),
                classes=ALL_CLASSES,
                names=frozenset({node, *(w.name for w in hit)}),
                why=("kube-proxy is missing from the node",),
                fix_names={"node": node},
            )
        )
    return clues


def check(graph: Graph) -> list[Clue]:
    units = unit_clues(graph)
    down = {c.object.partition("/")[2] for c in units if c.finding != "scheduler_stopped"} | {
        f"kube-scheduler@{c.object}" for c in units if c.finding == "scheduler_stopped"
    }
    return [
        *units,
        *condition_clues(graph, reported=down),
        *scheduler_clues(graph, reported=down),
        *proxy_clues(graph),
    ]
