"""Capture what the real node reports for each failure, as fixtures for the fast tier's stand-in.

    eval "$(bash .ci/kube-node.sh)"
    .venv/bin/python -m tests.realnode.capture [--only NAME ...]

Applies every scenario of tests/realnode/scenarios.py (plus a healthy Deployment),
waits until each failure has really happened, and writes
tests/standins/captured/NAME.yaml: the namespace's pods, events, owners (ReplicaSets,
Deployments, Jobs), claims, Services, Endpoints, ResourceQuotas and ConfigMaps, the
node, and every container's current and previous log, as the API server returned
them. Then it stops the kubelet and captures the NotReady node (node-not-ready.yaml).
Only what varies from run to run is normalized: the namespace becomes the scenario's
name, the registry stub's port 5000, the unreachable registry's port 5999, and
managedFields are dropped. `tests/standins/kube_captured.py` loads these files into
the stand-in (timestamps shifted to the present); tests/standins/test_real_shapes.py
checks the hand-made stand-in scenarios against them.
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from tests.realnode.conftest import apply_all, delete_namespace, open_namespace
from tests.realnode.node import RealNode
from tests.realnode.scenarios import SCENARIOS, Scenario, deployment, pods
from tests.realserver.api import Api, ApiError, Obj
from tests.waiting import PATIENCE

OUT = Path(__file__).resolve().parents[1] / "standins" / "captured"
HEALTHY = Scenario(
    "healthy",
    deployment(
        "catalog",
        """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'echo "catalog ready on :8080"; exec sleep 3600']
""",
    ),
    "",
    (),
    lambda api, ns: any(
        all(s.get("ready") for s in p.get("status", {}).get("containerStatuses") or [{}])
        for p in pods(api, ns)
    ),
)
LISTED = (
    ("/api/v1", "pods"),
    ("/api/v1", "events"),
    ("/apis/apps/v1", "replicasets"),
    ("/apis/apps/v1", "deployments"),
    ("/apis/batch/v1", "jobs"),
    ("/api/v1", "persistentvolumeclaims"),
    ("/api/v1", "services"),
    ("/api/v1", "endpoints"),
    ("/api/v1", "resourcequotas"),
    ("/api/v1", "configmaps"),
)
KINDS = {
    "pods": ("v1", "Pod"),
    "events": ("v1", "Event"),
    "replicasets": ("apps/v1", "ReplicaSet"),
    "deployments": ("apps/v1", "Deployment"),
    "jobs": ("batch/v1", "Job"),
    "persistentvolumeclaims": ("v1", "PersistentVolumeClaim"),
    "services": ("v1", "Service"),
    "endpoints": ("v1", "Endpoints"),
    "resourcequotas": ("v1", "ResourceQuota"),
    "configmaps": ("v1", "ConfigMap"),
    "nodes": ("v1", "Node"),
}


def log_text(api: Api, namespace: str, pod: str, container: str, previous: bool) -> str | None:
    """The container's log as the API server returns it (plain text; a text/plain Accept gets 406), None when refused."""
    query = [("container", container), ("tailLines", "200")] + (
        [("previous", "true")] if previous else []
    )
    verb, url, headers, body, _ = api.client.param_serialize(
        method="GET",
        resource_path=f"/api/v1/namespaces/{namespace}/pods/{pod}/log",
        query_params=query,
        header_params={"Accept": "*/*"},
        auth_settings=["BearerToken"],
    )
    response = api.client.call_api(verb, url, header_params=headers, body=body, _request_timeout=60)
    raw: bytes = response.read()
    return raw.decode("utf-8", "replace") if response.status == 200 else None


def listed(api: Api, prefix: str, plural: str, namespace: str) -> list[Obj]:
    items: list[Obj] = api.request("GET", f"{prefix}/namespaces/{namespace}/{plural}")["items"]
    api_version, kind = KINDS[plural]
    return [
        {"apiVersion": api_version, "kind": kind, **item}
        for item in items
        if item["metadata"]["name"] != "kube-root-ca.crt"
    ]


def logs_of(api: Api, namespace: str, pod_list: list[Obj]) -> list[dict[str, Any]]:
    found = []
    for pod in pod_list:
        spec = pod["spec"]
        for container in [*spec.get("initContainers", []), *spec["containers"]]:
            for previous in (False, True):
                text = log_text(
                    api, namespace, pod["metadata"]["name"], container["name"], previous
                )
                if text is not None:
                    found.append(
                        {
                            "pod": pod["metadata"]["name"],
                            "container": container["name"],
                            "previous": previous,
                            "text": text,
                        }
                    )
    return found


