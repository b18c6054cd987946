"""Firing alerts a ticket carries: Alertmanager's own listing, as `amtool alert query -o json`
or its API (`curl .../api/v2/alerts`) prints it, or Prometheus's (`curl .../api/v1/alerts`, the
alerts of `/api/v1/rules`), which say `state: firing` and `activeAt`.

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
    r"^(?>[^\n]*?\bamtool\b).*\balerts?\b|/api/v[12]/(?:alerts|rules)\b", re.MULTILINE
)  # a line's first amtool only: the text after it holds the text after any later one


def alerts_command(text: str) -> bool:
    """The command lists Alertmanager's alerts."""
    return bool(_ALERTS_COMMAND.search(text))


def _prometheus(data: dict[str, Any]) -> list[object]:
    """Prometheus's alerts: {"alerts": [...]}, or each alerting rule's in {"groups": [...]}."""
    if isinstance(data.get("alerts"), list):
        return list(data["alerts"])
    groups = data.get("groups")
    listed = groups if isinstance(groups, list) else []
    rules = [r for g in listed if isinstance(g, dict) for r in g.get("rules") or []]
    return [a for r in rules if isinstance(r, dict) for a in r.get("alerts") or []]


def _listing(data: object) -> list[object]:
    """The alerts of v2's list, v1's {"data": [...]}, amtool's list, or Prometheus's
    {"data": {...}}."""
    if isinstance(data, dict):
        data = data.get("data")
    if isinstance(data, dict):
        return _prometheus(data)
    return data if isinstance(data, list) else []


def _state(alert: JsonObject) -> Any:
    """An alert's `status.state` (Alertmanager) or `state` (Prometheus), when it says one."""
    status = alert.get("status")
    if isinstance(status, dict):
        return status.get("state")
    state = alert.get("state")
    return state if isinstance(state, str) else None


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
                    "startsAt": str(alert.get("startsAt") or alert.get("activeAt") or ""),
                }
            )
    return found
