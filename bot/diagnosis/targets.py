"""Which object in which cluster an alert is about, from its labels.

The catalog entry that claims the alert may name the label names to use
(`target:`; empty means there is nothing in the cluster to read, e.g. an
API-server SLO alert); otherwise the standard kube-state-metrics labels
decide, most specific first: a pod, a Job, a Deployment, StatefulSet or
DaemonSet, a PersistentVolumeClaim, a node, a namespace. Names are checked
like any user input before they reach the API server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.cluster.names import check_name, check_namespace
from bot.errors import BadInput
from intents.schema import TARGET_LABELS

TargetKind = Literal["pod", "job", "deployment", "statefulset", "daemonset", "persistentvolumeclaim",
                     "node", "namespace"]
# (kind, the label naming it, whether it needs the namespace label), most specific first
ORDER: tuple[tuple[TargetKind, str, bool], ...] = (
    ("pod", "pod", True), ("job", "job_name", True), ("deployment", "deployment", True),
    ("statefulset", "statefulset", True), ("daemonset", "daemonset", True),
    ("persistentvolumeclaim", "persistentvolumeclaim", True), ("node", "node", False),
    ("namespace", "namespace", False),
)


@dataclass(frozen=True)
class AlertTarget:
    """The object to diagnose, and the cluster it lives in (None: the default cluster)."""

    kind: TargetKind
    name: str
    namespace: str | None = None
    cluster: str | None = None

    def __str__(self) -> str:
        if self.kind == "namespace":
            return f"namespace {self.name}"
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


def target_of(labels: Mapping[str, str], names: Sequence[str] | None) -> AlertTarget | None:
    """The alert's target; None when its labels (or the entry's `target: []`) name none, or a
    name is not a valid Kubernetes name."""
    usable = set(TARGET_LABELS if names is None else names)
    cluster = labels.get("cluster") if "cluster" in usable or names is None else None
    namespace = labels.get("namespace") if "namespace" in usable else None
    for kind, label, namespaced in ORDER:
        name = labels.get(label)
        if label not in usable or not name or (namespaced and not namespace):
            continue
        try:
            if kind == "namespace":
                return AlertTarget(kind, check_namespace(name), cluster=cluster)
            checked_ns = check_namespace(namespace) if namespaced and namespace else None
            return AlertTarget(kind, check_name(name, what=kind), checked_ns, cluster)
        except BadInput:
            return None
    return None
