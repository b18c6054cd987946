"""The graph's indexes answer exactly what a scan of every object answers, in the same order.

The walk once asked every Service's selector of every pod (quadratic: 41.6 s of CPU at 3,000
pods and 3,000 Services); the indexes must not change a single answer. A seeded namespace with
overlapping labels, multi-label selectors, pods read without their owner and events of every
kind is asked both ways."""

from __future__ import annotations

import random

from bot.diagnosis.suspects.graph import Graph
from bot.diagnosis.suspects.snapshot import Snapshot
from bot.diagnosis.suspects.workloads import labels_of, name_of, selects, service_selector
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

NS = "shop"


def _namespace(seed: int) -> Snapshot:
    rng = random.Random(seed)
    apps = [f"app{i}" for i in range(12)]
    objects: dict[str, list[dict[str, object]]] = {"pods": [], "services": [], "events": []}
    objects["deployments"] = [kc.deployment(name=a, namespace=NS) for a in apps[:8]]
    for number in range(60):
        app = rng.choice(apps)
        labels = {"app": app, "tier": rng.choice(["web", "db"])}
        objects["pods"].append(
            ko.pod(
                name=f"{app}-{rng.randrange(16**5):05x}-{number:03d}",
                namespace=NS,
                labels=labels,
                node_name=rng.choice(["worker-1", "worker-2", None]),
            )
        )
    for number in range(20):
        selector = {"app": rng.choice(apps)}
        if rng.random() < 0.5:
            selector["tier"] = rng.choice(["web", "db", "cache"])
        objects["services"].append(kc.service(name=f"svc{number}", namespace=NS, selector=selector))
    for pod in objects["pods"][::3]:
        objects["events"].append(
            kc.event(involved=pod, reason="BackOff", message="back-off", namespace=NS)
        )
    for app in apps:
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": f"{app}-5d8f7c9b4", "namespace": NS},
        }
        objects["events"].append(
            kc.event(involved=rs, reason="FailedCreate", message="x", namespace=NS)
        )
    return Snapshot(NS, objects)


def test_every_index_answers_as_a_scan_does() -> None:
    for seed in range(5):
        graph = Graph(_namespace(seed))
        for service in graph.services:
            selector = service_selector(service)
            scanned = [p for p in graph.pods if selects(selector, labels_of(p))]
            assert graph.selected(service) == scanned
            backing = [w for w in graph.workloads.values() if any(s is service for s in w.services)]
            assert graph.backing(service) == backing
            for workload in graph.workloads.values():
                pods_selected = any(p in scanned for p in workload.pods)
                expected = selects(selector, workload.labels) or pods_selected
                assert (service in workload.services) == expected
        for node in ("worker-1", "worker-2"):
            assert graph.on_node(node) == [
                p for p in graph.pods if (p.get("spec") or {}).get("nodeName") == node
            ]
        for workload in graph.workloads.values():
            pods = {name_of(p) for p in workload.pods}
            expected_events = [
                e
                for e in graph.events
                if (e.object_kind == "Pod" and e.object_name in pods)
                or (e.object_kind == "ReplicaSet" and e.object_name.startswith(workload.name + "-"))
                or (e.object_kind == workload.kind and e.object_name == workload.name)
            ]
            assert graph.workload_events(workload) == expected_events


def test_a_pod_read_without_its_owner_joins_the_longest_named_workload() -> None:
    snapshot = Snapshot(
        NS,
        {
            "deployments": [
                kc.deployment(name="web", namespace=NS),
                kc.deployment(name="web-api", namespace=NS),
            ],
            "pods": [ko.pod(name="web-api-7d4b9-x2k", namespace=NS, labels={"app": "web-api"})],
        },
    )
    graph = Graph(snapshot)
    owner = graph.owner("web-api-7d4b9-x2k")
    assert owner is not None and owner.ref == "deployment/web-api"
    assert graph.controller("ReplicaSet", "web-api-7d4b9") is graph.workloads["deployment/web-api"]
