"""Service checks: a selector that matches no pod, empty endpoints, targetPort and protocol.

A selector that matches no pod while a workload's labels nearly match it is a typo in the
Service (the fix: the workload's label). Endpoints with no ready address are a symptom when
the selected pods exist but are not ready (a probe or a crash explains it). A targetPort (a
number or a name) that no container declares, or a protocol that differs from the container
port's, leaves a healthy pod unreachable through its Service.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import (
    ContainerPort,
    as_port,
    container_ports,
    selector_text,
)
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import (
    Graph,
    Workload,
    name_of,
    pod_ready,
    selects,
    service_selector,
)

TYPO = 85.0
"""rapidfuzz ratio (0..100) from which a label value reads as a typo of the selector's, for a
workload the Service is named after."""
EMPTY_ENDPOINTS = 0.45


def _norm(value: str) -> str:
    return "".join(ch for ch in value.lower() if ch.isalnum())


def _differences(
    selector: dict[str, str], labels: dict[str, str], *, named: bool
) -> list[tuple[str, str]] | None:
    """How the selector misses the labels, pair by pair: (what the selector says, what the pods
    carry, "" for nothing), or None when the labels are not near enough to be the intended ones.
    `named`: the workload has the Service's name, so a close typo counts too."""
    differs, kept = [], 0
    for key, value in selector.items():
        actual = labels.get(key)
        if actual == value:
            kept += 1
        elif actual is not None and (
            _norm(actual) == _norm(value) or (named and fuzz.ratio(actual, value) >= TYPO)
        ):
            differs.append((f"{key}={value}", f"{key}={actual}"))
        elif actual is None and (same := [k for k, v in labels.items() if v == value]):
            differs.append((f"{key}={value}", f"{same[0]}={value}"))
        elif actual is None:
            differs.append((f"{key}={value}", ""))
        else:
            return None
    carried = [d for d in differs if d[1]]
    if not differs or (not kept and not carried):
        return None
    return differs


def _nearest(graph: Graph, service: JsonObject) -> tuple[Workload, list[tuple[str, str]]] | None:
    selector, found = service_selector(service), []
    for workload in graph.workloads.values():
        if not workload.pods:
            continue
        named = workload.name == name_of(service)
        differs = _differences(selector, workload.labels, named=named)
        if differs is not None:
            found.append((not named, len(differs), workload.name, workload, differs))
    if not found:
        return None
    best = min(found, key=lambda f: f[:3])
    return best[3], best[4]


def _selector_fix(
    name: str, namespace: str, selector: dict[str, str], differs: list[tuple[str, str]]
) -> str:
    wanted = dict(selector)
    for said, carried in differs:
        wanted.pop(said.partition("=")[0], None)
        if carried:
            key, _, value = carried.partition("=")
            wanted[key] = value
    patch = ",".join(f'"{k}":"{v}"' for k, v in sorted(wanted.items()))
    return (
        f"Set Service {name}'s selector to {selector_text(wanted)}: kubectl patch service {name} "
        f'-n {namespace} --type=merge -p \'{{"spec":{{"selector":{{{patch}}}}}}}\''
        " (a merge keeps the old keys: replace the selector whole with kubectl edit if a key "
        "must go)"
    )


def _ready_addresses(endpoints: JsonObject | None) -> int | None:
    if endpoints is None:
        return None
    return sum(len(s.get("addresses") or []) for s in endpoints.get("subsets") or [])


def selector_clues(graph: Graph, service: JsonObject) -> list[Clue]:
    name, selector = name_of(service), service_selector(service)
    if not selector or graph.selected(service):
        return []
    ref = f"service/{name}"
    backing = [w for w in graph.workloads.values() if selects(selector, w.labels)]
    nearest = None if backing else _nearest(graph, service)
    if nearest is not None:
        workload, differs = nearest
        said = "; ".join(
            f"selector {s} but the pods carry {c}"
            if c
            else f"selector {s} but the pods carry no {s.partition('=')[0]}"
            for s, c in differs
        )
        evidence = (
            (
                f"Service {name}'s selector {selector_text(selector)} matches no pod in "
                f"namespace {graph.namespace}"
            ),
            f"{workload.ref}: {said}",
        )
        return [
            Clue(
                "service-endpoints-empty",
                ref,
                ref,
                evidence,
                (
                    ref,
                    f"selector {selector_text(selector)} matches no pod",
                    f"{workload.ref}'s pods: {said}",
                ),
                _selector_fix(name, graph.namespace, selector, differs),
                CONFIRMED,
                names=frozenset({name, workload.name}),
                why=("the selector nearly matches a workload's labels: a mistake in the Service",),
            )
        ]
    reason = (
        f"its workload {backing[0].ref} has no pod" if backing else "no workload's labels match it"
    )
    return [
        Clue(
            "service-endpoints-empty",
            ref,
            ref,
            (f"Service {name}'s selector {selector_text(selector)} matches no pod ({reason})",),
            (ref, f"selector {selector_text(selector)} matches no pod"),
            f"Find why {backing[0].ref} has no pod"
            if backing
            else f"Point Service {name}'s selector at the labels of the pods that should serve it",
            EMPTY_ENDPOINTS if backing else OBSERVED - 0.2,
            root=not backing,
            names=frozenset({name, *(w.name for w in backing)}),
        )
    ]


