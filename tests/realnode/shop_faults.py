"""The seventeen faults of the shop (tests/realnode/shop.py): how each is made, when it shows, and
the suspect `kubemedic diagnose namespace` must put first.

A fault is what a user changes: a few lines of one object of the healthy manifests
(`edits`, old -> new), an object added (`added`, YAML), or the node itself (`node`).
Each runs alone in a fresh copy of the shop. `visible(api, namespace)` says when the
failure has really happened (a probe failed, a caller's call failed, a controller or
the scheduler said why), so the diagnosis runs then and not before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.realnode.scenarios import events, has_event, statuses
from tests.realnode.shop import SERVICES, app_pods, edited, last_call, pod_log, ready
from tests.realserver.api import Api

Visible = Callable[[Api, str], bool]
Edits = dict[str, tuple[tuple[str, str], ...]]


def call_fails(caller: str, target: str) -> Visible:
    """The caller's last call to `target` failed."""
    return lambda api, ns: " failed: " in last_call(api, ns, caller, target)


def all_ready(app: str) -> Visible:
    return lambda api, ns: bool(found := app_pods(api, ns, app)) and all(ready(p) for p in found)


def no_endpoints(service: str) -> Visible:
    def check(api: Api, namespace: str) -> bool:
        endpoints = api.find("Endpoints", service, namespace) or {}
        return not any(s.get("addresses") for s in endpoints.get("subsets") or [])

    return check


def container(app: str, test: Callable[[dict[str, object]], bool]) -> Visible:
    """Some container of the app's pods passes `test` (on its status)."""
    return lambda api, ns: any(test(s) for p in app_pods(api, ns, app) for s in statuses(p))


def restarted(app: str) -> Visible:
    return container(app, lambda s: int(str(s.get("restartCount", 0))) >= 1)


def oom_killed(app: str) -> Visible:
    def test(status: dict[str, object]) -> bool:
        last = status.get("lastState")
        terminated = last.get("terminated") if isinstance(last, dict) else None
        return isinstance(terminated, dict) and terminated.get("reason") == "OOMKilled"

    return container(app, test)


def pulling_fails(app: str) -> Visible:
    def test(status: dict[str, object]) -> bool:
        state = status.get("state")
        waiting = state.get("waiting") if isinstance(state, dict) else None
        reason = waiting.get("reason") if isinstance(waiting, dict) else None
        return reason in ("ErrImagePull", "ImagePullBackOff")

    return container(app, test)


def event(reason: str, text: str) -> Visible:
    return lambda api, ns: has_event(api, ns, reason, text)


def said(app: str, text: str) -> Visible:
    """The app's last log lines say `text`."""
    return lambda api, ns: any(
        text in pod_log(api, ns, p["metadata"]["name"]) for p in app_pods(api, ns, app)
    )


def every(*checks: Visible) -> Visible:
    return lambda api, ns: all(check(api, ns) for check in checks)


def every_app_refused(text: str) -> Visible:
    """The scheduler refused a pod of every Deployment of the shop, saying `text`."""

    def check(api: Api, namespace: str) -> bool:
        refused = {
            e.get("involvedObject", {}).get("name")
            for e in events(api, namespace)
            if e.get("reason") == "FailedScheduling" and text in (e.get("message") or "")
        }
        return all(
            any(p["metadata"]["name"] in refused for p in app_pods(api, namespace, app))
            for app in SERVICES
        )

    return check


@dataclass(frozen=True)
class Fault:
    """One fault: how it is made, when it shows, and the suspect the diagnosis must name first."""

    name: str
    object: str
    """The suspect's `object`: what the user sees broken (a workload by its Service);
    "service/*" for a node's fault, which every Service of the shop shows alike."""
    resource: str
    """The suspect's `resource`: the exact object to change ($service: the first suspect's)."""
    entry: str
    """The catalog id of the cause."""
    visible: Visible
    edits: Edits = field(default_factory=dict)
    added: str = ""
    """Objects the fault adds (YAML); undoing it deletes them."""
    node: str = ""
    """A change of the node (or the cluster) instead of the manifests: "cordon", "taint", or
    "dns" (the cluster DNS Service loses its endpoints)."""
    restart: bool = False
    """Undoing it also restarts the Deployments short of pods (their ReplicaSets back off)."""
    rollout: tuple[str, ...] = ()
    """Deployments restarted once it is undone (a crash loop's back-off would wait minutes)."""
    asserted: bool = True
    """Whether the test asserts the first suspect (False: shown and healed, the answer printed;
    kubemedic does not name it first yet)."""
    timeout: float = 180.0

    def manifests(self) -> str:
        return edited(self.edits, self.added)


