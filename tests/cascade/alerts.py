"""Latency alerts for an app family, as Alertmanager lists them, from what the tiers measured.

No Prometheus runs on the node: the alerts are what a latency rule (the 95th percentile of a
Service's answers over the last minute above SLOW seconds) fires on the times the tiers log;
each family says where its tiers log their times (`Family.samples`). In the cascade app
(`samples` here) the users' answers time web (the load tier's log), web's access log times api
(`rt=` of the requests routed to it), api's warnings time catalog, billing and db (each call
slower than its SLOW_MS). A Service fires only on five samples or more in the window, so one
slow answer fires nothing. The window ends at the newest line logged (the recording's own
time), and each alert starts at the first slow sample in it. The listing is Alertmanager's v2
`GET /api/v2/alerts`, which `amtool alert query -o json` prints.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.cascade.family import Samples
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


def stamp(text: str) -> datetime:
    """The time of a line the load tier logs (Go's log: "2026/11/28 10:00:02")."""
    return datetime.strptime(text, "%Y/%m/%d %H:%M:%S").replace(tzinfo=UTC)


def users(logs: dict[str, str], pattern: re.Pattern[str], service: str, found: Samples) -> None:
    """The users' answers matched by `pattern` (time, number, unit) as `service`'s samples."""
    for line in logs.get("load", "").splitlines():
        if match := pattern.search(line):
            took = float(match[2]) / (1000.0 if match[3] == "ms" else 1.0)
            found.setdefault(service, []).append((stamp(match[1]), took))


def samples(logs: dict[str, str]) -> Samples:
    """Service -> (time, seconds) of each answer measured, from the cascade tiers' logs."""
    found: Samples = {}
    users(logs, LOAD, "web", found)
    for line in logs.get("web", "").splitlines():
        if match := WEB.search(line):
            found.setdefault("api", []).append((stamp(match[1]), float(match[2])))
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


def firing(
    logs: dict[str, str],
    namespace: str,
    measure: Callable[[dict[str, str]], Samples] = samples,
    name: str = ALERT,
) -> list[dict[str, Any]]:
    """The alerts the rule (alertname `name`) fires on what `measure` reads in the logs,
    slowest Service first."""
    measured = measure(logs)
    if not measured:
        return []
    now = max(when for found in measured.values() for when, _ in found)
    alerts = []
    for service, found in measured.items():
        recent = [(when, took) for when, took in found if when > now - WINDOW]
        slow = [when for when, took in recent if took > SLOW]
        value = p95([took for _, took in recent]) if recent else 0.0
        if len(slow) >= MINIMUM and value > SLOW:
            alerts.append(alert(service, namespace, value, min(slow), now, name))
    return sorted(alerts, key=lambda a: -float(a["annotations"]["value"]))


def alert(
    service: str, namespace: str, value: float, since: datetime, now: datetime, name: str = ALERT
) -> dict[str, Any]:
    labels = {"alertname": name, "namespace": namespace, "service": service, "severity": "warning"}
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
    return {tier: tier_log(view, tier, tail) for tier in view.family.tiers}


def fired(view: View) -> list[dict[str, Any]]:
    """The alerts the family's rule fires on what was logged since `view.since`."""
    family = view.family
    return firing(tier_logs(view), family.namespace, family.samples, family.alert_name)


def fire_on(*services: str) -> Check:
    """The rule fires for each of `services` on what was logged since the fault."""
    return lambda view: {a["labels"]["service"] for a in fired(view)} >= set(services)
