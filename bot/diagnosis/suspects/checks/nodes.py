"""Node checks: a stopped kubelet, container runtime, kube-proxy or scheduler; NotReady nodes.

Recorded outputs may carry each node's systemd units (`systemctl status`), the strongest
evidence there is: a unit inactive or failed names the cause outright. Without them (a live
cluster) a NotReady node's condition message says which side stopped ("Kubelet stopped posting
node status" against "container runtime is down"), and pods pending with no scheduling event at
all point at a scheduler that is absent. A node fault is named by its node.
"""

from __future__ import annotations

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected
from bot.diagnosis.suspects.clues import ALL_CLASSES, CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph, Workload, name_of

DOWN = frozenset({"inactive", "failed"})
UNITS: dict[str, tuple[str, str]] = {
    "kubelet": ("node-not-ready", "the kubelet is stopped"),
    "containerd": ("cri-runtime-api-unavailable", "the container runtime (containerd) is stopped"),
    "docker": ("cri-runtime-api-unavailable", "the container runtime (docker) is stopped"),
    "cri-o": ("cri-runtime-api-unavailable", "the container runtime (cri-o) is stopped"),
    "crio": ("cri-runtime-api-unavailable", "the container runtime (cri-o) is stopped"),
    "kube-proxy": (
        "kube-proxy-service-broken",
        "kube-proxy is stopped: Service routing on it breaks",
    ),
    "kube-scheduler": ("scheduler-not-running", "kube-scheduler is stopped: new pods get no node"),
}
"""systemd unit -> (catalog id, what it means)."""
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


def _unit_fix(unit: str, node: str) -> str:
    return (
        f"Start {unit} on node {node} and find why it stopped: ssh {node} sudo systemctl "
        f"restart {unit} && sudo journalctl -u {unit} -n 50"
    )


def unit_clues(graph: Graph) -> list[Clue]:
    clues = []
    for unit in graph.snapshot.node_services or []:
        name, node, state = str(unit.get("service")), str(unit.get("node")), str(unit.get("active"))
        if name not in UNITS or state not in DOWN:
            continue
        entry, meaning = UNITS[name]
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
                entry,
                f"node/{node}",
                f"node/{node}",
                tuple(evidence),
                (f"node/{node}", f"{name}: {state}", meaning),
                _unit_fix(name, node),
                CONFIRMED,
                affects=affected(graph, hit),
                classes=ALL_CLASSES,
                names=frozenset({node, *(w.name for w in hit)}),
                why=(f"{name} is not running on the node",),
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
        entry = "cri-runtime-api-unavailable" if runtime else "node-not-ready"
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
                entry,
                f"node/{node}",
                f"node/{node}",
                (
                    (
                        f"node {node} Ready={ready.get('status')} ({ready.get('reason') or ''}): "
                        f"{message}"
                    ),
                ),
                (f"node/{node}", f"Ready={ready.get('status')}", side),
                f"Find why {side.removeprefix('the ')} on node {node}: kubectl describe node "
                f"{node}; ssh {node} sudo systemctl status kubelet containerd",
                OBSERVED if hit else INFERRED,
                affects=affected(graph, hit),
                classes=ALL_CLASSES,
                names=frozenset({node, *(w.name for w in hit)}),
                why=("the node is not Ready",),
            )
        )
    return clues


def _running(pod: JsonObject) -> bool:
    status = pod.get("status") or {}
    return status.get("phase") == "Running" and all(
        s.get("ready") for s in status.get("containerStatuses") or []
    )


def scheduler_clues(graph: Graph, *, reported: set[str]) -> list[Clue]:
    """Pods pending with no node and not a single scheduling event: nobody schedules them. On a
    live cluster, kube-system's scheduler pods say whether one runs."""
    if any(unit.startswith("kube-scheduler") for unit in reported):
        return []
    pending = _pending_unscheduled(graph)
    if not pending or not graph.snapshot.read("events"):
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
            "scheduler-not-running",
            where,
            "kube-scheduler",
            (
                (
                    f"{len(pending)} pod(s) Pending with no node and no scheduling event: "
                    f"{', '.join(sorted(names)[:3])}"
                ),
            ),
            (where, "kube-scheduler", "pods never scheduled"),
            "Check kube-scheduler: kubectl get pods -n kube-system -l component=kube-scheduler "
            "(or systemctl status kube-scheduler on the control plane)",
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
                "kube-proxy-service-broken",
                f"node/{node}",
                f"node/{node}",
                (
                    (
                        f"no kube-proxy pod Running on node {node} (kube-system runs it on "
                        f"{len(running)} other node(s))"
                    ),
                ),
                (f"node/{node}", "kube-proxy not running", "Service routing on it breaks"),
                f"Find why kube-proxy is not running on node {node}: kubectl get pods -n "
                f"kube-system -l k8s-app=kube-proxy -o wide --field-selector "
                f"spec.nodeName={node}",
                OBSERVED,
                affects=affected(graph, hit),
                classes=ALL_CLASSES,
                names=frozenset({node, *(w.name for w in hit)}),
                why=("kube-proxy is missing from the node",),
            )
        )
    return clues


def check(graph: Graph) -> list[Clue]:
    units = unit_clues(graph)
    down = {
        f"{c.object.partition('/')[2]}" for c in units if c.entry != "scheduler-not-running"
    } | {f"kube-scheduler@{c.object}" for c in units if c.entry == "scheduler-not-running"}
    return [
        *units,
        *condition_clues(graph, reported=down),
        *scheduler_clues(graph, reported=down),
        *proxy_clues(graph),
    ]
