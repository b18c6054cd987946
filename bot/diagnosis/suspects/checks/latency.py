"""Latency and error alerts as facts: the deepest abnormal Service on the call chain.

A team names its alerts as it likes ("HighRequestLatency", "CheckoutP99Slow", "HTTP5xxRateHigh",
"TrafficDrop"); what counts is what an alert measures and on which Service. A firing alert no
catalog entry claims is read for its signal (latency, errors, traffic, from its name and
summary) and its Service (the labels a team's rules carry: `service`, `destination_service_name`,
`app`, `job`, a pod or a workload). Latency travels up the call graph: every caller of a slow
Service is slow too, so the Service to name is the deepest abnormal one, the one whose own
callees (deps.py) are all healthy. A measured slowdown with nothing in the objects to explain it
is said as network degradation on that Service, at medium confidence at most: the alert
measures the slowness, not its cause. An alert about a Service the namespace does not have, or
calls that go round in a cycle, are said as one line each, never guessed through.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from bot.cluster.moments import moment
from bot.cluster.reader import JsonObject
from bot.diagnosis.suspects.checks.common import mapping
from bot.diagnosis.suspects.clues import Clue
from bot.diagnosis.suspects.deps import Dependencies
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import name_of
from intents.alert_map import AlertIndex
from intents.policy import POLICY

SIGNALS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "latency",
        re.compile(r"laten|slow|duration|response ?time|\bp(?:50|9[059]|999)\b|percentile"),
    ),
    (
        "errors",
        re.compile(r"error|\b5xx\b|\b50\d\b|fail|availability|success ?rate|\bsli\b|\bslo\b"),
    ),
    ("traffic", re.compile(r"traffic|throughput|request ?rate|no ?requests|\brps\b|\bqps\b")),
)
"""What an alert measures, read from its words (its name split at capitals, its summary)."""
SERVICE_LABELS = (
    "service",
    "service_name",
    "destination_service_name",
    "destination_service",
    "destination_workload",
    "app",
    "app_kubernetes_io_name",
    "k8s_app",
    "job",
    "deployment",
    "workload",
    "container",
)
"""Labels naming the Service an alert measures, most specific first."""
ABNORMAL = frozenset({"latency", "errors"})
MAX_DEPTH = 16


@dataclass
class Abnormal:
    """What the firing alerts measure on one Service."""

    service: str
    signals: set[str] = field(default_factory=set)
    said: list[str] = field(default_factory=list)
    since: datetime | None = None


def _words(alert: JsonObject) -> str:
    labels, notes = mapping(alert, "labels"), mapping(alert, "annotations")
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", str(labels.get("alertname") or ""))
    return f"{name} {notes.get('summary') or ''} {notes.get('description') or ''}".lower()[:600]


def signals_of(alert: JsonObject) -> set[str]:
    said = _words(alert)
    return {signal for signal, pattern in SIGNALS if pattern.search(said)}


def _pod_at(graph: Graph, instance: str) -> str | None:
    """The pod a scrape target's `instance` (its IP and port) is."""
    address = instance.rpartition(":")[0] or instance
    return next(
        (name_of(p) for p in graph.pods if (p.get("status") or {}).get("podIP") == address), None
    )


def _service(graph: Graph, labels: dict[str, str]) -> str | None:
    """The namespace's Service an alert's labels name (a pod or workload: the one it backs)."""
    pod = labels.get("pod") or (
        _pod_at(graph, labels["instance"]) if labels.get("instance") else None
    )
    if pod and (owner := graph.owner(pod)) is not None:
        known = graph.known_as(owner)
        return known.partition("/")[2] if known.startswith("service/") else None
    for key in SERVICE_LABELS:
        value = str(labels.get(key) or "").strip().lower()
        value = value.rpartition("/")[2].split(".", 1)[0]  # "shop/cart", "cart.shop.svc..."
        if graph.service(value) is not None:
            return value
        workload = graph.workloads_by_name().get(value)
        if workload is not None and graph.known_as(workload).startswith("service/"):
            return graph.known_as(workload).partition("/")[2]
    return None


def _named(labels: dict[str, str]) -> str | None:
    return next((str(labels[k]) for k in ("service", "service_name", "app") if labels.get(k)), None)


def _firing(graph: Graph, index: AlertIndex) -> Iterator[tuple[JsonObject, dict[str, str]]]:
    for alert in graph.snapshot.alerts or []:
        labels = {str(k): str(v) for k, v in mapping(alert, "labels").items()}
        name = labels.get("alertname", "")
        if labels.get("namespace") not in (None, "", graph.namespace) or not name:
            continue
        if index.claim_for(name, labels) is None:  # a claimed one names its entry (metrics.py)
            yield alert, labels


