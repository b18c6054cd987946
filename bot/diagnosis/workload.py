"""Diagnose a workload (Deployment, StatefulSet, DaemonSet, Job) or a claim through its pods.

Alerts name workloads (KubeDeploymentRolloutStuck, KubeJobFailed) and
volumes; the evidence lives in their pods. A workload's pods are found by
its own label selector and assessed like a namespace's (the worst few in
depth); a claim's evidence is the first pod that mounts it (bot/diagnosis/question.py).
"""

from __future__ import annotations

from bot.cluster.errors import ClusterError, NotFound
from bot.cluster.reader import ClusterReader, JsonObject, Kind
from bot.diagnosis.many import assess_pods
from bot.diagnosis.namespace import MAX_PODS, summary_notes
from bot.diagnosis.pod import Judge
from bot.errors import ClusterUnavailable
from bot.evidence.common import failure_reason
from bot.evidence.runner import DEFAULT_TIMEOUT
from responses.diagnosis import Diagnosis

WORKLOAD_KINDS: dict[str, Kind] = {
    "deployment": "deployments",
    "statefulset": "statefulsets",
    "daemonset": "daemonsets",
    "job": "jobs",
}
WORKLOAD_DEEP_LIMIT = 3


def label_selector(selector: JsonObject | None) -> str | None:
    """A LabelSelector object as the query string the API takes (matchLabels and In/NotIn/Exists)."""
    if not selector:
        return None
    parts = [f"{key}={value}" for key, value in sorted((selector.get("matchLabels") or {}).items())]
    parts += [_requirement(e) for e in selector.get("matchExpressions") or []]
    return ",".join(part for part in parts if part) or None


def _requirement(expression: JsonObject) -> str:
    """One matchExpressions requirement as the query string's term ("" for an unknown operator)."""
    key, operator = expression.get("key"), expression.get("operator")
    if operator in ("In", "NotIn"):
        return f"{key} {operator.lower()} ({','.join(expression.get('values') or [])})"
    if operator == "Exists":
        return str(key)
    return f"!{key}" if operator == "DoesNotExist" else ""


async def diagnose_workload(
    reader: ClusterReader,
    kind: str,
    namespace: str,
    name: str,
    *,
    judge: Judge,
    deep_limit: int = WORKLOAD_DEEP_LIMIT,
    timeout: float = DEFAULT_TIMEOUT,
) -> Diagnosis:
    """The workload's unhealthy pods, worst first, with their top causes."""
    subject = f"{kind} {namespace}/{name}"
    try:
        workload = await reader.get(WORKLOAD_KINDS[kind], name, namespace)
        selector = label_selector((workload.get("spec") or {}).get("selector"))
        pods = (
            await reader.list("pods", namespace, label_selector=selector, limit=MAX_PODS)
            if selector
            else []
        )
    except ClusterError as exc:
        raise _unreadable(subject, reader.cluster_name, exc) from exc
    result = await assess_pods(
        pods, reader=reader, judge=judge, deep_limit=deep_limit, timeout=timeout
    )
    notes = summary_notes(result, where=f"of {subject}", read_cap=MAX_PODS)
    return result.diagnosis(subject, reader.cluster_name, notes)


async def mounting_pod(reader: ClusterReader, namespace: str, claim: str) -> str | None:
    """The name of the first pod that mounts the claim (its facts include the claim and volume)."""
    subject = f"persistentvolumeclaim {namespace}/{claim}"
    try:
        pods = await reader.list("pods", namespace, limit=MAX_PODS)
    except ClusterError as exc:
        raise _unreadable(subject, reader.cluster_name, exc) from exc
    for pod in pods:
        volumes = (pod.get("spec") or {}).get("volumes") or []
        if any((v.get("persistentVolumeClaim") or {}).get("claimName") == claim for v in volumes):
            return str((pod.get("metadata") or {}).get("name", ""))
    return None


def _unreadable(subject: str, cluster: str, exc: ClusterError) -> ClusterUnavailable:
    if isinstance(exc, NotFound):
        return ClusterUnavailable(f"{subject} not found in cluster {cluster}")
    return ClusterUnavailable(f"cannot read {subject} in cluster {cluster}: {failure_reason(exc)}")
