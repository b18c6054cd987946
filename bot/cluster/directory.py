"""Which clusters Slack users may read: an allowlist of kubeconfig contexts.

One Slack app can serve several clusters; `/diagnose pod CTX:NS/NAME` picks
a context, but only one named in KUBEMEDIC_CONTEXTS (empty: the current
context only).  Gateways are created once per context and reused.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.cluster.reader import ClusterReader
from bot.errors import BadInput
from bot.settings import Settings

Connector = Callable[[Settings, str | None], ClusterReader]
ApiErrorHook = Callable[[str, str, str], None]
"""(status, verb, resource) of one failed Kubernetes API request."""


class ClusterDirectory:
    """Allowlisted contexts to readers, created lazily and cached."""

    def __init__(
        self,
        settings: Settings,
        *,
        connector: Connector | None = None,
        on_api_error: ApiErrorHook | None = None,
    ) -> None:
        self._settings = settings
        self._connector = connector or self._connect
        self._readers: dict[str | None, ClusterReader] = {}
        self.on_api_error = on_api_error
        """Told about every failed request of every gateway made here (the metrics)."""

    def _connect(self, settings: Settings, context: str | None) -> ClusterReader:
        from bot.cluster.kubeconfig import connect

        return connect(settings, context=context, on_error=self._api_error)

    def _api_error(self, status: str, verb: str, resource: str) -> None:
        if self.on_api_error is not None:
            self.on_api_error(status, verb, resource)

    def reader(self, context: str | None) -> ClusterReader:
        """The reader for `context` (None = the default); BadInput if not allowlisted."""
        allowed = self._settings.contexts
        if context is not None and context not in allowed:
            names = ", ".join(allowed) or "none (set KUBEMEDIC_CONTEXTS)"
            raise BadInput(f"context {context!r} is not allowed; allowed contexts: {names}")
        if context not in self._readers:
            self._readers[context] = self._connector(self._settings, context)
        return self._readers[context]

    def reader_named(self, cluster_name: str) -> ClusterReader:
        """The reader whose cluster is `cluster_name` (a context name, or the default's name)."""
        for reader in self._readers.values():
            if reader.cluster_name == cluster_name:
                return reader
        if cluster_name in self._settings.contexts:
            return self.reader(cluster_name)
        default = self.reader(None)
        if default.cluster_name != cluster_name:
            raise BadInput(f"cluster {cluster_name!r} is not configured here")
        return default


HUB_READS_NO_CLUSTER = (
    "this kubemedic is a fleet hub: it reads no cluster itself; name the cluster "
    "(/diagnose pod CLUSTER:NS/NAME) and its agent reads it"
)


class NoClusters(ClusterDirectory):
    """A fleet hub's directory: no cluster may be read from here (its agents read them)."""

    def reader(self, context: str | None) -> ClusterReader:
        raise BadInput(HUB_READS_NO_CLUSTER)

    def reader_named(self, cluster_name: str) -> ClusterReader:
        raise BadInput(HUB_READS_NO_CLUSTER)
