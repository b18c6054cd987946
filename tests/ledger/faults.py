"""The ledger app's faults and their labels, written before the product was asked about them.

Ledger is the held-out family: nobody tunes the product's rules on it. Each fault is made as a
user (or the cluster) would make it in the ledger app (tests/ledger/app.py), one after another
in one namespace, each undone and the app serving its users again before the next
(tests/cascade/sequence.py). The label of each, as the market app's (tests/market/faults.py):
`culprit`, the object the diagnosis must name first (the Service of the component at fault, the
Ingress for a route's fault, the HPA, the cluster DNS Service), `entry` the catalog id of its
cause, `resource` the exact object changed, `caller` the tier whose pod `diagnose pod` is asked
about (the first victim: it calls the culprit), `symptom_service` the Service the users'
symptom names. These labels are never edited to match an answer.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.cascade.alerts import users
from tests.cascade.family import Family, Fault, Samples
from tests.cascade.reading import (
    Check,
    View,
    every,
    logged,
    users_fail,
    waiting,
)
from tests.cascade.record import COMMANDS, KUBE_SYSTEM
from tests.ledger.app import (
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

CHECKOUT, HOME = "/checkout", "/"
LOAD = re.compile(
    r"(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) (?:GET|POST) http://ledger\.example\.test/\S*: .* in ([\d.]+)(ms|s)$"
)


def samples(logs: dict[str, str]) -> Samples:
    """Service -> (time, seconds) of each answer measured: the users' answers time the portal."""
    found: Samples = {}
    users(logs, LOAD, "portal", found)
    return found


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


HPA = """\
apiVersion: autoscaling/v2beta2
kind: HorizontalPodAutoscaler
metadata: {name: accounts}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: accounts}
  minReplicas: 1
  maxReplicas: 3
  metrics:
  - type: Resource
    resource:
      name: memory
      target: {type: Utilization, averageUtilization: 80}
"""
"""On a cluster without metrics-server: it can never read the memory it scales on."""

FAULTS: list[Fault] = [
    # the API Ingress's backend for /api/orders names port 8081, which postings' Service lacks
    Fault(
        "ingress-api-wrong-port",
        "ingress/ledger-api",
        "ingress/ledger-api",
        "route-backend-port-mismatch",
        EDGE,
        users_fail(CHECKOUT),
        edits={
            "Ingress/ledger-api": (
                (
                    "service: {name: postings, port: {name: http-api}}",
                    "service: {name: postings, port: {number: 8081}}",
                ),
            )
        },
        symptom_service="portal",
    ),
    # the public Ingress's backend renamed to a Service that does not exist
    Fault(
        "ingress-backend-renamed",
        "ingress/ledger",
        "ingress/ledger",
        "ingress-backend-service-not-found",
        EDGE,
        users_fail(HOME),
        edits={
            "Ingress/ledger": (
                (
                    "service: {name: portal, port: {name: web}}",
                    "service: {name: portal-web, port: {name: web}}",
                ),
            )
        },
        symptom_service="portal",
        symptom_path=HOME,
    ),
    # ledger-db restarted read-only (its option file): postings' writes fail
    Fault(
        "ledger-db-read-only",
        "service/ledger-db",
        "configmap/ledger-db-config",
        "db-read-only-after-failover",
        "postings",
        every(users_fail(CHECKOUT), logged("postings", "--read-only option")),
        edits={"ConfigMap/ledger-db-config": (("read_only = OFF", "read_only = ON"),)},
        restart=("ledger-db",),
        symptom_service="portal",
    ),
    # postings' datasource password changed in its Secret, postings restarted: refused
    Fault(
        "postings-db-credentials",
        "service/postings",
        "secret/postings-datasource",
        "db-credentials-rejected",
        EDGE,
        every(users_fail(CHECKOUT), logged("postings", "Access denied for user 'postings'")),
        edits={
            "Secret/postings-datasource": (
                ("password: p0stings-Ledger", "password: p0stings-2026"),
            )
        },
        restart=("postings",),
        symptom_service="portal",
    ),
    # accounts' init container waits for its database under a name nothing serves
    Fault(
        "accounts-init-wait",
        "service/accounts",
        "deployment/accounts",
        "env-service-not-found",
        EDGE,
        every(initializing("accounts"), users_fail(HOME)),
        edits={
            "Deployment/accounts": (
                (
                    "{name: DB_HOST, value: ledger-db.ledger.svc.cluster.local}",
                    "{name: DB_HOST, value: ledger-db-primary.ledger.svc.cluster.local}",
                ),
            )
        },
        symptom_service="portal",
        symptom_path=HOME,
    ),
    # the key the portal requires at start renamed in its envFrom ConfigMap, portal restarted
    Fault(
        "portal-configmap-key",
        "service/portal",
        "configmap/portal-env",
        "app-config-missing",
        EDGE,
        every(waiting("portal", "CrashLoopBackOff"), users_fail(HOME)),
        edits={"ConfigMap/portal-env": (("  SESSION_REDIS_URL:", "  REDIS_URL:"),)},
        restart=("portal",),
        symptom_service="portal",
        symptom_path=HOME,
    ),
    # an HPA for accounts on a cluster without metrics-server: it can never scale
    Fault(
        "accounts-hpa-no-metrics",
        "service/accounts",
        "horizontalpodautoscaler/accounts",
        "hpa-missing-metrics",
        "accounts",
        hpa_blind("accounts"),
        added=HPA,
        symptom_service="accounts",
        symptom_text="accounts never scales out when its memory climbs: it stays at 1 replica",
    ),
    # the cluster DNS loses its endpoints (no CoreDNS pod ready): every lookup fails
    Fault(
        "cluster-dns-down",
        "service/kube-dns",
        "endpoints/kube-dns",
        "dns-resolution-failure",
        "portal",
        users_fail(HOME),
        action="dns-down",
        symptom_service="portal",
        symptom_path=HOME,
    ),
    # postings' notifier URL (its application.properties) names port 3001: refused at checkout
    Fault(
        "postings-notifier-port",
        "service/postings",
        "configmap/postings-config",
        "dependency-unreachable",
        EDGE,
        users_fail(CHECKOUT),
        edits={
            "ConfigMap/postings-config": (
                (
                    "notifier.ledger.svc.cluster.local:3000",
                    "notifier.ledger.svc.cluster.local:3001",
                ),
            )
        },
        restart=("postings",),
        symptom_service="portal",
    ),
]
"""The faults, in the order they are made."""

RECORD = (
    *COMMANDS,
    ("get-workloads", "get daemonsets,jobs,cronjobs -o wide"),
    ("get-hpa", "get hpa"),
    ("describe-hpa", "describe hpa"),
)
"""What is recorded of the namespace: the cascade app's commands, and the kinds it adds."""
ELSEWHERE = (
    *KUBE_SYSTEM,
    ("ingress-nginx", f"get pods,services,endpoints -n {EDGE_NAMESPACE} -o wide"),
)

LEDGER = Family(
    name="ledger",
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
    accounts=("default", "ingress-nginx"),
    first=("reconciler", "ledger-db", "session-cache"),
    elsewhere={EDGE: EDGE_NAMESPACE},
    commands=RECORD,
    cluster_commands=ELSEWHERE,
    alert_name="PortalLatencyHigh",
    keep_restarts=True,
)
"""The ledger app: the held-out family."""
