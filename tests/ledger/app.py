"""The ledger app: a third app family on the real node, held out from every rule maker.

    users (load) -> ingress-nginx (Ingress ledger, host ledger.example.test) -> portal (Node.js)
    portal -> ingress-nginx again (Ingress ledger-api, no host, the in-cluster API entry)
              /api/orders   -> postings (Spring Boot) -> ledger-db, accounts, notifier, session-cache
              /api/products -> accounts (gunicorn/Flask) -> ledger-db
    portal -> session-cache (sessions)   notifier (Node.js) -> session-cache
    reconciler (Python rq) <- session-cache queue; reconciler -> ledger-db

Each process is .ci/market's static Go binary (the node's market image), logging as the stack
it stands for; ledger arranges and names it unlike the market app: no Gateway API, the
portal calls the API back through the Ingress controller by its FQDN, pods are labelled
`app`, ports have their own names, postings reads a JDBC URL from a mounted
application.properties, accounts a SQLAlchemy URL from a mounted YAML config and waits for
its database in an init container.

Chronic noise in every recording: a Fluent Bit DaemonSet (log-agent) whose Elasticsearch never
answers; the export Job of the nightly-export CronJob, failed; accounts' readiness failing while
it warms its cache at every start; notifier killed once by its liveness probe at its cold start
(an old restart); the reconciler crashed at start until the cache was up (old restarts).
The faults made in it are in tests/ledger/faults.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

NAMESPACE = "ledger"
EDGE_NAMESPACE = "ingress-nginx"
EDGE = "ingress-nginx-controller"
TIERS = (
    EDGE,
    "portal",
    "postings",
    "accounts",
    "notifier",
    "reconciler",
    "ledger-db",
    "session-cache",
    "load",
)
"""The Deployments, one pod each (log-agent, a DaemonSet, and the export Job are noise)."""
SERVICES = ("portal", "postings", "accounts", "notifier", "ledger-db", "session-cache")
LABEL = "app"
HOST = "ledger.example.test"
USERS = f"http://{HOST}"
PATHS = ("/checkout", "/")
FQDN = "{}.ledger.svc.cluster.local"

RESOURCES = """\
        resources:
          requests: {cpu: 10m, memory: 16Mi}
          limits: {memory: 64Mi}
"""


def deployment(name: str, process: str, containers: str, pod: str = "", namespace: str = "") -> str:
    """A one-replica Deployment of the market image running `process` as `name`."""
    meta = f"\n  namespace: {namespace}" if namespace else ""
    return f"""\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}{meta}
  labels: {{app: {name}, team: ledger}}
spec:
  replicas: 1
  strategy: {{type: Recreate}}
  selector:
    matchLabels: {{app: {name}}}
  template:
    metadata:
      labels: {{app: {name}, team: ledger}}
    spec:
      terminationGracePeriodSeconds: 2
{pod}      containers:
      - name: {name}
        image: $image
        args: [{process}]
{containers}"""


def service(name: str, port: int, port_name: str, namespace: str = "") -> str:
    meta = f"\n  namespace: {namespace}" if namespace else ""
    return f"""\
apiVersion: v1
kind: Service
metadata:
  name: {name}{meta}
  labels: {{app: {name}, team: ledger}}
spec:
  selector: {{app: {name}}}
  ports:
  - {{name: {port_name}, port: {port}, targetPort: {port_name}}}
"""


def probes(ready: str, alive: str, port: str, period: int = 2) -> str:
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


INGRESS_NGINX = (
    f"""\
apiVersion: v1
kind: Namespace
metadata:
  name: {EDGE_NAMESPACE}
  labels: {{app: ingress-nginx}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: nginx
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
    + service(EDGE, 80, "http", namespace=EDGE_NAMESPACE)
)

INGRESSES = f"""\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ledger
  annotations: {{nginx.ingress.kubernetes.io/ssl-redirect: "false"}}
spec:
  ingressClassName: nginx
  rules:
  - host: {HOST}
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service: {{name: portal, port: {{name: web}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ledger-api
  annotations: {{nginx.ingress.kubernetes.io/proxy-read-timeout: "10"}}
spec:
  ingressClassName: nginx
  rules:
  - http:
      paths:
      - path: /api/orders
        pathType: Prefix
        backend:
          service: {{name: postings, port: {{name: http-api}}}}
      - path: /api/products
        pathType: Prefix
        backend:
          service: {{name: accounts, port: {{number: 8000}}}}
"""

PORTAL = (
    f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: portal-env}}
data:
  NODE_ENV: production
  PORT: "3000"
  GATEWAY_URL: http://{EDGE}.{EDGE_NAMESPACE}.svc.cluster.local
  SESSION_REDIS_URL: redis://{FQDN.format("session-cache")}:6379/0
---
"""
    + deployment(
        "portal",
        "storefront",
        """\
        envFrom:
        - configMapRef: {name: portal-env}
        ports:
        - {name: web, containerPort: 3000}
