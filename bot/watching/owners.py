"""Which workload a pod (or a Job) belongs to, from the object alone (no API call).

Many failing pods of one workload must be one message, so the watcher
keys its messages by the owning workload: a ReplicaSet's pods belong to
its Deployment (the ReplicaSet's name is the Deployment's plus the
pod-template-hash), a CronJob's Jobs to the CronJob (the controller names
them <cronjob>-<scheduled minute>).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.cluster.reader import JsonObject

_CRONJOB_RUN = re.compile(r"^(?P<cronjob>.+)-\d{8,}$")


@dataclass(frozen=True, order=True)
class Owner:
    """A workload (or the bare pod or node when nothing owns it)."""

    kind: str
    name: str
    namespace: str | None = None

    def __str__(self) -> str:
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind.lower()} {where}{self.name}"


def job_owner(name: str, namespace: str | None) -> Owner:
    """A Job, or the CronJob that made it."""
    run = _CRONJOB_RUN.match(name)
    return Owner("CronJob", run["cronjob"], namespace) if run else Owner("Job", name, namespace)


def pod_owner(pod: JsonObject) -> Owner:
    """The workload that owns the pod, from its controller reference."""
    meta = pod.get("metadata") or {}
    namespace, name = meta.get("namespace"), meta.get("name", "")
    controller = next(
        (ref for ref in meta.get("ownerReferences") or [] if ref.get("controller")), None
    )
    if controller is None:
        return Owner("Pod", name, namespace)
    kind, owner_name = controller.get("kind", ""), controller.get("name", "")
    if kind == "ReplicaSet" and (deployment := _deployment(owner_name, meta)) is not None:
        return Owner("Deployment", deployment, namespace)
    if kind == "Job":
        return job_owner(owner_name, namespace)
    return Owner(kind, owner_name, namespace)


def _deployment(replica_set: str, meta: JsonObject) -> str | None:
    """The Deployment a ReplicaSet was made for: its name less the pod's template hash."""
    template_hash = (meta.get("labels") or {}).get("pod-template-hash")
    if template_hash and replica_set.endswith(f"-{template_hash}"):
        return replica_set[: -len(template_hash) - 1]
    return None
