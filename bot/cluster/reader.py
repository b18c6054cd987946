"""What the diagnosis needs from a cluster, whether live or from a dump.

Objects are plain JSON dicts exactly as the API server returns them
(camelCase keys, `status.containerStatuses`, ...), so the live gateway and
the `kubectl cluster-info dump` reader are interchangeable and collectors
never touch the `kubernetes` client's model classes.
"""

from __future__ import annotations

from typing import Any, Literal, Protocol, TypedDict, Unpack, runtime_checkable

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


class Listing(TypedDict, total=False):
    """How a list is narrowed: by fields, by labels, to at most `limit` objects (as the API's
    fieldSelector, labelSelector and limit)."""

    field_selector: str | None
    label_selector: str | None
    limit: int | None


class LogWindow(TypedDict, total=False):
    """Which log, and how much of its tail: the previous container's, its last lines, at most
    its bytes (`log_window` fills what is not given)."""

    previous: bool
    tail_lines: int
    limit_bytes: int


def log_window(window: LogWindow) -> tuple[bool, int, int]:
    """(previous, tail_lines, limit_bytes): the current log's last 200 lines, at most 64 KiB,
    where `window` does not say."""
    return (
        window.get("previous", False),
        window.get("tail_lines", 200),
        window.get("limit_bytes", 64 * 1024),
    )


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
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> list[JsonObject]:
        """Objects of a kind (all namespaces when namespace is None), at most `limit`."""
        ...

    async def logs(
        self, namespace: str, pod: str, container: str, **window: Unpack[LogWindow]
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
