"""Routes check: a route that sends users to a Service that does not exist, to a port that
Service does not serve, or to a Service that answers its path 404.

An Ingress, an HTTPRoute or a VirtualService names its backends by Service name and port, and
nothing checks them: a Service renamed under a route, or a port changed on one side, leaves
every object healthy while the controller answers 503. The objects show the first two (the
Services listed whole, the Service's ports); the controller's own words confirm them (its log's
"not found" for the backend, its 5xx access lines, an HTTPRoute's ResolvedRefs=False). A path
sent to the wrong Service shows only in what users get: the controller's access lines for the
route answered 404 by a healthy backend, the more so when the path names another Service.
What the input did not show (the Services in part, a route's backends, another namespace) is
asked for, never read as absent.
"""

from __future__ import annotations

import re

from bot.cluster.reader import JsonObject
from bot.cluster.seen import TARGET_PORTS
from bot.diagnosis.suspects.checks.common import nearest_service
from bot.diagnosis.suspects.checks.route_table import (
    ROUTE_KINDS,
    Backend,
    Controllers,
    shown,
)
from bot.diagnosis.suspects.clues import CONFIRMED, INFERRED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.policy import POLICY
from intents.walk_findings import WalkFinding

MISSING: dict[str, WalkFinding] = {
    "Ingress": "ingress_backend_missing",
    "HTTPRoute": "httproute_backend_missing",
    "VirtualService": "virtualservice_host_missing",
}
_REFUSED = re.compile(
    r"(?i)\bnot found\b|does not exist|no object matching|\bunknown (?:service|host)\b"
    r"|BackendNotFound|\bno endpoints?\b"
)
"""A controller's words for a backend it cannot use (ingress-nginx's "no object matching key",
Traefik's "does not exist", a Gateway's BackendNotFound)."""


def _status_said(obj: JsonObject | None) -> str | None:
    """An HTTPRoute's own status saying a backend cannot be resolved."""
    for parent in ((obj or {}).get("status") or {}).get("parents") or []:
        for condition in (parent or {}).get("conditions") or []:
            if condition.get("type") == "ResolvedRefs" and condition.get("status") == "False":
                return (
                    f"its status: ResolvedRefs=False {condition.get('reason') or ''}: "
                    f"{condition.get('message') or ''}"
                ).strip()
    return None


