"""Real failures on the real node: the manifests a user would apply, and when each failure shows.

Each scenario is applied in a namespace of its own: plain Deployment, Job or Pod
manifests (YAML, as a user writes them) with `$image` (the node's busybox image),
`$registry` (the registry stub) and `$closed` (a loopback port nothing listens on)
filled in. Nothing writes a status: the kubelet, scheduler and controllers do.
`visible(api, namespace)` says when the failure has really happened (a back-off
counted, a probe failed, a deadline passed), so a test diagnoses it then and not before.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from string import Template
from typing import Any

import yaml

from tests.realnode.node import RealNode
from tests.realserver.api import Api, Obj

Visible = Callable[[Api, str], bool]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# ------------------------------------------------------------------ reading state


def pods(api: Api, namespace: str) -> list[Obj]:
    found: list[Obj] = api.list("Pod", namespace)["items"]
    return sorted(found, key=lambda p: p["metadata"]["creationTimestamp"])


def statuses(pod: Obj, *, init: bool = False) -> list[Obj]:
    key = "initContainerStatuses" if init else "containerStatuses"
    found: list[Obj] = pod.get("status", {}).get(key) or []
    return found


def events(api: Api, namespace: str) -> list[Obj]:
    found: list[Obj] = api.list("Event", namespace)["items"]
    return found


def has_event(api: Api, namespace: str, reason: str, text: str = "") -> bool:
    return any(
        e.get("reason") == reason and text in (e.get("message") or "")
        for e in events(api, namespace)
    )


def waiting(reason: str, *, restarts: int = 0, init: bool = False) -> Visible:
    """Some pod has a container waiting with `reason`, restarted at least `restarts` times."""

    def check(api: Api, namespace: str) -> bool:
        return any(
            (s.get("state", {}).get("waiting") or {}).get("reason") == reason
            and s.get("restartCount", 0) >= restarts
            for pod in pods(api, namespace)
            for s in statuses(pod, init=init)
        )

    return check


def last_terminated(reason: str, *, restarts: int = 1) -> Visible:
    """Some container last terminated with `reason` and has restarted `restarts` times."""

    def check(api: Api, namespace: str) -> bool:
        return any(
            (s.get("lastState", {}).get("terminated") or {}).get("reason") == reason
            and s.get("restartCount", 0) >= restarts
            for pod in pods(api, namespace)
            for s in statuses(pod)
        )

    return check


def event(reason: str, text: str = "") -> Visible:
    return lambda api, namespace: has_event(api, namespace, reason, text)


def both(*checks: Visible) -> Visible:
    return lambda api, namespace: all(check(api, namespace) for check in checks)


def pod_phase_reason(reason: str) -> Visible:
    return lambda api, namespace: any(
        p.get("status", {}).get("reason") == reason for p in pods(api, namespace)
    )


def condition(kind: str, name: str, type_: str, reason: str) -> Visible:
    def check(api: Api, namespace: str) -> bool:
        obj = api.find(kind, name, namespace) or {}
        return any(
            c.get("type") == type_ and c.get("reason") == reason
            for c in obj.get("status", {}).get("conditions") or []
        )

    return check


# ------------------------------------------------------------------ scenarios


@dataclass(frozen=True)
class Scenario:
    """A failure a user makes by applying `manifests`; what the diagnosis must say about it."""

    name: str
    manifests: str
    entry: str
    """The catalog id `kubemedic diagnose` must name."""
    facts: tuple[str, ...]
    """Texts of the real objects the evidence must quote (each in some evidence line)."""
    visible: Visible
    scope: str = "pod"
    """What is diagnosed: "pod" (the scenario's newest pod) or "namespace"."""
    also: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Further entries the diagnosis must confirm (after the answer), with their facts."""
    timeout: float = 180.0
    values: dict[str, Any] = field(default_factory=dict)

    def objects(self, node: RealNode, namespace: str) -> list[Obj]:
        text = Template(self.manifests).substitute(
            image=node.image, registry=node.registry, closed=closed_port(), **self.values
        )
        docs = [d for d in yaml.safe_load_all(text) if d]
        for doc in docs:
            doc.setdefault("metadata", {})["namespace"] = namespace
        return docs


def deployment(name: str, pod_spec: str, *, extra: str = "") -> str:
    """A one-replica Deployment `name` (label app=NAME) whose pod spec is `pod_spec`
    (YAML, indented for the template's spec)."""
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:
  replicas: 1
  selector:
    matchLabels: {{app: {name}}}{extra}
  template:
    metadata:
      labels: {{app: {name}}}
    spec:
{pod_spec}"""


SCENARIOS: list[Scenario] = [
    Scenario(
        "crash-loop",
        deployment(
            "payments",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'echo "starting payments"; echo "FATAL: could not connect to db:5432: connection refused" >&2; exit 1']
""",
        ),
        # the log states why it crashes (issue 73: the stated cause ranks above the crash loop)
        "dependency-unreachable",
        ("(db, 5432)", "FATAL: could not connect to db:5432: connection refused"),
        waiting("CrashLoopBackOff", restarts=2),
    ),
    Scenario(
        "oom-killed",
        deployment(
            "report-builder",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'echo building; dd if=/dev/zero of=/dev/null bs=200M count=1']
        resources:
          limits: {memory: 50Mi}
""",
        ),
        "oom-killed",
        ("OOMKilled", "137"),
        last_terminated("OOMKilled"),
    ),
    Scenario(
        "registry-unreachable",
        deployment(
            "frontend",
            """\
      containers:
      - name: app
        image: 127.0.0.1:$closed/shop/frontend:2.3.1
""",
        ),
        "image-registry-unreachable",
        ("connect: connection refused",),
        waiting("ImagePullBackOff"),
    ),
    Scenario(
        "image-not-found",
        deployment(
            "frontend",
            """\
      containers:
      - name: app
        image: $registry/shop/frontend:2.3.1
""",
        ),
        "image-not-found",
        ("not found",),
        waiting("ImagePullBackOff"),
    ),
    Scenario(
        "image-unauthorized",
        deployment(
            "billing",
            """\
      containers:
      - name: app
        image: $registry/private/billing:1.4.0
""",
        ),
        "image-pull-unauthorized",
        ("401 Unauthorized",),
        waiting("ImagePullBackOff"),
    ),
    Scenario(
        "never-pull",
        deployment(
            "worker",
            """\
      containers:
      - name: app
        image: localhost/kubemedic/busybox:9.99
        imagePullPolicy: Never
""",
        ),
        "err-image-never-pull",
        ("is not present with pull policy of Never",),
        waiting("ErrImageNeverPull"),
    ),
    Scenario(
        "invalid-image-name",
        deployment(
            "api",
            """\
      containers:
      - name: app
        image: localhost/Kubemedic/API:1.0
""",
        ),
        "invalid-image-name",
        ("InvalidImageName",),
        waiting("InvalidImageName"),
    ),
    Scenario(
        "configmap-key",
        """
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {log_level: debug}
"""
        + "---"
        + deployment(
            "orders",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        env:
        - name: DATABASE_URL
          valueFrom:
            configMapKeyRef: {name: app-config, key: database_url}
""",
        ),
        "create-container-config-error",
        ("database_url",),
        waiting("CreateContainerConfigError"),
    ),
    Scenario(
        "secret-missing",
        deployment(
            "orders",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        envFrom:
        - secretRef: {name: db-credentials}
""",
        ),
        "create-container-config-error",
        ('secret "db-credentials" not found',),
        waiting("CreateContainerConfigError"),
    ),
    Scenario(
        "insufficient-cpu",
        deployment(
            "analytics",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        resources:
          requests: {cpu: "100"}
""",
        ),
        "pending-insufficient-resources",
        ("Insufficient cpu",),
        event("FailedScheduling", "Insufficient cpu"),
    ),
    Scenario(
        "node-selector",
        deployment(
            "indexer",
            """\
      nodeSelector: {disktype: ssd}
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
""",
        ),
        "pending-node-selector-mismatch",
        ("didn't match Pod's node affinity",),
        event("FailedScheduling", "node affinity"),
    ),
    Scenario(
        "pvc-not-found",
        """
apiVersion: v1
kind: Pod
metadata:
  name: postgres-0
  labels: {app: postgres}
spec:
  containers:
  - name: postgres
    image: $image
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: data-postgres-0}
""",
        "pod-pvc-not-found",
        ('persistentvolumeclaim "data-postgres-0" not found',),
        event("FailedScheduling", "not found"),
    ),
    Scenario(
        "pvc-unbound",
        """
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data-postgres-0}
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
---
apiVersion: v1
kind: Pod
metadata:
  name: postgres-0
  labels: {app: postgres}
spec:
  containers:
  - name: postgres
    image: $image
    command: [sh, -c, 'sleep 3600']
    volumeMounts: [{name: data, mountPath: /var/lib/postgresql}]
  volumes:
  - name: data
    persistentVolumeClaim: {claimName: data-postgres-0}
""",
        "pvc-pending",
        ("no persistent volumes available for this claim and no storage class is set",),
        event("FailedScheduling", "unbound"),
    ),
    Scenario(
        "liveness",
        deployment(
            "gateway",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        livenessProbe:
          exec:
            command: [sh, -c, 'echo "health check failed: upstream db timeout"; exit 1']
          initialDelaySeconds: 2
          periodSeconds: 3
          failureThreshold: 2
""",
        ),
        "liveness-probe-failed",
        ("Liveness probe failed", "health check failed: upstream db timeout"),
        both(event("Killing", "failed liveness probe"), last_terminated("Error")),
    ),
    Scenario(
        "readiness",
        deployment(
            "search",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        readinessProbe:
          exec:
            command: [sh, -c, 'echo "not ready: index still loading"; exit 1']
          periodSeconds: 3
""",
        )
        + """
---
apiVersion: v1
kind: Service
metadata: {name: search}
spec:
  selector: {app: search}
  ports: [{port: 80, targetPort: 8080}]
""",
        "readiness-probe-failed",
        ("Readiness probe failed",),
        event("Unhealthy", "Readiness probe failed"),
    ),
    Scenario(
        "init-crash",
        deployment(
            "ledger",
            """\
      initContainers:
      - name: wait-for-db
        image: $image
        command: [sh, -c, 'echo "db not reachable: ledger-db:5432"; exit 2']
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
""",
        ),
        "init-container-failed",
        ("wait-for-db",),
        waiting("CrashLoopBackOff", restarts=2, init=True),
    ),
    Scenario(
        "job-backoff",
        """
apiVersion: batch/v1
kind: Job
metadata: {name: nightly-export}
spec:
  backoffLimit: 2
  template:
    metadata:
      labels: {app: nightly-export}
    spec:
      restartPolicy: Never
      containers:
      - name: export
        image: $image
        command: [sh, -c, 'echo "export failed: bucket s3://exports not writable"; exit 3']
""",
        "job-backoff-limit",
        ("BackoffLimitExceeded",),
        condition("Job", "nightly-export", "Failed", "BackoffLimitExceeded"),
        scope="namespace",
    ),
    Scenario(
        "mount-secret",
        deployment(
            "proxy",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        volumeMounts: [{name: certs, mountPath: /etc/tls}]
      volumes:
      - name: certs
        secret: {secretName: tls-certs}
""",
        ),
        "volume-mount-failed",
        ('secret "tls-certs" not found',),
        event("FailedMount", "timed out waiting for the condition"),
        timeout=240.0,
    ),
    Scenario(
        "mount-configmap",
        deployment(
            "renderer",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
        volumeMounts: [{name: config, mountPath: /etc/renderer}]
      volumes:
      - name: config
        configMap: {name: renderer-config}
""",
        ),
        "volume-mount-failed",
        ('configmap "renderer-config" not found',),
        event("FailedMount", "timed out waiting for the condition"),
        timeout=240.0,
    ),
    Scenario(
        "command-not-found",
        deployment(
            "server",
            """\
      containers:
      - name: app
        image: $image
        command: [/app/server, --port, "8080"]
""",
        ),
        "executable-not-found",
        ("/app/server", "no such file or directory"),
        last_terminated("StartError"),
    ),
    Scenario(
        "exit-zero",
        deployment(
            "migrate",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'echo "migrations applied"; exit 0']
""",
        ),
        "crashloop-backoff",
        ("Completed",),
        waiting("CrashLoopBackOff", restarts=2),
    ),
    Scenario(
        "evicted",
        """
apiVersion: v1
kind: Pod
metadata:
  name: cache-warmer
  labels: {app: cache-warmer}
spec:
  restartPolicy: Never
  containers:
  - name: app
    image: $image
    command: [sh, -c, 'dd if=/dev/zero of=/tmp/fill bs=1M count=40; sleep 3600']
    resources:
      limits: {ephemeral-storage: 10Mi}
""",
        "pod-evicted",
        ("Evicted", "ephemeral local storage usage exceeds the total limit of containers 10Mi"),
        pod_phase_reason("Evicted"),
    ),
    Scenario(
        "progress-deadline",
        deployment(
            "checkout",
            """\
      containers:
      - name: app
        image: $registry/shop/checkout:7.0.0
""",
            extra="\n  progressDeadlineSeconds: 20",
        ),
        "image-not-found",
        ("checkout:7.0.0: not found",),
        condition("Deployment", "checkout", "Progressing", "ProgressDeadlineExceeded"),
        also={
            "deployment-progress-deadline": (
                "ProgressDeadlineExceeded",
                "has timed out progressing",
            )
        },
    ),
    Scenario(
        "quota",
        """
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute}
spec:
  hard: {requests.memory: 1Gi, limits.memory: 2Gi}
"""
        + "---"
        + deployment(
            "recommender",
            """\
      containers:
      - name: app
        image: $image
        command: [sh, -c, 'sleep 3600']
""",
        ),
        "resource-quota-exceeded",
        ("failed quota: compute",),
        event("FailedCreate", "forbidden"),
        scope="namespace",
    ),
]
BY_NAME = {s.name: s for s in SCENARIOS}
