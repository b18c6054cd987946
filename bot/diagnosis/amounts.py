"""Amounts computed from the input: what the pod requests and what the roomiest node has free.

"Insufficient cpu" is fixed by a request that fits a node, and the reader's own figures say
which: the pod's requests (a `kubectl describe pod`'s Requests, summed over its containers) and
each pasted node's allocatable less what its pods already request (`kubectl describe node`'s
Allocatable and Allocated resources). A fix shows them beside the amount it asks for
(`<cpu-request>`), never in its place: the new request is the reader's to choose.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.diagnosis.naming import Names
from bot.evidence.common import quantity
from intents.facts.model import NodeFacts, PodFacts

MAX_TEXT = 200_000
_REQUESTS = re.compile(
    r"^[ \t]+[Rr]equests:[ \t]*\n(?P<body>(?:[ \t]+[\w./-]{1,63}:[ \t]*\S{1,30}[ \t]*(?:\n|$)){1,8})",
    re.MULTILINE,
)
_AMOUNT = re.compile(
    r"^[ \t]+(cpu|memory):[ \t]*[\"']?([\d.]{1,12}[A-Za-z]{0,2})[\"']?[ \t]*$", re.MULTILINE
)


def cpu_text(cores: float) -> str:
    """Cores as Kubernetes writes them: "2", or "1850m" below a whole core or between two."""
    millis = round(cores * 1000)
    return str(millis // 1000) if millis % 1000 == 0 else f"{millis}m"


def memory_text(size: float) -> str:
    """Bytes in Mi, or in Gi with one decimal from 1Gi up."""
    if size >= 2.0**30:
        return f"{size / 2.0**30:.1f}".rstrip("0").rstrip(".") + "Gi"
    return f"{max(1, round(size / 2.0**20))}Mi"


def pod_requests(text: str) -> Names:
    """The pod's requests for cpu and memory, summed over every Requests block the text shows."""
    totals: dict[str, float] = {}
    for block in _REQUESTS.finditer(text[:MAX_TEXT]):
        for resource, value in _AMOUNT.findall(block.group("body")):
            totals[resource] = totals.get(resource, 0.0) + quantity(value)
    return Names.of(
        requested_cpu=cpu_text(totals["cpu"]) if totals.get("cpu") else None,
        requested_memory=memory_text(totals["memory"]) if totals.get("memory") else None,
    )


def request_names(facts: PodFacts) -> Names:
    """The pod's own requests as a cluster read (or a folder, or a dump) gives them."""
    cpu, memory = facts.requests.get("cpu"), facts.requests.get("memory")
    return Names.of(
        requested_cpu=cpu_text(cpu) if cpu else None,
        requested_memory=memory_text(memory) if memory else None,
    )


def node_room(nodes: Iterable[NodeFacts]) -> Names:
    """The most cpu and memory any pasted node has unrequested (allocatable less its pods'
    requests), each where some node shows both."""
    free: dict[str, float] = {}
    for node in nodes:
        for resource in ("cpu", "memory"):
            if resource in node.allocatable and resource in node.requested:
                room = max(0.0, node.allocatable[resource] - node.requested[resource])
                free[resource] = max(free.get(resource, 0.0), room)
    return Names.of(
        free_cpu=cpu_text(free["cpu"]) if "cpu" in free else None,
        free_memory=memory_text(free["memory"]) if "memory" in free else None,
    )
