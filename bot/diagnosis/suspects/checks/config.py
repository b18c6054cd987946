"""Config checks: a setting (an env value, a ConfigMap key taken as env, an address in a
mounted config file) that names a Service which does not exist in the namespace, or a port
that Service does not serve.

Workloads find each other by Service name ("REDIS_ADDR=redis-cart:6379",
"jdbc:mysql://mysql:3306/orders"); Kubernetes checks none of it, and a typo leaves the caller
failing while every object reads healthy. Secrets are never read; a ConfigMap only where the
input shows it. A name one edit away from a real
Service, or a real Service on a port it does not serve, is a mistake on sight; a name like
nothing there may be an optional dependency, so it stays a low suspect unless the caller's
own log shows it failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.addresses import Setting, configured_address, settings
from bot.diagnosis.suspects.checks.common import (
    affected,
    every_container,
    names,
    nearest_service,
    workload_chain,
)
from bot.diagnosis.suspects.clues import CONFIRMED, OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.statements import FAILING_KINDS
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.app_cause import read_app_cause
from intents.policy import POLICY
from intents.walk_findings import WalkFinding


def _ports(service: JsonObject) -> list[int]:
    return [
        int(p["port"])
        for p in (service.get("spec") or {}).get("ports") or []
        if str(p.get("port", "")).isdigit()
    ]


def _logged(graph: Graph, workload: Workload, host: str) -> str | None:
    for pod in workload.pods:
        for line in graph.snapshot.logs.get(name_of(pod), "").splitlines():
            if host in line and re.search(
                r"no such host|UnableToConnect|connection refused|bad address|can't resolve|"
                r"NXDOMAIN|i/o timeout|could not|failed|error",
                line,
                re.IGNORECASE,
            ):
                return line.strip()[:300]
    return None


def _fails_calls(graph: Graph, workload: Workload, host: str) -> str | None:
    """The client's own log stating a call fails, naming `host` or no host (a driver's
    "Communications link failure"): what its wrong setting makes it say."""
    for pod in workload.pods:
        said = read_app_cause(graph.snapshot.logs.get(name_of(pod), ""))
        if said is not None and said.kind in FAILING_KINDS and said.value("host") in (None, host):
            return said.line[:300]
    return None


def _pointed(value: str, host: str, target: str, port: int | None) -> str:
    """`value` pointed at `target` (and `port`): its scheme, the host's DNS suffix
    (`.shop.svc.cluster.local`) and its path kept."""
    at = re.compile(
        r"(?<![\w-])"
        + re.escape(host)
        + r"(?P<suffix>\.[a-z0-9.-]{1,200})?(?P<port>:\d{1,5})?(?![\w-])",
        re.IGNORECASE,
    )  # the host as an address writes it (`jdbc:mysql://mysql:3306`: the last, with its port)
    found = max(
        at.finditer(value), key=lambda m: (bool(m["port"] or m["suffix"]), m.start()), default=None
    )
    suffix = (found["suffix"] or "") if found else ""
    address = f"{target}{suffix}:{port}" if port else f"{target}{suffix}"
    return value[: found.start()] + address + value[found.end() :] if found else address


@dataclass(frozen=True)
class _Names:
    """What an env value's host can be, read once per check (not once per env value)."""

    services: dict[str, JsonObject]
    known: list[str]
    workloads: frozenset[str]

    @classmethod
    def of(cls, graph: Graph) -> _Names:
        services = {name_of(service): service for service in graph.services}
        return cls(services, sorted(services), graph.provided_names())


def _missing_service(graph: Graph, workload: Workload, var: str, value: str, host: str) -> Clue:
    """The Service a running (or declared) workload's name promises is missing."""
    missing = f"service/{host}"
    evidence = (
        f"{workload.ref}: {var}={value} names Service {host}, which is missing: its "
        f"workload runs, the Service does not exist"
    )
    return Clue(
        "service_missing_for_workload",
        missing,
        missing,
        (evidence,),
        (missing, "missing", f"{workload.ref} calls it ({var})"),
        OBSERVED - 0.3,
        root=False,
        names=frozenset({host, workload.name}),
        why=("a Service the namespace declares or its workload needs is missing",),
        fix_names={"service": host, "namespace": graph.namespace},
    )


