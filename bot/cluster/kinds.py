"""Every Kubernetes resource kind kubemedic reads, in one table.

Adding a kind is one line here (plus the `Kind` literal in `reader.py`,
which a test keeps equal to this table): the live gateway's URL paths, the
RBAC name the permission tests derive, whether it is cluster-scoped, and
how a `kubectl cluster-info dump` stores it all come from the same row.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindSpec:
    """Where a kind lives in the API, how RBAC names it, and how a dump stores it."""

    api_version: str
    """"v1" for the core group, else "group/version"."""
    kind: str
    plural: str
    namespaced: bool
    dumped_by_kubectl: bool = False
    """`kubectl cluster-info dump` writes it (the others come from extra `kubectl get -o json` files)."""
    in_dump_files: bool = True
    """A dump directory can hold it at all (an events.k8s.io Event is read as a core Event)."""

    @property
    def group(self) -> str:
        return self.api_version.rpartition("/")[0]

    @property
    def prefix(self) -> str:
        """The API path the kind's URLs start with."""
        return f"/apis/{self.api_version}" if self.group else f"/api/{self.api_version}"

    @property
    def rbac(self) -> str:
        """The resource as RBAC rules and error messages name it ("deployments.apps")."""
        return f"{self.plural}.{self.group}" if self.group else self.plural


KINDS: dict[str, KindSpec] = {
    "pods": KindSpec("v1", "Pod", "pods", True, dumped_by_kubectl=True),
    "events": KindSpec("v1", "Event", "events", True, dumped_by_kubectl=True),
    "events.k8s.io": KindSpec("events.k8s.io/v1", "Event", "events", True, in_dump_files=False),
    "nodes": KindSpec("v1", "Node", "nodes", False),
    "persistentvolumeclaims": KindSpec(
        "v1", "PersistentVolumeClaim", "persistentvolumeclaims", True
    ),
    "persistentvolumes": KindSpec("v1", "PersistentVolume", "persistentvolumes", False),
    "services": KindSpec("v1", "Service", "services", True, dumped_by_kubectl=True),
    "endpoints": KindSpec("v1", "Endpoints", "endpoints", True),
    "resourcequotas": KindSpec("v1", "ResourceQuota", "resourcequotas", True),
    "limitranges": KindSpec("v1", "LimitRange", "limitranges", True),
    "serviceaccounts": KindSpec("v1", "ServiceAccount", "serviceaccounts", True),
    "storageclasses": KindSpec("storage.k8s.io/v1", "StorageClass", "storageclasses", False),
    "replicasets": KindSpec("apps/v1", "ReplicaSet", "replicasets", True, dumped_by_kubectl=True),
    "deployments": KindSpec("apps/v1", "Deployment", "deployments", True, dumped_by_kubectl=True),
    "statefulsets": KindSpec("apps/v1", "StatefulSet", "statefulsets", True),
    "daemonsets": KindSpec("apps/v1", "DaemonSet", "daemonsets", True, dumped_by_kubectl=True),
    "jobs": KindSpec("batch/v1", "Job", "jobs", True),
    "apiservices": KindSpec("apiregistration.k8s.io/v1", "APIService", "apiservices", False),
    # what routes users to Services and scales workloads (the suspects walk's routes and HPAs)
    "ingresses": KindSpec("networking.k8s.io/v1", "Ingress", "ingresses", True),
    "networkpolicies": KindSpec("networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", True),
    "horizontalpodautoscalers": KindSpec(
        "autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", True
    ),
    # routes of add-ons: a cluster without their CRDs has none (a 404 there is no gap)
    "httproutes": KindSpec("gateway.networking.k8s.io/v1", "HTTPRoute", "httproutes", True),
    "virtualservices": KindSpec(
        "networking.istio.io/v1beta1", "VirtualService", "virtualservices", True
    ),
    # custom resources that own pods and report their cause (intents.facts.custom_status)
    "revisions.serving.knative.dev": KindSpec(
        "serving.knative.dev/v1", "Revision", "revisions", True
    ),
    "clusters.postgresql.cnpg.io": KindSpec("postgresql.cnpg.io/v1", "Cluster", "clusters", True),
    "challenges.acme.cert-manager.io": KindSpec(
        "acme.cert-manager.io/v1", "Challenge", "challenges", True
    ),
}

CLUSTER_SCOPED: frozenset[str] = frozenset(
    name for name, spec in KINDS.items() if not spec.namespaced
)
DUMPED_BY_KUBECTL: frozenset[str] = frozenset(
    name for name, spec in KINDS.items() if spec.dumped_by_kubectl
)
DUMP_TYPES: dict[str, tuple[str, str]] = {
    name: (spec.api_version, spec.kind) for name, spec in KINDS.items() if spec.in_dump_files
}
"""(apiVersion, kind) the dump reader gives the objects of each kind it can read."""
