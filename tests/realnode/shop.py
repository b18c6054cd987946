"""A small shop on the real node: its manifests as a user writes them, and how to read it.

Five Deployments and their Services call each other by Service name, through the
node's cluster DNS and kube-proxy (.ci/kube-node.sh): frontend -> checkout and cart,
checkout -> payments and cart, cart -> store (a redis-like TCP store); cart also reads its
feature flags from a ConfigMap through the API server, as its own ServiceAccount. Every service
is the node's `shop` image (.ci/shop-service.sh), configured by environment as a user
configures an app, and logs each call it makes, so a caller's log shows what a broken
upstream does to it. The faults made in it are in tests/realnode/shop_faults.py;
`healed(api, namespace)` says when a copy works again.
"""

from __future__ import annotations

from string import Template

import yaml

from tests.realnode.node import RealNode
from tests.realnode.scenarios import pods
from tests.realserver.api import Api, Obj

HTTP_SERVICES = ("frontend", "checkout", "payments", "cart")
SERVICES = (*HTTP_SERVICES, "store")
CALLS = {
    "frontend": ("http://checkout/healthz", "http://cart/healthz"),
    "checkout": ("http://payments/healthz", "http://cart/healthz"),
    "cart": ("store:6379",),
}
"""Who calls what (as the callers log it), for the healed check."""


def http_service(name: str, upstreams: dict[str, str], account: str = "") -> str:
    env = "".join(f'\n        - {{name: {var}, value: "{url}"}}' for var, url in upstreams.items())
    runs_as = f"\n      serviceAccountName: {account}" if account else ""
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
      terminationGracePeriodSeconds: 2{runs_as}
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
          timeoutSeconds: 3
        livenessProbe:
          httpGet: {{path: /healthz, port: http}}
          periodSeconds: 5
          timeoutSeconds: 3
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
          timeoutSeconds: 3
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

CART_FLAGS = """\
apiVersion: v1
kind: ServiceAccount
metadata: {name: cart}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cart-flags}
data: {discounts: "on"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cart-flags}
rules:
- apiGroups: [""]
  resources: [configmaps]
  resourceNames: [cart-flags]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cart-flags}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: cart-flags}
subjects:
- {kind: ServiceAccount, name: cart}
"""
"""cart reads its feature flags from a ConfigMap through the API server, as its own account."""

SHOP = "---\n".join(
    [
        CART_FLAGS,
        http_service("frontend", {"CHECKOUT_URL": "http://checkout", "CART_URL": "http://cart"}),
        http_service("checkout", {"PAYMENTS_URL": "http://payments", "CART_URL": "http://cart"}),
        http_service("payments", {}),
        http_service(
            "cart", {"STORE_ADDR": "store:6379", "FLAGS_CONFIGMAP": "cart-flags"}, account="cart"
        ),
        STORE,
    ]
)
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
        method="GET",
        resource_path=f"/api/v1/namespaces/{namespace}/pods/{pod}/log",
        query_params=[("tailLines", str(tail))],
        header_params={},
        auth_settings=["BearerToken"],
    )
    response = api.client.call_api(verb, url, header_params=headers, _request_timeout=60)
    return response.read().decode("utf-8", "replace") if response.status == 200 else ""


def app_pods(api: Api, namespace: str, app: str) -> list[Obj]:
    return [
        p
        for p in pods(api, namespace)
        if p["metadata"].get("labels", {}).get("app") == app
        and "deletionTimestamp" not in p["metadata"]
    ]


def ready(pod: Obj) -> bool:
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in pod.get("status", {}).get("conditions") or []
    )


def last_call(api: Api, namespace: str, caller: str, target: str) -> str:
    """The caller's last logged line about `target` ("" when none)."""
    names = [p["metadata"]["name"] for p in app_pods(api, namespace, caller)]
    logs = [pod_log(api, namespace, name) for name in names]
    lines = [line for log in logs for line in log.splitlines() if target in line]
    return lines[-1] if lines else ""


def healed(api: Api, namespace: str) -> bool:
    """Every Deployment rolled out and available, no pod left over from the fault, every
    Service with ready endpoints, and each caller's last call to each upstream answered."""
    if len(pods(api, namespace)) != len(SERVICES):  # (terminating ones included)
        return False
    for name in SERVICES:
        deployment = api.get("Deployment", name, namespace)
        status, want = deployment.get("status", {}), deployment["spec"]["replicas"]
        counts = [status.get(key) for key in ("updatedReplicas", "availableReplicas", "replicas")]
        if status.get("observedGeneration") != deployment["metadata"]["generation"]:
            return False
        if counts != [want] * 3 or len(app_pods(api, namespace, name)) != want:
            return False
        endpoints = api.find("Endpoints", name, namespace) or {}
        if not any(s.get("addresses") for s in endpoints.get("subsets") or []):
            return False
    return all(
        last_call(api, namespace, caller, target).endswith(" ok")
        for caller, targets in CALLS.items()
        for target in targets
    )
