"""The cascade app's faults: in each the broken object is not the one the users' symptom names.

The users (the load tier) see web fail or slow down; the object to name is further down the
chain. A fault is what a user changes: lines of one object of the healthy manifests (`edits`,
old -> new), objects added (`added`), Deployments restarted after the change as people do after
editing a Secret (`restart`), or, where Kubernetes alone cannot make it, a change made where an
enforcing network plugin or a chaos tool would make it (`action`, tests/cascade/actions.py):
the NetworkPolicy enforced in the pod's network namespace (the node's bridge CNI enforces
none), a `tc` shaper on a pod's interface, the cluster DNS's endpoints gone. They run one after
another in one namespace, each undone (and the app healthy again) before the next, so each
fault's events stay in the namespace as the next one's history.

Each fault's label (tests/cascade/family.py, `Fault`): `culprit` is the suspect `object` to
put first, `resource` the exact object to change (for the table; not scored), `entry` the
catalog id of the cause, `caller` the tier whose pod `diagnose pod` is asked about (the first
victim: it calls the culprit), `shows` when the failure has really happened.
"""

from __future__ import annotations

from tests.cascade.alerts import SLOW, fire_on, samples
from tests.cascade.app import APP, NAMESPACE, SERVICES, TIERS
from tests.cascade.family import Family, Fault
from tests.cascade.reading import (
    every,
    logged,
    no_endpoints,
    not_ready,
    terminated,
    users_fail,
    users_wait,
    waiting,
)
from tests.cascade.record import COMMANDS, KUBE_SYSTEM, RECORDED

NETPOL = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: catalog-ingress}
spec:
  podSelector:
    matchLabels: {app: catalog}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: web}
    ports:
    - {protocol: TCP, port: 8080}
"""
"""Written for the gateway's /catalog/ route; it forgets api, which calls catalog too."""
SIDECAR = """\
      containers:
      - name: metrics-agent
        image: $image
        command: [httpd, -f, -p, "8080", -h, /tmp]
      - name: billing
"""

