"""A small shop on the real node, and the faults a user makes in it, as edits of its manifests.

Five Deployments and their Services call each other by Service name, through the
node's cluster DNS and kube-proxy (.ci/kube-node.sh): frontend -> checkout and cart,
checkout -> payments and cart, cart -> store (a redis-like TCP store). Every service
is the node's `shop` image (.ci/shop-service.sh), configured by environment as a user
configures an app, and logs each call it makes, so a caller's log shows what a broken
upstream does to it.

Each fault is an edit of the healthy manifests (a few lines of one object, or an
object added), applied alone to a fresh copy of the shop in a namespace of its own;
node faults (cordon, taint) change the node instead. `visible(api, namespace)` says
when the failure has really happened; `healed(api, namespace)` when the shop works
again after `undo`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from string import Template

import yaml

from tests.realnode.node import RealNode
from tests.realnode.scenarios import has_event, pods, statuses
from tests.realserver.api import Api, Obj

Visible = Callable[[Api, str], bool]

HTTP_SERVICES = ("frontend", "checkout", "payments", "cart")
SERVICES = (*HTTP_SERVICES, "store")
CALLS = {"frontend": ("http://checkout/healthz", "http://cart/healthz"),
         "checkout": ("http://payments/healthz", "http://cart/healthz"),
         "cart": ("store:6379",)}
"""Who calls what (as the callers log it), for the healed check."""


def http_service(name: str, upstreams: dict[str, str]) -> str:
    env = "".join(f"\n        - {{name: {var}, value: \"{value}\"}}" for var, value in upstreams.items())
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}}}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: {name}
        image: $image
        env:
        - {{name: SERVICE_NAME, value: {name}}}
        - {{name: PORT, value: "8080"}}{env}
        ports:
        - {{name: http, containerPort: 8080}}
        readinessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 3
        livenessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 3
          failureThreshold: 2
        resources:
          requests: {{cpu: 10m, memory: 16Mi}}
          limits: {{memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  selector: {{app: {name}}}
  ports:
  - {{name: http, port: 80, targetPort: 8080}}
"""


STORE = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: store
  labels: {app: store}
spec:
  replicas: 1
  selector:
    matchLabels: {app: store}
  template:
    metadata:
      labels: {app: store}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: store
        image: $image
        env:
        - {name: SERVICE_NAME, value: store}
        - {name: STORE_LISTEN, value: "6379"}
        - {name: WARM_CACHE_MB, value: "16"}
        ports:
        - {name: redis, containerPort: 6379}
        readinessProbe:
          tcpSocket: {port: redis}
          periodSeconds: 3
        volumeMounts:
        - {name: data, mountPath: /data}
        resources:
          requests: {cpu: 10m, memory: 32Mi}
          limits: {memory: 64Mi}
      volumes:
      - name: data
        emptyDir: {}
---
apiVersion: v1
kind: Service
metadata:
  name: store
spec:
  selector: {app: store}
  ports:
  - {name: redis, port: 6379, targetPort: redis}
"""

SHOP = "---\n".join([
    http_service("frontend", {"CHECKOUT_URL": "http://checkout", "CART_URL": "http://cart"}),
    http_service("checkout", {"PAYMENTS_URL": "http://payments", "CART_URL": "http://cart"}),
    http_service("payments", {}),
    http_service("cart", {"STORE_ADDR": "store:6379"}),
    STORE,
])
"""The healthy shop, as a user writes it (`$image`: the node's shop image)."""


def documents(text: str) -> dict[str, str]:
    """KIND/name -> that object's YAML text."""
    found: dict[str, str] = {}
    for doc in text.split("---\n"):
        obj = yaml.safe_load(doc)
        if obj:
            found[f"{obj['kind']}/{obj['metadata']['name']}"] = doc
    return found


def edited(edits: dict[str, tuple[tuple[str, str], ...]], added: str = "") -> str:
    """The shop's manifests with each (old, new) edit made in the object it names."""
    docs = documents(SHOP)
    for key, changes in edits.items():
        for old, new in changes:
            assert docs[key].count(old) == 1, f"{key}: {old!r} is not in it exactly once"
            docs[key] = docs[key].replace(old, new)
    return "---\n".join([*(documents(added).values() if added else []), *docs.values()])


def objects(text: str, node: RealNode, namespace: str) -> list[Obj]:
    filled = Template(text).substitute(image=node.shop_image, registry=node.registry)
    found = [obj for obj in yaml.safe_load_all(filled) if obj]
    for obj in found:
        obj["metadata"]["namespace"] = namespace
    return found


# ------------------------------------------------------------------ reading the shop


def pod_log(api: Api, namespace: str, pod: str, tail: int = 20) -> str:
    """The pod's last log lines (empty when it has none yet)."""
    verb, url, headers, _, _ = api.client.param_serialize(
        method="GET", resource_path=f"/api/v1/namespaces/{namespace}/pods/{pod}/log",
        query_params=[("tailLines", str(tail))], header_params={}, auth_settings=["BearerToken"])
    response = api.client.call_api(verb, url, header_params=headers, _request_timeout=10)
    return response.read().decode("utf-8", "replace") if response.status == 200 else ""


def app_pods(api: Api, namespace: str, app: str) -> list[Obj]:
    return [p for p in pods(api, namespace) if p["metadata"].get("labels", {}).get("app") == app
            and "deletionTimestamp" not in p["metadata"]]


def ready(pod: Obj) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True"
               for c in pod.get("status", {}).get("conditions") or [])


