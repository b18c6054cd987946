"""What the market app's monitoring sees: latency from its tiers' own logs, and the alerts a team lives with.

Latency (for tests/cascade/alerts.py's rule): the users' answers time storefront (the load
tier's log, for the home page and the checkout), the gateway's Envoy access log times the
gateway and, per route, the Service behind it (DURATION, until the answer is complete, as
Envoy's upstream_rq_time: /api/products is inventory, /api/orders is orders), as a team's
per-route rule would label them. The chronic alerts are kube-prometheus-stack's, from the cluster's own state: Watchdog
(always firing, by design) and KubeJobFailed for each failed Job of the namespace.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.cascade.alerts import users
from tests.cascade.family import Samples
from tests.cascade.reading import View

LOAD = re.compile(
    r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) (?:GET|POST) http://shop\.example\.test/\S*: .* in ([\d.]+)(ms|s)$"
)
ENVOY = re.compile(r'^\[(\S+)\] "\w+ (/api/\w+)\S* HTTP/1\.1" \d+ \S+ \d+ \d+ (\d+) (\d+|-) ')
ROUTES = {"/api/products": "inventory", "/api/orders": "orders"}
STAMP = "%Y-%m-%dT%H:%M:%S.000Z"


def samples(logs: dict[str, str]) -> Samples:
    """Service -> (time, seconds) of each answer measured, from the market tiers' logs."""
    found: Samples = {}
    users(logs, LOAD, "storefront", found)
    for line in logs.get("gateway", "").splitlines():
        if match := ENVOY.search(line):
            when = datetime.strptime(match[1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
            found.setdefault("gateway", []).append((when, int(match[3]) / 1000))
            if match[4] != "-" and match[2] in ROUTES:  # (answered by the upstream)
                found.setdefault(ROUTES[match[2]], []).append((when, int(match[3]) / 1000))
    return found


def _alert(labels: dict[str, str], annotations: dict[str, str], since: datetime) -> dict[str, Any]:
    now = datetime.now(UTC)
    return {
        "annotations": annotations,
        "endsAt": (now + timedelta(minutes=4)).strftime(STAMP),
        "fingerprint": hashlib.sha256(json.dumps(labels, sort_keys=True).encode()).hexdigest()[:16],
        "receivers": [{"name": "kubemedic"}],
        "startsAt": since.strftime(STAMP),
        "status": {"inhibitedBy": [], "silencedBy": [], "state": "active"},
        "updatedAt": now.strftime(STAMP),
        "generatorURL": "http://prometheus.monitoring:9090/graph?g0.expr=vector%281%29",
        "labels": labels,
    }


def chronic(view: View) -> list[dict[str, Any]]:
    """Watchdog, and KubeJobFailed for each failed Job of the namespace."""
    started = datetime.now(UTC) - timedelta(hours=6)
    alerts = [
        _alert(
            {
                "alertname": "Watchdog",
                "prometheus": "monitoring/kube-prometheus",
                "severity": "none",
            },
            {
                "summary": "An alert that should always be firing to certify that Alertmanager "
                "is working properly.",
                "description": "This is an alert meant to ensure that the entire alerting "
                "pipeline is functional.",
            },
            started,
        )
    ]
    for job in view.api.list("Job", view.namespace)["items"]:
        failed = [
            c
            for c in (job.get("status") or {}).get("conditions") or []
            if c["type"] == "Failed" and c["status"] == "True"
        ]
        if not failed:
            continue
        name = job["metadata"]["name"]
        since = datetime.strptime(failed[0]["lastTransitionTime"], "%Y-%m-%dT%H:%M:%SZ")
        alerts.append(
            _alert(
                {
                    "alertname": "KubeJobFailed",
                    "namespace": view.namespace,
                    "job_name": name,
                    "severity": "warning",
                },
                {
                    "summary": "Job failed to complete.",
                    "description": f"Job {view.namespace}/{name} failed to complete. Removing "
                    "failed job after investigation should clear this alert.",
                    "runbook_url": "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/kubejobfailed",
                },
                since.replace(tzinfo=UTC),
            )
        )
    return alerts