def strip(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: strip(v) for k, v in obj.items() if k not in ("managedFields", "selfLink")}
    if isinstance(obj, list):
        return [strip(v) for v in obj]
    return obj


def normalized(text: str, namespace: str, name: str, registry: str) -> str:
    text = text.replace(namespace, name).replace(registry, "127.0.0.1:5000")
    return re.sub(r"127\.0\.0\.1:(?!5000\b)\d{2,5}(?=/)", "127.0.0.1:5999", text)


def write(name: str, document: dict[str, Any], namespace: str, node: RealNode) -> Path:
    text = yaml.safe_dump(strip(document), sort_keys=False, allow_unicode=True, width=120)
    path = OUT / f"{name}.yaml"
    path.write_text(normalized(text, namespace, name, node.registry) if namespace else text)
    return path


def header(name: str, node: RealNode, subject: dict[str, str]) -> dict[str, Any]:
    return {
        "scenario": name,
        "captured_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "kubernetes": node.server.version,
        "subject": subject,
    }


def capture_namespace(api: Api, node: RealNode, scenario: Scenario, namespace: str) -> Path:
    objects = [obj for prefix, plural in LISTED for obj in listed(api, prefix, plural, namespace)]
    pod_list = [o for o in objects if o["kind"] == "Pod"]
    newest = pods(api, namespace)[-1]["metadata"]["name"] if pod_list else None
    subject = (
        {"kind": "pod", "namespace": namespace, "name": newest}
        if scenario.scope == "pod" and newest
        else {"kind": "namespace", "namespace": namespace}
    )
    node_obj = {"apiVersion": "v1", "kind": "Node", **api.get("Node", node.name)}
    document = {
        **header(scenario.name, node, subject),
        "objects": [node_obj, *objects],
        "logs": logs_of(api, namespace, pod_list),
    }
    return write(scenario.name, document, namespace, node)


def capture_not_ready(api: Api, node: RealNode) -> Path:
    node.script("stop-kubelet")
    try:
        deadline = time.monotonic() + PATIENCE
        while True:
            obj = api.get("Node", node.name)
            if any(
                c["type"] == "Ready" and c["status"] == "Unknown"
                for c in obj["status"]["conditions"]
            ):
                break
            assert time.monotonic() < deadline, "the node did not become NotReady"
            time.sleep(1)
        events = [
            e
            for e in listed(api, "/api/v1", "events", "default")
            if e["involvedObject"].get("kind") == "Node"
        ]
        document = {
            **header("node-not-ready", node, {"kind": "node", "name": node.name}),
            "objects": [{"apiVersion": "v1", "kind": "Node", **obj}, *events],
            "logs": [],
        }
        return write("node-not-ready", document, "", node)
    finally:
        node.script("restart-kubelet")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--only", nargs="*", help="scenario names (default: all, and the node)")
    args = parser.parse_args()
    node = RealNode.from_env()
    if node is None:
        raise SystemExit('no node: start one with eval "$(bash .ci/kube-node.sh)"')
    api = Api(node.kubeconfig)
    chosen = [s for s in [*SCENARIOS, HEALTHY] if not args.only or s.name in args.only]
    applied: dict[str, str] = {}
    try:
        for scenario in chosen:
            applied[scenario.name] = open_namespace(api, f"rn-{scenario.name}")
            apply_all(api, scenario.objects(node, applied[scenario.name]))
        waiting = {s.name: s for s in chosen}
        deadline = time.monotonic() + max(s.timeout for s in chosen) + 60
        while waiting:
            for name, scenario in list(waiting.items()):
                if scenario.visible(api, applied[name]):
                    print(f"captured {capture_namespace(api, node, scenario, applied[name])}")
                    del waiting[name]
            if waiting and time.monotonic() > deadline:
                raise SystemExit(f"never visible: {sorted(waiting)}")
            time.sleep(2)
        if not args.only:
            print(f"captured {capture_not_ready(api, node)}")
    finally:
        for namespace in applied.values():
            try:
                delete_namespace(api, namespace)
            except ApiError:
                pass
        api.close()


if __name__ == "__main__":
    main()