def last_call(api: Api, namespace: str, caller: str, target: str) -> str:
    """The caller's last logged line about `target` ("" when none)."""
    lines = [line for p in app_pods(api, namespace, caller)
             for line in pod_log(api, namespace, p["metadata"]["name"]).splitlines() if target in line]
    return lines[-1] if lines else ""


def call_fails(caller: str, target: str) -> Visible:
    """The caller's last call to `target` failed."""
    return lambda api, namespace: " failed: " in last_call(api, namespace, caller, target)


def all_ready(*apps: str) -> Visible:
    return lambda api, namespace: all(
        (found := app_pods(api, namespace, app)) and all(ready(p) for p in found) for app in apps)


def no_endpoints(service: str) -> Visible:
    def check(api: Api, namespace: str) -> bool:
        endpoints = api.find("Endpoints", service, namespace) or {}
        return not any(s.get("addresses") for s in endpoints.get("subsets") or [])

    return check


def restarted(app: str, times: int = 1) -> Visible:
    return lambda api, namespace: any(
        s.get("restartCount", 0) >= times for p in app_pods(api, namespace, app) for s in statuses(p))


def oom_killed(app: str) -> Visible:
    return lambda api, namespace: any(
        (s.get("lastState", {}).get("terminated") or {}).get("reason") == "OOMKilled"
        for p in app_pods(api, namespace, app) for s in statuses(p))


def waiting_in(app: str, *reasons: str) -> Visible:
    return lambda api, namespace: any(
        (s.get("state", {}).get("waiting") or {}).get("reason") in reasons
        for p in app_pods(api, namespace, app) for s in statuses(p))


def event(reason: str, text: str) -> Visible:
    return lambda api, namespace: has_event(api, namespace, reason, text)


def every(*checks: Visible) -> Visible:
    return lambda api, namespace: all(check(api, namespace) for check in checks)


def healed(api: Api, namespace: str) -> bool:
    """Every Deployment rolled out and available, no pod left over from the fault, every
    Service with ready endpoints, and each caller's last call to each upstream answered."""
    for name in SERVICES:
        deployment = api.get("Deployment", name, namespace)
        status, want = deployment.get("status", {}), deployment["spec"]["replicas"]
        if status.get("observedGeneration") != deployment["metadata"]["generation"] or any(
                status.get(key) != want for key in ("updatedReplicas", "availableReplicas", "replicas")):
            return False
        if len(app_pods(api, namespace, name)) != want or len(pods(api, namespace)) != len(SERVICES):
            return False
        endpoints = api.find("Endpoints", name, namespace) or {}
        if not any(s.get("addresses") for s in endpoints.get("subsets") or []):
            return False
    return all(last_call(api, namespace, caller, target).endswith(" ok")
               for caller, targets in CALLS.items() for target in targets)


# ------------------------------------------------------------------ the faults


@dataclass(frozen=True)
class Fault:
    """One fault: how it is made, when it shows, and what the diagnosis must name first."""

    name: str
    object: str
    """The suspect's `object`: what the user sees broken (a workload by its Service)."""
    resource: str
    """The suspect's `resource`: the exact object to change."""
    entry: str
    """The catalog id of the cause."""
    visible: Visible
    edits: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    added: str = ""
    """Objects the fault adds (YAML); `undo` deletes them."""
    node: str = ""
    """A change of the node instead of the manifests: "cordon" or "taint"."""
    restart: bool = False
    """Undo also restarts the Deployments (their ReplicaSets back off creating pods)."""
    timeout: float = 180.0

    def manifests(self) -> str:
        return edited(self.edits, self.added)


TAINT = {"key": "dedicated", "value": "batch", "effect": "NoSchedule"}

