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
from bot.cluster.seen import LABELS, SELECTOR, TARGET_PORTS, TEMPLATE
from bot.diagnosis.suspects.checks.common import (
    ContainerPort,
    as_port,
    container_ports,
    port_names_shown,
    selector_text,
)
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of, pod_ready, selects, service_selector
from intents.policy import POLICY
from intents.walk_findings import WalkFinding


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
            _norm(actual) == _norm(value)
            or (named and fuzz.ratio(actual, value) >= POLICY.walk_selector_typo)
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


def _wanted(selector: dict[str, str], differs: list[tuple[str, str]]) -> dict[str, str]:
    """The selector with each differing pair replaced by what the pods carry."""
    wanted = dict(selector)
    for said, carried in differs:
        wanted.pop(said.partition("=")[0], None)
        if carried:
            key, _, value = carried.partition("=")
            wanted[key] = value
    return wanted


def _ready_addresses(endpoints: JsonObject | None) -> int | None:
    if endpoints is None:
        return None
    return sum(len(s.get("addresses") or []) for s in endpoints.get("subsets") or [])


def _pods_unseen(graph: Graph, service: JsonObject) -> str | None:
    """What the input did not show that "the selector matches no pod" rests on, or None: the
    pods' labels (a table without --show-labels), or the pods themselves (no whole listing)."""
    where = f"-n {graph.namespace}"
    if not graph.complete("pods"):
        return f"the pods of namespace {graph.namespace} (kubectl get pods --show-labels {where})"
    if any(not graph.seen("pods", pod, LABELS) for pod in graph.pods):
        return f"the pods' labels (kubectl get pods --show-labels {where})"
    return None


def _matches_nothing(graph: Graph, service: JsonObject) -> bool:
    """The selector matches no pod, as far as the input shows: every pod and its labels seen,
    and no endpoint with a ready address (one would be a pod it matches); asked about when the
    pods or their labels were not shown."""
    name = name_of(service)
    if not service_selector(service) or graph.selected(service):
        return False
    if (unseen := _pods_unseen(graph, service)) is not None:
        graph.ask(f"which pods Service {name} selects: {unseen}")
        return False
    return not _ready_addresses(graph.endpoints.get(name))


def selector_clues(graph: Graph, service: JsonObject) -> list[Clue]:
    name, selector = name_of(service), service_selector(service)
    if not _matches_nothing(graph, service):
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
                "selector_typo",
                ref,
                ref,
                evidence,
                (
                    ref,
                    f"selector {selector_text(selector)} matches no pod",
                    f"{workload.ref}'s pods: {said}",
                ),
                CONFIRMED,
                names=frozenset({name, workload.name}),
                why=("the selector nearly matches a workload's labels: a mistake in the Service",),
                fix_names={
                    "service": name,
                    "namespace": graph.namespace,
                    "workload": workload.ref,
                    "selector": selector_text(_wanted(selector, differs)),
                },
            )
        ]
    zero = [w for w in backing if w.kind != "Pod" and w.obj and w.wanted == 0]
    if zero:
        return [_scaled_to_zero(graph, service, zero[0])]
    reason = (
        f"its workload {backing[0].ref} has no pod" if backing else "no workload's labels match it"
    )
    return [
        Clue(
            "workload_without_pods" if backing else "selector_matches_nothing",
            ref,
            ref,
            (f"Service {name}'s selector {selector_text(selector)} matches no pod ({reason})",),
            (ref, f"selector {selector_text(selector)} matches no pod"),
            POLICY.walk_empty_endpoints if backing else OBSERVED - 0.2,
            root=not backing,
            names=frozenset({name, *(w.name for w in backing)}),
            fix_names={
                "service": name,
                "namespace": graph.namespace,
                **({"workload": backing[0].ref} if backing else {}),
            },
            unseen=() if backing else _labels_unseen(graph),
        )
    ]


def _labels_unseen(graph: Graph) -> tuple[str, ...]:
    """Workloads whose labels the input did not show (no pod, its template not seen): "no
    workload's labels match the selector" rests on them."""
    return tuple(
        f"the pod template of {w.ref} (kubectl describe {w.kind.lower()} {w.name} "
        f"-n {graph.namespace})"
        for w in graph.workloads.values()
        if w.kind != "Pod"
        and not w.pods
        and not (w.obj and graph.seen(f"{w.kind.lower()}s", w.obj, TEMPLATE))
    )[:2]


