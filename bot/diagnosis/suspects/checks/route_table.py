"""Routes: what sends users to which Service, read from Ingresses, HTTPRoutes and VirtualServices.

Each route names its backends by Service name and port, in the route's own namespace unless it
says another (an HTTPRoute's backendRef namespace, a VirtualService's `name.ns.svc...` host).
Kubernetes checks none of it: a renamed Service, a wrong port or a path sent to the wrong Service
leave every object healthy while the controller answers 503 or 404. The controller's access
lines are its own evidence: a line for a route's path that names the backend (`[shop-api-8080]`,
`upstream=api:8080`, `"shop/api"`, `outbound|8080||api.shop.svc...`) says what users got from
it. Where the controller runs in the namespace (its pods log those lines), it is what users
reach, and it calls every backend its routes name (deps.py reads those calls).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import mapping, mappings
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of

ROUTE_KINDS = {
    "ingresses": "Ingress",
    "httproutes": "HTTPRoute",
    "virtualservices": "VirtualService",
}
"""The snapshot's kinds that route users to Services, and how kubectl names each."""
MAX_BACKENDS = 256
"""Backends read per namespace (a bigger table is read in part)."""
ACCESS = re.compile(
    r"\"(?P<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (?P<path>/[^\s\"]{0,2000}) HTTP/[\d.]{1,3}\" "
    r"(?P<status>[1-5]\d\d)\b"
    r"|\"(?:path|uri|request_uri|url)\" ?: ?\"(?P<jpath>/[^\"]{0,2000})\""
    r"[^\n]{0,400}?\"(?:status|status_code|response_code)\" ?: ?\"?(?P<jstatus>[1-5]\d\d)\b"
)
"""An access line: nginx's and Envoy's `"GET /path HTTP/1.1" 503`, or a JSON one."""


@dataclass(frozen=True)
class Backend:
    """One backend a route names: which route, for what path, and the Service and port."""

    route: str
    """kind/name of the route ("ingress/web", "httproute/shop", "virtualservice/reviews")."""
    kind: str
    """How kubectl names the route's kind ("Ingress")."""
    path: str
    """The path prefix it serves ("" when the rule matches every path)."""
    service: str
    port: int | str | None
    namespace: str
    """The backend Service's namespace (the route's unless the route says another)."""
    meant: str = ""
    """The Service the route itself says it is for: a VirtualService's in-cluster host, else
    the first word of the path ("/api/" is for api)."""

    @property
    def at(self) -> str:
        return f"{self.service}:{self.port}" if self.port is not None else self.service

    @property
    def said(self) -> str:
        where = f" for {self.path}" if self.path else ""
        return f"{self.route} sends{where} to Service {self.at}"


def _port(value: object) -> int | str | None:
    if isinstance(value, dict):
        value = value.get("number") if value.get("number") is not None else value.get("name")
    if not isinstance(value, (int, str)) or value == "":
        return None
    return int(str(value)) if str(value).isdigit() else str(value)


def _ingress(obj: JsonObject, namespace: str) -> Iterator[Backend]:
    route, spec = f"ingress/{name_of(obj)}", mapping(obj, "spec")

    def one(backend: JsonObject, path: str) -> Iterator[Backend]:
        service = mapping(backend, "service")
        if service.get("name"):
            port = _port(service.get("port"))
            yield Backend(route, "Ingress", path, str(service["name"]), port, namespace)
        elif backend.get("serviceName"):  # extensions/v1beta1's shape
            port = _port(backend.get("servicePort"))
            yield Backend(route, "Ingress", path, str(backend["serviceName"]), port, namespace)

    yield from one(mapping(spec, "defaultBackend") or mapping(spec, "backend"), "")
    for rule in mappings(spec, "rules"):
        for path in mappings(rule, "http", "paths"):
            yield from one(mapping(path, "backend"), str(path.get("path") or "/"))


def _http_route(obj: JsonObject, namespace: str) -> Iterator[Backend]:
    route = f"httproute/{name_of(obj)}"
    for rule in mappings(obj, "spec", "rules"):
        matches = mappings(rule, "matches")
        path = str(mapping(matches[0], "path").get("value") or "") if matches else ""
        for ref in mappings(rule, "backendRefs"):
            if ref.get("kind", "Service") != "Service" or ref.get("group") not in (
                None,
                "",
                "core",
            ):
                continue
            if ref.get("name"):
                where = str(ref.get("namespace") or namespace)
                port = _port(ref.get("port"))
                yield Backend(route, "HTTPRoute", path, str(ref["name"]), port, where)