FAULTS: list[Fault] = [
    # the Service's selector names a label no pod has: no endpoints, checkout refused
    Fault("selector-mismatch", "service/payments", "service/payments", "service-endpoints-empty",
          every(all_ready("payments"), no_endpoints("payments"),
                call_fails("checkout", "http://payments/")),
          edits={"Service/payments": (("selector: {app: payments}", "selector: {app: payment}"),)}),
    # targetPort 80 where the container listens on 8080: endpoints exist, connections refused
    Fault("wrong-target-port", "service/cart", "service/cart", "service-target-port-mismatch",
          every(all_ready("cart"), call_fails("frontend", "http://cart/")),
          edits={"Service/cart": (("targetPort: 8080", "targetPort: 80"),)}),
    # the pod template names a ServiceAccount nobody created: the ReplicaSet creates no pod
    Fault("missing-service-account", "service/checkout", "deployment/checkout", "serviceaccount-not-found",
          event("FailedCreate", 'serviceaccount "checkout" not found'),
          edits={"Deployment/checkout": (("    spec:\n", "    spec:\n      serviceAccountName: checkout\n"),)}),
    # four pods allowed for five Deployments: one ReplicaSet is refused
    Fault("exhausted-quota", "namespace/$namespace", "resourcequota/shop-pods", "resource-quota-exceeded",
          event("FailedCreate", "exceeded quota: shop-pods"),
          added="apiVersion: v1\nkind: ResourceQuota\nmetadata: {name: shop-pods}\nspec:\n  hard: {pods: \"4\"}\n",
          restart=True),
    # the store's data on a claim whose StorageClass does not exist: claim and pod Pending
    Fault("pvc-missing-storageclass", "service/store", "persistentvolumeclaim/store-data",
          "pending-storageclass-missing",
          every(event("ProvisioningFailed", 'storageclass.storage.k8s.io "fast-ssd" not found'),
                event("FailedScheduling", "unbound immediate PersistentVolumeClaims")),
          edits={"Deployment/store": (("        emptyDir: {}\n",
                                       "        persistentVolumeClaim: {claimName: store-data}\n"),)},
          added=("apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: store-data}\nspec:\n"
                 "  storageClassName: fast-ssd\n  accessModes: [ReadWriteOnce]\n"
                 "  resources: {requests: {storage: 1Gi}}\n")),
    # a tag that was never pushed: the registry answers 404
    Fault("wrong-image", "service/payments", "deployment/payments", "image-not-found",
          waiting_in("payments", "ImagePullBackOff", "ErrImagePull"),
          edits={"Deployment/payments": (("image: $image", "image: $registry/kubemedic/shop:1.0.1"),)}),
    # the store warms a 16 MiB cache under a 12 MiB limit: the kernel kills it
    Fault("oom", "service/store", "deployment/store", "oom-killed", oom_killed("store"),
          edits={"Deployment/store": (("limits: {memory: 64Mi}", "limits: {memory: 12Mi}"),
                                      ("requests: {cpu: 10m, memory: 32Mi}",
                                       "requests: {cpu: 10m, memory: 12Mi}"))}),
    # the liveness probe asks a port nothing listens on: the kubelet kills cart again and again
    Fault("liveness-wrong-port", "service/cart", "deployment/cart", "liveness-probe-failed",
          every(restarted("cart"), event("Killing", "failed liveness probe")),
          edits={"Deployment/cart": (("livenessProbe:\n          httpGet: {path: /healthz, port: http}",
                                      "livenessProbe:\n          httpGet: {path: /healthz, port: 8081}"),)}),
    # the readiness probe asks a port nothing listens on: payments never Ready, no endpoints
    Fault("readiness-wrong-port", "service/payments", "deployment/payments", "readiness-probe-failed",
          every(event("Unhealthy", "Readiness probe failed"), no_endpoints("payments"),
                call_fails("checkout", "http://payments/")),
          edits={"Deployment/payments": (("readinessProbe:\n          httpGet: {path: /healthz, port: http}",
                                          "readinessProbe:\n          httpGet: {path: /healthz, port: 8081}"),)}),
    # checkout's PAYMENTS_URL names `payment`, no such Service: its calls fail to resolve
    Fault("env-names-missing-service", "service/checkout", "deployment/checkout", "env-service-not-found",
          call_fails("checkout", "http://payment/"),
          edits={"Deployment/checkout": (('value: "http://payments"', 'value: "http://payment"'),)}),
    # the node is cordoned: the new copy's pods cannot be scheduled
    Fault("cordoned-node", "node/$node", "node/$node", "pending-node-unschedulable",
          event("FailedScheduling", "node(s) were unschedulable"), node="cordon"),
    # the node carries a taint the shop does not tolerate
    Fault("untolerated-taint", "node/$node", "node/$node", "pending-untolerated-taint",
          event("FailedScheduling", "had taint {dedicated: batch}"), node="taint"),
]
"""The faults, each alone in a fresh copy of the shop; the expected first suspect of each."""