TAINT = {"key": "dedicated", "value": "batch", "effect": "NoSchedule"}
QUOTA = """\
apiVersion: v1
kind: ResourceQuota
metadata: {name: shop-pods}
spec:
  hard: {pods: "4"}
"""
CLAIM = """\
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: store-data}
spec:
  storageClassName: fast-ssd
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
"""
HTTP_PROBE = "Probe:\n          httpGet: {path: /healthz, port: "


def probe_port(kind: str, port: str) -> tuple[str, str]:
    """The edit that points a liveness or readiness probe at `port` instead of `http`."""
    return f"{kind}{HTTP_PROBE}http}}", f"{kind}{HTTP_PROBE}{port}}}"


CHRONIC = """\
apiVersion: v1
kind: Service
metadata: {name: flagd}
spec:
  selector: {app: flagd}
  ports:
  - {name: grpc, port: 8013, targetPort: 8013}
"""
"""The chronic noise: a Service whose workload was never deployed ("flagd, no pods"), broken in
every fault's copy for the whole run. Each fault must still be named first, flagd after it."""
CHRONIC_OBJECT = "service/flagd"
INIT_CONTAINER = (
    "      terminationGracePeriodSeconds: 2\n      initContainers:\n"
    "      - {name: wait-for-db, image: $image, command: [sh, -c, 'echo waiting for db; exit 2']}\n"
)
SECRET_VOLUME = (
    "          limits: {memory: 64Mi}\n        volumeMounts:\n"
    "        - {name: certs, mountPath: /etc/certs}\n      volumes:\n"
    "      - name: certs\n        secret: {secretName: tls-certs}\n"
)


def waiting_init(app: str) -> Visible:
    """An init container of the app's pods has failed and restarted (Init:CrashLoopBackOff)."""

    def check(api: Api, namespace: str) -> bool:
        return any(
            int(str(s.get("restartCount", 0))) >= 1
            for p in app_pods(api, namespace, app)
            for s in statuses(p, init=True)
        )

    return check