def service_of(host: str, namespace: str) -> tuple[str, str] | None:
    """(Service, namespace) a mesh host names: a short name in the route's namespace, or
    `name.ns.svc.cluster.local`; None for any other name (Istio reads it as a name outside the
    cluster's Services, a ServiceEntry's `api.example.com`)."""
    host = host.strip().lower()
    if host and "." not in host and "*" not in host:
        return host, namespace
    parts = host.removesuffix(".svc.cluster.local").split(".")
    if host.endswith(".svc.cluster.local") and len(parts) == 2 and all(parts):
        return parts[0], parts[1]
    return None


def _virtual_service(obj: JsonObject, namespace: str) -> Iterator[Backend]:
    route, spec = f"virtualservice/{name_of(obj)}", mapping(obj, "spec")
    for part in ("http", "tcp", "tls"):
        for rule in mappings(spec, part):
            matches = mappings(rule, "match")
            uri = mapping(matches[0], "uri") if matches else {}
            path = str(uri.get("prefix") or uri.get("exact") or "")
            for each in mappings(rule, "route"):
                destination = mapping(each, "destination")
                found = service_of(str(destination.get("host") or ""), namespace)
                if found is not None:
                    port = _port(destination.get("port"))
                    yield Backend(
                        route, "VirtualService", path, found[0], port, found[1], _host_of(spec)
                    )


def _host_of(spec: JsonObject) -> str:
    """The in-cluster Service a VirtualService's `hosts` name (its subject), or ""."""
    hosts = spec.get("hosts")
    for host in hosts if isinstance(hosts, list) else []:
        found = service_of(str(host), "")
        if found is not None:
            return found[0]
    return ""


_READERS = {"ingresses": _ingress, "httproutes": _http_route, "virtualservices": _virtual_service}


def backends(graph: Graph) -> list[Backend]:
    """Every backend the namespace's routes name, in reading order (at most MAX_BACKENDS)."""
    found: list[Backend] = []
    for plural, read in _READERS.items():
        for obj in graph.snapshot.of(plural):
            found += read(obj, graph.namespace)
    return found[:MAX_BACKENDS]


_URL = re.compile(
    r"\bhttps?://(?P<host>[a-z0-9][-a-z0-9.]{0,252})(?::\d{1,5})?(?P<path>/[^\s?#\"']{0,500})?"
)


def _route_hosts(obj: JsonObject) -> set[str]:
    """The host names a route serves (an Ingress rule's `host`, an HTTPRoute's `hostnames`, a
    VirtualService's `hosts`); empty: every host."""
    spec = mapping(obj, "spec")
    found = {str(rule.get("host") or "") for rule in mappings(spec, "rules")}
    for field in ("hostnames", "hosts"):
        listed = spec.get(field)
        found |= {str(h) for h in listed} if isinstance(listed, list) else set()
    return {h.lower() for h in found if h and h != "*"}


@dataclass(frozen=True)
class FrontDoor:
    """The namespace's routes as a URL meets them, read once: each route's host names (none:
    every host) and its backends in the namespace."""

    namespace: str
    routes: tuple[tuple[frozenset[str], tuple[Backend, ...]], ...]
    whole: bool = True
    """Every route kind was read whole: a URL no route serves reaches nothing here."""

    @classmethod
    def of(cls, graph: Graph) -> FrontDoor:
        ns = graph.namespace
        routes = tuple(
            (frozenset(_route_hosts(obj)), tuple(b for b in read(obj, ns) if b.namespace == ns))
            for plural, read in _READERS.items()
            for obj in graph.snapshot.of(plural)
        )
        return cls(ns, routes, all(graph.snapshot.complete(plural) for plural in _READERS))

    def served(self, urls: list[tuple[str, str]]) -> frozenset[str]:
        """The Services the routes send each (host, path) to: the longest path prefix of each
        route that serves the host."""
        found: set[str] = set()
        for hosts, table in self.routes:
            for host, path in urls:
                served = [b for b in table if path.startswith(b.path or "/")]
                if served and (not hosts or host in hosts):
                    found.add(max(served, key=lambda b: len(b.path)).service)
        return frozenset(found)

    def through(self, url: str) -> frozenset[str]:
        """The Services a client's URL reaches through the cluster's front door: a public host
        the routes serve, or a route controller's in-cluster name in another namespace (its
        requests carry that name as their host: host-less rules serve them)."""
        return self.served(self._public(url))

    def unknown(self, url: str) -> bool:
        """The URL goes out through a host the routes may serve, and the input does not show
        them all: where it leads is not seen (unknown is not absent)."""
        return not self.whole and bool(self._public(url))

    def _public(self, url: str) -> list[tuple[str, str]]:
        own = (f".{self.namespace}.svc", f".{self.namespace}.svc.cluster.local")
        return [(h, p) for h, p in _urls(url) if "." in h and not h.endswith(own)]


