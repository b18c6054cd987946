"""Who calls whom, read from what the input shows: the namespace's dependency graph.

An edge from a workload to a Service comes from evidence, and carries it: a literal env value
naming the Service or its `host:port`, a URL or Service DNS name in a ConfigMap the workload
reads (its `envFrom`, a mounted config file, where the input shows the ConfigMap), the host the
caller's log names when it says why its calls fail (intents.app_cause), a URL through the
cluster's front door (a public host or a route controller's name) to what the routes send it to,
an init container's command waiting on the name, a route's backend when the workload is the
controller that routes it (checks/route_table.py). Whether a workload calls a Service is
three-valued like every fact: seen present (an edge), seen absent (its env and its log were read
and name no such Service), not seen (the input showed neither). The cluster DNS is every pod's
dependency: a workload whose log says a name does not resolve calls it (its kube-system Service,
checks/cluster_dns.py) as it calls the name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.addresses import (
    config_maps_unshown,
    configured_address,
    flag_values,
    service_host,
    settings,
)
from bot.diagnosis.suspects.checks.route_table import Controllers, FrontDoor, upstreams
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.snapshot import CLUSTER_DNS
from bot.diagnosis.suspects.statements import Statements
from bot.diagnosis.suspects.workloads import Workload, name_of

Seen = Literal["present", "absent", "unseen"]
MAX_HOSTS = 64
"""Hosts one workload's evidence may name before the rest are left out (a log naming a thousand
hosts is noise, not a graph): said in the walk's notes."""
_WAITS = re.compile(
    r"\b(?:nslookup|host|dig|getent hosts|nc|ncat|telnet|pg_isready -h|mysqladmin ping -h"
    r"|redis-cli -h|curl|wget)(?: -{1,2}[a-zA-Z][\w-]{0,20}(?:=\S{1,100}| \d{1,6}\b)?){0,6}"
    r" (?:https?://)?(?P<host>[a-z0-9][-a-z0-9.]{0,252})(?:[: ](?P<port>\d{1,5}))?"
)
"""A shell command that waits on a name: a lookup, a port check, a request (an init container's
`until nslookup db; do sleep 2; done`)."""


@dataclass(frozen=True)
class Edge:
    """One call the input shows: the caller, the Service (or host) it calls, and how it shows."""

    caller: str
    """The calling workload, KIND/NAME."""
    callee: str
    """The Service name (or a host no Service of the namespace has)."""
    port: int | None
    how: str
    """The evidence: "env GEO_ADDR=geo:8080", "its log: dial tcp geo:8080: connect: ..."."""
    failing: str = ""
    """The caller's own words that its calls to the callee fail ("" when it says none)."""

    @property
    def at(self) -> str:
        return f"{self.callee}:{self.port}" if self.port else self.callee


