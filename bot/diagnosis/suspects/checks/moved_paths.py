"""A path a proxy sends somewhere new: its own access lines say its route changed.

A proxy's access line names the path and the upstream it sent the request to (Envoy's
`"POST /api/orders HTTP/1.1" 201 ... "10.96.0.103:8080"`, an address the walk knows as a
Service). When one path's requests went to one Service and were answered, and its newest
requests all go to another Service that answers them with errors, the proxy's route for that
path was changed to the wrong backend: the route's objects need not be shown, its own log
tells. The object is the proxy's, as for every route fault (the route to change is its
resource); the old Service is where the path belongs.
"""

from __future__ import annotations

from bot.diagnosis.suspects.checks.common import names, workload_chain
from bot.diagnosis.suspects.checks.route_table import Upstream, sent_to
from bot.diagnosis.suspects.clues import OBSERVED, Clue
from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.workloads import Workload
from intents.policy import POLICY


def _sent(graph: Graph, workload: Workload) -> list[Upstream]:
    """The workload's access lines whose upstream is a Service's address, oldest first (the
    first such address of each line)."""
    return [ups[0] for ups in sent_to(graph.log_lines(workload)[-400:], graph.ips) if ups[0].path]


def _moved(sent: list[Upstream]) -> tuple[Upstream, Upstream] | None:
    """(the last line before the move, the newest) of a path that went to one Service, answered,
    and since goes only to another, which fails it every time (a split between two Services
    is no move: the new one was never sent to before)."""
    now = sent[-1]
    switch = next(
        (at for at in range(len(sent) - 1, -1, -1) if sent[at].service != now.service), None
    )
    if switch is None or any(s.service == now.service for s in sent[:switch]):
        return None
    since = sent[switch + 1 :]
    if len(since) < POLICY.walk_route_404s or any(s.status < 400 for s in since):
        return None
    was = sent[switch]
    return (was, now) if was.status < 400 else None


def _clue(graph: Graph, proxy: Workload, was: Upstream, now: Upstream) -> Clue:
    shown_as = graph.known_as(proxy)
    fix = {"service": was.service, "workload": proxy.ref, "route-path": now.path}
    return Clue(
        "path_moved_upstream",
        shown_as,
        proxy.ref,
        (
            f"{proxy.ref} sent {was.path} to Service {was.service}, answered {was.status}: {was.line}",
            f"now it sends it to Service {now.service}, answered {now.status}: {now.line}",
        ),
        workload_chain(graph, proxy, f"its route for {now.path} sends to {now.service}"),
        OBSERVED,
        affects=frozenset({shown_as}),
        classes=frozenset({"unreachable", "errors"}),
        names=names(graph, proxy) | {was.service, now.service},
        why=("a proxy's own lines: a path moved to a Service that fails it",),
        fix_names={**fix, "namespace": graph.namespace},
    )


def check(graph: Graph) -> list[Clue]:
    """A clue for each proxy with a path that moved to a failing Service."""
    clues = []
    logged = {w.ref: w for pod in graph.snapshot.logs if (w := graph.owner(pod)) is not None}
    for workload in logged.values():  # only what logs (a namespace of 10k pods logs a few)
        by_path: dict[str, list[Upstream]] = {}
        for sent in _sent(graph, workload):
            by_path.setdefault(sent.path, []).append(sent)
        moved = next((m for s in by_path.values() if (m := _moved(s)) is not None), None)
        if moved is not None:
            clues.append(_clue(graph, workload, *moved))
    return clues
