"""A live cluster read with the alerts firing on it: what Alertmanager sent is a measured fact.

A recorded ticket carries its alerts (`amtool alert query -o json`, bot/cluster/outputs/
alerts.py); a live cluster has none to list, but the Alertmanager door holds the group it was
sent. Wrapping the reader with them lets the walk read them as it reads a recording's (the
snapshot takes a reader's `alerts`), so latency and error alerts name the deepest abnormal
Service live too. Everything else passes through to the wrapped reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, cast

from bot.cluster.reader import ClusterReader, JsonObject


def alert_fact(
    labels: Mapping[str, str], annotations: Mapping[str, str], starts: datetime
) -> JsonObject:
    """One firing alert in the shape the walk reads ({"labels", "annotations", "startsAt"})."""
    return {
        "labels": {str(k): str(v) for k, v in labels.items()},
        "annotations": {str(k): str(v) for k, v in annotations.items()},
        "startsAt": starts.isoformat(),
    }


def _key(alert: JsonObject) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), str(v)) for k, v in (alert.get("labels") or {}).items()))


class _Measured:
    """`inner`, carrying `alerts` beside the ones it holds (a recording's); every read passes
    through to it."""

    def __init__(self, inner: ClusterReader, alerts: Iterable[JsonObject]) -> None:
        self._inner = inner
        held = getattr(inner, "alerts", None)
        both = [*(held if isinstance(held, list) else ()), *alerts]
        self.alerts = list({_key(alert): alert for alert in both}.values())

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def measured(reader: ClusterReader, alerts: Iterable[JsonObject]) -> ClusterReader:
    """`reader`, with `alerts` firing on what it reads, beside those it holds already (a
    recording's alerts stay: the group one page carries is not all that fires)."""
    return cast(ClusterReader, _Measured(reader, alerts))