def _urls(text: str) -> list[tuple[str, str]]:
    """(host, path) of each URL in the text's first 2,000 characters, lower-cased."""
    return [(m["host"], m["path"] or "/") for m in _URL.finditer(text[:2000].lower())]


def routed_to(graph: Graph, text: str) -> frozenset[str]:
    """The Services of the namespace that serve the URLs `text` names through its routes (the
    longest path prefix of each route that serves the URL's host): what a user's `GET
    http://shop.example.com/cart: 503` is about."""
    urls = [(host, path) for host, path in _urls(text) if "." in host and ".svc" not in host]
    return FrontDoor.of(graph).served(urls) if urls else frozenset()


def shown(obj: JsonObject) -> bool:
    """The route's backends were shown (a `get ingress` row shows none of them)."""
    spec = mapping(obj, "spec")
    return any(
        spec.get(part) for part in ("rules", "defaultBackend", "backend", "http", "tcp", "tls")
    )


@dataclass(frozen=True)
class Answered:
    """What the controller's access lines say users got from one backend."""

    statuses: tuple[int, ...]
    """The statuses of the route's lines naming the backend, oldest first."""
    last: str
    """The newest such line."""


UPSTREAM_IP = re.compile(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})\b")
"""An upstream as Envoy logs it: the address it sent the request to (`10.96.0.103:8080`)."""


def access_status(access: re.Match[str]) -> int:
    """An access line's status, nginx's or JSON's."""
    return int(access["status"] or access["jstatus"])


def _names_backend(line: str, backend: Backend, ips: dict[str, str]) -> bool:
    """The line names the backend as an upstream (not a path that happens to hold its name), by
    its name or by an address it answers at (its ClusterIP, one of its pods' IPs)."""
    if any(ips.get(m[1]) == backend.service for m in UPSTREAM_IP.finditer(line[:4000])):
        return True
    name, namespace, port = map(re.escape, (backend.service, backend.namespace, str(backend.port)))
    return bool(
        re.search(
            rf"(?<![\w/.-])(?:{name}:{port}\b|{namespace}/{name}(?![\w.-])|{namespace}-{name}-{port}"
            rf"(?![\w.-])|{name}\.{namespace}(?![\w-]))",
            line,
        )
    )


@dataclass(frozen=True)
class Upstream:
    """A Service a proxy's access line sent a request to, by the address it answers at."""

    service: str
    port: int
    line: str
    status: int
    """Its status (the present: older lines are past)."""
    path: str = ""
    """The request's path, without its query."""


def sent_to(lines: Iterable[str], ips: dict[str, str]) -> Iterator[tuple[Upstream, ...]]:
    """For each access line whose upstream is an address of a Service (Envoy's
    `"POST /api/orders HTTP/1.1" 500 ... "10.96.0.103:8080"`), oldest first, those Services in
    the order the line names them: the one reader of a proxy's access lines."""
    for line in lines:
        if not ips or ":" not in line or (access := ACCESS.search(line[:4000])) is None:
            continue
        path = (access["path"] or access["jpath"] or "").split("?")[0]
        status, shown = access_status(access), line.strip()[:300]
        found = tuple(
            Upstream(service, int(address[2]), shown, status, path)
            for address in UPSTREAM_IP.finditer(line[access.end() : 4000])
            if (service := ips.get(address[1])) is not None
        )
        if found:
            yield found


def upstreams(lines: Iterable[str], ips: dict[str, str]) -> dict[str, Upstream]:
    """Service -> the newest access line sending to it: a call edge, route or none."""
    return {up.service: up for ups in sent_to(lines, ips) for up in ups}


