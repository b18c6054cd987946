"""Cluster DNS: what every pod resolves Service names through (CoreDNS or kube-dns, kube-system).

When the kube-dns Service has no ready endpoint, or none of its pods is ready, every lookup in
the cluster fails: the apps log names that do not resolve and their callers fail. The cause is
the cluster DNS, not the apps; a pod's own log saying a name does not resolve confirms it. What
could not be read (no rights in kube-system, outputs without it) is no evidence either way.
"""

from __future__ import annotations

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import affected
from bot.diagnosis.suspects.clues import ALL_CLASSES, CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.snapshot import CLUSTER_DNS
from bot.diagnosis.suspects.workloads import Workload, name_of, pod_ready
from bot.evidence.owners import controller_of
from intents.app_cause import read_app_cause


def _ready_addresses(endpoints: list[JsonObject] | None) -> int | None:
    if not endpoints:
        return None
    return sum(len(s.get("addresses") or []) for s in endpoints[0].get("subsets") or [])


def _deployment(pods: list[JsonObject]) -> str | None:
    """The Deployment the DNS pods belong to (their ReplicaSet's name without its hash)."""
    for pod in pods:
        owner = controller_of(pod)
        if owner is not None and owner[0] == "ReplicaSet" and "-" in owner[1]:
            return owner[1].rsplit("-", 1)[0]
    return None


def _resolving_fails(graph: Graph) -> tuple[list[Workload], list[str]]:
    """The workloads whose pods' logs say a name does not resolve, and those lines."""
    hit, lines = [], []
    for workload in graph.workloads.values():
        for pod in workload.pods:
            cause = read_app_cause(graph.snapshot.logs.get(name_of(pod), ""))
            if cause is not None and cause.kind == "name-not-resolved":
                hit.append(workload)
                lines.append(f"pod {name_of(pod)} logged: {cause.line}")
                break
    return hit, lines


def _state(pods: list[JsonObject] | None, ready: int | None) -> str | None:
    """What shows the cluster DNS down, or None when it runs (or nothing shows it)."""
    namespace, _, service = CLUSTER_DNS
    if ready == 0:
        return f"Service {service} in {namespace} has no ready endpoint"
    if pods and not any(pod_ready(p) for p in pods):
        return f"none of the {len(pods)} cluster DNS pod(s) in {namespace} is ready"
    return None


def check(graph: Graph) -> list[Clue]:
    pods = graph.snapshot.system.get("cluster-dns")
    state = _state(pods, _ready_addresses(graph.snapshot.system.get("cluster-dns-endpoints")))
    if state is None:
        return []
    namespace, selector, service = CLUSTER_DNS
    hit, lines = _resolving_fails(graph)
    deployment = _deployment(pods or [])
    workload = f"deployment/{deployment}" if deployment else f"service/{service}"
    return [
        Clue(
            "cluster_dns_down",
            f"service/{service}",
            workload,
            (state, *lines[:3]),
            (f"service/{service} ({namespace})", state, "every name lookup in the cluster fails"),
            CONFIRMED if hit else OBSERVED,
            affects=affected(graph, hit),
            classes=ALL_CLASSES,
            names=frozenset(
                {service, *([deployment] if deployment else []), *(w.name for w in hit)}
            ),
            why=("every pod resolves names through the cluster DNS",),
            fix_names={
                "namespace": namespace,
                "service": service,
                "workload": workload,
                "selector": selector,
            },
        )
    ]
