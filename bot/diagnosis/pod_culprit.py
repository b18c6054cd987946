"""A pod that is a victim: the culprit its failing dependency is, named above the pod's own cause.

`diagnose pod routes-...` answers with the pod's own cause (its readiness probe fails, it says
its connection to geo is refused). When that cause is one a dependency can explain, the
namespace is walked (bot/diagnosis/suspects) as `diagnose namespace` walks it; if the walk finds
the pod's workload a victim of a failing Service it calls, the answer leads with that Service's
suspect, then the pod's own, says the chain, and states the pod's own cause in full below. A pod
that is no victim but whose own chain the walk explains better (its crash loop under a ConfigMap
key its app reads and lacks) leads with that suspect.
"""

from __future__ import annotations

from dataclasses import replace

from bot.cluster.reader import ClusterReader
from bot.diagnosis.pod import Judge
from bot.diagnosis.suspects.culprits import dependency_may_explain
from bot.diagnosis.suspects.walk import walk_namespace
from responses.diagnosis import Diagnosis, Suspect


def _victim(diagnosis: Diagnosis) -> bool:
    return bool(diagnosis.findings) and dependency_may_explain(diagnosis.findings[0].match.entry)


async def with_culprit(
    diagnosis: Diagnosis,
    reader: ClusterReader,
    namespace: str,
    pod: str,
    *,
    judge: Judge,
    timeout: float,
) -> Diagnosis:
    """The pod's diagnosis led by the culprit when the pod is a victim; unchanged otherwise."""
    if not _victim(diagnosis):
        return diagnosis
    walked = await walk_namespace(reader, namespace, judge=judge, timeout=timeout)
    suspects = walked.suspects or ()
    own = next((s for s in suspects if s.because and _about(s.chain, pod)), None)
    if own is None or not own.because:
        return _with_own_cause(diagnosis, suspects, pod)
    culprit_object, edge = own.because
    culprit = next((s for s in suspects if s.object == culprit_object), None)
    if culprit is None:
        return diagnosis
    said = f"pod {namespace}/{pod} fails because of {culprit.object}: {edge}"
    rows = tuple(row for row in walked.pods if row.pod == f"{namespace}/{pod}")
    return replace(diagnosis, suspects=(culprit, own), notes=(said, *diagnosis.notes), pods=rows)


def _with_own_cause(diagnosis: Diagnosis, suspects: tuple[Suspect, ...], pod: str) -> Diagnosis:
    """The pod's diagnosis led by a cause the walk found on the pod's own chain that explains
    the pod's own symptom (a ConfigMap key its app reads and lacks, under its crash loop)."""
    symptom = diagnosis.findings[0].match.entry.id
    cause = next(
        (s for s in suspects if _about(s.chain, pod) and symptom in s.finding.match.entry.explains),
        None,
    )
    return diagnosis if cause is None else replace(diagnosis, suspects=(cause,))


def _about(chain: tuple[str, ...], pod: str) -> bool:
    """The suspect's chain passes through the pod ("pod routes-5f7c9d8b6-k8m2p: Running")."""
    return any(step.startswith(f"pod {pod}:") for step in chain)