"""
        + probes("/healthz", "/healthz", "web")
        + RESOURCES,
    )
    + "---\n"
    + service("portal", 80, "web")
)

POSTINGS = (
    f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: postings-config}}
data:
  application.properties: |
    server.port=8080
    spring.application.name=postings
    spring.datasource.url=jdbc:mysql://{FQDN.format("ledger-db")}:3306/ledger?useSSL=false&serverTimezone=UTC
    spring.datasource.hikari.connection-timeout=5000
    spring.datasource.hikari.maximum-pool-size=4
    spring.data.redis.url=redis://{FQDN.format("session-cache")}:6379
    inventory.base-url=http://{FQDN.format("accounts")}:8000
    payments.base-url=http://{FQDN.format("notifier")}:3000
    management.endpoint.health.probes.enabled=true
    management.endpoint.health.group.readiness.include=readinessState,db
---
apiVersion: v1
kind: Secret
metadata: {{name: postings-datasource}}
stringData: {{username: postings, password: p0stings-Ledger}}
---
"""
    + deployment(
        "postings",
        "orders",
        """\
        env:
        - {name: JAVA_TOOL_OPTIONS, value: "-Xms48m -Xmx96m -XX:+UseSerialGC"}
        - {name: SPRING_CONFIG_LOCATION, value: "file:/opt/postings/config/application.properties"}
        - name: SPRING_DATASOURCE_USERNAME
          valueFrom:
            secretKeyRef: {name: postings-datasource, key: username}
        - name: SPRING_DATASOURCE_PASSWORD
          valueFrom:
            secretKeyRef: {name: postings-datasource, key: password}
        ports:
        - {name: http-api, containerPort: 8080}
        startupProbe:
          httpGet: {path: /actuator/health/liveness, port: http-api}
          periodSeconds: 2
          failureThreshold: 30
"""
        + probes("/actuator/health/readiness", "/actuator/health/liveness", "http-api")
        + """\
        resources:
          requests: {cpu: 10m, memory: 64Mi}
          limits: {memory: 128Mi}
        volumeMounts:
        - {name: config, mountPath: /opt/postings/config}
      volumes:
      - name: config
        configMap: {name: postings-config}
""",
    )
    + "---\n"
    + service("postings", 8080, "http-api")
)

ACCOUNTS = (
    f"""\
apiVersion: v1
kind: ConfigMap
metadata: {{name: accounts-config}}
data:
  config.yaml: |
    database:
      url: mysql+pymysql://accounts@{FQDN.format("ledger-db")}:3306/accounts
      pool_size: 3
    cache:
      warmup_seconds: 10
---
apiVersion: v1
kind: Secret
metadata: {{name: accounts-db}}
stringData: {{password: acc-L3dger}}
---
"""
    + deployment(
        "accounts",
        "inventory",
        """\
        env:
        - {name: SETTINGS_FILE, value: /srv/accounts/config.yaml}
        - {name: PORT, value: "8000"}
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef: {name: accounts-db, key: password}
        ports:
        - {name: gunicorn, containerPort: 8000}
"""
        + probes("/healthz/ready", "/healthz", "gunicorn", period=3)
        + RESOURCES
        + """\
        volumeMounts:
        - {name: config, mountPath: /srv/accounts}
      volumes:
      - name: config
        configMap: {name: accounts-config}
""",
        pod=f"""\
      initContainers:
      - name: wait-for-db
        image: $image
        command: [sh, -c, 'until nslookup "$$DB_HOST"; do echo "waiting for $$DB_HOST"; sleep 2; done']
        env:
        - {{name: DB_HOST, value: {FQDN.format("ledger-db")}}}
""",
    )
    + "---\n"
    + service("accounts", 8000, "gunicorn")
)

NOTIFIER = (
    deployment(
        "notifier",
        "payments",
        f"""\
        env:
        - {{name: PORT, value: "3000"}}
        - {{name: CURRENCY, value: EUR}}
        - {{name: REDIS_URL, value: "redis://{FQDN.format("session-cache")}:6379/1"}}
        - {{name: RULES_CACHE, value: /var/cache/notifier/rules.bin}}
        ports:
        - {{name: node, containerPort: 3000}}
        readinessProbe:
          httpGet: {{path: /healthz, port: node}}
          periodSeconds: 2
        livenessProbe:
          httpGet: {{path: /healthz, port: node}}
          initialDelaySeconds: 10
          periodSeconds: 5
          failureThreshold: 3
"""
        + RESOURCES
        + """\
        volumeMounts:
        - {name: cache, mountPath: /var/cache/notifier}
      volumes:
      - name: cache
        emptyDir: {}
""",
    )
    + "---\n"
    + service("notifier", 3000, "node")
)

RECONCILER = """\
apiVersion: v1
kind: Secret
metadata: {name: reconciler-db}
stringData: {password: rec-L3dger}
---
""" + deployment(
    "reconciler",
    "worker",
    f"""\
        env:
        - {{name: QUEUE, value: reconcile}}
        - {{name: REDIS_URL, value: "redis://{FQDN.format("session-cache")}:6379/0"}}
        - {{name: DATABASE_URL, value: "mysql+pymysql://reconciler@{FQDN.format("ledger-db")}:3306/ledger"}}
        - name: DATABASE_PASSWORD
          valueFrom:
            secretKeyRef: {{name: reconciler-db, key: password}}
"""
    + RESOURCES,
)