def endpoint_clues(graph: Graph, service: JsonObject) -> list[Clue]:
    """Selected pods exist but none is ready: the Service has no endpoint (a symptom)."""
    name, selected = name_of(service), graph.selected(service)
    ready = _ready_addresses(graph.endpoints.get(name))
    if not selected or any(pod_ready(p) for p in selected) or ready:
        return []
    ref = f"service/{name}"
    return [
        Clue(
            "service-endpoints-empty",
            ref,
            ref,
            (f"Service {name} has no ready endpoint: none of its {len(selected)} pod(s) is ready",),
            (ref, "endpoints: no ready address", f"{len(selected)} selected pod(s), none ready"),
            f"Find why the pods of Service {name} are not ready",
            EMPTY_ENDPOINTS,
            root=False,
            names=frozenset({name}),
        )
    ]


def _port_problem(target: int | str, protocol: str, ports: list[ContainerPort]) -> str | None:
    """ "port", "protocol" or None: how the Service port fails to reach the containers."""
    if isinstance(target, str):
        named = [p for p in ports if p[0] == target]
        if not named:
            return "port"
        return None if any(p[2] == protocol for p in named) else "protocol"
    numbered = [p for p in ports if p[1] == target]
    if not numbered:
        return "port"
    return None if any(p[2] == protocol for p in numbered) else "protocol"


def port_clues(graph: Graph, service: JsonObject) -> list[Clue]:
    name, selected = name_of(service), graph.selected(service)
    workloads = [w for w in graph.backing(service) if w.pods] or graph.backing(service)
    containers = [c for w in workloads[:1] for c in w.containers] or [
        c for p in selected[:1] for c in (p.get("spec") or {}).get("containers") or []
    ]
    ports = container_ports(containers)
    if not ports:
        return []  # nothing declared: the walk cannot tell which port the process listens on
    ref, clues = f"service/{name}", []
    owner = workloads[0].ref if workloads else "its pods"
    declared = ", ".join(f"{p[1]}/{p[2]}" + (f" ({p[0]})" if p[0] else "") for p in ports)
    for port in (service.get("spec") or {}).get("ports") or []:
        target = as_port(port.get("targetPort")) or as_port(port.get("port"))
        protocol = str(port.get("protocol") or "TCP")
        problem = _port_problem(target, protocol, ports) if target is not None else None
        if problem is None:
            continue
        shown = f"{port.get('port')}->{target}/{protocol}"
        if problem == "protocol":
            entry, fix = (
                "service-protocol-mismatch",
                (
                    f"Set the protocol of Service {name}'s port {port.get('port')} to "
                    f"{next(p[2] for p in ports if target in (p[0], p[1]))}, as {owner} declares it"
                ),
            )
        else:
            entry, fix = (
                "service-target-port-mismatch",
                (
                    f"Set Service {name}'s targetPort to {ports[0][1]}"
                    f"{f' (or the name {ports[0][0]})' if ports[0][0] else ''}, the port {owner} "
                    f"declares (now {target})"
                ),
            )
        evidence = (
            f"Service {name} sends port {shown}; the containers of {owner} declare {declared}",
        )
        clues.append(
            Clue(
                entry,
                ref,
                ref,
                evidence,
                (ref, f"port {shown}", f"{owner} declares {declared}"),
                fix,
                OBSERVED + 0.05,
                names=frozenset({name, *(w.name for w in workloads)}),
                why=(f"the Service's {problem} does not match the containers'",),
            )
        )
    return clues


def check(graph: Graph) -> list[Clue]:
    clues: list[Clue] = []
    for service in graph.services:
        if not service_selector(service):
            continue  # a Service without a selector has hand-made endpoints
        clues += selector_clues(graph, service) or [
            *endpoint_clues(graph, service),
            *port_clues(graph, service),
        ]
    return clues
