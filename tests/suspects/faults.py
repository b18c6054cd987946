"""Faults injected into the test shop, each as a real cluster would show it.

Each function changes the shop in place; FAULTS says, for each, what the walk must name first:
the object the user sees broken, the catalog entry, and a word of the evidence that tells this
fault from its neighbours (the benchmark mapping reads the same words).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.suspects.shop import NS, Shop


def _no_pods(shop: Shop, app: str) -> None:
    """The workload's pods never get created: the ReplicaSet wants one and has none."""
    shop.drop("Pod", shop.pod(app)["metadata"]["name"])
    dep = shop.one("Deployment", app)
    dep["status"] = {"replicas": 0, "observedGeneration": 1}
    shop.one("Endpoints", app).pop("subsets", None)


def _pending(shop: Shop, app: str, message: str) -> None:
    """The workload's pod waits for a node; the scheduler says why."""
    pod = shop.pod(app)
    pod["spec"].pop("nodeName", None)
    pod["status"] = {
        "phase": "Pending",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": message,
            }
        ],
    }
    shop.one("Endpoints", app).pop("subsets", None)
    shop.event(pod, "FailedScheduling", message)


def selector_typo(shop: Shop) -> None:
    shop.one("Service", "checkout")["spec"]["selector"] = {"app": "check_out"}
    shop.one("Endpoints", "checkout").pop("subsets", None)


def target_port(shop: Shop) -> None:
    shop.one("Service", "cart")["spec"]["ports"][0]["targetPort"] = 7071


def protocol(shop: Shop) -> None:
    shop.one("Service", "cart")["spec"]["ports"][0]["protocol"] = "UDP"


def missing_account(shop: Shop) -> None:
    _no_pods(shop, "cart")
    shop.drop("ServiceAccount", "cart")
    rs = next(r for r in shop.of("ReplicaSet") if r["metadata"]["name"].startswith("cart-"))
    shop.event(
        rs,
        "FailedCreate",
        f'Error creating: pods "{rs["metadata"]["name"]}-" is forbidden: error '
        f'looking up service account {NS}/cart: serviceaccount "cart" not found',
    )


def quota(shop: Shop) -> None:
    _no_pods(shop, "checkout")
    shop.objects.append(
        kc.resource_quota(
            name="compute", namespace=NS, hard={"requests.cpu": "2"}, used={"requests.cpu": "2"}
        )
    )
    rs = next(r for r in shop.of("ReplicaSet") if r["metadata"]["name"].startswith("checkout-"))
    shop.event(
        rs,
        "FailedCreate",
        f'Error creating: pods "{rs["metadata"]["name"]}-x1" is forbidden: '
        "exceeded quota: compute, requested: requests.cpu=500m, used: requests.cpu=2, "
        "limited: requests.cpu=2",
    )


