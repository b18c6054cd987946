"""The market app: a second app family on the real node, built unlike the cascade app, as other teams build theirs.

    users (load) -> ingress-nginx (Ingress shop, its own namespace) -> storefront (Node.js)
                                                                   -> gateway (Gateway API, Envoy)
    storefront -> gateway -> HTTPRoute orders   -> orders (Spring Boot) -> mysql, inventory,
                                                                           payments, redis
                          -> HTTPRoute products -> inventory (gunicorn/Flask) -> mysql
    storefront -> redis (sessions, carts)        payments (Node.js) -> redis
    worker (Python rq) <- redis queue; worker -> mysql

Each process is .ci/market's static Go binary (the node's market image), logging as the stack
it stands for. Services find each other as real apps do: by FQDN
(`mysql.market.svc.cluster.local`), in a JDBC URL inside a ConfigMap-mounted
application.properties (orders), a SQLAlchemy URL in a mounted settings.yaml (inventory), an
envFrom ConfigMap (storefront), Redis URLs in env; every Service port and probe uses a named
port. The Ingress controller runs in its own namespace and routes by Ingress (class nginx) to
endpoints; the gateway routes by the namespace's HTTPRoutes. Deployments recreate their pod
(strategy Recreate), so a bad change bites as soon as it is rolled out.

Chronic noise, present in every recording: a Fluent Bit DaemonSet (log-shipper) whose
Elasticsearch never answers; the nightly backup Job of the db-backup CronJob, failed (it runs
when the app is started: the node cannot backdate it); inventory's readiness failing while it
warms its cache at every start; payments killed once by its liveness probe at every cold start
(its old restart); the worker crashed at start until Redis was up (its old restarts).
The faults made in it are in tests/market/faults.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NAMESPACE = "market"
EDGE_NAMESPACE = "ingress-nginx"
EDGE = "ingress-nginx-controller"
TIERS = (
    EDGE,
    "gateway",
    "storefront",
    "orders",
    "inventory",
    "payments",
    "worker",
    "mysql",
    "redis",
    "load",
)
"""The Deployments, one pod each (log-shipper, a DaemonSet, and the backup Job are noise)."""
SERVICES = ("gateway", "storefront", "orders", "inventory", "payments", "mysql", "redis")
LABEL = "app.kubernetes.io/name"
USERS = "http://shop.example.test"
PATHS = ("/checkout", "/")

RESOURCES = """\
        resources:
          requests: {cpu: 10m, memory: 16Mi}
          limits: {memory: 64Mi}
"""


def deployment(name: str, containers: str, pod: str = "", namespace: str = "") -> str:
    """A one-replica Deployment of the market image running process `name`."""
    meta = f"\n  namespace: {namespace}" if namespace else ""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}{meta}
  labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: market}}
spec:
  replicas: 1
  strategy: {{type: Recreate}}
  selector:
    matchLabels: {{app.kubernetes.io/name: {name}}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: market}}
    spec:
      terminationGracePeriodSeconds: 2
{pod}      containers:
      - name: {name}
        image: $image
        args: [{name}]
{containers}"""


def service(name: str, port: int, port_name: str = "http", namespace: str = "") -> str:
    meta = f"\n  namespace: {namespace}" if namespace else ""
    return f"""\
apiVersion: v1
kind: Service
metadata:
  name: {name}{meta}
  labels: {{app.kubernetes.io/name: {name}, app.kubernetes.io/part-of: market}}
spec:
  selector: {{app.kubernetes.io/name: {name}}}
  ports:
  - {{name: {port_name}, port: {port}, targetPort: {port_name}}}
"""


def probes(ready: str, alive: str, port: str = "http", period: int = 2) -> str:
    return f"""\
        readinessProbe:
          httpGet: {{path: {ready}, port: {port}}}
          periodSeconds: {period}
          timeoutSeconds: 3
        livenessProbe:
          httpGet: {{path: {alive}, port: {port}}}
          periodSeconds: 5
          timeoutSeconds: 3
"""


CRD = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: {plural}.gateway.networking.k8s.io
  annotations:
    api-approved.kubernetes.io: https://github.com/kubernetes-sigs/gateway-api/pull/2466
    gateway.networking.k8s.io/bundle-version: v1.0.0
spec:
  group: gateway.networking.k8s.io
  names: {{kind: {kind}, listKind: {kind}List, plural: {plural}, singular: {singular}}}
  scope: {scope}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {{status: {{}}}}
    additionalPrinterColumns:
    - {{name: {column}, type: string, jsonPath: {path}}}
    - {{name: Age, type: date, jsonPath: .metadata.creationTimestamp}}
    schema:
      openAPIV3Schema: {{type: object, x-kubernetes-preserve-unknown-fields: true}}
