"""Network checks: calls that time out while every object reads healthy.

Delay or loss on a node or in one pod's network shows nowhere in the recorded state, only in
callers' logs (deadline exceeded, upstream request timeout). The callee is read from the
failing line (a Service it names, or the words it uses: "failed to get ads" -> adservice), and
where the callees' pods share a node, that node is the common factor. Both are reported as
suspects with indirect evidence and a low score: the bot says which object it suspects and that
it cannot see the cause itself, rather than guessing a class.
"""

from __future__ import annotations

import re
from collections import Counter

from bot.diagnosis.suspects.checks.common import affected
from bot.diagnosis.suspects.clues import Clue, SymptomClass
from bot.diagnosis.suspects.graph import Graph, Workload, name_of

TIMEOUT = re.compile(
    r"context deadline exceeded|DeadlineExceeded|upstream request timeout|"
    r"i/o timeout|timed out|Client\.Timeout|connection reset by peer",
    re.IGNORECASE,
)
LOSS = re.compile(r"upstream request timeout|Unavailable|connection reset|retransmi", re.IGNORECASE)
_WORD = re.compile(r"[a-z][a-z0-9-]+")
INDIRECT = 0.35
NODE_SHARE = 0.6
"""A node is the common factor when at least this share of the timed-out calls go to its pods."""
MIN_CALLEES = 2
"""A node leads only when calls to more than one Service on it time out; with one Service, the
Service is the more specific suspect and the node is listed after it."""
CLASSES: frozenset[SymptomClass] = frozenset(("latency", "errors", "unreachable"))


def _base(service: str) -> str:
    return service.removesuffix("-service").removesuffix("service").removesuffix("-svc") or service


def callee(line: str, services: list[str], caller: str) -> str | None:
    """The Service a failing log line is about: named outright, or by the words it uses."""
    lowered = line.lower()
    named = [s for s in services if s != caller and re.search(rf"\b{re.escape(s)}\b", lowered)]
    if named:
        return max(named, key=len)
    words = _WORD.findall(lowered.split("desc =")[0])
    for service in services:
        base = _base(service)
        if service == caller or len(base) < 2:
            continue
        for word in words:
            common = len(_prefix(word, base))
            if common >= max(2, len(base) - 1) or (len(word) >= 5 and base.startswith(word)):
                return service
    return None


def _prefix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


def _nodes(workload: Workload) -> set[str]:
    return {
        str((p.get("spec") or {}).get("nodeName"))
        for p in workload.pods
        if (p.get("spec") or {}).get("nodeName")
    }


def check(graph: Graph) -> list[Clue]:
    services = sorted(name_of(s) for s in graph.services)
    calls: Counter[str] = Counter()
    samples: dict[str, str] = {}
    lossy = 0
    for pod, text in graph.snapshot.logs.items():
        owner = graph.owner(pod)
        caller = graph.known_as(owner).partition("/")[2] if owner is not None else ""
        for line in text.splitlines():
            if not TIMEOUT.search(line):
                continue
            target = callee(line, services, caller)
            if target is not None:
                calls[target] += 1
                samples.setdefault(target, line.strip()[:300])
                lossy += bool(LOSS.search(line))
    if not calls:
        return []
    clues = []
    total = sum(calls.values())
    by_node: Counter[str] = Counter()
    callees: dict[str, set[str]] = {}
    for target, count in calls.items():
        service = graph.service(target)
        for workload in graph.backing(service) if service is not None else []:
            for node in _nodes(workload):
                by_node[node] += count
                callees.setdefault(node, set()).add(target)
    kind = "delay or loss" if lossy * 2 > sum(calls.values()) else "delay"
    for target, count in calls.most_common(2):
        clues.append(
            Clue(
                "network-degradation",
                f"service/{target}",
                f"service/{target}",
                (
                    (
                        f"{count} call(s) to Service {target} time out in its callers' logs while "
                        "its pods are "
                        f"Running (network {kind} to its pods?)"
                    ),
                    f"a caller's log: {samples[target]}",
                ),
                (f"service/{target}", "callers time out", f"network {kind} (indirect)"),
                f"Measure latency and loss to Service {target}'s pods from a caller (kubectl exec "
                "... -- "
                f"ping / curl -w %{{time_total}}); look for a traffic-shaping rule on them",
                INDIRECT * count / total,
                indirect=True,
                classes=CLASSES,
                names=frozenset({target}),
                why=("only callers' timeouts show it: the recorded state cannot",),
            )
        )
    node, share = (
        (by_node.most_common(1)[0][0], by_node.most_common(1)[0][1] / total) if by_node else ("", 0)
    )
    if node and share >= NODE_SHARE:
        hit = [w for w in graph.workloads.values() if node in _nodes(w)]
        clues.append(
            Clue(
                "network-degradation",
                f"node/{node}",
                f"node/{node}",
                (
                    (
                        f"{by_node[node]} of {total} timed-out call(s) go to pods on node {node} "
                        f"(network {kind} on node {node}?)"
                    ),
                ),
                (
                    f"node/{node}",
                    "calls to its pods time out",
                    f"network {kind} on the node (indirect)",
                ),
                f"Check node {node}'s network: kubectl debug node/{node} -it --image=busybox:1.36 "
                "-- sh "
                "-c 'tc qdisc show; ping -c 20 <another node>'",
                INDIRECT * share + (0.02 if len(callees[node]) >= MIN_CALLEES else -0.03),
                indirect=True,
                classes=CLASSES,
                affects=affected(graph, hit),
                names=frozenset({node}),
                why=("the timed-out calls share this node",),
            )
        )
    return clues