def _port_key_fix(setting: Setting, port: int, fix_names: dict[str, str]) -> str:
    """The port set by its own key (`DB_PORT` beside `DB_HOST`): that key is the one to set, to
    the port alone ("" when the address set it)."""
    if setting.port_key:
        fix_names |= {"env-var": setting.port_key, "address": str(port)}
    return setting.port_key


def _clue(
    graph: Graph,
    named: _Names,
    workload: Workload,
    setting: Setting,
    host: str,
    port: int | None,
) -> Clue | None:
    services, known = named.services, named.known
    var, value = setting.name, setting.value
    logged = _logged(graph, workload, host)
    fix_names = {"env-var": var, "workload": workload.ref, "namespace": graph.namespace}
    if host in services:
        offered = _ports(services[host])
        if port is None or not offered or port in offered:
            return None
        evidence = (
            f"{workload.ref}: {setting.how} names Service {host} on port {port}; it serves "
            f"{', '.join(map(str, offered))}"
        )
        fix_names["address"] = _pointed(value, host, host, offered[0])
        var = _port_key_fix(setting, offered[0], fix_names) or var
        finding: WalkFinding = "env_service_wrong_port"
        logged = logged or _fails_calls(graph, workload, host)
        weight = CONFIRMED + 0.05 if logged else CONFIRMED - 0.05  # the cause its log states
        chain_step = f"{host} does not serve port {port}"
    elif host in named.workloads:
        return _missing_service(graph, workload, var, value, host)
    else:
        known_as = graph.known_as(workload)
        own = {*(name_of(s) for s in workload.services), known_as.removeprefix("service/")}
        near = nearest_service(host, [name for name in known if name not in own])  # never its own
        if near is None and not logged:
            return None  # a dependency left out on purpose, or one nothing has tried yet
        evidence = (
            f"{workload.ref}: {setting.how} names Service {host}, which does not exist in "
            f"namespace {graph.namespace}" + (f" (did it mean {near}?)" if near else "")
        )
        if near is not None:
            fix_names["address"] = _pointed(value, host, near, port)
        finding = "env_service_unknown"
        stated = logged and graph.complete("pods")  # nothing runs so, as far as the input shows all
        weight = CONFIRMED - 0.05 if near else OBSERVED if stated else POLICY.walk_env_unknown
        chain_step = f"no Service {host}"
    if setting.source:  # set in a ConfigMap: the fix edits it
        finding = "config_service_wrong_port" if host in services else "config_service_unknown"
        fix_names |= {"config-key": var, "configmap": setting.source.partition("/")[2]}
    return Clue(
        finding,
        graph.known_as(workload),
        setting.source or workload.ref,
        (evidence, *([f"its log: {logged}"] if logged else [])),
        workload_chain(graph, workload, setting.how, chain_step),
        weight,
        affects=affected(graph, [workload]),
        names=names(graph, workload) | {host},
        why=("the workload is configured with an address no Service answers",),
        fix_names=fix_names,
    )


def check(graph: Graph) -> list[Clue]:
    if not graph.complete("services"):
        if graph.snapshot.read("services"):
            graph.ask(
                "whether the Services the workloads' env names exist "
                f"(kubectl get services -n {graph.namespace})"
            )
        return []
    clues = []
    named = _Names.of(graph)
    shown = graph.snapshot.config_maps or {}
    for workload in graph.workloads.values():
        for setting in settings(workload.spec, list(every_container(workload)), shown):
            address = configured_address(setting.name, setting.value, graph.namespace)
            if (
                address is not None
                and (clue := _clue(graph, named, workload, setting, *address)) is not None
            ):
                clues.append(clue)
    return clues
