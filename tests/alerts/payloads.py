"""Alertmanager webhook payloads in the shape notify/webhook sends (version "4").

`FIRING` is a real-shaped kube-prometheus notification; `group()` and
`alert()` build others the same way (groupKey, group/common labels and
annotations computed as Alertmanager computes them).
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "payloads"
FIRING: dict[str, Any] = json.loads((HERE / "crashloop-firing.json").read_text())
GO_ZERO = "0001-01-01T00:00:00Z"
RUNBOOK = "https://runbooks.prometheus-operator.dev/runbooks/kubernetes/{}"


def alert(
    name: str,
    *,
    status: str = "firing",
    fingerprint: str | None = None,
    starts: str = "2026-11-23T09:14:07.513Z",
    ends: str | None = None,
    summary: str | None = None,
    **labels: str,
) -> dict[str, Any]:
    """One alert; labels as keyword arguments (severity defaults to warning)."""
    all_labels = {"alertname": name, "severity": "warning", **labels}
    return {
        "status": status,
        "labels": all_labels,
        "annotations": {
            "summary": summary or f"{name} summary.",
            "description": f"{name} on {labels}.",
            "runbook_url": RUNBOOK.format(name.lower()),
        },
        "startsAt": starts,
        "endsAt": ends or (GO_ZERO if status == "firing" else "2026-11-23T09:28:07Z"),
        "generatorURL": "http://prometheus-k8s-0:9090/graph?g0.expr=up",
        "fingerprint": fingerprint
        or hashlib.sha256(json.dumps([name, sorted(labels.items())]).encode()).hexdigest()[:16],
    }


def group(
    *alerts: dict[str, Any],
    by: tuple[str, ...] = ("alertname", "namespace"),
    receiver: str = "kubemedic",
) -> dict[str, Any]:
    """A notification for `alerts`, grouped by `by` as an Alertmanager route would."""
    alerts_ = [copy.deepcopy(a) for a in alerts]
    group_labels = {k: alerts_[0]["labels"][k] for k in by if k in alerts_[0]["labels"]}
    common = {
        k: v
        for k, v in alerts_[0]["labels"].items()
        if all(a["labels"].get(k) == v for a in alerts_)
    }
    common_ann = {
        k: v
        for k, v in alerts_[0]["annotations"].items()
        if all(a["annotations"].get(k) == v for a in alerts_)
    }
    label_text = ", ".join(f'{k}="{v}"' for k, v in sorted(group_labels.items()))
    status = "firing" if any(a["status"] == "firing" for a in alerts_) else "resolved"
    return {
        "receiver": receiver,
        "status": status,
        "alerts": alerts_,
        "groupLabels": group_labels,
        "commonLabels": common,
        "commonAnnotations": common_ann,
        "externalURL": "http://alertmanager-main-0:9093",
        "version": "4",
        "groupKey": f'{{}}/{{severity=~"warning|critical"}}:{{{label_text}}}',
        "truncatedAlerts": 0,
    }


def resolved(notification: dict[str, Any]) -> dict[str, Any]:
    """The same group with every alert resolved, as Alertmanager sends it with send_resolved."""
    out = copy.deepcopy(notification)
    out["status"] = "resolved"
    for each in out["alerts"]:
        each["status"] = "resolved"
        each["endsAt"] = "2026-11-23T09:28:07Z"
    return out


def body(notification: dict[str, Any]) -> bytes:
    return json.dumps(notification).encode()
