"""The market app's faults and their labels, written before the product was asked about them.

One fault per class of issue 80, each made as a user (or the cluster) would make it in the
market app (tests/market/app.py), one after another in one namespace, each undone and the app
serving its users again before the next (tests/cascade/sequence.py). The label of each:
`culprit`, the object the diagnosis must name first (the Service of the component at fault,
as the walk's suspects name objects; the route itself for a route's fault; the HPA for the
HPA; the cluster DNS Service), `entry` the catalog id of the cause (or, where the catalog had
no entry for the class when the labels were written, the id of the class the cascade app's
labels use), `resource` the exact object to change, `caller` the tier whose pod `diagnose pod`
is asked about (the first victim: it calls the culprit), `symptom_service` the Service the
users' symptom names, and `shows` when the failure has really happened. Nothing here was tuned
on the product's answers: these are the labels the product is scored against.
"""

from __future__ import annotations

from pathlib import Path

from tests.cascade.alerts import SLOW, fire_on
from tests.cascade.family import Family, Fault
from tests.cascade.reading import (
    Check,
    View,
    container_state,
    every,
    logged,
    no_endpoints,
    terminated,
    users_fail,
    users_wait,
    waiting,
)
from tests.cascade.record import COMMANDS, KUBE_SYSTEM
from tests.market.app import (
    APP,
    EDGE,
    EDGE_NAMESPACE,
    LABEL,
    NAMESPACE,
    PATHS,
    SERVICES,
    TIERS,
    USERS,
)
from tests.market.signals import chronic, samples


def initializing(tier: str) -> Check:
    """A pod of the tier is held by an init container that keeps running."""
    return lambda view: any(
        "running" in (s.get("state") or {})
        for p in view.pods(tier)
        for s in (p.get("status") or {}).get("initContainerStatuses") or []
    )


def hpa_blind(name: str) -> Check:
    """The HPA says it cannot compute its metric (ScalingActive False)."""

    def check(view: View) -> bool:
        hpa = view.api.find("HorizontalPodAutoscaler", name, view.namespace) or {}
        conditions = (hpa.get("status") or {}).get("conditions") or []
        return any(c["type"] == "ScalingActive" and c["status"] == "False" for c in conditions)

    return check


def running_again(tier: str) -> Check:
    """The tier's container was restarted at least once (its new run is up)."""
    return container_state(tier, lambda s: s.get("restartCount", 0) > 0)


NETPOL = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: redis}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/name: redis}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels: {app.kubernetes.io/name: payments}
    - podSelector:
        matchLabels: {app.kubernetes.io/name: orders}
    ports:
    - {protocol: TCP, port: 6379}
"""
"""Written for the order pipeline's Redis clients; it forgets storefront's sessions and the worker."""
HPA = """\
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: orders}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: orders}
  minReplicas: 1
  maxReplicas: 4
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 70}
"""
"""On a cluster without metrics-server: it can never read the CPU it scales on."""
SIDECAR = """\
      containers:
      - name: metrics-exporter
        image: $image
        command: [httpd, -f, -p, "3000", -h, /tmp]
      - name: payments
