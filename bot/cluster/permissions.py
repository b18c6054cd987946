"""Every Kubernetes permission kubemedic uses, in one table.

Three readers of the same table: deploy/'s ClusterRoles must grant exactly
these (tests/hardening/test_rbac_usage.py derives what the code really calls
and holds it equal to this table, and the rendered roles to both),
`kubemedic doctor` asks the API server about each one (SelfSubjectAccessReview),
and a failed check names the rule to add. Reads are what a diagnosis needs;
remediation writes are reported apart, since a read-only install is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Permission:
    """One RBAC grant: `verb` on `resource` (plural, optionally `/subresource`) in API `group`."""

    group: str
    resource: str
    verb: str
    why: str = field(default="", compare=False)

    @property
    def grant(self) -> tuple[str, str, str]:
        """(group, resource, verb), the form the RBAC tests compare."""
        return self.group, self.resource, self.verb

    @property
    def plural(self) -> str:
        return self.resource.partition("/")[0]

    @property
    def subresource(self) -> str:
        return self.resource.partition("/")[2]

    def __str__(self) -> str:
        """kubectl's spelling: "get pods/log", "patch deployments.apps/scale"."""
        qualified = f"{self.plural}.{self.group}" if self.group else self.plural
        return f"{self.verb} {qualified}" + (f"/{self.subresource}" if self.subresource else "")


def _each(group: str, resources: tuple[str, ...], verb: str, why: str) -> tuple[Permission, ...]:
    return tuple(Permission(group, resource, verb, why) for resource in resources)


READ: tuple[Permission, ...] = (
    Permission("", "pods", "get", "the pod being diagnosed"),
    Permission("", "pods", "list", "a namespace's or a node's pods"),
    Permission("", "pods/log", "get", "current and previous logs of failing containers"),
    Permission("", "events", "list", "events about the object"),
    Permission("events.k8s.io", "events", "list", "events (events.k8s.io fallback)"),
    *_each(
        "", ("services", "resourcequotas"), "list", "services selecting the pod, namespace quotas"
    ),
    *_each(
        "",
        ("nodes", "persistentvolumeclaims", "persistentvolumes", "endpoints"),
        "get",
        "the pod's node, claims, volumes and service endpoints",
    ),
    Permission("", "services", "get", "the Service an alert names, before walking its chain"),
    Permission(
        "storage.k8s.io", "storageclasses", "list", "storage classes a pending claim could use"
    ),
    *_each(
        "apps",
        ("replicasets", "deployments", "statefulsets", "daemonsets"),
        "get",
        "the owner chain",
    ),
    Permission("batch", "jobs", "get", "the owner chain"),
    Permission("serving.knative.dev", "revisions", "get", "a Knative Revision owning the pods"),
    Permission("postgresql.cnpg.io", "clusters", "get", "a CloudNativePG Cluster owning the pods"),
    Permission("acme.cert-manager.io", "challenges", "get", "the ACME Challenge of a solver pod"),
    Permission("apiregistration.k8s.io", "apiservices", "get", "an APIService named in an error"),
    *_each(
        "",
        (
            "endpoints",
            "persistentvolumeclaims",
            "limitranges",
            "serviceaccounts",
            "nodes",
            "persistentvolumes",
        ),
        "list",
        "the namespace walk from a symptom to its suspects",
    ),
    *_each(
        "apps",
        ("replicasets", "deployments", "statefulsets", "daemonsets"),
        "list",
        "the namespace walk: workloads and their pods",
    ),
    *(
        Permission(group, plural, "list", f"the namespace walk: {what}")
        for group, plural, what in (
            ("networking.k8s.io", "ingresses", "routes to Services"),
            ("networking.k8s.io", "networkpolicies", "policies that shut callers out"),
            ("gateway.networking.k8s.io", "httproutes", "Gateway API routes"),
            ("networking.istio.io", "virtualservices", "Istio routes"),
            ("autoscaling", "horizontalpodautoscalers", "autoscalers"),
        )
    ),
)
"""What a diagnosis reads (deploy/base/rbac/clusterrole-read.yaml)."""

REMEDIATION: tuple[Permission, ...] = (
    Permission("", "pods", "delete", "delete a pod (restart, evicted)"),
    Permission("", "pods", "patch", "annotate runmode=debug"),
    Permission("", "persistentvolumeclaims", "delete", "delete-pvc-and-pod"),
    Permission("", "nodes", "patch", "cordon / uncordon"),
    *_each("apps", ("deployments", "statefulsets", "daemonsets"), "patch", "rollout restart"),
    Permission("apps", "deployments/scale", "patch", "scale a deployment"),
    Permission("apiregistration.k8s.io", "apiservices", "delete", "delete a stale APIService"),
)
"""What the remediation buttons write (deploy/components/remediation)."""

WATCH: tuple[Permission, ...] = tuple(
    Permission(group, resource, verb, "the opt-in cluster watcher")
    for group, resource in (
        ("", "pods"),
        ("", "nodes"),
        ("", "events"),
        ("events.k8s.io", "events"),
    )
    for verb in ("get", "list", "watch")
)
"""The opt-in watcher's streams (deploy/components/watch)."""
