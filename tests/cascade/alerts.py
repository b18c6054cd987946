"""Latency alerts for the cascade app, as Alertmanager lists them, from what the tiers measured.

No Prometheus runs on the node: the alerts are what a latency rule (the 95th percentile of a
Service's answers over the last minute above SLOW seconds) fires on the times the tiers log.
The users' answers time web (the load tier's log), web's access log times api (`rt=` of the
requests routed to it), api's warnings time catalog, billing and db (each call slower than its
SLOW_MS). A Service fires only on five samples or more in the window, so one slow answer
fires nothing. The window ends at the newest line logged (the recording's own time), and each
alert starts at the first slow sample in it. The listing is Alertmanager's v2 `GET
/api/v2/alerts`, which `amtool alert query -o json` prints.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.cascade.app import TIERS
from tests.cascade.reading import Check, View, tier_log

SLOW = 0.5
"""Seconds: the rule fires when the 95th percentile of a Service's answers is above it."""
WINDOW = timedelta(minutes=1)
MINIMUM = 5
ALERT = "HighRequestLatency"
LOAD = re.compile(
    r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) GET http://web/api/orders: .* in ([\d.]+)(ms|s)$"
)
WEB = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) .* rt=([\d.]+) upstream=api:")


def _stamp(text: str) -> datetime:
    return datetime.strptime(text, "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)


def samples(logs: dict[str, str]) -> dict[str, list[tuple[datetime, float]]]:
    """Service -> (time, seconds) of each answer measured, from the tiers' logs."""
    found: dict[str, list[tuple[datetime, float]]] = {}
    for line in logs.get("load", "").splitlines():
        if match := LOAD.search(line):
            took = float(match[2]) / (1000.0 if match[3] == "ms" else 1.0)
            found.setdefault("web", []).append((_stamp(match[1]), took))
    for line in logs.get("web", "").splitlines():
        if match := WEB.search(line):
            found.setdefault("api", []).append((_stamp(match[1]), float(match[2])))
    for line in logs.get("api", "").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and "duration_ms" in entry and "upstream" in entry:
            when = datetime.strptime(entry["ts"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            found.setdefault(str(entry["upstream"]), []).append((when, entry["duration_ms"] / 1000))
    return found


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def firing(logs: dict[str, str], namespace: str) -> list[dict[str, Any]]:
    """The alerts the rule fires on the logs, slowest Service first."""
    measured = samples(logs)
    if not measured:
        return []
    now = max(when for found in measured.values() for when, _ in found)
    alerts = []
    for service, found in measured.items():
        recent = [(when, took) for when, took in found if when > now - WINDOW]
        slow = [when for when, took in recent if took > SLOW]
        value = p95([took for _, took in recent]) if recent else 0.0
        if len(slow) >= MINIMUM and value > SLOW:
            alerts.append(alert(service, namespace, value, min(slow), now))
    return sorted(alerts, key=lambda a: -float(a["annotations"]["value"]))


def alert(
    service: str, namespace: str, value: float, since: datetime, now: datetime
) -> dict[str, Any]:
    labels = {"alertname": ALERT, "namespace": namespace, "service": service, "severity": "warning"}
    stamp = "%Y-%m-%dT%H:%M:%S.000Z"
    return {
        "annotations": {
            "summary": f"{service}: 95th percentile latency {value:.2f}s over the last minute "
            f"(threshold {SLOW}s)",
            "description": f"Requests to {service} in {namespace} are slow.",
            "value": f"{value:.3f}",
        },
        "endsAt": (now + timedelta(minutes=4)).strftime(stamp),
        "fingerprint": hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16],
        "receivers": [{"name": "kubemedic"}],
        "startsAt": since.strftime(stamp),
        "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"},
        "updatedAt": now.strftime(stamp),
        "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=histogram_quantile",
        "labels": labels,
    }


def tier_logs(view: View, tail: int = 200) -> dict[str, str]:
    """Tier -> what its pods logged since `view.since` (what the rule reads)."""
    return {tier: tier_log(view, tier, tail) for tier in TIERS}


def fire_on(*services: str) -> Check:
    """The rule fires for each of `services` on what was logged since the fault."""

    def check(view: View) -> bool:
        fired = {a["labels"]["service"] for a in firing(tier_logs(view), view.namespace)}
        return fired >= set(services)

    return check