def abnormal(graph: Graph, index: AlertIndex) -> dict[str, Abnormal]:
    """Service name -> what the firing alerts measure on it."""
    found: dict[str, Abnormal] = {}
    for alert, labels in _firing(graph, index):
        signals = signals_of(alert)
        if not signals:
            continue
        service = _service(graph, labels)
        if service is None:
            if named := _named(labels):
                graph.ask(
                    f"Service {named}, which alert {labels['alertname']} names, in namespace "
                    f"{graph.namespace} (kubectl get services -n {graph.namespace})"
                )
            continue
        seen = found.setdefault(service, Abnormal(service))
        seen.signals |= signals
        summary = str(mapping(alert, "annotations").get("summary") or "")
        seen.said.append(f"alert {labels['alertname']} firing on {service}: {summary}".strip())
        started = moment(alert.get("startsAt"))
        if started is not None and (seen.since is None or started < seen.since):
            seen.since = started
    return found


def _callees(graph: Graph, deps: Dependencies, service: str) -> set[str]:
    backing = graph.service(service)
    workloads = graph.backing(backing) if backing is not None else []
    return {e.callee for w in workloads for e in deps.edges.get(w.ref, ())}


def _down(graph: Graph, deps: Dependencies, bad: dict[str, Abnormal], start: str) -> list[str]:
    """The path from `start` down abnormal callees to one whose callees are all healthy; a path
    that comes back on itself ends with the repeated Service."""
    path = [start]
    while len(path) < MAX_DEPTH:
        below = sorted(c for c in _callees(graph, deps, path[-1]) if c in bad and c != path[-1])
        if not below:
            return path
        if below[0] in path:
            return [*path, below[0]]
        path.append(below[0])
    return path


def _clue(graph: Graph, bad: dict[str, Abnormal], path: list[str], callers: set[str]) -> Clue:
    deepest = bad[path[-1]]
    backing = graph.service(deepest.service)
    workloads = graph.backing(backing) if backing is not None else []
    steps = " -> ".join(path)
    chain_said = f"{steps}: each abnormal, {deepest.service} calls no abnormal Service"
    return Clue(
        "latency_deepest",
        f"service/{deepest.service}",
        workloads[0].ref if workloads else f"service/{deepest.service}",
        (*deepest.said[:3], chain_said if callers else f"{deepest.service} calls no slow Service"),
        (*(f"service/{c}" for c in path), "measured slow; nothing in its objects says why"),
        POLICY.walk_slowest
        + min(POLICY.walk_slow_callers_cap, POLICY.walk_slow_caller_lift * len(callers)),
        affects=frozenset(f"service/{c}" for c in callers),
        classes=frozenset({"latency", "errors"}),
        names=frozenset({*path, *(w.name for w in workloads)}),
        why=("the deepest Service the alerts measure slow on the call chain",),
        fix_names={"service": deepest.service, "namespace": graph.namespace},
        since=deepest.since,
    )


def _unlinked(graph: Graph, deps: Dependencies, bad: dict[str, Abnormal]) -> None:
    """Several Services abnormal and no call seen between any two: which is deepest is asked."""
    if len(bad) < 2 or any(_callees(graph, deps, s) & set(bad) for s in bad):
        return
    graph.ask(
        f"who calls whom among {', '.join(sorted(bad)[:4])}: each is slow and no call between "
        f"them is shown (their env and logs: kubectl logs -n {graph.namespace} ...)"
    )


def check(graph: Graph, deps: Dependencies, index: AlertIndex) -> list[Clue]:
    """The deepest abnormal Service of each chain the alerts measure slow (the longest chain
    said), lifted a little for each abnormal Service above it."""
    bad = {s: a for s, a in abnormal(graph, index).items() if a.signals & ABNORMAL}
    _unlinked(graph, deps, bad)
    paths: dict[str, list[str]] = {}
    callers: dict[str, set[str]] = {}
    for start in sorted(bad):
        path = _down(graph, deps, bad, start)
        if len(path) > 1 and path[-1] in path[:-1]:
            graph.ask(
                f"where the slowness starts: {' -> '.join(path)} call each other and all are "
                f"slow (each call's own latency: traces, or the callers' per-call timings)"
            )
            continue
        if not any("latency" in bad[s].signals for s in path):
            continue  # errors alone: nothing slow to follow
        callers.setdefault(path[-1], set()).update(path[:-1])
        if len(path) > len(paths.get(path[-1], [])):
            paths[path[-1]] = path
    return [_clue(graph, bad, path, callers[end]) for end, path in paths.items()]
