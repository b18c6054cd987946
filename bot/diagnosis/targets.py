"""The focus of a question (bot/diagnosis/question.py), and which one an alert's labels name.

Every door names what it asks about as a `Focus`: a slash command or the CLI names it, an
alert's or a page's labels name it here, the watcher names the pod or node it saw fail.

The catalog entry that claims the alert may name the label names to use
(`target:`; empty means there is nothing in the cluster to read, e.g. an
API-server SLO alert); otherwise the standard kube-state-metrics labels
decide, most specific first: a pod, a Job, a Deployment, StatefulSet or
DaemonSet, a PersistentVolumeClaim, a node, a Service, a namespace. A Service
comes from `service`, or from Prometheus' `job` (the Prometheus Operator names
a scrape job after the Service it scrapes); on kube-state-metrics' own alerts
those name the exporter's Service, which the namespace named does not hold,
and the walk then reads the whole namespace (bot/diagnosis/explaining.py).
Names are checked like any user input before they reach the API server.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.cluster.names import check_name, check_namespace
from bot.errors import BadInput
from intents.schema import TARGET_LABELS

TargetKind = Literal[
    "pod",
    "job",
    "deployment",
    "statefulset",
    "daemonset",
    "persistentvolumeclaim",
    "node",
    "service",
    "namespace",
]
# (kind, the label naming it, whether it needs the namespace label), most specific first
ORDER: tuple[tuple[TargetKind, str, bool], ...] = (
    ("pod", "pod", True),
    ("job", "job_name", True),
    ("deployment", "deployment", True),
    ("statefulset", "statefulset", True),
    ("daemonset", "daemonset", True),
    ("persistentvolumeclaim", "persistentvolumeclaim", True),
    ("node", "node", False),
    ("service", "service", True),
    ("service", "job", True),
    ("namespace", "namespace", False),
)
DEFAULT_LABELS = (*TARGET_LABELS, "job")
"""The labels read when no catalog entry names its own (`job`: a Prometheus scrape job)."""


@dataclass(frozen=True)
class Focus:
    """The object asked about, and the cluster it lives in (None: the default cluster)."""

    kind: TargetKind
    name: str
    namespace: str | None = None
    cluster: str | None = None
    symptom: str = ""
    """What is seen ("checkout is failing", an alert's name and summary): ranks a walk's suspects."""
    loose: bool = False
    """Named by labels, not by a person: a Service the namespace does not hold walks the namespace."""

    def __str__(self) -> str:
        if self.kind == "namespace":
            return f"namespace {self.name}"
        where = f"{self.namespace}/" if self.namespace else ""
        return f"{self.kind} {where}{self.name}"


def target_of(labels: Mapping[str, str], names: Sequence[str] | None) -> Focus | None:
    """The alert's target; None when its labels (or the entry's `target: []`) name none, or a
    name is not a valid Kubernetes name."""
    usable = set(DEFAULT_LABELS if names is None else names)
    cluster = labels.get("cluster") if "cluster" in usable or names is None else None
    namespace = labels.get("namespace") if "namespace" in usable else None
    for kind, label, namespaced in ORDER:
        name = labels.get(label)
        if label not in usable or not name or (namespaced and not namespace):
            continue
        try:
            if kind == "namespace":
                return Focus(kind, check_namespace(name), cluster=cluster, loose=True)
            checked_ns = check_namespace(namespace) if namespaced and namespace else None
            if kind == "service" and not _service_name(name):
                continue  # a scrape job named "kubernetes-pods/..." or "Shop API" is no Service
            return Focus(kind, check_name(name, what=kind), checked_ns, cluster, loose=True)
        except BadInput:
            return None
    return None


def _service_name(name: str) -> bool:
    """A Service's name is a DNS-1123 label: lowercase letters, digits and dashes, at most 63."""
    return (
        0 < len(name) <= 63
        and name[0].isalnum()
        and name[-1].isalnum()
        and all(ch.islower() or ch.isdigit() or ch == "-" for ch in name)
    )