LEDGER_DB = (
    """\
apiVersion: v1
kind: ConfigMap
metadata: {name: ledger-db-config}
data:
  ledger.cnf: |
    [mysqld]
    read_only = OFF
    max_connections = 200
    skip-name-resolve
    innodb_buffer_pool_size = 32M
---
apiVersion: v1
kind: Secret
metadata: {name: ledger-db-root}
stringData: {password: r00t-Ledger}
---
apiVersion: v1
kind: Secret
metadata: {name: ledger-db-users}
stringData: {postings: p0stings-Ledger, accounts: acc-L3dger, reconciler: rec-L3dger}
---
"""
    + deployment(
        "ledger-db",
        "mysql",
        """\
        env:
        - name: MYSQL_ROOT_PASSWORD
          valueFrom:
            secretKeyRef: {name: ledger-db-root, key: password}
        - {name: MYSQL_DATABASES, value: "ledger,accounts"}
        - {name: MYSQL_CONFIG, value: /etc/mysql/conf.d/ledger.cnf}
        - {name: APP_USERS, value: "postings:POSTINGS_PASSWORD,accounts:ACCOUNTS_PASSWORD,reconciler:RECONCILER_PASSWORD"}
        - name: POSTINGS_PASSWORD
          valueFrom:
            secretKeyRef: {name: ledger-db-users, key: postings}
        - name: ACCOUNTS_PASSWORD
          valueFrom:
            secretKeyRef: {name: ledger-db-users, key: accounts}
        - name: RECONCILER_PASSWORD
          valueFrom:
            secretKeyRef: {name: ledger-db-users, key: reconciler}
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
        configMap: {name: ledger-db-config}
""",
    )
    + "---\n"
    + service("ledger-db", 3306, "mysql")
)

SESSION_CACHE = (
    deployment(
        "session-cache",
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
    + service("session-cache", 6379, "redis")
)


def export_run(now: datetime) -> str:
    """The name the CronJob gives yesterday's 01:15 run (its scheduled minute since the epoch)."""
    yesterday = (now - timedelta(days=1)).replace(hour=1, minute=15, second=0, microsecond=0)
    return f"nightly-export-{int(yesterday.timestamp()) // 60}"


EXPORT = """\
          restartPolicy: Never
          containers:
          - name: export
            image: $image
            args: [backup]
            env:
            - {name: BACKUP_URL, value: "http://s3-gateway.storage.svc.cluster.local:9000/ledger-exports"}
"""

EXPORT_JOB = "".join(line[4:] + "\n" for line in EXPORT.splitlines())
"""The same pod, at the Job's own depth."""

NOISE = f"""\
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: log-agent
  labels: {{app: log-agent, team: platform}}
spec:
  selector:
    matchLabels: {{app: log-agent}}
  template:
    metadata:
      labels: {{app: log-agent, team: platform}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: fluent-bit
        image: $image
        args: [log-shipper]
        env:
        - {{name: ES_HOST, value: elasticsearch-master.observability.svc.cluster.local}}
        ports:
        - {{name: monitor, containerPort: 2020}}
        readinessProbe:
          httpGet: {{path: /api/v1/health, port: monitor}}
        livenessProbe:
          httpGet: {{path: /api/v1/health, port: monitor}}
{RESOURCES}---
apiVersion: batch/v1beta1
kind: CronJob
metadata: {{name: nightly-export}}
spec:
  schedule: "15 1 * * *"
  failedJobsHistoryLimit: 3
  jobTemplate:
    spec:
      backoffLimit: 1
      template:
        metadata:
          labels: {{app: nightly-export}}
        spec:
{EXPORT}---
apiVersion: batch/v1
kind: Job
metadata:
  name: {export_run(datetime.now(UTC))}
  labels: {{app: nightly-export}}
spec:
  backoffLimit: 1
  template:
    metadata:
      labels: {{app: nightly-export}}
    spec:
{EXPORT_JOB}"""

LOAD = deployment(
    "load",
    "load",
    f"""\
        env:
        - {{name: EDGE, value: "{EDGE}.{EDGE_NAMESPACE}.svc.cluster.local:80"}}
        - {{name: TARGETS, value: "GET {USERS}/,POST {USERS}/checkout"}}
"""
    + RESOURCES,
)

PARTS = (
    INGRESS_NGINX,
    INGRESSES,
    LEDGER_DB,
    SESSION_CACHE,
    ACCOUNTS,
    POSTINGS,
    NOTIFIER,
    PORTAL,
    RECONCILER,
    NOISE,
    LOAD,
)
APP = "---\n".join(PARTS)
"""The healthy app, as its teams write it (`$image`: the node's market image)."""