class Dependencies:
    """The edges of one namespace, read once from the graph."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._unrouted: dict[str, list[str]] = {}
        self.dropped: list[str] = []
        """Workloads whose evidence named more than MAX_HOSTS hosts (the rest left out)."""

    @cached_property
    def _services(self) -> set[str]:
        return {name_of(s) for s in self.graph.services}

    @cached_property
    def edges(self) -> dict[str, list[Edge]]:
        """Caller KIND/NAME -> its edges, each callee once (the evidence that fails first)."""
        found: dict[str, list[Edge]] = {}
        for workload in self.graph.workloads.values():
            edges: dict[str, Edge] = {}
            for edge in self._read(workload):
                if edge.callee == workload.name or edge.callee in (
                    name_of(s) for s in workload.services
                ):
                    continue  # its own Service: no call to another
                known = edges.get(edge.callee)
                if known is None or (edge.failing and not known.failing):
                    edges[edge.callee] = edge
                if len(edges) > MAX_HOSTS:
                    self.dropped.append(workload.ref)
                    break
            found[workload.ref] = list(edges.values())
        return found

    def _read(self, workload: Workload) -> Iterator[Edge]:
        yield from self._logged(workload)
        yield from self._env(workload)
        yield from self._init(workload)
        yield from self._routed(workload)
        yield from self._proxied(workload)

    def _env(self, workload: Workload) -> Iterator[Edge]:
        shown = self.graph.snapshot.config_maps or {}
        for name, value, how, *_ in settings(workload.spec, workload.containers, shown):
            address = configured_address(name, value, self.graph.namespace)
            if address is not None and address[0] in self._services:
                yield Edge(workload.ref, address[0], address[1], how)
            elif address is None and "://" in value:
                for service in sorted(self._front_door.through(value) & self._services):
                    yield Edge(workload.ref, service, None, f"{how}, through the routes")
        for flag, value in flag_values(workload.containers):
            address = configured_address(flag, value, self.graph.namespace)
            if address is not None and address[0] in self._services:
                yield Edge(workload.ref, address[0], address[1], f"flag --{flag}={value[:200]}")

    @cached_property
    def statements(self) -> Statements:
        """What each workload's log says of the hosts it calls (statements.py)."""
        return Statements(self.graph)

    def _logged(self, workload: Workload) -> Iterator[Edge]:
        for said in self.statements.by_client.get(workload.ref, ()):
            yield Edge(workload.ref, said.host, said.port, said.how, said.cause.about)
            if said.cause.kind == "name-not-resolved":  # the names it looks up go through the DNS
                yield Edge(workload.ref, CLUSTER_DNS[2], 53, said.how, said.cause.about)

    def _init(self, workload: Workload) -> Iterator[Edge]:
        for container in workload.spec.get("initContainers") or []:
            if isinstance(container, dict):
                for host, port in waits_on(container, self.graph.namespace):
                    how = f"init container {container.get('name')} waits on {host}"
                    yield Edge(workload.ref, host, port, how)

    @cached_property
    def _front_door(self) -> FrontDoor:
        return FrontDoor.of(self.graph)

    @cached_property
    def _controllers(self) -> Controllers:
        return Controllers(self.graph)

    def _routed(self, workload: Workload) -> Iterator[Edge]:
        if not self._controllers.serving:
            return  # no route the namespace's own pods serve
        for backend in self._controllers.routed(workload):
            answered = self._controllers.answered(workload, backend)
            status = answered.statuses[-1] if answered is not None else 0
            port = backend.port if isinstance(backend.port, int) else None
            failing = f"users got {status} from it" if status >= 500 else ""
            yield Edge(workload.ref, backend.service, port, backend.said, failing)

    def _proxied(self, workload: Workload) -> Iterator[Edge]:
        for up in upstreams(self.graph.log_lines(workload), self.graph.ips).values():
            failing = f"its access log: {up.status} from it" if up.status >= 500 else ""
            how = f"its access log sends requests to Service {up.service}: {up.line}"
            yield Edge(workload.ref, up.service, up.port, how, failing)

    def calls(self, caller: Workload, callee: str) -> Seen:
        """Whether the input shows `caller` calling Service `callee`: an edge seen present, its
        container specs (env and all) and every ConfigMap they read shown naming no such
        address (absent), or not shown."""
        if any(e.callee == callee for e in self.edges.get(caller.ref, ())):
            return "present"
        shown = caller.containers and not self.unread(caller) and not self.unrouted(caller)
        return "absent" if shown else "unseen"

    def unread(self, workload: Workload) -> list[str]:
        """The ConfigMaps the workload reads that the input does not show (a live read shows
        none): what it calls through them is unknown, not absent."""
        return config_maps_unshown(workload.spec, self.graph.snapshot.config_maps)

    def unrouted(self, workload: Workload) -> list[str]:
        """The URL settings of the workload that go out through the cluster's front door while
        the input does not show all its routes: what they reach is unknown, not absent."""
        if self._front_door.whole:
            return []
        found = self._unrouted.get(workload.ref)
        if found is None:
            shown = self.graph.snapshot.config_maps or {}
            found = self._unrouted[workload.ref] = [
                how
                for _, value, how, *_ in settings(workload.spec, workload.containers, shown)
                if "://" in value and self._front_door.unknown(value)
            ]
        return found


_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]{0,127})\}?")


def _expanded(text: str, container: JsonObject) -> str:
    """The command with the container's own literal env values put in for `$NAME`/`${NAME}`
    (`until nc -z $DB_HOST 5432`), as its shell would."""
    values = {
        str(env.get("name")): env["value"]
        for env in container.get("env") or []
        if isinstance(env, dict) and isinstance(env.get("value"), str)
    }
    return _VARIABLE.sub(lambda m: values.get(m[1], m[0])[:300], text) if values else text


def waits_on(container: JsonObject, namespace: str) -> list[tuple[str, int | None]]:
    """The names an init container's command waits on (`until nc -z db 5432`)."""
    words = [*(container.get("command") or []), *(container.get("args") or [])]
    text = _expanded(" ".join(str(w) for w in words)[:4000], container)
    found = []
    for match in _WAITS.finditer(text):
        address = service_host(match["host"], namespace)
        if address is not None:
            port = int(match["port"]) if match["port"] else address[1]
            found.append((address[0], port))
    return found
