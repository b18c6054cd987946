"""Diagnose a namespace: every unhealthy pod with its top cause, worst first."""

from __future__ import annotations

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader
from bot.diagnosis.many import DEEP_LIMIT, ManyPods, assess_pods
from bot.diagnosis.pod import NO_PROBLEM, Judge
from bot.errors import ClusterUnavailable
from bot.evidence.common import failure_reason
from bot.evidence.runner import DEFAULT_TIMEOUT
from responses.diagnosis import Diagnosis

MAX_PODS = 5000


def listed(unhealthy: str, deep: int, rows: int) -> str:
    """What the list of pods below shows, in numbers that agree with it."""
    if deep == rows:
        return f"{unhealthy}, each listed below with its likely cause, worst first"
    return (f"{unhealthy}, listed below worst first: the first {deep} with their likely cause, "
            f"the other {rows - deep} by status only (not diagnosed in depth)")


def summary_notes(result: ManyPods, *, where: str, read_cap: int) -> tuple[str, ...]:
    """One line on what was looked at; 'no problem found' when nothing is unhealthy."""
    if not result.total:
        return (f"no pods {where}",)
    if not result.rows:
        return (f"{NO_PROBLEM}: all {result.total} pods {where} are healthy",)
    deep = sum(1 for row in result.rows if row.diagnosed)
    unhealthy = f"{len(result.rows)} of {result.total} pods {where} are unhealthy"
    notes = [listed(unhealthy, deep, len(result.rows))]
    if result.total >= read_cap:
        notes.append(f"only the first {read_cap} pods were read")
    return tuple(notes)


async def diagnose_namespace(
    reader: ClusterReader, namespace: str, *, judge: Judge, deep_limit: int = DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """List the namespace's pods (paginated, capped) and diagnose the unhealthy ones."""
    try:
        pods = await reader.list("pods", namespace, limit=MAX_PODS)
    except ClusterError as exc:
        raise ClusterUnavailable(
            f"cannot list pods in namespace {namespace} in cluster {reader.cluster_name}: "
            f"{failure_reason(exc)}"
        ) from exc
    result = await assess_pods(pods, reader=reader, judge=judge, deep_limit=deep_limit,
                               timeout=timeout)
    return Diagnosis(
        subject=f"namespace {namespace}", findings=result.top_findings, gaps=result.gaps,
        cluster=reader.cluster_name, pods=result.rows, counts=result.counts,
        notes=summary_notes(result, where=f"in namespace {namespace}", read_cap=MAX_PODS),
    )
