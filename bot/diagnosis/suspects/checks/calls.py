"""Calls to a Service that does not exist: what a workload waits on or says it calls, missing.

An init container that waits on a name (`until nslookup db; do sleep 2; done`) holds its pod in
`Init:0/1` for as long as no Service answers to that name, and an app whose log says a name does
not resolve fails every call to it. Where the namespace's Services were listed whole and none
has the name, the missing Service is the cause (deps.py reads the calls; env values are the
config check's). When nothing in the namespace goes by that name and the caller's own env value
names it, the caller's setting is the fault, not a Service nobody runs: the config check says so.
"""

from __future__ import annotations

from bot.diagnosis.suspects.addresses import configured_address
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.deps import Dependencies, Edge
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, pod_ready


def _stuck(workload: Workload) -> bool:
    """The workload's pods are not ready (an init container waiting, a failing app)."""
    return bool(workload.pods) and not any(pod_ready(p) for p in workload.pods)


def _clue(graph: Graph, workload: Workload, edge: Edge) -> Clue:
    waited = edge.how.startswith("init container")
    return Clue(
        "called_service_missing",
        f"service/{edge.callee}",
        f"service/{edge.callee}",
        (
            f"{workload.ref}: {edge.how}",
            f"no Service {edge.callee} in namespace {graph.namespace} (the Services were listed)",
        ),
        (f"service/{edge.callee}", "missing", f"{workload.ref} {edge.how}"),
        CONFIRMED if waited and _stuck(workload) else OBSERVED,
        affects=frozenset({graph.known_as(workload)}),
        names=frozenset({edge.callee, workload.name}),
        why=(f"{workload.ref} waits on or calls a Service that does not exist",),
        fix_names={
            "service": edge.callee,
            "workload": workload.ref,
            "namespace": graph.namespace,
        },
    )


def _configured(workload: Workload, host: str, namespace: str) -> bool:
    """Whether one of the workload's own env values names `host` (the config check's to say)."""
    return any(
        address is not None and address[0] == host
        for container in workload.containers
        for env in container.get("env") or []
        if isinstance(env, dict) and isinstance(env.get("value"), str)
        for address in (configured_address(str(env.get("name") or ""), env["value"], namespace),)
    )


def check(graph: Graph, deps: Dependencies) -> list[Clue]:
    if not graph.complete("services"):
        return []
    found: dict[str, Clue] = {}
    provided = graph.provided_names()
    seen_whole = graph.complete("pods")  # else what runs under the name may just not be shown
    for workload in graph.workloads.values():
        for edge in deps.edges.get(workload.ref, ()):
            if graph.service(edge.callee) is not None or edge.how.startswith("env "):
                continue  # it exists, or the config check says it (env values are its)
            if (
                seen_whole
                and edge.callee not in provided
                and _configured(workload, edge.callee, graph.namespace)
            ):
                continue  # nothing is called so: the caller's own setting is wrong (config check)
            if edge.failing or _stuck(workload):
                found.setdefault(edge.callee, _clue(graph, workload, edge))
    return list(found.values())
