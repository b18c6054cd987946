"""A pod that is a victim: the culprit below it, named above the pod's own cause.

`diagnose pod routes-...` answers with the pod's own cause (its readiness probe fails, it says
its connection to geo is refused). When that cause is one a dependency can explain, the chain
below the pod (its workload and everything it calls) is walked as `diagnose namespace` walks
the namespace (bot/diagnosis/suspects/focus.py), reading in depth only the pods below it: when
the walk states a suspect, the answer leads with the suspects, says the chain, and states the
pod's own cause in full below.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from functools import partial

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.checks.route_table import routed_elsewhere
from bot.diagnosis.suspects.culprits import dependency_may_explain
from bot.diagnosis.suspects.focus import Start
from bot.diagnosis.suspects.snapshot import MAX_LOG_BYTES, MAX_LOG_LINES, log_container
from bot.diagnosis.suspects.walk import walk_namespace
from bot.errors import BadInput
from responses.diagnosis import Diagnosis, Suspect

STATED = ("high", "medium")


def _victim(diagnosis: Diagnosis) -> bool:
    """The pod may fail because of what it calls: healthy itself (its users may still see what
    it calls fail), or failing for a cause a dependency can explain."""
    return not diagnosis.findings or dependency_may_explain(diagnosis.findings[0].match.entry)


async def with_culprit(
    diagnosis: Diagnosis,
    reader: ClusterReader,
    namespace: str,
    pod: str,
    *,
    judge: Judge,
    timeout: float,
) -> Diagnosis:
    """The pod's diagnosis led by the suspects below it when the pod may be a victim and the
    walk states one, or names the one it is a victim of (the deepest failing dependency ranks
    above its victims, however sure), or when the pod shows nothing wrong itself (then what may
    fail below it, however unsure: its users see that); unchanged otherwise."""
    if not _victim(diagnosis):
        return diagnosis
    walk = partial(walk_namespace, reader, judge=judge, timeout=timeout)
    walked = await walk(namespace, start=Start("pod", pod))
    suspects = walked.suspects or ()
    rows = tuple(row for row in walked.pods if row.pod == f"{namespace}/{pod}")
    said = [
        f"pod {namespace}/{pod} fails because of {s.because[0]}: {s.because[1]}"
        for s in suspects
        if s.because and s.because[0] == suspects[0].object
    ]
    if _stated(suspects) or said:
        return replace(diagnosis, suspects=suspects, notes=(*said[:1], *diagnosis.notes), pods=rows)
    routes = await _routes_named(reader, namespace, pod)
    routed = await _routed(diagnosis, f"{namespace}/{pod}", walk, routes)
    if routed is not diagnosis or diagnosis.findings or not suspects:
        return routed
    return replace(diagnosis, suspects=suspects, pods=rows)  # healthy itself: what may fail below


def _stated(suspects: tuple[Suspect, ...]) -> bool:
    return bool(suspects) and suspects[0].confidence in STATED


async def _routed(
    diagnosis: Diagnosis,
    pod: str,
    walk: Callable[..., Awaitable[Diagnosis]],
    routes: list[tuple[str, str]],
) -> Diagnosis:
    """A route controller's pod (its access lines name the backends of Ingresses in other
    namespaces) calls what those routes send users to: the namespace each names is walked for
    what its users saw, and its stated suspects lead."""
    for where, symptom in routes:
        walked = await walk(where, symptom=symptom)
        if _stated(walked.suspects or ()) or (walked.suspects and not diagnosis.findings):
            said = f"pod {pod} routes users to namespace {where}; they got {symptom}"
            return replace(diagnosis, suspects=walked.suspects, notes=(said, *diagnosis.notes))
    return diagnosis


async def _routes_named(reader: ClusterReader, namespace: str, pod: str) -> list[tuple[str, str]]:
    """(namespace, symptom) of the routes elsewhere the pod's access lines name (none when its
    log or the Ingresses cannot be read)."""
    try:
        found = await reader.get("pods", pod, namespace)
        if (found.get("status") or {}).get("phase") != "Running":
            return []  # a route controller that routes now runs
        container = log_container(found) or ""  # "": a table row names none
        text = await reader.logs(
            namespace, pod, container, tail_lines=MAX_LOG_LINES, limit_bytes=MAX_LOG_BYTES
        )
        ingresses = await reader.list("ingresses", None)
    except (ClusterError, BadInput):  # a log that cannot be read, or a name a dump refuses
        return []
    return routed_elsewhere(text.splitlines(), ingresses, namespace)