"""
"""The Gateway API's kinds (their schemas left open: the node has no Gateway API release)."""

GATEWAY_API = "---\n".join(
    CRD.format(kind=kind, plural=plural, singular=singular, scope=scope, column=column, path=path)
    for kind, plural, singular, scope, column, path in (
        (
            "GatewayClass",
            "gatewayclasses",
            "gatewayclass",
            "Cluster",
            "Controller",
            ".spec.controllerName",
        ),
        ("Gateway", "gateways", "gateway", "Namespaced", "Class", ".spec.gatewayClassName"),
        ("HTTPRoute", "httproutes", "httproute", "Namespaced", "Hostnames", ".spec.hostnames"),
    )
)

INGRESS_NGINX = (
    f"""\
apiVersion: v1
kind: Namespace
metadata:
  name: {EDGE_NAMESPACE}
  labels: {{app.kubernetes.io/name: ingress-nginx}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
  labels: {{app.kubernetes.io/name: ingress-nginx}}
spec: {{controller: k8s.io/ingress-nginx}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {{name: ingress-nginx, namespace: {EDGE_NAMESPACE}}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {{name: ingress-nginx}}
rules:
- apiGroups: [networking.k8s.io]
  resources: [ingresses, ingressclasses]
  verbs: [get, list, watch]
- apiGroups: [""]
  resources: [services, endpoints]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {{name: ingress-nginx}}
roleRef: {{apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ingress-nginx}}
subjects:
- {{kind: ServiceAccount, name: ingress-nginx, namespace: {EDGE_NAMESPACE}}}
---
"""
    + deployment(
        EDGE,
        """\
        ports:
        - {name: http, containerPort: 80}
        - {name: metrics, containerPort: 10254}
        readinessProbe:
          httpGet: {path: /healthz, port: metrics}
          periodSeconds: 5
        livenessProbe:
          httpGet: {path: /healthz, port: metrics}
          periodSeconds: 10
"""
        + RESOURCES,
        pod="      serviceAccountName: ingress-nginx\n",
        namespace=EDGE_NAMESPACE,
    )
    + "---\n"
    + service(EDGE, 80, namespace=EDGE_NAMESPACE)
)

GATEWAY = (
    """\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: market}
spec: {controllerName: gateway.envoyproxy.io/gatewayclass-controller}
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: market}
spec:
  gatewayClassName: market
  listeners:
  - {name: http, protocol: HTTP, port: 80}
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: orders}
spec:
  parentRefs: [{name: market}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api/orders}}]
    backendRefs: [{name: orders, port: 8080}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: products}
spec:
  parentRefs: [{name: market}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /api/products}}]
    backendRefs: [{name: inventory, port: 8000}]
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: gateway}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: gateway-routes}
rules:
- apiGroups: [gateway.networking.k8s.io]
  resources: [httproutes, gateways]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: gateway-routes}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: gateway-routes}
subjects:
- {kind: ServiceAccount, name: gateway}
---
"""
    + deployment(
        "gateway",
        """\
        env:
        - {name: GATEWAY_NAME, value: market}
        - {name: PORT, value: "8080"}
        ports:
        - {name: http, containerPort: 8080}
        - {name: admin, containerPort: 19001}
"""
        + probes("/ready", "/ready", port="admin")
        + RESOURCES,
        pod="      serviceAccountName: gateway\n",
    )
    + "---\n"
    + service("gateway", 80)
    + """\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  annotations: {nginx.ingress.kubernetes.io/proxy-body-size: 8m}
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.test
    http:
      paths:
      - path: /api/
        pathType: Prefix
        backend:
          service: {name: gateway, port: {number: 80}}
      - path: /
        pathType: Prefix
        backend:
          service: {name: storefront, port: {name: http}}
"""
)

STOREFRONT = (
    """\
apiVersion: v1
kind: ConfigMap
metadata: {name: storefront-env}
data:
  NODE_ENV: production
  PORT: "3000"
  GATEWAY_URL: http://gateway.market.svc.cluster.local
  SESSION_REDIS_URL: redis://redis.market.svc.cluster.local:6379/0
---
"""
    + deployment(
        "storefront",
        """\
        envFrom:
        - configMapRef: {name: storefront-env}
        ports:
        - {name: http, containerPort: 3000}
"""
        + probes("/healthz", "/healthz")
        + RESOURCES,
    )
    + "---\n"
    + service("storefront", 80)
)