def _scaled_to_zero(graph: Graph, service: JsonObject, workload: Workload) -> Clue:
    """The Service's workload wants no pod: someone scaled it to 0 (the cause, said as such)."""
    name = name_of(service)
    ref = f"service/{name}"
    return Clue(
        "workload_scaled_to_zero",
        ref,
        workload.ref,
        (
            f"{workload.ref} has replicas: 0",
            f"Service {name}'s selector {selector_text(service_selector(service))} matches no pod",
        ),
        (ref, workload.ref, "replicas: 0", "no pod to serve the Service"),
        OBSERVED - 0.1,
        names=frozenset({name, workload.name}),
        why=(f"{workload.ref} is scaled to 0: nothing serves Service {name}",),
        fix_names={"service": name, "namespace": graph.namespace, "workload": workload.ref},
    )


MAX_NAMED_PODS = 3
"""Selected pods a chain names one by one (more are counted)."""


def _not_ready(selected: list[JsonObject]) -> tuple[str, ...]:
    """The chain's last steps: each selected pod not ready, by name (a pod's own diagnosis finds
    itself on the chain), or how many when they are many."""
    if len(selected) > MAX_NAMED_PODS:
        return (f"{len(selected)} selected pod(s), none ready",)
    return tuple(f"pod {name_of(pod)}: not ready" for pod in selected)


def endpoint_clues(graph: Graph, service: JsonObject) -> list[Clue]:
    """Selected pods exist but none is ready: the Service has no endpoint (a symptom)."""
    name, selected = name_of(service), graph.selected(service)
    ready = _ready_addresses(graph.endpoints.get(name))
    if not selected or any(pod_ready(p) for p in selected) or ready:
        return []
    ref = f"service/{name}"
    return [
        Clue(
            "endpoints_not_ready",
            ref,
            ref,
            (f"Service {name} has no ready endpoint: none of its {len(selected)} pod(s) is ready",),
            (ref, "endpoints: no ready address", *_not_ready(selected)),
            POLICY.walk_empty_endpoints,
            root=False,
            names=frozenset({name}),
            fix_names={
                "service": name,
                "namespace": graph.namespace,
                "selector": selector_text(service_selector(service)),
            },
        )
    ]


def _left_out(graph: Graph, service: JsonObject, selected: list[JsonObject]) -> bool:
    """The endpoints controller left every ready pod the selector picks out of the Service's
    endpoints: for a named targetPort, no container of theirs declares the name (the input
    need not show the ports' names for that). Believed only where another Service is shown
    with a ready address: a `describe` that could not read endpoints prints `<none>` for all."""
    shown = _ready_addresses(graph.endpoints.get(name_of(service)))
    if shown != 0 or not any(pod_ready(p) for p in selected):
        return False
    return any(_ready_addresses(graph.endpoints.get(name_of(s))) for s in graph.services)


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
    if not graph.seen("services", service, TARGET_PORTS):
        graph.ask(
            f"Service {name}'s targetPorts (kubectl describe service {name} -n {graph.namespace})"
        )
        return []  # `get svc` prints 80/TCP, never the port it sends to
    for port in (service.get("spec") or {}).get("ports") or []:
        target = as_port(port.get("targetPort")) or as_port(port.get("port"))
        protocol = str(port.get("protocol") or "TCP")
        problem = _port_problem(target, protocol, ports) if target is not None else None
        if problem is None or (
            isinstance(target, str)
            and not port_names_shown(graph, ports)
            and not _left_out(graph, service, selected)
        ):
            continue
        shown = f"{port.get('port')}->{target}/{protocol}"
        names = {
            "service": name,
            "namespace": graph.namespace,
            "service-port": str(port.get("port")),
        }
        if workloads:
            names["workload"] = workloads[0].ref
        if problem == "protocol":
            finding: WalkFinding = "service_protocol_differs"
            names["protocol"] = next(p[2] for p in ports if target in (p[0], p[1]))
        else:
            finding = "target_port_undeclared"
            names["port"] = str(ports[0][1])
        evidence = (
            f"Service {name} sends port {shown}; the containers of {owner} declare {declared}",
        )
        clues.append(
            Clue(
                finding,
                ref,
                ref,
                evidence,
                (ref, f"port {shown}", f"{owner} declares {declared}"),
                OBSERVED + 0.05,
                names=frozenset({name, *(w.name for w in workloads)}),
                why=(f"the Service's {problem} does not match the containers'",),
                fix_names=names,
            )
        )
    return clues


def check(graph: Graph) -> list[Clue]:
    clues: list[Clue] = []
    for service in graph.services:
        if not graph.seen("services", service, SELECTOR):
            graph.ask(
                f"Service {name_of(service)}'s selector and ports "
                f"(kubectl describe service {name_of(service)} -n {graph.namespace})"
            )
            continue
        if not service_selector(service):
            continue  # a Service without a selector has hand-made endpoints
        clues += selector_clues(graph, service) or [
            *endpoint_clues(graph, service),
            *port_clues(graph, service),
        ]
    return clues