"""
CHECKOUT, HOME = "/checkout", "/"

FAULTS: list[Fault] = [
    # the Ingress's backend for / renamed to a Service that does not exist: the controller has
    # no upstream, the users get its 503
    Fault(
        "ingress-backend-renamed",
        "ingress/shop",
        "ingress/shop",
        "ingress-backend-service-not-found",
        EDGE,
        every(users_fail(HOME), logged(EDGE, '"market/storefront-web" in local store')),
        edits={
            "Ingress/shop": (
                (
                    "service: {name: storefront, port: {name: http}}",
                    "service: {name: storefront-web, port: {name: http}}",
                ),
            )
        },
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # the Ingress's backend for / names the container's port (3000), not the Service's (80)
    Fault(
        "ingress-wrong-port",
        "ingress/shop",
        "ingress/shop",
        "route-backend-port-mismatch",
        EDGE,
        every(
            users_fail(HOME), logged(EDGE, "does not have any active Endpoint for TCP port 3000")
        ),
        edits={
            "Ingress/shop": (
                (
                    "service: {name: storefront, port: {name: http}}",
                    "service: {name: storefront, port: {number: 3000}}",
                ),
            )
        },
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # the gateway's route for /api/orders sends to inventory, which has no such path (404); the
    # object is the in-namespace controller's Service, as the contract's kinds and the cascade
    # app's route faults name it (labelled httproute/orders until 2026-11-29), the route the
    # resource to change
    Fault(
        "gateway-misroute",
        "service/gateway",
        "httproute/orders",
        "ingress-wrong-backend",
        "gateway",
        every(users_fail(CHECKOUT), logged("gateway", '"POST /api/orders HTTP/1.1" 404')),
        edits={
            "HTTPRoute/orders": (
                (
                    "backendRefs: [{name: orders, port: 8080}]",
                    "backendRefs: [{name: inventory, port: 8000}]",
                ),
            )
        },
        symptom_service="storefront",
    ),
    # mysql restarted read-only (its option file from the ConfigMap): every writer fails,
    # reads still work
    Fault(
        "mysql-read-only",
        "service/mysql",
        "configmap/mysql-config",
        "db-read-only-after-failover",
        "orders",
        every(users_fail(CHECKOUT), logged("orders", "--read-only option")),
        edits={"ConfigMap/mysql-config": (("read_only = OFF", "read_only = ON"),)},
        restart=("mysql",),
        symptom_service="storefront",
    ),
    # inventory's database password changed in its Secret and inventory restarted: mysql
    # refuses it (orders and the worker log in as themselves, still fine)
    Fault(
        "inventory-db-credentials",
        "service/inventory",
        "secret/inventory-db",
        "db-credentials-rejected",
        "gateway",
        every(users_fail(HOME), logged("inventory", "Access denied for user 'inventory'")),
        edits={"Secret/inventory-db": (("password: inv-Pa55", "password: inv-2025"),)},
        restart=("inventory",),
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # orders' JDBC URL (in its application.properties) names port 3307, where mysql does not
    # listen; Spring Boot stops at start
    Fault(
        "orders-db-port",
        "service/orders",
        "configmap/orders-config",
        "env-service-not-found",
        "gateway",
        every(waiting("orders", "CrashLoopBackOff"), users_fail(CHECKOUT)),
        edits={"ConfigMap/orders-config": ((":3306/orders", ":3307/orders"),)},
        restart=("orders",),
        symptom_service="storefront",
    ),
    # a metrics sidecar added to payments listens on payments' port first: EADDRINUSE
    Fault(
        "payments-sidecar-port",
        "service/payments",
        "deployment/payments",
        "container-port-in-use",
        "orders",
        every(logged("payments", "EADDRINUSE"), users_fail(CHECKOUT)),
        edits={"Deployment/payments": (("      containers:\n      - name: payments\n", SIDECAR),)},
        symptom_service="storefront",
        timeout=300.0,
    ),
    # payments' init container waits for redis under a name nothing serves
    Fault(
        "payments-init-wait",
        "service/payments",
        "deployment/payments",
        "env-service-not-found",
        "orders",
        every(initializing("payments"), users_fail(CHECKOUT)),
        edits={
            "Deployment/payments": (
                (
                    "{name: REDIS_HOST, value: redis.market.svc.cluster.local}",
                    "{name: REDIS_HOST, value: redis-master.market.svc.cluster.local}",
                ),
            )
        },
        symptom_service="storefront",
    ),
    # the key storefront requires at start renamed in its envFrom ConfigMap, storefront
    # restarted: it stops ("Missing required environment variable GATEWAY_URL")
    Fault(
        "storefront-configmap-key",
        "service/storefront",
        "configmap/storefront-env",
        "app-config-missing",
        EDGE,
        every(waiting("storefront", "CrashLoopBackOff"), users_fail(HOME)),
        edits={"ConfigMap/storefront-env": (("  GATEWAY_URL:", "  GATEWAY_BASE_URL:"),)},
        restart=("storefront",),
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # an HPA for orders on a cluster without metrics-server: it can never scale; the object is
    # the workload it scales, named by its Service as the contract says (labelled
    # horizontalpodautoscaler/orders until 2026-11-29), the HPA the resource to change
    Fault(
        "orders-hpa-no-metrics",
        "service/orders",
        "horizontalpodautoscaler/orders",
        "hpa-missing-metrics",
        "orders",
        hpa_blind("orders"),
        added=HPA,
        symptom_service="orders",
        symptom_text="orders does not scale out under load: it stays at 1 replica",
    ),
    # the cluster DNS's Endpoints object deleted: every lookup in the cluster fails
    Fault(
        "cluster-dns-gone",
        "service/kube-dns",
        "endpoints/kube-dns",
        "dns-resolution-failure",
        "storefront",
        every(logged("storefront", "EAI_AGAIN"), users_fail(HOME)),
        action="dns-gone",
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # inventory's link shaped by `tc`: its catalogue answers wait, nothing fails; latency alerts
    Fault(
        "inventory-delay",
        "service/inventory",
        "deployment/inventory",
        "network-degradation",
        "gateway",
        every(users_wait(SLOW, HOME), fire_on("storefront", "inventory")),
        action="delay",
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # payments' new currency setting is no currency code: V8's RangeError at start
    Fault(
        "payments-crash",
        "service/payments",
        "deployment/payments",
        "crashloop-backoff",
        "orders",
        every(waiting("payments", "CrashLoopBackOff"), users_fail(CHECKOUT)),
        edits={
            "Deployment/payments": (
                ("{name: CURRENCY, value: EUR}", "{name: CURRENCY, value: EURO}"),
            )
        },
        symptom_service="storefront",
    ),
    # orders' heap raised above its memory limit: the JVM commits it at start, the kernel kills it
    Fault(
        "orders-oom",
        "service/orders",
        "deployment/orders",
        "oom-killed",
        "gateway",
        every(terminated("orders", "OOMKilled"), users_fail(CHECKOUT)),
        edits={"Deployment/orders": (("-Xms48m -Xmx96m", "-Xms160m -Xmx256m"),)},
        symptom_service="storefront",
    ),
    # the key of mysql's root password renamed in its Secret, mysql restarted: its new pod
    # cannot be created
    Fault(
        "mysql-secret-key",
        "service/mysql",
        "secret/mysql-root",
        "create-container-config-error",
        "orders",
        every(waiting("mysql", "CreateContainerConfigError"), users_fail(CHECKOUT)),
        edits={"Secret/mysql-root": (("{password: root-Pa55}", "{root-password: root-Pa55}"),)},
        restart=("mysql",),
        symptom_service="storefront",
    ),
    # a NetworkPolicy lets only payments and orders reach redis: storefront's carts time out
    Fault(
        "redis-network-policy",
        "service/redis",
        "networkpolicy/redis",
        "networkpolicy-blocking-traffic",
        "storefront",
        every(logged("storefront", "ETIMEDOUT"), users_fail(CHECKOUT)),
        added=NETPOL,
        action="netpol",
        symptom_service="storefront",
    ),
    # inventory's Service selects a label its pods do not carry: no endpoints
    Fault(
        "inventory-selector",
        "service/inventory",
        "service/inventory",
        "service-endpoints-empty",
        "gateway",
        every(no_endpoints("inventory"), users_fail(HOME)),
        edits={
            "Service/inventory": (
                (
                    "selector: {app.kubernetes.io/name: inventory}",
                    "selector: {app.kubernetes.io/name: inventory, app.kubernetes.io/component: api}",
                ),
            )
        },
        symptom_service="storefront",
        symptom_path=HOME,
    ),
    # orders' Service targets a port name no container declares: no endpoints
    Fault(
        "orders-target-port",
        "service/orders",
        "service/orders",
        "service-target-port-mismatch",
        "gateway",
        every(no_endpoints("orders"), users_fail(CHECKOUT)),
        edits={"Service/orders": (("targetPort: http}", "targetPort: web}"),)},
        symptom_service="storefront",
    ),
]
"""The faults, in the order they are made."""

RECORD = (
    *COMMANDS,
    ("get-workloads", "get daemonsets,jobs,cronjobs -o wide"),
    ("get-hpa", "get hpa"),
    ("describe-hpa", "describe hpa"),
    ("get-routes", "get httproutes,gateways -o yaml"),
)
"""What is recorded of the namespace: the cascade app's commands, and the kinds it adds."""
ELSEWHERE = (
    *KUBE_SYSTEM,
    ("ingress-nginx", f"get pods,services,endpoints -n {EDGE_NAMESPACE} -o wide"),
)

MARKET = Family(
    name="market",
    namespace=NAMESPACE,
    manifests=APP,
    tiers=TIERS,
    services=SERVICES,
    faults=tuple(FAULTS),
    recorded=Path(__file__).resolve().parent / "recorded",
    image=lambda node: str(node.market_image),
    users=USERS,
    paths=PATHS,
    samples=samples,
    label=LABEL,
    accounts=("default", "gateway", "ingress-nginx"),
    first=("worker", "mysql", "redis"),
    elsewhere={EDGE: EDGE_NAMESPACE},
    commands=RECORD,
    cluster_commands=ELSEWHERE,
    alert_name="P95LatencyHigh",
    delayed="inventory",
    keep_restarts=True,
    chronic_alerts=chronic,
)
"""The market app: the family nobody tuned the rules on."""
