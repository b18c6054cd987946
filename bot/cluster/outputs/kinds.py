"""The kinds a recorded `kubectl` output can name, with every spelling kubectl accepts.

`bot.cluster.kinds.KINDS` lists what the live gateway reads; people's recordings
also hold kinds it does not (ServiceAccounts, ConfigMaps, LimitRanges, Leases,
Secrets, Ingresses, ...), and name them as kubectl lets them: `po`, `svc`,
`deploy`, `deployment.apps`, `Pod`.  Each row gives the plural the reader serves
the kind under, its apiVersion, its `kind`, and whether it is namespaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cluster.kinds import KINDS


@dataclass(frozen=True)
class OutputKind:
    """One kind as the outputs reader serves it."""

    plural: str
    api_version: str
    kind: str
    namespaced: bool


_EXTRA: tuple[OutputKind, ...] = (
    OutputKind("serviceaccounts", "v1", "ServiceAccount", True),
    OutputKind("configmaps", "v1", "ConfigMap", True),
    OutputKind("secrets", "v1", "Secret", True),
    OutputKind("limitranges", "v1", "LimitRange", True),
    OutputKind("namespaces", "v1", "Namespace", False),
    OutputKind("replicationcontrollers", "v1", "ReplicationController", True),
    OutputKind("leases", "coordination.k8s.io/v1", "Lease", True),
    OutputKind("endpointslices", "discovery.k8s.io/v1", "EndpointSlice", True),
    OutputKind("cronjobs", "batch/v1", "CronJob", True),
    OutputKind("networkpolicies", "networking.k8s.io/v1", "NetworkPolicy", True),
    OutputKind("poddisruptionbudgets", "policy/v1", "PodDisruptionBudget", True),
    OutputKind("roles", "rbac.authorization.k8s.io/v1", "Role", True),
    OutputKind("rolebindings", "rbac.authorization.k8s.io/v1", "RoleBinding", True),
    OutputKind("clusterroles", "rbac.authorization.k8s.io/v1", "ClusterRole", False),
    OutputKind("clusterrolebindings", "rbac.authorization.k8s.io/v1", "ClusterRoleBinding", False),
    OutputKind("priorityclasses", "scheduling.k8s.io/v1", "PriorityClass", False),
)

OUTPUT_KINDS: dict[str, OutputKind] = {
    **{
        name: OutputKind(name, spec.api_version, spec.kind, spec.namespaced)
        for name, spec in KINDS.items()
        if name != "events.k8s.io"
    },
    **{k.plural: k for k in _EXTRA},
}

_SHORT = {
    "po": "pods",
    "svc": "services",
    "deploy": "deployments",
    "rs": "replicasets",
    "sts": "statefulsets",
    "ds": "daemonsets",
    "ep": "endpoints",
    "no": "nodes",
    "pvc": "persistentvolumeclaims",
    "pv": "persistentvolumes",
    "sc": "storageclasses",
    "quota": "resourcequotas",
    "limits": "limitranges",
    "sa": "serviceaccounts",
    "cm": "configmaps",
    "ev": "events",
    "ing": "ingresses",
    "netpol": "networkpolicies",
    "cj": "cronjobs",
    "hpa": "horizontalpodautoscalers",
    "pdb": "poddisruptionbudgets",
    "ns": "namespaces",
    "rc": "replicationcontrollers",
    "pc": "priorityclasses",
    "endpointslice": "endpointslices",
    "vs": "virtualservices",
}


def _spellings() -> dict[str, str]:
    names: dict[str, str] = {}
    for plural, row in OUTPUT_KINDS.items():
        group = row.api_version.rpartition("/")[0]
        for word in (plural, row.kind.lower(), plural.removesuffix("s")):
            names[word] = plural
            if group:
                names[f"{word}.{group}"] = plural
    names["endpoints"] = "endpoints"
    names["resourcequota"] = "resourcequotas"
    names["limitrange"] = "limitranges"
    names["event"] = names["events.k8s.io"] = "events"
    return {**names, **_SHORT}


SPELLINGS: dict[str, str] = _spellings()
ALL_KINDS = (
    "pods",
    "services",
    "daemonsets",
    "deployments",
    "replicasets",
    "statefulsets",
    "jobs",
    "cronjobs",
    "horizontalpodautoscalers",
    "replicationcontrollers",
)
"""What `kubectl get all` prints."""


def resolve(word: str) -> str | None:
    """The plural a kubectl resource word names (`po`, `Deployment`, `deployment.apps`), or None."""
    lowered = word.strip().lower()
    if lowered in SPELLINGS:
        return SPELLINGS[lowered]
    head = lowered.split(".", 1)[0]
    return SPELLINGS.get(head) if "." in lowered else None


def kind_of(plural: str) -> OutputKind:
    """The row of a plural the reader knows; an unknown plural gets a generic namespaced row."""
    return OUTPUT_KINDS.get(plural) or OutputKind(
        plural, "v1", plural[:1].upper() + plural[1:], True
    )


def custom_plural(kind: str) -> str:
    """The plural a kind kubectl itself does not know is kept under (a custom resource's)."""
    return kind.lower() + "s"