FAULTS: list[Fault] = [
    # a tag that was never pushed: the registry answers 404 (first: its pod in image pull
    # back-off takes the kubelet 35-55 s to delete once the fault is undone). Its words come
    # in an event, which a kubelet busy with 50 new pods writes seconds after the pod's state
    Fault(
        "wrong-image",
        "service/payments",
        "deployment/payments",
        "image-not-found",
        every(pulling_fails("payments"), event("Failed", "code = NotFound")),
        edits={
            "Deployment/payments": (("image: $image", "image: $registry/kubemedic/shop:1.0.1"),)
        },
    ),
    # the Service's selector names a label no pod has: no endpoints, checkout is refused
    Fault(
        "selector-mismatch",
        "service/payments",
        "service/payments",
        "service-endpoints-empty",
        every(
            all_ready("payments"),
            no_endpoints("payments"),
            call_fails("checkout", "http://payments/"),
        ),
        edits={"Service/payments": (("{app: payments}", "{app: payment}"),)},
    ),
    # targetPort 80 where the container listens on 8080: endpoints exist, connections refused
    Fault(
        "wrong-target-port",
        "service/cart",
        "service/cart",
        "service-target-port-mismatch",
        every(all_ready("cart"), call_fails("frontend", "http://cart/")),
        edits={"Service/cart": (("targetPort: 8080", "targetPort: 80"),)},
    ),
    # the pod template names a ServiceAccount nobody created: the ReplicaSet creates no pod
    Fault(
        "missing-service-account",
        "service/checkout",
        "serviceaccount/checkout",
        "serviceaccount-not-found",
        event("FailedCreate", 'serviceaccount "checkout" not found'),
        edits={
            "Deployment/checkout": (
                ("    spec:\n", "    spec:\n      serviceAccountName: checkout\n"),
            )
        },
    ),
    # four pods allowed for five Deployments: one ReplicaSet is refused (a namespace-wide cause)
    Fault(
        "exhausted-quota",
        "namespace/$namespace",
        "resourcequota/shop-pods",
        "resource-quota-exceeded",
        event("FailedCreate", "exceeded quota: shop-pods"),
        added=QUOTA,
        restart=True,
    ),
    # the store's data on a claim whose StorageClass does not exist: claim and pod Pending;
    # the object to change is the claim (its storageClassName)
    Fault(
        "pvc-missing-storageclass",
        "service/store",
        "persistentvolumeclaim/store-data",
        "pending-storageclass-missing",
        every(
            event("ProvisioningFailed", 'storageclass.storage.k8s.io "fast-ssd" not found'),
            event("FailedScheduling", "unbound immediate PersistentVolumeClaims"),
        ),
        edits={
            "Deployment/store": (
                ("emptyDir: {}", "persistentVolumeClaim: {claimName: store-data}"),
            )
        },
        added=CLAIM,
    ),
    # the store fills a 16 MiB cache under a 12 MiB limit: the kernel kills it at each start
    Fault(
        "oom",
        "service/store",
        "deployment/store",
        "oom-killed",
        oom_killed("store"),
        edits={
            "Deployment/store": (("memory: 64Mi", "memory: 12Mi"), ("memory: 32Mi", "memory: 12Mi"))
        },
    ),
    # the liveness probe asks a port nothing listens on: the kubelet kills cart again and again
    Fault(
        "liveness-wrong-port",
        "service/cart",
        "deployment/cart",
        "liveness-probe-failed",
        every(restarted("cart"), event("Killing", "failed liveness probe")),
        edits={"Deployment/cart": (probe_port("liveness", "8081"),)},
    ),
    # the readiness probe asks a port nothing listens on: payments never Ready, no endpoints
    Fault(
        "readiness-wrong-port",
        "service/payments",
        "deployment/payments",
        "readiness-probe-failed",
        every(
            event("Unhealthy", "Readiness probe failed"),
            no_endpoints("payments"),
            call_fails("checkout", "http://payments/"),
        ),
        edits={"Deployment/payments": (probe_port("readiness", "8081"),)},
    ),
    # checkout's PAYMENTS_URL names `payment`, no such Service: its calls fail to resolve
    Fault(
        "env-names-missing-service",
        "service/checkout",
        "deployment/checkout",
        "env-service-not-found",
        call_fails("checkout", "http://payment/"),
        edits={"Deployment/checkout": (('"http://payments"', '"http://payment"'),)},
    ),
    # the node is cordoned: none of the new copy's pods can be scheduled; each Service is
    # named (the benchmark's convention), the node is what to change (uncordon it)
    Fault(
        "cordoned-node",
        "service/*",
        "node/$node",
        "pending-node-unschedulable",
        every_app_refused("node(s) were unschedulable"),
        node="cordon",
    ),
    # the node carries a taint the shop does not tolerate: each workload is what to change
    # (a toleration; the taint may be there on purpose)
    Fault(
        "untolerated-taint",
        "service/*",
        "deployment/$service",
        "pending-untolerated-taint",
        every_app_refused("had taint {dedicated: batch}"),
        node="taint",
    ),
    # the live node's findings (issue 66): each was answered envoy-no-healthy-upstream, whose
    # only fact is the Service without endpoints; the pod's own state says the cause
    # cart's process exits 1 at each start: a crash loop, nothing more said
    Fault(
        "exits-1",
        "service/cart",
        "deployment/cart",
        "crashloop-backoff",
        every(restarted("cart"), event("BackOff", "Back-off restarting failed container")),
        edits={
            "Deployment/cart": (
                (
                    "        image: $image\n",
                    "        image: $image\n        command: [sh, -c, 'echo cart: no store; exit 1']\n",
                ),
            )
        },
    ),
    # payments' init container exits 2 again and again: Init:CrashLoopBackOff
    Fault(
        "failing-init",
        "service/payments",
        "deployment/payments",
        "init-container-failed",
        waiting_init("payments"),
        edits={
            "Deployment/payments": (
                (
                    "      terminationGracePeriodSeconds: 2\n",
                    INIT_CONTAINER,
                ),
            )
        },
    ),
    # the cluster DNS Service loses its endpoints (no CoreDNS pod ready) while the copy starts:
    # every lookup times out, so every call by name fails ("timed out": the log names no DNS);
    # the cause is kube-system's, named by its Service
    Fault(
        "cluster-dns-down",
        "service/kube-dns",
        "service/kube-dns",
        "dns-resolution-failure",
        every(call_fails("frontend", "http://checkout/"), call_fails("cart", "store:6379")),
        node="dns",
    ),
    # cart's RoleBinding names `carts`, not cart's ServiceAccount: reading its feature flags,
    # cart gets 403 Forbidden from the API server and exits, again and again
    Fault(
        "rbac-forbidden",
        "service/cart",
        "rolebinding/cart-flags",
        "rbac-forbidden",
        every(restarted("cart"), said("cart", "403 Forbidden")),
        edits={"RoleBinding/cart-flags": (("name: cart}", "name: carts}"),)},
        rollout=("cart",),
        asserted=False,
    ),
    # checkout mounts a Secret nobody created: ContainerCreating, FailedMount
    Fault(
        "missing-secret-volume",
        "service/checkout",
        "deployment/checkout",
        "volume-mount-failed",
        event("FailedMount", 'secret "tls-certs" not found'),
        edits={
            "Deployment/checkout": (
                (
                    "          limits: {memory: 64Mi}\n",
                    SECRET_VOLUME,
                ),
            )
        },
    ),
]
"""The faults, each alone in a fresh copy of the shop, with the suspect expected first."""
