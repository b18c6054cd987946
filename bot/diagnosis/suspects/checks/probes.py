"""Probe checks: a readiness or liveness probe aimed at the wrong port, with the wrong handler,
or timed so tightly that a healthy container fails it.

A probe's port (a number or a port name) is compared with the ports the container declares; its
handler with what the container speaks (an httpGet on a port its other probe checks with gRPC,
or that the kubelet reads as "malformed HTTP"); its timing (initialDelaySeconds, periodSeconds,
timeoutSeconds, failureThreshold) with how the failures look. A probe that fails is confirmed
by the kubelet's Unhealthy events or by the pods (restarts for liveness, not Ready for
readiness); a probe that is only misconfigured is reported a step lower. The evidence names
which of the three it is ("targets port", "handler", "timing"): the fix differs.
"""

from __future__ import annotations

from bot.cluster.moments import moment
from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import (
    affected,
    as_port,
    container_ports,
    names,
    port_names_shown,
    workload_chain,
)
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue, SymptomClass
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.times import recent
from bot.diagnosis.suspects.workloads import Workload, name_of, pod_ready
from bot.evidence.history import well_since
from intents.facts.model import EventFacts
from intents.policy import POLICY
from intents.walk_findings import WalkFinding

HANDLERS = ("httpGet", "tcpSocket", "grpc", "exec")
KINDS = {"readinessProbe": "readiness", "livenessProbe": "liveness"}
FINDINGS: dict[tuple[str, str], WalkFinding] = {
    ("readiness", "port"): "readiness_probe_port",
    ("readiness", "protocol"): "readiness_probe_handler",
    ("liveness", "port"): "liveness_probe_port",
    ("liveness", "protocol"): "liveness_probe_handler",
    ("liveness", "timing"): "liveness_probe_timing",
}
MALFORMED = (
    "malformed HTTP",
    "HTTP/1.x transport connection broken",
    "http: server gave HTTP response",
)


def handler_of(probe: JsonObject) -> tuple[str, JsonObject]:
    for name in HANDLERS:
        if isinstance(probe.get(name), dict):
            return name, probe[name]
    return "", {}


MESH_PROXIES = frozenset({"istio-proxy", "linkerd-proxy"})
"""Sidecars a service mesh injects: their probes are their agent's, on ports they do not declare."""


def _mesh(container: JsonObject, spec: JsonObject) -> bool:
    """A probe the service mesh owns: its sidecar's own, or the app's probe as Istio rewrites it
    (the pilot-agent answers `/app-health/<container>/readyz` on 15020 and asks the app itself)."""
    rewritten = str(spec.get("path") or "").startswith("/app-health/")
    return rewritten or container.get("name") in MESH_PROXIES


def _resolved(port: int | str | None, container: JsonObject) -> int | None:
    if isinstance(port, int) or port is None:
        return port
    return next((number for name, number, _ in container_ports([container]) if name == port), None)


def _failures(graph: Graph, workload: Workload, kind: str) -> list[EventFacts]:
    """The probe's Unhealthy events that are current: all of them while a pod is not ready;
    once every pod is Ready, only those of the last hour seen since it became ready (older
    ones are history)."""
    unready = any(not pod_ready(p) for p in workload.pods)
    found = []
    for pod in workload.pods:
        failed = [
            e
            for e in graph.events_of("Pod", [name_of(pod)])
            if e.reason == "Unhealthy" and e.message.lower().startswith(kind)
        ]
        since = well_since(pod) if failed else None
        for e in failed:
            seen = moment(e.last_seen)
            after = since is None or seen is None or seen > since
            if unready or (recent(graph, e.last_seen) and after):
                found.append(e)
    return found


