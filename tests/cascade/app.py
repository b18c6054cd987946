"""The cascade app: six tiers on the real node whose failures travel, and its manifests as a user writes them.

    load -> web -> api -> catalog
                      -> billing -> db
                      -> db

Each tier is a real process of .ci/cascade's static Go binary (the node's cascade image):
`web` is the gateway, routing by the namespace's Ingress as an ingress controller does; `api`
calls catalog and billing over HTTP and writes to db, and its readiness fails while one of them
fails (as services that gate readiness on their dependencies do); `catalog` reads a ConfigMap
volume again every few seconds; `billing` logs as a Spring Boot service (PgJDBC, Hikari,
Tomcat); `db` speaks a small SQL protocol and logs as PostgreSQL; `load` is the users, asking
web every few seconds and logging each answer. Every Deployment rolls one pod down before the
next comes up (maxSurge 0: the namespace has no room for a surge pod), so a bad change bites
as soon as it is rolled out. The faults made in it are in tests/cascade/faults.py.
"""

from __future__ import annotations

NAMESPACE = "cascade"
"""One namespace for the whole sequence: each fault's events stay in it for the next."""
TIERS = ("web", "api", "catalog", "billing", "db", "load")
SERVICES = ("web", "api", "catalog", "billing", "db")
"""The tiers behind a Service (load is the users: nobody calls it)."""
CALLS = {
    "load": ("web",),
    "web": ("api", "catalog"),
    "api": ("catalog", "billing", "db"),
    "billing": ("db",),
}
"""Who calls whom."""

STRATEGY = "  strategy:\n    rollingUpdate: {maxSurge: 0, maxUnavailable: 1}\n"
RESOURCES = """\
        resources:
          requests: {cpu: 10m, memory: 16Mi}
          limits: {memory: 64Mi}
"""


def deployment(name: str, containers: str, extra: str = "", pod: str = "") -> str:
    """A one-replica Deployment of the cascade image running tier `name`."""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app: {name}, part-of: cascade}}
spec:
  replicas: 1
{STRATEGY}  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}, part-of: cascade}}
    spec:
      terminationGracePeriodSeconds: 2
{pod}      containers:
      - name: {name}
        image: $image
        args: [{name}]
{containers}{RESOURCES}{extra}"""


def service(name: str, port: int, target: int | str = "http", port_name: str = "http") -> str:
    return f"""\
apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels: {{app: {name}, part-of: cascade}}
spec:
  selector: {{app: {name}}}
  ports:
  - {{name: {port_name}, port: {port}, targetPort: {target}}}
"""


def http_probes(ready: str, alive: str = "/healthz", port: str = "http") -> str:
    return f"""\
        readinessProbe:
          httpGet: {{path: {ready}, port: {port}}}
          periodSeconds: 2
          timeoutSeconds: 5
          failureThreshold: 2
        livenessProbe:
          httpGet: {{path: {alive}, port: {port}}}
          periodSeconds: 5
          timeoutSeconds: 5
          failureThreshold: 3
"""


WEB = (
    deployment(
        "web",
        """\
        ports:
        - {name: http, containerPort: 8080}
"""
        + http_probes("/healthz"),
        pod="      serviceAccountName: web\n",
    )
    + "---\n"
    + service("web", 80, "http")
    + """\
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: web-routes}
rules:
- apiGroups: [networking.k8s.io]
  resources: [ingresses]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [services]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-routes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: web-routes}
subjects:
- {kind: ServiceAccount, name: web}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web}
spec:
  rules:
  - http:
      paths:
      - path: /api/
        pathType: Prefix
        backend:
          service: {name: api, port: {number: 8080}}
      - path: /catalog/
        pathType: Prefix
        backend:
          service: {name: catalog, port: {number: 8080}}
"""
)

API = (
    deployment(
        "api",
        """\
        env:
        - {name: CATALOG_URL, value: "http://catalog:8080"}
        - {name: BILLING_URL, value: "http://billing:8080"}
        - {name: DB_HOST, value: db}
        - {name: DB_PORT, value: "5432"}
        - {name: DB_USER, value: orders}
        - {name: DB_NAME, value: orders}
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef: {name: api-db, key: password}
        ports:
        - {name: http, containerPort: 8080}
"""
        + http_probes("/ready"),
    )
    + "---\n"
    + service("api", 8080)
    + """\
---
apiVersion: v1
kind: Secret
metadata: {name: api-db}
stringData: {password: orders-s3cret}
"""
)

CATALOG = (
    deployment(
        "catalog",
        """\
        env:
        - {name: CACHE_SIZE, value: "128"}
        ports:
        - {name: http, containerPort: 8080}
"""
        + http_probes("/healthz")
        + """\
        volumeMounts:
        - {name: config, mountPath: /etc/catalog}
""",
        extra="""\
      volumes:
      - name: config
        configMap: {name: catalog-config}
""",
    )
    + "---\n"
    + service("catalog", 8080, 8080)
    + """\
---
apiVersion: v1
kind: ConfigMap
metadata: {name: catalog-config}
data:
  catalog.yaml: |
    items: 120
    currency: EUR
"""
)

BILLING = (
    deployment(
        "billing",
        """\
        env:
        - {name: SERVER_PORT, value: "8080"}
        - {name: SPRING_DATASOURCE_URL, value: "jdbc:postgresql://db:5432/billing"}
        - name: SPRING_DATASOURCE_USERNAME
          valueFrom:
            secretKeyRef: {name: billing-db, key: username}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef: {name: billing-db, key: password}
        ports:
        - {name: http, containerPort: 8080}
        startupProbe:
          httpGet: {path: /actuator/health/liveness, port: http}
          periodSeconds: 2
          failureThreshold: 15
"""
        + http_probes("/actuator/health/readiness", "/actuator/health/liveness"),
    )
    + "---\n"
    + service("billing", 8080)
    + """\
---
apiVersion: v1
kind: Secret
metadata: {name: billing-db}
stringData: {username: billing, password: billing-s3cret}
"""
)

DB = (
    deployment(
        "db",
        """\
        env:
        - {name: DATABASES, value: "orders,billing"}
        - {name: CONFIG_FILE, value: /etc/db/postgresql.conf}
        - {name: SHARED_BUFFERS_MB, value: "24"}
        - name: ORDERS_PASSWORD
          valueFrom:
            secretKeyRef: {name: db-users, key: orders-password}
        - name: BILLING_PASSWORD
          valueFrom:
            secretKeyRef: {name: db-users, key: billing-password}
        ports:
        - {name: postgres, containerPort: 5432}
        readinessProbe:
          tcpSocket: {port: postgres}
          periodSeconds: 2
          timeoutSeconds: 5
        volumeMounts:
        - {name: config, mountPath: /etc/db}
""",
        extra="""\
      volumes:
      - name: config
        configMap: {name: db-config}
""",
    )
    + "---\n"
    + service("db", 5432, "postgres", "postgres")
    + """\
---
apiVersion: v1
kind: ConfigMap
metadata: {name: db-config}
data:
  postgresql.conf: |
    default_transaction_read_only = off
    max_connections = 50
---
apiVersion: v1
kind: Secret
metadata: {name: db-users}
stringData: {orders-password: orders-s3cret, billing-password: billing-s3cret}
"""
)

LOAD = deployment(
    "load",
    """\
        env:
        - {name: TARGETS, value: "http://web/api/orders,http://web/catalog/items?limit=5"}
""",
)

APP = f"{DB}---\n{CATALOG}---\n{BILLING}---\n{API}---\n{WEB}---\n{LOAD}"
"""The healthy app, as a user writes it (`$image`: the node's cascade image)."""
