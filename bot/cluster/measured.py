"""A live cluster read with the alerts firing on it: what Alertmanager sent is a measured fact.

A recorded ticket carries its alerts (`amtool alert query -o json`, bot/cluster/outputs/
alerts.py); a live cluster has none to list, but the Alertmanager door holds the group it was
sent. Wrapping the reader with them lets the walk read them as it reads a recording's (the
snapshot takes a reader's `alerts`), so latency and error alerts name the deepest abnormal
Service live too. Everything else the wrapped reader offers passes through.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from bot.cluster.reader import ClusterReader, JsonObject, Kind


def alert_fact(
    labels: Mapping[str, str], annotations: Mapping[str, str], starts: datetime
) -> JsonObject:
    """One firing alert in the shape the walk reads ({"labels", "annotations", "startsAt"})."""
    return {
        "labels": {str(k): str(v) for k, v in labels.items()},
        "annotations": {str(k): str(v) for k, v in annotations.items()},
        "startsAt": starts.isoformat(),
    }


class MeasuredReader:
    """`inner`, carrying the firing `alerts` a door received."""

    def __init__(self, inner: ClusterReader, alerts: Iterable[JsonObject]) -> None:
        self._inner = inner
        self.alerts: builtins.list[JsonObject] = builtins.list(alerts)

    @property
    def cluster_name(self) -> str:
        return self._inner.cluster_name

    async def get(self, kind: Kind, name: str, namespace: str | None = None) -> JsonObject:
        return await self._inner.get(kind, name, namespace)

    async def list(
        self,
        kind: Kind,
        namespace: str | None = None,
        *,
        field_selector: str | None = None,
        label_selector: str | None = None,
        limit: int | None = None,
    ) -> builtins.list[JsonObject]:
        return await self._inner.list(
            kind,
            namespace,
            field_selector=field_selector,
            label_selector=label_selector,
            limit=limit,
        )

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
        return await self._inner.logs(
            namespace,
            pod,
            container,
            previous=previous,
            tail_lines=tail_lines,
            limit_bytes=limit_bytes,
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)
