"""Firing alerts a ticket carries: Alertmanager's own listing, as `amtool alert query -o json`
or its API (`curl .../api/v2/alerts`) prints it.

Metrics are facts only where they were measured: a CPUThrottlingHigh that fired is one, a guess
from the objects is not. Each alert is kept as Alertmanager gives it (labels, annotations, its
state and since when); which catalog entry explains it is the catalog's `alerts:` claims.
"""

from __future__ import annotations

import json
import re
from typing import Any

from bot.cluster.reader import JsonObject

MAX_ALERTS = 500
_ALERTS_COMMAND = re.compile(
    r"^(?>[^\n]*?\bamtool\b).*\balerts?\b|/api/v[12]/alerts\b", re.MULTILINE
)  # a line's first amtool only: the text after it holds the text after any later one


def alerts_command(text: str) -> bool:
    """The command lists Alertmanager's alerts."""
    return bool(_ALERTS_COMMAND.search(text))


def _listing(data: object) -> list[object]:
    """The alerts of v2's list, v1's {"data": [...]}, or amtool's list."""
    if isinstance(data, dict):
        data = data.get("data")
    return data if isinstance(data, list) else []


def _state(alert: JsonObject) -> Any:
    """An alert's `status.state`, when it has a status."""
    status = alert.get("status")
    return (status or {}).get("state") if isinstance(status, dict) else None


def read_alerts(lines: list[str]) -> list[JsonObject] | None:
    """The firing alerts the output lists (None: it is no alert listing kubemedic reads)."""
    try:
        data = json.loads("\n".join(lines))
    except ValueError:
        return None
    found = []
    for alert in _listing(data)[:MAX_ALERTS]:
        if not isinstance(alert, dict) or not isinstance(alert.get("labels"), dict):
            continue
        if _state(alert) in (None, "active", "firing"):
            found.append(
                {
                    "labels": {str(k): str(v) for k, v in alert["labels"].items()},
                    "annotations": dict(alert.get("annotations") or {}),
                    "startsAt": str(alert.get("startsAt") or ""),
                }
            )
    return found