FAULTS: list[Fault] = [
    # catalog's new CACHE_SIZE is no number: it exits at start, its pod crash-loops, api's
    # readiness fails on catalog, web has no api endpoint to send the users to
    Fault(
        "catalog-crash",
        "service/catalog",
        "deployment/catalog",
        "crashloop-backoff",
        "api",
        every(waiting("catalog", "CrashLoopBackOff"), not_ready("api"), users_fail()),
        edits={"Deployment/catalog": (('value: "128"', 'value: "64MB"'),)},
    ),
    # catalog's Service selects `catalogue`: no endpoints, api's calls to it are refused
    Fault(
        "catalog-selector",
        "service/catalog",
        "service/catalog",
        "service-endpoints-empty",
        "api",
        every(no_endpoints("catalog"), not_ready("api"), users_fail()),
        edits={"Service/catalog": (("selector: {app: catalog}", "selector: {app: catalogue}"),)},
    ),
    # catalog's Service sends to 8081, where nothing listens
    Fault(
        "catalog-target-port",
        "service/catalog",
        "service/catalog",
        "service-target-port-mismatch",
        "api",
        every(logged("api", "connect: connection refused"), not_ready("api"), users_fail()),
        edits={"Service/catalog": (("targetPort: 8080", "targetPort: 8081"),)},
    ),
    # the key catalog reads is renamed in its ConfigMap: the kubelet updates the volume, the
    # file is gone, catalog stops at its next reload and at every start after
    Fault(
        "catalog-configmap-key",
        "service/catalog",
        "configmap/catalog-config",
        "app-config-missing",
        "api",
        every(waiting("catalog", "CrashLoopBackOff"), not_ready("api"), users_fail()),
        edits={"ConfigMap/catalog-config": (("catalog.yaml: |", "catalog.yml: |"),)},
        restart=("catalog",),
    ),
    # catalog's root filesystem made read-only: it cannot write its cache at start
    Fault(
        "catalog-read-only-root",
        "service/catalog",
        "deployment/catalog",
        "read-only-root-filesystem",
        "api",
        every(waiting("catalog", "CrashLoopBackOff"), not_ready("api"), users_fail()),
        edits={
            "Deployment/catalog": (
                (
                    "        env:\n",
                    "        securityContext: {readOnlyRootFilesystem: true}\n        env:\n",
                ),
            )
        },
    ),
    # a NetworkPolicy lets only web reach catalog: api's calls to it time out
    Fault(
        "catalog-network-policy",
        "service/catalog",
        "networkpolicy/catalog-ingress",
        "networkpolicy-blocking-traffic",
        "api",
        every(logged("api", "i/o timeout"), not_ready("api"), users_fail()),
        added=NETPOL,
        action="netpol",
    ),
    # catalog's interface shaped by `tc`: every answer waits, nothing fails; alerts on latency
    Fault(
        "catalog-delay",
        "service/catalog",
        "deployment/catalog",
        "network-degradation",
        "api",
        every(users_wait(SLOW), fire_on("web", "api", "catalog")),
        action="delay",
    ),
    # db's memory limit below the buffers it fills at start: the kernel kills it each time
    Fault(
        "db-oom",
        "service/db",
        "deployment/db",
        "oom-killed",
        "api",
        every(terminated("db", "OOMKilled"), not_ready("api"), users_fail()),
        edits={"Deployment/db": (("memory: 64Mi", "memory: 16Mi"),)},
    ),
    # db set read-only in its ConfigMap: reads work, every write fails; web answers 500
    Fault(
        "db-read-only",
        "service/db",
        "configmap/db-config",
        "db-read-only-after-failover",
        "api",
        every(logged("api", "read-only transaction"), users_fail()),
        edits={
            "ConfigMap/db-config": (
                ("default_transaction_read_only = off", "default_transaction_read_only = on"),
            )
        },
    ),
    # a key of db's Secret renamed, db restarted: its new pod cannot be created
    Fault(
        "db-secret-key",
        "service/db",
        "secret/db-users",
        "create-container-config-error",
        "api",
        every(waiting("db", "CreateContainerConfigError"), not_ready("api"), users_fail()),
        edits={"Secret/db-users": (("billing-password:", "billing_password:"),)},
        restart=("db",),
    ),
    # billing's database password changed in its Secret and billing restarted: db rejects it
    Fault(
        "billing-db-credentials",
        "service/billing",
        "secret/billing-db",
        "db-credentials-rejected",
        "api",
        every(waiting("billing", "CrashLoopBackOff"), not_ready("api"), users_fail()),
        edits={"Secret/billing-db": (("password: billing-s3cret", "password: billing-2024"),)},
        restart=("billing",),
    ),
    # billing's JDBC URL names port 5433, where db does not listen
    Fault(
        "billing-db-port",
        "service/billing",
        "deployment/billing",
        "env-service-not-found",
        "api",
        every(waiting("billing", "CrashLoopBackOff"), not_ready("api"), users_fail()),
        edits={"Deployment/billing": (("db:5432/billing", "db:5433/billing"),)},
    ),
    # a metrics sidecar added to billing listens on billing's port first (labelled
    # `port-already-in-use` when the catalog had no entry for it; the entry that came since is
    # container-port-in-use, whose title states this fault)
    Fault(
        "billing-sidecar-port",
        "service/billing",
        "deployment/billing",
        "container-port-in-use",
        "api",
        every(logged("billing", "Port 8080 was already in use"), not_ready("api"), users_fail()),
        edits={"Deployment/billing": (("      containers:\n      - name: billing\n", SIDECAR),)},
    ),
    # api's DB_HOST names `postgres`, a Service that does not exist: its lookups fail
    Fault(
        "api-unknown-db-host",
        "service/api",
        "deployment/api",
        "env-service-not-found",
        "web",
        every(logged("api", "lookup postgres"), not_ready("api"), users_fail()),
        edits={
            "Deployment/api": (("{name: DB_HOST, value: db}", "{name: DB_HOST, value: postgres}"),)
        },
    ),
    # the cluster DNS loses its endpoints: every name lookup in the cluster fails, the users'
    # own lookup of web first (api, whose log names the DNS server, is the pod asked about)
    Fault(
        "cluster-dns-down",
        "service/kube-dns",
        "service/kube-dns",
        "dns-resolution-failure",
        "api",
        every(logged("api", "lookup db on"), users_fail()),
        action="dns-down",
    ),
    # web's route for /api/ sends the users to catalog, which has no /api/orders
    Fault(
        "web-route-wrong-backend",
        "service/web",
        "ingress/web",
        "ingress-wrong-backend",
        "web",
        users_fail(),
        edits={
            "Ingress/web": (
                (
                    "service: {name: api, port: {number: 8080}}",
                    "service: {name: catalog, port: {number: 8080}}",
                ),
            )
        },
    ),
    # web's route for /api/ names `api-v2`, a Service that does not exist
    Fault(
        "web-route-missing-backend",
        "service/web",
        "ingress/web",
        "ingress-backend-service-not-found",
        "web",
        every(logged("web", '"cascade/api-v2" not found'), users_fail()),
        edits={
            "Ingress/web": (
                (
                    "service: {name: api, port: {number: 8080}}",
                    "service: {name: api-v2, port: {number: 8080}}",
                ),
            )
        },
    ),
]
"""The faults, in the order they are made."""
NAMES = [fault.name for fault in FAULTS]

CASCADE = Family(
    name="cascade",
    namespace=NAMESPACE,
    manifests=APP,
    tiers=TIERS,
    services=SERVICES,
    faults=tuple(FAULTS),
    recorded=RECORDED,
    image=lambda node: str(node.cascade_image),
    users="http://web",
    paths=("/api/orders", "/catalog/items"),
    samples=samples,
    accounts=("default", "web"),
    first=("db",),
    commands=COMMANDS,
    cluster_commands=KUBE_SYSTEM,
)
"""The cascade app: the family the rules were written beside."""
