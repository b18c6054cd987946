"""Faults the pod itself states (its exit code, init container, volume, config, log), injected
into the test shop as the real node showed them (docs/real-node: what Kubernetes reported), and
what the walk must put first: the pod's own facts, never a catch-all every pod behind a
Service shares, and the cause its log states above the state it is in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko
from tests.suspects.shop import Obj, Shop, system_pod


def unready(shop: Shop, app: str, status: Obj, **pod: object) -> Obj:
    """The app's pod with this container status, its Service left with no ready address."""
    obj = shop.pod(app)
    obj["status"]["containerStatuses"] = [status]
    obj["status"]["conditions"] = [
        {"type": "Ready", "status": "False", "reason": "ContainersNotReady"}
    ]
    obj["status"].update(pod)
    endpoints = shop.one("Endpoints", app)
    subset = endpoints["subsets"][0]
    subset["notReadyAddresses"] = subset.pop("addresses")
    return obj


def exits_1(shop: Shop) -> None:
    """cart's process exits 1 at each start: CrashLoopBackOff, its log says nothing more; its
    probes, run while it is down, are refused (as the real node showed)."""
    unready(shop, "cart", ko.crashloop_status(name="cart", exit_code=1, restarts=5))
    pod = shop.pod("cart")
    shop.event(pod, "BackOff", "Back-off restarting failed container cart")
    for kind in ("Liveness", "Readiness"):
        shop.event(
            pod,
            "Unhealthy",
            f'{kind} probe failed: Get "http://10.88.0.77:8080/healthz": dial tcp '
            "10.88.0.77:8080: connect: connection refused",
        )


def init_fails(shop: Shop) -> None:
    """cart's init container exits 2 again and again (Init:CrashLoopBackOff)."""
    pod = shop.pod("cart")
    pod["spec"]["initContainers"] = [ko.container(name="wait-for-db", image="busybox:1.36")]
    pod["status"]["initContainerStatuses"] = [
        ko.init_crashloop_status(name="wait-for-db", exit_code=2, restarts=4)
    ]
    unready(shop, "cart", ko.waiting_status(name="cart", reason="PodInitializing"), phase="Pending")
    shop.event(pod, "BackOff", "Back-off restarting failed container wait-for-db")


def secret_volume_missing(shop: Shop) -> None:
    """cart mounts a Secret that does not exist: ContainerCreating, FailedMount."""
    pod = shop.pod("cart")
    pod["spec"]["volumes"].append({"name": "certs", "secret": {"secretName": "tls-certs"}})
    unready(shop, "cart", ko.waiting_status(name="cart"), phase="Pending")
    shop.event(
        pod,
        "FailedMount",
        'MountVolume.SetUp failed for volume "certs" : secret "tls-certs" not found',
    )


def config_error_callers_time_out(shop: Shop) -> None:
    """checkout's env names a Secret that is missing; frontend's calls to it time out."""
    unready(
        shop,
        "checkout",
        ko.create_container_config_error_status(
            name="checkout", message='secret "db-credentials" not found'
        ),
        phase="Pending",
    )
    frontend = shop.pod("frontend")["metadata"]["name"]
    shop.logs[frontend] = "".join(
        f"2026-11-27T06:1{n}:00Z frontend: GET http://checkout:5050/ failed: timed out\n"
        for n in range(4)
    )