ORDERS = (
    """\
apiVersion: v1
kind: ConfigMap
metadata: {name: orders-config}
data:
  application.properties: |
    server.port=8080
    spring.application.name=orders
    spring.datasource.url=jdbc:mysql://mysql.market.svc.cluster.local:3306/orders?useSSL=false&allowPublicKeyRetrieval=true
    spring.datasource.hikari.connection-timeout=5000
    spring.jpa.open-in-view=false
    spring.data.redis.url=redis://redis.market.svc.cluster.local:6379
    inventory.base-url=http://inventory.market.svc.cluster.local:8000
    payments.base-url=http://payments.market.svc.cluster.local:3000
    management.endpoint.health.probes.enabled=true
    management.endpoint.health.group.readiness.include=readinessState,db
---
apiVersion: v1
kind: Secret
metadata: {name: orders-db}
stringData: {username: orders, password: orders-Secr3t}
---
"""
    + deployment(
        "orders",
        """\
        env:
        - {name: JAVA_TOOL_OPTIONS, value: "-Xms48m -Xmx96m -XX:+UseSerialGC"}
        - {name: SPRING_CONFIG_LOCATION, value: "file:/config/application.properties"}
        - name: SPRING_DATASOURCE_USERNAME
          valueFrom:
            secretKeyRef: {name: orders-db, key: username}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef: {name: orders-db, key: password}
        ports:
        - {name: http, containerPort: 8080}
        startupProbe:
          httpGet: {path: /actuator/health/liveness, port: http}
          periodSeconds: 2
          failureThreshold: 30
"""
        + probes("/actuator/health/readiness", "/actuator/health/liveness")
        + """\
        resources:
          requests: {cpu: 10m, memory: 64Mi}
          limits: {memory: 128Mi}
        volumeMounts:
        - {name: config, mountPath: /config}
      volumes:
      - name: config
        configMap: {name: orders-config}
""",
    )
    + "---\n"
    + service("orders", 8080)
)

INVENTORY = (
    """\
apiVersion: v1
kind: ConfigMap
metadata: {name: inventory-config}
data:
  settings.yaml: |
    database:
      url: mysql+pymysql://inventory@mysql.market.svc.cluster.local:3306/inventory
      pool_size: 5
    cache:
      warmup_seconds: 12
---
apiVersion: v1
kind: Secret
metadata: {name: inventory-db}
stringData: {password: inv-Pa55}
---
"""
    + deployment(
        "inventory",
        """\
        env:
        - {name: SETTINGS_FILE, value: /etc/inventory/settings.yaml}
        - {name: PORT, value: "8000"}
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef: {name: inventory-db, key: password}
        ports:
        - {name: http, containerPort: 8000}
"""
        + probes("/healthz/ready", "/healthz", period=3)
        + RESOURCES
        + """\
        volumeMounts:
        - {name: settings, mountPath: /etc/inventory}
      volumes:
      - name: settings
        configMap: {name: inventory-config}
""",
    )
    + "---\n"
    + service("inventory", 8000)
)

PAYMENTS = (
    deployment(
        "payments",
        """\
        env:
        - {name: PORT, value: "3000"}
        - {name: CURRENCY, value: EUR}
        - {name: REDIS_URL, value: "redis://redis.market.svc.cluster.local:6379/1"}
        - {name: RULES_CACHE, value: /var/cache/payments/rules.bin}
        ports:
        - {name: http, containerPort: 3000}
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          periodSeconds: 2
        livenessProbe:
          httpGet: {path: /healthz, port: http}
          initialDelaySeconds: 10
          periodSeconds: 5
          failureThreshold: 3
"""
        + RESOURCES
        + """\
        volumeMounts:
        - {name: cache, mountPath: /var/cache/payments}
      volumes:
      - name: cache
        emptyDir: {}
""",
        pod="""\
      initContainers:
      - name: wait-for-redis
        image: $image
        command: [sh, -c, 'until nslookup "$$REDIS_HOST"; do echo "waiting for $$REDIS_HOST"; sleep 2; done']
        env:
        - {name: REDIS_HOST, value: redis.market.svc.cluster.local}
""",
    )
    + "---\n"
    + service("payments", 3000)
)

WORKER = """\
apiVersion: v1
kind: Secret
metadata: {name: worker-db}
stringData: {password: wrk-Pa55}
---
""" + deployment(
    "worker",
    """\
        env:
        - {name: QUEUE, value: fulfilment}
        - {name: REDIS_URL, value: "redis://redis.market.svc.cluster.local:6379/0"}
        - {name: DATABASE_URL, value: "mysql+pymysql://worker@mysql.market.svc.cluster.local:3306/orders"}
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef: {name: worker-db, key: password}
"""
    + RESOURCES,
)