def _restarted_lately(graph: Graph, pod: JsonObject) -> bool:
    """A container restarted and is not ready now, or its last run ended within the hour."""
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        if int(status.get("restartCount") or 0) == 0:
            continue
        ended = ((status.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
        if not status.get("ready") or recent(graph, ended):
            return True
    return False


def _showing(graph: Graph, workload: Workload, kind: str) -> bool:
    """The pods show the probe failing now: recent restarts (liveness) or not Ready (readiness);
    restarts long ago of a pod Ready since are history."""
    if kind == "liveness":
        return any(_restarted_lately(graph, p) for p in workload.pods)
    return any(not pod_ready(p) for p in workload.pods)


def _grpc_port(container: JsonObject, port: int | None, graph: Graph, workload: Workload) -> bool:
    """The port speaks gRPC: the container's other probe checks it with grpc, or a Service names
    the port grpc."""
    for field in KINDS:
        handler, spec = handler_of(container.get(field) or {})
        if handler == "grpc" and _resolved(as_port(spec.get("port")), container) == port:
            return True
    for service in workload.services:
        for sp in (service.get("spec") or {}).get("ports") or []:
            target = as_port(sp.get("targetPort")) or as_port(sp.get("port"))
            if _resolved(target, container) == port and (
                "grpc" in str(sp.get("name") or "") or sp.get("appProtocol") == "grpc"
            ):
                return True
    return False


def _wrong_port(
    graph: Graph, container: JsonObject, spec: JsonObject, kind: str
) -> tuple[str, str, int | None] | None:
    """The probe's port is none the container declares (a name the input does not show is
    unknown, not absent)."""
    port = _resolved(as_port(spec.get("port")), container)
    declared = container_ports([container])
    numbers = sorted({number for _, number, _ in declared})
    named = isinstance(as_port(spec.get("port")), str)
    if named and port is None and not port_names_shown(graph, declared):
        return None
    if not declared or (port is not None and port in numbers) or _mesh(container, spec):
        return None
    cname = container.get("name") or "the container"
    said = f"{kind} probe targets port {spec.get('port')}; container {cname} declares "
    return ("port", said + ", ".join(map(str, numbers)), numbers[0])


def _problem(
    graph: Graph, workload: Workload, container: JsonObject, field: str, events: list[EventFacts]
) -> tuple[str, str, int | None] | None:
    """(which, evidence, the port to name in the fix) of what is wrong with one probe, or None."""
    kind = KINDS[field]
    probe = container.get(field) or {}
    handler, spec = handler_of(probe)
    if not handler or handler == "exec":
        return None
    port = _resolved(as_port(spec.get("port")), container)
    wrong = _wrong_port(graph, container, spec, kind)
    if wrong is not None:
        return wrong
    said = " ".join(e.message for e in events)
    if handler == "httpGet" and (
        _grpc_port(container, port, graph, workload) or any(word in said for word in MALFORMED)
    ):
        return (
            "protocol",
            f"{kind} probe handler httpGet on port {port}, which speaks gRPC "
            f"(the kubelet reads a malformed HTTP answer)"
            if said
            else f"{kind} probe handler httpGet on port {port}, which speaks gRPC",
            port,
        )
    timing = {
        key: int(probe.get(key) or default)
        for key, default in (
            ("initialDelaySeconds", 0),
            ("periodSeconds", 10),
            ("timeoutSeconds", 1),
            ("failureThreshold", 3),
        )
    }
    budget = timing["initialDelaySeconds"] + timing["periodSeconds"] * timing["failureThreshold"]
    if (
        kind == "liveness"
        and budget < POLICY.walk_tight_liveness
        and (events or _showing(graph, workload, kind))
    ):
        shown = ", ".join(f"{k}={v}" for k, v in timing.items())
        return (
            "timing",
            (
                f"liveness probe timing {shown}: a container gets {budget}s to answer "
                "before it is killed"
            ),
            None,
        )
    return None


def _clue(
    graph: Graph,
    workload: Workload,
    field: str,
    problem: tuple[str, str, int | None],
    events: list[EventFacts],
) -> Clue:
    kind = KINDS[field]
    which, evidence, port = problem
    seen = events[-1].message if events else ""
    failing = bool(events) or _showing(graph, workload, kind)
    classes: frozenset[SymptomClass] = frozenset(
        ("restarts", "errors", "unavailable")
        if kind == "liveness"
        else ("unreachable", "unavailable", "errors")
    )
    return Clue(
        FINDINGS[kind, which],
        graph.known_as(workload),
        workload.ref,
        (evidence, *([f"kubelet: {seen}"] if seen else [])),
        workload_chain(graph, workload, f"{kind} probe fails", f"probe {which}"),
        CONFIRMED if failing else OBSERVED - 0.15,
        classes=classes,
        affects=affected(graph, [workload]),
        names=names(graph, workload),
        why=(f"the {kind} probe's {which} is wrong for the container",),
        fix_names={
            "workload": workload.ref,
            "namespace": graph.namespace,
            **({"port": str(port)} if port is not None else {}),
        },
    )


def check(graph: Graph) -> list[Clue]:
    clues = []
    for workload in graph.workloads.values():
        if not workload.pods:
            continue
        for container in workload.containers:
            for field, kind in KINDS.items():
                events = _failures(graph, workload, kind)
                problem = _problem(graph, workload, container, field, events)
                if problem is not None:
                    clues.append(_clue(graph, workload, field, problem, events))
    return clues