def cluster_dns_down(shop: Shop) -> None:
    """CoreDNS crash-loops in kube-system: kube-dns has no endpoint; cart cannot resolve."""
    coredns_rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": "coredns-5d78c9869d",
            "namespace": "kube-system",
            "uid": ko.new_uid("coredns"),
        },
    }
    pods = []
    for node in ("worker-1", "worker-2"):
        pod = system_pod(f"coredns-5d78c9869d-{node[-1]}x", node, {"k8s-app": "kube-dns"})
        pod["metadata"]["ownerReferences"] = [ko.owner_ref(coredns_rs)]
        pod["status"]["containerStatuses"] = [ko.crashloop_status(name="coredns", restarts=9)]
        pod["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
        pods.append(pod)
    shop.system["cluster-dns"] = pods
    shop.dns_endpoints = kc.endpoints(name="kube-dns", namespace="kube-system", not_ready=pods)
    cart = shop.pod("cart")["metadata"]["name"]
    shop.logs[cart] = (
        "2026-11-27T06:10:00Z cart: dial tcp: lookup redis.shop.svc.cluster.local on "
        "10.96.0.10:53: read udp 10.244.2.4:41234->10.96.0.10:53: i/o timeout\n"
        "2026-11-27T06:10:05Z cart: dial tcp: lookup redis.shop.svc.cluster.local on "
        "10.96.0.10:53: no such host\n"
    )


def scaled_to_zero(shop: Shop) -> None:
    """checkout's Deployment was scaled to 0: no pod, its Service has no endpoint."""
    shop.drop("Pod", shop.pod("checkout")["metadata"]["name"])
    deployment = shop.one("Deployment", "checkout")
    deployment["spec"]["replicas"] = 0
    deployment["status"] = {"observedGeneration": 2, "replicas": 0}
    shop.one("Endpoints", "checkout").pop("subsets", None)


def forbidden_in_log(shop: Shop) -> None:
    """cart lists pods at start with its default ServiceAccount: 403, it exits and restarts."""
    pod = unready(shop, "cart", ko.crashloop_status(name="cart", exit_code=1, restarts=4))
    shop.previous_logs[pod["metadata"]["name"]] = (
        "E1127 06:10:00.123456       1 main.go:41] pods is forbidden: User "
        '"system:serviceaccount:shop:cart" cannot list resource "pods" in API group "" in the '
        'namespace "shop"\n'
    )


def database_refuses(shop: Shop) -> None:
    """cart runs, its readiness probe fails, its log says the database refuses its password."""
    pod = unready(shop, "cart", ko.running_status(name="cart", ready=False))
    shop.event(pod, "Unhealthy", "Readiness probe failed: HTTP probe failed with statuscode: 503")
    shop.logs[pod["metadata"]["name"]] = (
        '2026-11-27T06:10:00Z cart: FATAL:  password authentication failed for user "cart"\n'
    )


class Expected(NamedTuple):
    object: str
    id: str
    said: str
    """Words the first suspect's evidence or fix must hold."""


POD_FAULTS: dict[str, tuple[Callable[[Shop], None], Expected]] = {
    # the live node: answered envoy-no-healthy-upstream, whose only fact is the empty Service
    "exits-1": (exits_1, Expected("service/cart", "crashloop-backoff", "exit code 1")),
    # the live node: the same catch-all over a failing init container
    "failing-init": (init_fails, Expected("service/cart", "init-container-failed", "wait-for-db")),
    # the live node: the same catch-all over a Secret volume that cannot mount
    "missing-secret-volume": (
        secret_volume_missing,
        Expected("service/cart", "volume-mount-failed", "tls-certs"),
    ),
    # the live node: callers' earlier timeouts ranked above the confirmed config error
    "config-error-beside-timeouts": (
        config_error_callers_time_out,
        Expected("service/checkout", "create-container-config-error", "db-credentials"),
    ),
    # the live node: cluster DNS with no endpoint was never read
    "cluster-dns-down": (
        cluster_dns_down,
        Expected("service/kube-dns", "dns-resolution-failure", "no ready endpoint"),
    ),
    # the live node: named as its Service, "replicas: 0" never said
    "scaled-to-zero": (
        scaled_to_zero,
        Expected("service/checkout", "service-endpoints-empty", "replicas: 0"),
    ),
    # the live node: the 403 was quoted, rbac-forbidden not named
    "forbidden-in-log": (
        forbidden_in_log,
        Expected("service/cart", "rbac-forbidden", "cannot list"),
    ),
    # the cause the log states ranks above the probe failing
    "database-refuses": (
        database_refuses,
        Expected("service/cart", "db-credentials-rejected", "password authentication"),
    ),
}
"""Each pod-level fault: the suspect the walk must name first and words it must say."""
