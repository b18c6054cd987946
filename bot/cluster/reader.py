"""What the diagnosis needs from a cluster, whether live or from a dump.

Objects are plain JSON dicts exactly as the API server returns them
(camelCase keys, `status.containerStatuses`, ...), so the live gateway and
the `kubectl cluster-info dump` reader are interchangeable and collectors
never touch the `kubernetes` client's model classes.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, runtime_checkable

Kind = Literal[
    "pods",
    "events",
    "events.k8s.io",
    "nodes",
    "persistentvolumeclaims",
    "persistentvolumes",
    "storageclasses",
    "replicasets",
    "deployments",
    "statefulsets",
    "daemonsets",
    "jobs",
    "services",
    "endpoints",
    "resourcequotas",
    "limitranges",
    "serviceaccounts",
    "apiservices",
    "ingresses",
    "networkpolicies",
    "horizontalpodautoscalers",
    "httproutes",
    "virtualservices",
    "revisions.serving.knative.dev",
    "clusters.postgresql.cnpg.io",
    "challenges.acme.cert-manager.io",
]

"""The kinds of `bot.cluster.kinds.KINDS` (a test keeps the two equal)."""

JsonObject = dict[str, Any]


class ClusterReader(Protocol):
    """Read-only access to one cluster. Every method may raise a `ClusterError`."""

    @property
    def cluster_name(self) -> str:
        """Human name of the cluster (kubeconfig context, or 'dump:<dir>')."""
        ...

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        """One object; raises NotFound when it does not exist."""
        ...

    async def list(
        self,
        kind: Kind,
        namespace: str | None = None,
        *,
        field_selector: str | None = None,
        label_selector: str | None = None,
        limit: int | None = None,
    ) -> list[JsonObject]:
        """Objects of a kind (all namespaces when namespace is None), at most `limit`."""
        ...

    async def logs(
        self,
        namespace: str,
        pod: str,
        container: str,
        *,
        previous: bool = False,
        tail_lines: int = 200,
        limit_bytes: int = 64 * 1024,
    ) -> str:
        """The tail of a container's current or previous log."""
        ...


@runtime_checkable
class PartialReader(Protocol):
    """A reader over text (recorded outputs, a paste), which may not show everything: a kind
    nobody listed, a column a table does not print. A live cluster or a dump shows all it has."""

    def complete(self, kind: str, namespace: str | None) -> bool:
        """Every object of `kind` in `namespace` is shown: one not among them is absent."""
        ...

    def unseen(self, kind: str, namespace: str | None, name: str) -> frozenset[str]:
        """The facts of one object the input did not show (bot/cluster/seen.py names them)."""
        ...