class _Route:
    """What one backend's check needs: the graph, the route table, the route objects."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.controllers = Controllers(graph)
        self.objects = {
            f"{kind.lower()}/{name_of(obj)}": obj
            for plural, kind in ROUTE_KINDS.items()
            for obj in graph.snapshot.of(plural)
        }

    def controller(self, backend: Backend) -> Workload | None:
        return self.controllers.of(backend)

    def confirmed(self, backend: Backend, failing: re.Pattern[str] | None) -> list[str]:
        """What the controller (or the route's status) says of the backend: its refusal, and
        its newest access line for the route when users got a 5xx."""
        found = []
        if said := _status_said(self.objects.get(backend.route)):
            found.append(f"{backend.route} {said}")
        controller = self.controller(backend)
        if controller is not None:
            if failing is not None and (
                line := self.controllers.said(controller, backend, failing)
            ):
                found.append(f"{controller.ref} logged: {line}")
            answered = self.controllers.answered(controller, backend)
            if answered is not None and answered.statuses[-1] >= 500:
                found.append(f"{controller.ref} answered {answered.statuses[-1]}: {answered.last}")
        return found

    def clue(
        self,
        finding: WalkFinding,
        backend: Backend,
        evidence: tuple[str, ...],
        weight: float,
        *,
        fix_names: dict[str, str],
        step: str,
        meant: str | None = None,
    ) -> Clue:
        """`meant`: the Service the route was meant for (the users of it come through it)."""
        controller = self.controller(backend)
        graph = self.graph
        shown_as = graph.known_as(controller) if controller is not None else backend.route
        head = (shown_as, backend.route) if shown_as != backend.route else (backend.route,)
        names = {backend.route.partition("/")[2], backend.service, *([meant] if meant else [])}
        if controller is not None:
            names |= {controller.name, shown_as.partition("/")[2]}
        return Clue(
            finding,
            shown_as,
            backend.route,
            evidence,
            (*head, step),
            weight,
            affects=frozenset({shown_as, backend.route}),
            classes=frozenset({"unreachable", "errors"}),
            names=frozenset(names),
            why=("a route sends users where nothing serves them",),
            fix_names={
                "route": backend.route,
                "service": backend.service,
                "namespace": graph.namespace,
                **({"route-path": backend.path} if backend.path.startswith("/") else {}),
                **fix_names,
            },
        )


def _missing(route: _Route, backend: Backend) -> Clue:
    graph = route.graph
    near = nearest_service(backend.service, sorted(name_of(s) for s in graph.services))
    said = route.confirmed(backend, _REFUSED)
    evidence = (
        f"{backend.said}; no Service {backend.service} in namespace {graph.namespace} (the "
        f"Services were listed)" + (f"; Service {near} exists (renamed?)" if near else ""),
        *said,
    )
    return route.clue(
        MISSING[backend.kind],
        backend,
        evidence,
        CONFIRMED if said else OBSERVED,
        fix_names={},
        step=f"no Service {backend.service}",
        meant=near,
    )


def _ports(service: JsonObject) -> list[JsonObject]:
    return [p for p in (service.get("spec") or {}).get("ports") or [] if isinstance(p, dict)]


def _serves(graph: Graph, service: JsonObject, port: int | str) -> bool | None:
    """Whether the Service serves the route's port (its number, or, as ingress-nginx also reads
    it, its targetPort or name); None when the input did not show what tells."""
    ports = _ports(service)
    if not ports:
        return None
    if isinstance(port, int):
        return any(str(port) in (str(p.get("port")), str(p.get("targetPort"))) for p in ports)
    if not any(p.get("name") for p in ports) and not graph.seen("services", service, TARGET_PORTS):
        return None  # a table shows no port names
    return any(port in (p.get("name"), p.get("targetPort")) for p in ports)


def _wrong_port(route: _Route, backend: Backend, service: JsonObject) -> Clue:
    offered = [
        f"{p.get('port')}" + (f" ({p['name']})" if p.get("name") else "") for p in _ports(service)
    ]
    first = next((str(p["port"]) for p in _ports(service) if p.get("port")), "")
    said = route.confirmed(backend, None)
    served = f"Service {backend.service} serves port {', '.join(offered)}, not {backend.port}"
    evidence = (f"{backend.said}; {served}", *said)
    return route.clue(
        "route_backend_port",
        backend,
        evidence,
        CONFIRMED if said else OBSERVED,
        fix_names={"port": first} if first else {},
        step=f"Service {backend.service} does not serve port {backend.port}",
    )


def _path_names(graph: Graph, backend: Backend) -> str | None:
    """Another Service the route says it is for: its VirtualService host, or its path's first
    word ("/api/" names Service api); not one whose name holds the other's (api, api-v2: a
    version, a canary)."""
    named = backend.meant or backend.path.strip("/").split("/")[0]
    other, sent = named.lower(), backend.service
    if not other or other == sent or other.startswith(sent) or sent.startswith(other):
        return None
    return other if graph.service(other) is not None else None


def _named_elsewhere(route: _Route, backend: Backend) -> Clue | None:
    """No access line to tell, but the route names one Service and sends to another."""
    other = _path_names(route.graph, backend)
    if other is None:
        return None
    subject = f"its host {other}" if backend.meant else f"the path {backend.path}"
    return route.clue(
        "route_names_other_service",
        backend,
        (f"{backend.said}; {subject} names Service {other}",),
        POLICY.walk_route_named_elsewhere,
        fix_names={"service": other},
        step=f"it names Service {other} and sends to Service {backend.service}",
    )


def _misrouted(route: _Route, backend: Backend) -> Clue | None:
    """The controller's access lines for the route, answered 404 by the backend every time."""
    controller = route.controller(backend)
    answered = route.controllers.answered(controller, backend) if controller else None
    if answered is None or len(answered.statuses) < POLICY.walk_route_404s:
        return _named_elsewhere(route, backend)
    recent = answered.statuses[-5:]
    if any(status != 404 for status in recent):
        return None
    other = _path_names(route.graph, backend)
    who = controller.ref if controller else "the controller"
    got = f"users got 404 from it {len(recent)} times in a row ({who}: {answered.last})"
    evidence = (
        f"{backend.said}; {got}",
        *([f"the path {backend.path} names Service {other}"] if other else []),
    )
    return route.clue(
        "route_backend_404",
        backend,
        evidence,
        OBSERVED if other else INFERRED,
        fix_names={},
        step=f"Service {backend.service} answers {backend.path or '/'} with 404",
    )


def _judge(route: _Route, backend: Backend) -> Clue | None:
    graph = route.graph
    service = graph.service(backend.service)
    if service is None:
        if graph.complete("services"):
            return _missing(route, backend)
        if graph.snapshot.read("services"):
            graph.ask(
                f"whether Service {backend.service}, which {backend.route} sends to, exists "
                f"(kubectl get services -n {graph.namespace})"
            )
        return None
    if backend.port is not None and _serves(graph, service, backend.port) is False:
        return _wrong_port(route, backend, service)
    return _misrouted(route, backend)


def _unshown(graph: Graph) -> None:
    for plural, kind in ROUTE_KINDS.items():
        for obj in graph.snapshot.of(plural):
            if not shown(obj):
                graph.ask(
                    f"the backends of {kind.lower()}/{name_of(obj)} (kubectl get "
                    f"{kind.lower()} {name_of(obj)} -n {graph.namespace} -o yaml)"
                )


def check(graph: Graph) -> list[Clue]:
    route = _Route(graph)
    _unshown(graph)
    found: dict[tuple[str, str], Clue] = {}
    for backend in route.controllers.table:
        if backend.namespace != graph.namespace:
            graph.ask(
                f"whether Service {backend.namespace}/{backend.service}, which {backend.route} "
                f"sends to in another namespace, serves it (kubectl get service "
                f"{backend.service} -n {backend.namespace})"
            )
            continue
        clue = _judge(route, backend)
        if clue is not None:
            found.setdefault((backend.route, backend.at), clue)
    return list(found.values())