MYSQL = (
    """\
apiVersion: v1
kind: ConfigMap
metadata: {name: mysql-config}
data:
  market.cnf: |
    [mysqld]
    read_only = OFF
    max_connections = 151
    skip-name-resolve
---
apiVersion: v1
kind: Secret
metadata: {name: mysql-root}
stringData: {password: root-Pa55}
---
apiVersion: v1
kind: Secret
metadata: {name: mysql-users}
stringData: {orders-password: orders-Secr3t, inventory-password: inv-Pa55, worker-password: wrk-Pa55}
---
"""
    + deployment(
        "mysql",
        """\
        env:
        - name: MYSQL_ROOT_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-root, key: password}
        - {name: MYSQL_DATABASES, value: "orders,inventory"}
        - {name: MYSQL_CONFIG, value: /etc/mysql/conf.d/market.cnf}
        - {name: APP_USERS, value: "orders:ORDERS_PASSWORD,inventory:INVENTORY_PASSWORD,worker:WORKER_PASSWORD"}
        - name: ORDERS_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-users, key: orders-password}
        - name: INVENTORY_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-users, key: inventory-password}
        - name: WORKER_PASSWORD
          valueFrom:
            secretKeyRef: {name: mysql-users, key: worker-password}
        ports:
        - {name: mysql, containerPort: 3306}
        readinessProbe:
          tcpSocket: {port: mysql}
          periodSeconds: 2
        livenessProbe:
          tcpSocket: {port: mysql}
          periodSeconds: 10
"""
        + RESOURCES
        + """\
        volumeMounts:
        - {name: config, mountPath: /etc/mysql/conf.d}
      volumes:
      - name: config
        configMap: {name: mysql-config}
""",
    )
    + "---\n"
    + service("mysql", 3306, "mysql")
)

REDIS = (
    deployment(
        "redis",
        """\
        ports:
        - {name: redis, containerPort: 6379}
        readinessProbe:
          tcpSocket: {port: redis}
          periodSeconds: 2
"""
        + RESOURCES,
    )
    + "---\n"
    + service("redis", 6379, "redis")
)


def backup_run(now: datetime) -> str:
    """The name the CronJob gives yesterday's 02:30 run (its scheduled minute since the epoch)."""
    yesterday = (now - timedelta(days=1)).replace(hour=2, minute=30, second=0, microsecond=0)
    return f"db-backup-{int(yesterday.timestamp()) // 60}"


NOISE = f"""\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-shipper
  labels: {{app.kubernetes.io/name: log-shipper, app.kubernetes.io/part-of: logging}}
spec:
  selector:
    matchLabels: {{app.kubernetes.io/name: log-shipper}}
  template:
    metadata:
      labels: {{app.kubernetes.io/name: log-shipper, app.kubernetes.io/part-of: logging}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: fluent-bit
        image: $image
        args: [log-shipper]
        env:
        - {{name: ES_HOST, value: elasticsearch.logging.svc.cluster.local}}
        ports:
        - {{name: http, containerPort: 2020}}
        readinessProbe:
          httpGet: {{path: /api/v1/health, port: http}}
        livenessProbe:
          httpGet: {{path: /api/v1/health, port: http}}
{RESOURCES}---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {{name: db-backup}}
spec:
  schedule: "30 2 * * *"
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 1
      template:
        metadata:
          labels: {{app.kubernetes.io/name: db-backup}}
        spec:
          restartPolicy: Never
          containers:
          - name: backup
            image: $image
            args: [backup]
            env:
            - {{name: BACKUP_URL, value: "http://minio.backup.svc.cluster.local:9000/market-backups"}}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: {backup_run(datetime.now(UTC))}
  labels: {{app.kubernetes.io/name: db-backup}}
spec:
  backoffLimit: 1
  template:
    metadata:
      labels: {{app.kubernetes.io/name: db-backup}}
    spec:
      restartPolicy: Never
      containers:
      - name: backup
        image: $image
        args: [backup]
        env:
        - {{name: BACKUP_URL, value: "http://minio.backup.svc.cluster.local:9000/market-backups"}}
"""

LOAD = deployment(
    "load",
    f"""\
        env:
        - {{name: EDGE, value: "{EDGE}.{EDGE_NAMESPACE}.svc.cluster.local:80"}}
        - {{name: TARGETS, value: "GET {USERS}/,POST {USERS}/checkout"}}
"""
    + RESOURCES,
)

PARTS = (
    GATEWAY_API,
    INGRESS_NGINX,
    GATEWAY,
    MYSQL,
    REDIS,
    INVENTORY,
    ORDERS,
    PAYMENTS,
    STOREFRONT,
    WORKER,
    NOISE,
    LOAD,
)
APP = "---\n".join(PARTS)
"""The healthy app, as its teams write it (`$image`: the node's market image)."""
