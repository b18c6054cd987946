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
from dataclasses import replace
from datetime import datetime

from bot.cluster.moments import moment
from bot.diagnosis.suspects.checks.common import affected
from bot.diagnosis.suspects.clues import Clue, SymptomClass
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload, name_of
from intents.policy import POLICY

Began = dict[str, datetime]
_STAMP = re.compile(r"^\W{0,3}(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)?)")
"""A log line's leading time stamp."""

TIMEOUT = re.compile(
    r"context deadline exceeded|DeadlineExceeded|upstream request timeout|"
    r"i/o timeout|timed out|Client\.Timeout|connection reset by peer",
    re.IGNORECASE,
)
LOSS = re.compile(r"upstream request timeout|Unavailable|connection reset|retransmi", re.IGNORECASE)
FAILED = re.compile(
    r"fail|error|refused|unavailable|timed? ?out|deadline|exception|denied|no such host|reset|"
    r"unreachable|\b5\d\d\b",
    re.IGNORECASE,
)
"""A line about a call that did not succeed (one naming its callee without this answered)."""
_WORD = re.compile(r"[a-z][a-z0-9-]+")
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


def _named(line: str, services: list[str], caller: str) -> str | None:
    """The Service a line names outright (a success line is read no further)."""
    lowered = line.lower()
    named = [s for s in services if s != caller and s in lowered]
    named = [s for s in named if re.search(rf"\b{re.escape(s)}\b", lowered)]
    return max(named, key=len) if named else None


def _still_failing(text: str, services: list[str], caller: str) -> dict[str, list[str]]:
    """Callee -> the caller's timed-out lines about it since its last answered call. A timeout
    followed by answers is over; a single one after answers is a blip, not a degradation."""
    failing: dict[str, list[str]] = {}
    answered: set[str] = set()
    for line in text.splitlines():
        if TIMEOUT.search(line):
            target = callee(line, services, caller)
            if target is not None:
                failing.setdefault(target, []).append(line)
        elif not FAILED.search(line) and (target := _named(line, services, caller)) is not None:
            failing.pop(target, None)
            answered.add(target)
    return {t: lines for t, lines in failing.items() if t not in answered or len(lines) > 1}


def check(graph: Graph) -> list[Clue]:
    calls, samples, lossy, began = _failing_calls(graph)
    if not calls:
        return []
    total = sum(calls.values())
    kind = "delay or loss" if lossy * 2 > total else "delay"
    clues = [
        replace(_service_clue(target, count, total, kind, samples[target]), since=began.get(target))
        for target, count in calls.most_common(2)
    ]
    by_node, callees = _calls_by_node(graph, calls)
    node, share = (
        (by_node.most_common(1)[0][0], by_node.most_common(1)[0][1] / total) if by_node else ("", 0)
    )
    if node and share >= POLICY.walk_node_share and _spread(graph):
        clues.append(_node_clue(graph, node, by_node[node], total, share, kind, callees[node]))
    return clues


def _spread(graph: Graph) -> bool:
    """The namespace's pods run on more than one node: only then does sharing a node tell the
    timed-out calls apart from the answered ones (on one node, every call shares it)."""
    nodes: set[str] = set()
    for workload in graph.workloads.values():
        nodes |= _nodes(workload)
        if len(nodes) > 1:
            return True
    return False


def _stamped(line: str) -> datetime | None:
    """The time a log line begins with (an RFC 3339 stamp, as loggers and --timestamps write)."""
    found = _STAMP.match(line)
    return moment(found.group(1)) if found else None


def _failing_calls(graph: Graph) -> tuple[Counter[str], dict[str, str], int, Began]:
    """Calls to each Service that still time out in its callers' logs, a sample line of each,
    how many of the lines say packets were lost, and when each callee's timeouts began."""
    services = sorted(name_of(s) for s in graph.services)
    calls: Counter[str] = Counter()
    samples: dict[str, str] = {}
    began: Began = {}
    lossy = 0
    for pod, text in graph.snapshot.logs.items():
        if pod in graph.terminating:
            continue  # a pod on its way out: what it saw is over
        owner = graph.owner(pod)
        caller = graph.known_as(owner).partition("/")[2] if owner is not None else ""
        for target, lines in _still_failing(text, services, caller).items():
            calls[target] += len(lines)
            samples.setdefault(target, lines[-1].strip()[:300])
            stamps = [t for t in map(_stamped, lines) if t is not None]
            if stamps:
                began[target] = min([*stamps, began.get(target, stamps[0])])
            lossy += sum(bool(LOSS.search(line)) for line in lines)
    return calls, samples, lossy, began


def _calls_by_node(graph: Graph, calls: Counter[str]) -> tuple[Counter[str], dict[str, set[str]]]:
    """The timed-out calls by the node their Service's pods run on, and the Services called there."""
    by_node: Counter[str] = Counter()
    callees: dict[str, set[str]] = {}
    for target, count in calls.items():
        service = graph.service(target)
        for workload in graph.backing(service) if service is not None else []:
            for node in _nodes(workload):
                by_node[node] += count
                callees.setdefault(node, set()).add(target)
    return by_node, callees


def _service_clue(target: str, count: int, total: int, kind: str, sample: str) -> Clue:
    return Clue(
        "callers_time_out",
        f"service/{target}",
        f"service/{target}",
        (
            (
                f"{count} call(s) to Service {target} time out in its callers' logs while "
                "its pods are "
                f"Running (network {kind} to its pods?)"
            ),
            f"a caller's log: {sample}",
        ),
        (f"service/{target}", "callers time out", f"network {kind} (indirect)"),
        POLICY.walk_indirect * count / total,
        indirect=True,
        classes=CLASSES,
        names=frozenset({target}),
        why=("only callers' timeouts show it: the recorded state cannot",),
        fix_names={"service": target},
    )


def _node_clue(
    graph: Graph, node: str, count: int, total: int, share: float, kind: str, callees: set[str]
) -> Clue:
    hit = [w for w in graph.workloads.values() if node in _nodes(w)]
    return Clue(
        "node_calls_time_out",
        f"node/{node}",
        f"node/{node}",
        (
            (
                f"{count} of {total} timed-out call(s) go to pods on node {node} "
                f"(network {kind} on node {node}?)"
            ),
        ),
        (
            f"node/{node}",
            "calls to its pods time out",
            f"network {kind} on the node (indirect)",
        ),
        POLICY.walk_indirect * share
        + (0.02 if len(callees) >= POLICY.walk_node_callees else -0.03),
        indirect=True,
        classes=CLASSES,
        affects=affected(graph, hit),
        names=frozenset({node}),
        why=("the timed-out calls share this node",),
        fix_names={"node": node},
    )
