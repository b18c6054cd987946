"""A pod that is a victim: the culprit below it, named above the pod's own cause.

`diagnose pod routes-...` answers with the pod's own cause (its readiness probe fails, it says
its connection to geo is refused). When that cause is one a dependency can explain, the chain
below the pod (its workload and everything it calls) is walked as `diagnose namespace` walks
the namespace (bot/diagnosis/suspects/focus.py), reading in depth only the pods below it: when
the walk states a suspect, the answer leads with the suspects, says the chain, and states the
pod's own cause in full below.
"""

from __future__ import annotations

from dataclasses import replace

from bot.cluster.reader import ClusterReader
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.culprits import dependency_may_explain
from bot.diagnosis.suspects.focus import Start
from bot.diagnosis.suspects.walk import walk_namespace
from responses.diagnosis import Diagnosis

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
    walk states one; unchanged otherwise."""
    if not _victim(diagnosis):
        return diagnosis
    start = Start("pod", pod)
    walked = await walk_namespace(reader, namespace, judge=judge, start=start, timeout=timeout)
    suspects = walked.suspects or ()
    if not suspects or suspects[0].confidence not in STATED:
        return diagnosis
    first = suspects[0]
    said = [
        f"pod {namespace}/{pod} fails because of {first.object}: {s.because[1]}"
        for s in suspects
        if s.because and s.because[0] == first.object
    ]
    rows = tuple(row for row in walked.pods if row.pod == f"{namespace}/{pod}")
    return replace(diagnosis, suspects=suspects, notes=(*said[:1], *diagnosis.notes), pods=rows)
