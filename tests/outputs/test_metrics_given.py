"""Metrics when given: firing alerts and `kubectl top` in a ticket's folder are facts the walk
names causes from; without them a fault only metrics show gets no guess, but a line saying what
to give (`diagnose namespace --from-outputs`, run in process)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.cli.runner import kubemedic_in_process

PODS = """\
$ kubectl get pods -n shop
NAME                        READY   STATUS    RESTARTS   AGE
cart-5d9f7c8b6-x2x4q        1/1     Running   0          3h
checkout-7c9d8b6f5-k2p9z    1/1     Running   0          3h
"""
SERVICES = """\
$ kubectl get services -n shop
NAME       TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)    AGE
cart       ClusterIP   10.96.10.11    <none>        7070/TCP   3d
checkout   ClusterIP   10.96.10.12    <none>        5050/TCP   3d
"""
DEPLOYMENTS = """\
$ kubectl get deployments -n shop
NAME       READY   UP-TO-DATE   AVAILABLE   AGE
cart       1/1     1            1           3d
checkout   1/1     1            1           3d
"""
DESCRIBE_CART = """\
$ kubectl describe pod cart-5d9f7c8b6-x2x4q -n shop
Name:             cart-5d9f7c8b6-x2x4q
Namespace:        shop
Labels:           app=cart
                  pod-template-hash=5d9f7c8b6
Status:           Running
Controlled By:    ReplicaSet/cart-5d9f7c8b6
Containers:
  server:
    Image:          registry.example.com/shop/cart:2.4.1
    Port:           7070/TCP
    State:          Running
    Ready:          True
    Restart Count:  0
    Limits:
      cpu:     200m
      memory:  256Mi
    Requests:
      cpu:        100m
      memory:     128Mi
"""
TOP = """\
$ kubectl top pods -n shop
NAME                        CPU(cores)   MEMORY(bytes)
cart-5d9f7c8b6-x2x4q        199m         120Mi
checkout-7c9d8b6f5-k2p9z    12m          80Mi
"""


def _alerts(*alerts: dict[str, Any]) -> str:
    return "$ amtool alert query -o json\n" + json.dumps(list(alerts), indent=2) + "\n"


def _suspects(tmp_path: Path, *outputs: str, symptom: str) -> dict[str, Any]:
    for number, text in enumerate(outputs):
        (tmp_path / f"{number:02d}.txt").write_text(text)
    result = kubemedic_in_process(
        "diagnose",
        "namespace",
        "shop",
        "--from-outputs",
        str(tmp_path),
        "--symptom",
        symptom,
        "--json",
    )
    assert result.code == 0, result.stderr
    body: dict[str, Any] = result.json()
    return body


def test_a_firing_cpu_throttling_alert_names_its_service(tmp_path: Path) -> None:
    # Alertmanager's own listing: kubernetes-mixin's CPUThrottlingHigh on cart's pod
    throttled = {
        "labels": {
            "alertname": "CPUThrottlingHigh",
            "namespace": "shop",
            "pod": "cart-5d9f7c8b6-x2x4q",
            "container": "server",
        },
        "annotations": {
            "description": "62.5% throttling of CPU in namespace shop for container "
            "server in pod cart-5d9f7c8b6-x2x4q."
        },
        "status": {"state": "active"},
    }
    body = _suspects(
        tmp_path, PODS, SERVICES, DEPLOYMENTS, _alerts(throttled), symptom="checkout is slow"
    )
    first = body["suspects"][0]
    assert (first["object"], first["id"], first["confidence"]) == (
        "service/cart",
        "cpu-throttling-high",
        "high",
    )
    assert any("CPUThrottlingHigh firing" in line for line in first["evidence"])


def test_kubectl_top_at_the_cpu_limit_is_throttling(tmp_path: Path) -> None:
    # 199m used of a 200m limit: the CFS quota holds it back
    body = _suspects(
        tmp_path, PODS, SERVICES, DEPLOYMENTS, DESCRIBE_CART, TOP, symptom="cart is slow"
    )
    first = body["suspects"][0]
    assert (first["object"], first["id"]) == ("service/cart", "cpu-throttling-high")
    assert "199m" in " ".join(first["evidence"]) and "--limits=cpu=" in first["fix"]


def test_without_metrics_a_slow_namespace_gets_no_guess_but_what_to_give(tmp_path: Path) -> None:
    # every object healthy and the symptom is latency: only metrics could tell
    body = _suspects(tmp_path, PODS, SERVICES, DEPLOYMENTS, symptom="checkout is slow")
    assert body["suspects"] == []
    said = json.dumps(body)
    assert "this needs metrics" in said and "kubectl top pods -n shop" in said


def test_prometheus_s_own_alerts_listing_is_read_and_pending_is_not_firing(tmp_path: Path) -> None:
    # Prometheus's API (not Alertmanager's): {"data": {"alerts": [...]}}, `state` and `activeAt`
    def prometheus(state: str, pod: str) -> dict[str, Any]:
        return {
            "labels": {"alertname": "CPUThrottlingHigh", "namespace": "shop", "pod": pod},
            "annotations": {"description": f"62.5% throttling of CPU in pod {pod}."},
            "state": state,
            "activeAt": "2026-01-02T11:55:00Z",
            "value": "0.625",
        }

    listing = {
        "status": "success",
        "data": {
            "alerts": [
                prometheus("firing", "cart-5d9f7c8b6-x2x4q"),
                prometheus("pending", "checkout-7c9d8b6f5-k2p9z"),
            ]
        },
    }
    alerts = "$ curl -s http://prometheus:9090/api/v1/alerts\n" + json.dumps(listing) + "\n"
    body = _suspects(tmp_path, PODS, SERVICES, DEPLOYMENTS, alerts, symptom="checkout is slow")
    named = [(s["object"], s["id"]) for s in body["suspects"]]
    assert named[0] == ("service/cart", "cpu-throttling-high")
    assert ("service/checkout", "cpu-throttling-high") not in named  # pending is not firing


def test_the_firing_alerts_of_prometheus_s_rules_listing_are_read(tmp_path: Path) -> None:
    # `/api/v1/rules`: each alerting rule carries its alerts
    firing = {
        "labels": {"alertname": "CPUThrottlingHigh", "namespace": "shop"},
        "annotations": {"description": "62.5% throttling of CPU in pod cart-5d9f7c8b6-x2x4q."},
        "state": "firing",
        "activeAt": "2026-01-02T11:55:00Z",
    }
    firing["labels"]["pod"] = "cart-5d9f7c8b6-x2x4q"
    rule = {"type": "alerting", "name": "CPUThrottlingHigh", "alerts": [firing]}
    listing = {"status": "success", "data": {"groups": [{"name": "k8s", "rules": [rule]}]}}
    rules = "$ curl -s http://prometheus:9090/api/v1/rules\n" + json.dumps(listing) + "\n"
    body = _suspects(tmp_path, PODS, SERVICES, DEPLOYMENTS, rules, symptom="checkout is slow")
    first = body["suspects"][0]
    assert (first["object"], first["id"]) == ("service/cart", "cpu-throttling-high")
