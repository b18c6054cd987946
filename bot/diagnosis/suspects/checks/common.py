"""What several checks need: a workload's name in the answer, its ports, its Service's chain."""

from __future__ import annotations

from rapidfuzz import fuzz

from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.policy import POLICY

ContainerPort = tuple[str, int, str]
"""(name, number, protocol) of a containerPort."""


def container_ports(containers: list[JsonObject]) -> list[ContainerPort]:
    ports: list[ContainerPort] = []
    for container in containers:
        for port in container.get("ports") or []:
            if isinstance(port, dict) and str(port.get("containerPort", "")).isdigit():
                ports.append(
                    (
                        str(port.get("name") or ""),
                        int(port["containerPort"]),
                        str(port.get("protocol") or "TCP"),
                    )
                )
    return ports


def port_names_shown(graph: Graph, ports: list[ContainerPort]) -> bool:
    """The input shows the containers' port names, so a port named and not among them is
    absent: a cluster's objects do, and text (describe prints `8080/TCP`, never the name)
    only where some port is named."""
    return not graph.snapshot.text or any(name for name, _number, _protocol in ports)


def as_port(value: object) -> int | str | None:
    """A port as written: a number, a name, or None."""
    if value is None or value == "":
        return None
    text = str(value)
    return int(text) if text.isdigit() else text


def every_container(workload: Workload) -> list[JsonObject]:
    """The workload's containers and init containers (an init container's env names what it
    waits on as a container's names what it calls)."""
    spec = workload.spec
    return [
        c
        for c in (*(spec.get("containers") or ()), *(spec.get("initContainers") or ()))
        if isinstance(c, dict)
    ]


def mapping(obj: object, *keys: str) -> JsonObject:
    """`obj[k1][k2]...` as a mapping, {} where any step is missing or of another shape (an
    object read from text may hold anything a person typed)."""
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return obj if isinstance(obj, dict) else {}


def mappings(obj: object, *keys: str) -> list[JsonObject]:
    """The mappings of the list at `obj[k1]...[kn]` (none where it is no list)."""
    for key in keys:
        obj = obj.get(key) if isinstance(obj, dict) else None
    return [item for item in obj if isinstance(item, dict)] if isinstance(obj, list) else []


def selector_text(selector: dict[str, str]) -> str:
    return ",".join(f"{key}={value}" for key, value in sorted(selector.items())) or "(none)"


def workload_chain(graph: Graph, workload: Workload, *steps: str) -> tuple[str, ...]:
    """service/NAME -> its workload -> the steps that lead to the cause."""
    known = graph.known_as(workload)
    head = (known, workload.ref) if known != workload.ref else (workload.ref,)
    return (*head, *steps)


def names(graph: Graph, workload: Workload) -> frozenset[str]:
    """Names a symptom text may use for the workload: itself, its Services."""
    return frozenset(
        {
            workload.name,
            *(name_of(s) for s in workload.services),
            graph.known_as(workload).partition("/")[2],
        }
    )


def affected(graph: Graph, workloads: list[Workload]) -> frozenset[str]:
    """What the workloads' trouble shows on: each one as the user names it, and all its Services."""
    return frozenset(
        {
            *(graph.known_as(w) for w in workloads),
            *(f"service/{name_of(s)}" for w in workloads for s in w.services),
        }
    )


def nearest_service(name: str, services: list[str]) -> str | None:
    """The service most like `name` (not itself), if near enough (POLICY.walk_env_near)."""
    scored = [(fuzz.ratio(name, s), s) for s in services if s != name]
    scored += [(95.0, s) for s in services if name.startswith(s + "-") or s.startswith(name + "-")]
    best = max(scored, default=(0.0, ""))
    return best[1] if best[0] >= POLICY.walk_env_near else None
