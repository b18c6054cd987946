"""Pod traffic stays on the machine: the host reaches pods and Services over the bridge, nothing is routed out.

`.ci/kube-node.sh` puts the host on the pod bridge (10.88.0.1 on kmcni0), routes the pod
subnet and the service range onto it, and keeps both off the default route with unreachable
fallback routes. Here a pod with an HTTP readiness probe (the kubelet's GET from the host)
becomes Ready, the host's own request to the pod answers, so does its request to the pod's
Service's ClusterIP (kube-proxy's DNAT), and `ip route get` for the pod, an unused pod IP and
an unused service IP never names the default route's device or gateway.
"""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Callable

from tests.realnode.node import RealNode
from tests.realserver.api import Api, Obj
from tests.waiting import PATIENCE

Scratch = Callable[[str], str]
UNUSED_POD_IP = "10.88.0.250"
UNUSED_SERVICE_IP = "10.96.0.250"
PAGE = "kubemedic pod network"


def default_route_hops() -> set[str]:
    """ "dev DEV" and "via GATEWAY" of the machine's default route."""
    words = subprocess.run(
        ["ip", "-4", "route", "show", "default"], capture_output=True, text=True, check=True
    ).stdout.split()
    return {f"{word} {words[i + 1]}" for i, word in enumerate(words[:-1]) if word in ("dev", "via")}


def route_to(address: str) -> str:
    done = subprocess.run(
        ["ip", "-4", "route", "get", address], capture_output=True, text=True, check=False
    )
    return (done.stdout + done.stderr).strip()


def web_pod(node: RealNode, namespace: str) -> Obj:
    serve = f"mkdir -p /tmp/www && echo '{PAGE}' >/tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": namespace, "labels": {"app": "web"}},
        "spec": {
            "terminationGracePeriodSeconds": 1,
            "containers": [
                {
                    "name": "web",
                    "image": node.image,
                    "command": ["sh", "-c", serve],
                    "readinessProbe": {
                        "httpGet": {"path": "/index.html", "port": 8080},
                        "periodSeconds": 1,
                    },
                }
            ],
        },
    }


def web_service(namespace: str) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": namespace},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]},
    }


def ready_pod(admin: Api, namespace: str, timeout: float = PATIENCE) -> Obj:
    deadline = time.monotonic() + timeout
    while True:
        pod = admin.get("Pod", "web", namespace)
        if any(
            c["type"] == "Ready" and c["status"] == "True"
            for c in pod["status"].get("conditions", [])
        ):
            return pod
        assert time.monotonic() < deadline, (
            f"the pod is not Ready after {timeout:.0f} s: {pod['status']}"
        )
        time.sleep(0.5)


def through_service(cluster_ip: str, timeout: float = PATIENCE) -> str:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"http://{cluster_ip}/index.html", timeout=5) as answer:
                return str(answer.read().decode().strip())
        except OSError:
            assert time.monotonic() < deadline, f"{cluster_ip}:80 did not answer in {timeout:.0f} s"
            time.sleep(0.5)


def test_the_host_reaches_a_pod_over_the_bridge_and_nothing_takes_the_default_route(
    node: RealNode, admin: Api, scratch: Scratch
) -> None:
    namespace = scratch("net")
    admin.create(web_pod(node, namespace))
    service = admin.create(web_service(namespace))
    pod = ready_pod(admin, namespace)  # the kubelet's HTTP probe answered, from the host
    ip = pod["status"]["podIP"]

    with urllib.request.urlopen(f"http://{ip}:8080/index.html", timeout=5) as answer:
        assert answer.read().decode().strip() == PAGE
    # port 80 of the ClusterIP is kube-proxy's DNAT to the pod's 8080 (its rule may lag the
    # endpoint by a sync)
    cluster_ip = service["spec"]["clusterIP"]
    assert through_service(cluster_ip) == PAGE

    hops = default_route_hops()
    assert hops, "this machine has no default route: the check below would prove nothing"
    addresses = (ip, UNUSED_POD_IP, cluster_ip, UNUSED_SERVICE_IP)
    routes = {address: route_to(address) for address in addresses}
    for address in addresses:
        assert routes[address].startswith(f"{address} dev kmcni0 src {node.host_ip}"), routes
    out = {
        address: sorted(hop for hop in hops if f" {hop} " in f" {route} ")
        for address, route in routes.items()
    }
    assert out == {address: [] for address in routes}, routes