def _host(ingress: JsonObject, backend: Backend) -> str:
    """The host of the Ingress rule that holds the backend ("" for every host)."""
    for rule in mappings(ingress, "spec", "rules"):
        for path in mappings(rule, "http", "paths"):
            if mapping(path, "backend", "service").get("name") == backend.service:
                return str(rule.get("host") or "")
    return ""


def routed_elsewhere(
    lines: list[str], ingresses: list[JsonObject], namespace: str, most: int = 2
) -> list[tuple[str, str]]:
    """(namespace, symptom) of other namespaces whose Ingress backends a controller's access
    lines name (ingress-nginx's `[shop-web-http]`), newest line first: what the users of that
    route saw, said as they would say it ("GET http://shop.example/: 503")."""
    found: dict[str, str] = {}
    for line in reversed(lines):
        access = ACCESS.search(line[:4000])
        for ingress in ingresses if access is not None and len(found) < most else []:
            where = str(mapping(ingress, "metadata").get("namespace") or "")
            if where in (namespace, "", *found):
                continue
            backend = next(
                (b for b in _ingress(ingress, where) if _names_backend(line, b, {})), None
            )
            if backend is not None and access is not None:
                path = access["path"] or access["jpath"] or "/"
                url = f"http://{_host(ingress, backend) or 'ingress'}{path}"
                found[where] = f"{access['method'] or 'GET'} {url}: {access_status(access)}"
    return list(found.items())


def _behind(workload: Workload) -> set[str]:
    """The Services the workload's pods answer for (a route's backend there is not routed by it)."""
    return {name_of(s) for s in workload.services}


class Controllers:
    """The namespace's workloads that route users (their logs carry the routes' access lines)."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    @cached_property
    def table(self) -> list[Backend]:
        return backends(self.graph)

    @cached_property
    def _ips(self) -> dict[str, str]:
        return self.graph.ips if self.table else {}

    def _ips_of(self, backend: Backend) -> dict[str, str]:
        """The addresses of the walked namespace's Services (a backend elsewhere has none)."""
        return self._ips if backend.namespace == self.graph.namespace else {}

    def answered(self, workload: Workload, backend: Backend) -> Answered | None:
        """The statuses of the workload's access lines for the backend's path, naming it."""
        statuses, last = [], ""
        for line in self.graph.log_lines(workload):
            access = ACCESS.search(line[:4000])
            if access is None or not _names_backend(line, backend, self._ips_of(backend)):
                continue
            path = access["path"] or access["jpath"] or ""
            if path.startswith(backend.path or "/"):
                statuses.append(access_status(access))
                last = line.strip()[:300]
        return Answered(tuple(statuses), last) if statuses else None

    def said(self, workload: Workload, backend: Backend, words: re.Pattern[str]) -> str | None:
        """The workload's newest line naming the backend with `words` (the controller's error)."""
        found = [
            line.strip()[:300]
            for line in self.graph.log_lines(workload)
            if words.search(line) and _names_backend(line, backend, self._ips_of(backend))
        ]
        return found[-1] if found else None

    @cached_property
    def serving(self) -> dict[str, list[Backend]]:
        """Workload KIND/NAME -> the backends whose access lines its log carries."""
        found: dict[str, list[Backend]] = {}
        if not self.table:
            return found
        for workload in self.graph.workloads.values():
            if not any(name_of(p) in self.graph.snapshot.logs for p in workload.pods):
                continue
            own = _behind(workload)
            for backend in self.table:  # a backend logs requests for itself: it is no controller
                if backend.service not in own and self.answered(workload, backend) is not None:
                    found.setdefault(workload.ref, []).append(backend)
        return found

    def routed(self, workload: Workload) -> list[Backend]:
        """Every backend in the namespace of the routes the workload routes (what it calls)."""
        routes = {b.route for b in self.serving.get(workload.ref, ())}
        namespace = self.graph.namespace
        return [b for b in self.table if b.route in routes and b.namespace == namespace]

    def of(self, backend: Backend) -> Workload | None:
        """The workload that routes the backend's route (its log answers one of its backends).
        A workload behind one of the route's own Services is a backend answering, not the
        controller (whose pods may run in a namespace the walk did not read)."""
        backends = {b.service for b in self.table if b.route == backend.route}
        for ref, served in self.serving.items():
            workload = self.graph.workloads.get(ref)
            if workload is None or _behind(workload) & backends:
                continue
            if any(b.route == backend.route for b in served):
                return workload
        return None
