"""A cluster read from files, redacted as it is handed to evidence: `--from-dump` and `--from-outputs`.

The live gateway redacts what the API server says where it reads it (`KubeGateway`); a dump's
or a ticket's recorded outputs are the same words from files, so the reader over them is
wrapped here: every object and list read is redacted as JSON (each string, and the value of a
secret-named `name`/`value` pair: a container's env), every log and node service journal as
text. What the wrapped reader offers besides (`skipped`, `close`, ...) passes through. With
`shown` (`kubemedic ... --show-secrets`, the one way out) everything passes as it was read.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable
from typing import Any, Unpack

from bot.cluster.reader import ClusterReader, JsonObject, Kind, Listing, LogWindow
from responses.redaction import Redacted, redact, redact_json, shown_by_request


class RedactedReader:
    """`inner`, with everything it reads redacted before anyone sees it (unless `shown`)."""

    def __init__(
        self, inner: ClusterReader, *, shown: bool = False, name: str | None = None
    ) -> None:
        self._inner = inner
        self._shown = shown
        self._name = name
        """What answers and buttons call the cluster, when not the inner reader's name."""

    def _json(self, value: Any) -> Any:
        return value if self._shown else redact_json(value)

    @property
    def cluster_name(self) -> str:
        return self._name or self._inner.cluster_name

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        found: JsonObject = self._json(await self._inner.get(kind, name, namespace))
        return found

    async def list(
        self, kind: Kind, namespace: str | None = None, **listing: Unpack[Listing]
    ) -> builtins.list[JsonObject]:
        found = await self._inner.list(kind, namespace, **listing)
        listed: builtins.list[JsonObject] = self._json(found)
        return listed

    async def logs(
        self, namespace: str, pod: str, container: str, **window: Unpack[LogWindow]
    ) -> Redacted:
        text = await self._inner.logs(namespace, pod, container, **window)
        return shown_by_request(text) if self._shown else redact(text)

    def __getattr__(self, name: str) -> Any:
        """What else the inner reader offers; its node services' journals redacted too."""
        found = getattr(self._inner, name)
        if name == "node_services":
            return self._redacted_call(found)
        return found

    def _redacted_call(self, read: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[Any]]:
        async def redacted() -> Any:
            return self._json(await read())

        return redacted