def cordoned(shop: Shop) -> None:
    for name in ("worker-1", "worker-2"):
        node = shop.one("Node", name)
        node["spec"]["unschedulable"] = True
        node["spec"]["taints"] = [
            {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}
        ]
    _pending(
        shop,
        "frontend",
        "0/3 nodes are available: 3 node(s) were unschedulable. preemption: "
        "0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    )


def taint(shop: Shop) -> None:
    for name in ("worker-1", "worker-2"):
        shop.one("Node", name)["spec"]["taints"] = [
            {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
        ]
    _pending(
        shop,
        "cart",
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) had "
        "untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption is "
        "not helpful for scheduling.",
    )


def node_selector(shop: Shop) -> None:
    shop.one("Deployment", "cart")["spec"]["template"]["spec"]["nodeSelector"] = {
        "disktype": "nvme"
    }
    shop.pod("cart")["spec"]["nodeSelector"] = {"disktype": "nvme"}
    _pending(
        shop,
        "cart",
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't "
        "match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is "
        "not helpful for scheduling.",
    )


def no_cpu(shop: Shop) -> None:
    _pending(
        shop,
        "checkout",
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient "
        "cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 "
        "No "
        "preemption victims found for incoming pod.",
    )


def liveness_port(shop: Shop) -> None:
    for spec in (
        shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
        shop.pod("checkout")["spec"],
    ):
        spec["containers"][0]["livenessProbe"]["tcpSocket"]["port"] = 5051
    pod = shop.pod("checkout")
    pod["status"]["containerStatuses"] = [ko.running_status(name="checkout", restarts=4)]
    shop.event(
        pod,
        "Unhealthy",
        "Liveness probe failed: dial tcp 10.244.1.9:5051: connect: connection refused",
    )


def readiness_grpc(shop: Shop) -> None:
    for spec in (
        shop.one("Deployment", "cart")["spec"]["template"]["spec"],
        shop.pod("cart")["spec"],
    ):
        container = spec["containers"][0]
        container["livenessProbe"] = {"grpc": {"port": 7070}, "periodSeconds": 10}
        container["readinessProbe"] = {"httpGet": {"path": "/", "port": 7070}, "periodSeconds": 10}
    pod = shop.pod("cart")
    pod["status"]["containerStatuses"] = [ko.running_status(name="cart", ready=False)]
    shop.one("Endpoints", "cart")["subsets"][0]["notReadyAddresses"] = shop.one(
        "Endpoints", "cart"
    )["subsets"][0].pop("addresses")
    shop.event(
        pod,
        "Unhealthy",
        'Readiness probe failed: Get "http://10.244.2.4:7070/": net/http: '
        'HTTP/1.x transport connection broken: malformed HTTP response "\\x00\\x00\\x06"',
    )


def env_typo(shop: Shop) -> None:
    for spec in (
        shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
        shop.pod("checkout")["spec"],
    ):
        spec["containers"][0]["env"] = [{"name": "CART_ADDR", "value": "carts:7070"}]


def kubelet_stopped(shop: Shop) -> None:
    node = kc.node(name="worker-2", ready="Unknown")
    shop.drop("Node", "worker-2")
    shop.objects.append(node)
    shop.units = [
        {
            "node": "worker-2",
            "service": "kubelet",
            "active": "inactive",
            "since": "3min ago",
            "lines": [],
        },
        {"node": "worker-1", "service": "kubelet", "active": "active", "since": "", "lines": []},
    ]


def missing_class(shop: Shop) -> None:
    shop.objects.append(
        kc.pvc(name="cart-data", namespace=NS, phase="Pending", storage_class="fast-ssd")
    )
    for spec in (
        shop.one("Deployment", "cart")["spec"]["template"]["spec"],
        shop.pod("cart")["spec"],
    ):
        spec.setdefault("volumes", []).append(
            {"name": "data", "persistentVolumeClaim": {"claimName": "cart-data"}}
        )
    _pending(
        shop,
        "cart",
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    )


def scheduler_gone(shop: Shop) -> None:
    """kube-scheduler's pod is gone: a new pod stays Pending with no event at all."""
    shop.system["kube-scheduler"] = []
    pod = shop.pod("cart")
    pod["spec"].pop("nodeName", None)
    pod["status"] = {"phase": "Pending"}
    shop.one("Endpoints", "cart").pop("subsets", None)


def proxy_gone(shop: Shop) -> None:
    """kube-proxy no longer runs on worker-2 (its pod deleted, the DaemonSet cannot place it)."""
    shop.system["kube-proxy"] = [
        p for p in shop.system["kube-proxy"] if p["spec"]["nodeName"] != "worker-2"
    ]


def image_missing(shop: Shop) -> None:
    """A tag the registry does not have: the pod waits in ImagePullBackOff."""
    pod = shop.pod("frontend")
    image = "registry.example.com/shop/frontend:1.4.33"
    pod["spec"]["containers"][0]["image"] = image
    pod["status"]["containerStatuses"] = [
        ko.image_pull_backoff_status(name="frontend", image=image)
    ]
    shop.event(
        pod,
        "Failed",
        f'Failed to pull image "{image}": rpc error: code = NotFound desc = '
        f'failed to pull and unpack image "{image}": failed to resolve reference "{image}": '
        f"{image}: not found",
    )


def registry_unknown(shop: Shop) -> None:
    """An image on a registry host nobody can resolve."""
    pod = shop.pod("cart")
    image = "registry.corp.invalid/shop/cart:2.0"
    pod["status"]["containerStatuses"] = [ko.image_pull_backoff_status(name="cart", image=image)]
    shop.event(
        pod,
        "Failed",
        f'Failed to pull image "{image}": failed to resolve reference '
        f'"{image}": failed to do request: Head "https://registry.corp.invalid/v2/shop/cart/'
        'manifests/2.0": dial tcp: lookup registry.corp.invalid: no such host',
    )


def env_port(shop: Shop) -> None:
    """checkout calls cart on a port the cart Service does not serve."""
    for spec in (
        shop.one("Deployment", "checkout")["spec"]["template"]["spec"],
        shop.pod("checkout")["spec"],
    ):
        spec["containers"][0]["env"] = [{"name": "CART_ADDR", "value": "cart:7071"}]


def liveness_tight(shop: Shop) -> None:
    """A liveness probe that kills the container before it can answer."""
    probe = {
        "tcpSocket": {"port": 8080},
        "initialDelaySeconds": 1,
        "periodSeconds": 1,
        "timeoutSeconds": 1,
        "failureThreshold": 1,
    }
    for spec in (
        shop.one("Deployment", "frontend")["spec"]["template"]["spec"],
        shop.pod("frontend")["spec"],
    ):
        spec["containers"][0]["livenessProbe"] = dict(probe)
    pod = shop.pod("frontend")
    pod["status"]["containerStatuses"] = [ko.running_status(name="frontend", restarts=6)]
    shop.event(pod, "Unhealthy", "Liveness probe failed: dial tcp 10.244.1.7:8080: i/o timeout")


def runtime_down(shop: Shop) -> None:
    """containerd stopped on worker-1, seen on a live cluster (no node services recorded)."""
    shop.drop("Node", "worker-1")
    shop.objects.append(
        kc.node(name="worker-1", ready=False, not_ready_message="container runtime is down")
    )


def claim_taken(shop: Shop) -> None:
    """cart's claim names a volume another claim holds."""
    other = kc.pvc(name="old-data", namespace=NS, storage_class="")
    volume = kc.pv(name="cart-pv", claim=other, storage_class="", size="5Gi")
    claim = kc.pvc(
        name="cart-data",
        namespace=NS,
        phase="Pending",
        storage_class="",
        volume_name="cart-pv",
        size="5Gi",
    )
    shop.objects += [other, volume, claim]
    for spec in (
        shop.one("Deployment", "cart")["spec"]["template"]["spec"],
        shop.pod("cart")["spec"],
    ):
        spec.setdefault("volumes", []).append(
            {"name": "data", "persistentVolumeClaim": {"claimName": "cart-data"}}
        )
    _pending(
        shop,
        "cart",
        "0/3 nodes are available: pod has unbound immediate "
        "PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not "
        "helpful for scheduling.",
    )


def claim_too_big(shop: Shop) -> None:
    """cart's claim asks for more than the one Available volume holds."""
    shop.objects += [
        kc.pv(name="small-pv", storage_class="", size="1Gi", phase="Available"),
        kc.pvc(name="cart-data", namespace=NS, phase="Pending", storage_class="", size="5Gi"),
    ]
    for spec in (
        shop.one("Deployment", "cart")["spec"]["template"]["spec"],
        shop.pod("cart")["spec"],
    ):
        spec.setdefault("volumes", []).append(
            {"name": "data", "persistentVolumeClaim": {"claimName": "cart-data"}}
        )
    _pending(
        shop,
        "cart",
        "0/3 nodes are available: pod has unbound immediate "
        "PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not "
        "helpful for scheduling.",
    )


def services_full(shop: Shop) -> None:
    """A Service quota refused cart's Service: the workload runs without one."""
    shop.drop("Service", "cart")
    shop.drop("Endpoints", "cart")
    shop.objects.append(
        kc.resource_quota(
            name="objects", namespace=NS, hard={"services": "2"}, used={"services": "2"}
        )
    )


def slow_cart(shop: Shop) -> None:
    """Calls to cart time out in checkout's log while every object reads healthy."""
    line = (
        '2026-11-27T04:24:59Z {"error":"could not get cart: rpc error: code = '
        'DeadlineExceeded desc = context deadline exceeded","severity":"warning"}'
    )
    shop.logs[shop.pod("checkout")["metadata"]["name"]] = "\n".join([line] * 5) + "\n"


class Expected(NamedTuple):
    object: str
    id: str
    evidence: str


FAULTS: dict[str, tuple[Callable[[Shop], None], Expected]] = {
    # the Service's selector has a typo: the pods run, the Service has no endpoint
    "selector-typo": (
        selector_typo,
        Expected("service/checkout", "service-endpoints-empty", "app=check_out"),
    ),
    # targetPort 7071 where the container declares 7070
    "target-port": (target_port, Expected("service/cart", "service-target-port-mismatch", "7071")),
    # UDP where the container serves TCP
    "protocol": (protocol, Expected("service/cart", "service-protocol-mismatch", "UDP")),
    # the ServiceAccount is gone: the ReplicaSet cannot create the pod
    "missing-account": (
        missing_account,
        Expected("service/cart", "serviceaccount-not-found", "not found"),
    ),
    # a full cpu quota refuses checkout's pod: the namespace is the suspect
    "quota": (quota, Expected("namespace/shop", "resource-quota-exceeded", "requests.cpu")),
    # both workers cordoned (the control plane always is): the workload's Service is the suspect
    "cordoned": (cordoned, Expected("service/frontend", "pending-node-unschedulable", "uncordon")),
    # an untolerated taint on the workers
    "taint": (taint, Expected("service/cart", "pending-untolerated-taint", "dedicated")),
    # a nodeSelector no node carries
    "node-selector": (
        node_selector,
        Expected("service/cart", "pending-node-selector-mismatch", "nodeSelector"),
    ),
    # no room for the requests
    "insufficient-cpu": (
        no_cpu,
        Expected("service/checkout", "pending-insufficient-resources", "Insufficient cpu"),
    ),
    # liveness probe on a port the container does not declare
    "liveness-port": (
        liveness_port,
        Expected("service/checkout", "liveness-probe-failed", "probe targets port"),
    ),
    # readiness probe speaking HTTP to a gRPC port
    "readiness-grpc": (
        readiness_grpc,
        Expected("service/cart", "readiness-probe-failed", "probe handler"),
    ),
    # checkout's env names a Service that does not exist
    "env-typo": (env_typo, Expected("service/checkout", "env-service-not-found", "carts")),
    # the kubelet on worker-2 stopped (recorded systemctl status)
    "kubelet-stopped": (kubelet_stopped, Expected("node/worker-2", "node-not-ready", "kubelet")),
    # no scheduler runs (kube-system has no running kube-scheduler pod): the control plane's node
    "scheduler-gone": (
        scheduler_gone,
        Expected("node/master", "scheduler-not-running", "kube-scheduler"),
    ),
    # kube-proxy missing on one node: Services routed there break, the node is the suspect
    "kube-proxy-gone": (
        proxy_gone,
        Expected("node/worker-2", "kube-proxy-service-broken", "kube-proxy"),
    ),
    # the registry does not have the tag
    "image-missing": (image_missing, Expected("service/frontend", "image-not-found", "not found")),
    # the registry's host does not resolve
    "registry-unknown": (
        registry_unknown,
        Expected("service/cart", "image-registry-unreachable", "no such host"),
    ),
    # the env names a real Service on a port it does not serve
    "env-port": (env_port, Expected("service/checkout", "env-service-not-found", "7071")),
    # a liveness probe timed too tightly
    "liveness-tight": (
        liveness_tight,
        Expected("service/frontend", "liveness-probe-failed", "probe timing"),
    ),
    # NotReady with "container runtime is down" and no recorded units: the runtime, by its node
    "runtime-down": (
        runtime_down,
        Expected("node/worker-1", "cri-runtime-api-unavailable", "runtime is down"),
    ),
    # the claim names a volume bound to another claim
    "claim-taken": (
        claim_taken,
        Expected("service/cart", "pending-no-persistent-volume", "bound to another"),
    ),
    # the claim asks for more than the Available volume holds
    "claim-too-big": (
        claim_too_big,
        Expected("service/cart", "pending-no-persistent-volume", "capacity:"),
    ),
    # a full Service quota and a workload without its Service
    "services-quota": (
        services_full,
        Expected("namespace/shop", "resource-quota-exceeded", "services"),
    ),
    # only the callers' log shows calls to cart timing out: indirect, low
    "slow-cart": (slow_cart, Expected("service/cart", "network-degradation", "time out")),
    # a claim asking for a StorageClass nobody created
    "missing-class": (
        missing_class,
        Expected("service/cart", "pending-storageclass-missing", "fast-ssd"),
    ),
}
