"""Builders for realistic Kubernetes objects (real status shapes and kubelet /
scheduler / controller message strings). All parameters are keyword-only.

Container-status helpers leave a ``%POD%`` token in messages that embed the pod
reference (``name_namespace(uid)``); :func:`pod` replaces it.  Ready-made
scenarios live in :mod:`.kube_scenarios` and are re-exported lazily here.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

Obj = dict[str, Any]
POD_REF = "%POD%"
DEFAULT_IMAGE = "registry.example.com/shop/app:1.4.2"
_STD_TOLERATIONS = [
    {
        "key": "node.kubernetes.io/not-ready",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
    {
        "key": "node.kubernetes.io/unreachable",
        "operator": "Exists",
        "effect": "NoExecute",
        "tolerationSeconds": 300,
    },
]


def ago(seconds: float = 0) -> str:
    """RFC3339 timestamp ``seconds`` in the past."""
    return (datetime.now(UTC) - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def micro_ago(seconds: float = 0) -> str:
    """MicroTime (used by events.k8s.io eventTime)."""
    return (datetime.now(UTC) - timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _ts(value: str | float | None, default: float) -> str:
    return value if isinstance(value, str) else ago(default if value is None else value)


def new_uid(seed: str | None = None) -> str:
    """Random uid, or a stable one derived from ``seed``."""
    return str(uuid.UUID(hashlib.md5(seed.encode()).hexdigest())) if seed else str(uuid.uuid4())


def _hash(seed: str, n: int = 10) -> str:
    alphabet = "bcdfghjklmnpqrstvwxz2456789"
    digest = hashlib.sha1(seed.encode()).digest()
    return "".join(alphabet[b % len(alphabet)] for b in digest[:n])


def go_duration(seconds: int) -> str:
    """Go time.Duration formatting as used in kubelet messages (``5m0s``, ``40s``)."""
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m}m{s}s" if h else f"{m}m{s}s" if m else f"{s}s"


def crash_backoff(restarts: int) -> str:
    """Kubelet crash back-off after ``restarts`` restarts: 10s doubling, capped at 5m0s."""
    return go_duration(min(10 * 2 ** max(restarts - 1, 0), 300))


def owner_ref(obj: Obj, *, controller: bool = True) -> Obj:
    """ownerReference pointing at ``obj``."""
    meta = obj["metadata"]
    return {
        "apiVersion": obj["apiVersion"],
        "kind": obj["kind"],
        "name": meta["name"],
        "uid": meta.setdefault("uid", new_uid()),
        "controller": controller,
        "blockOwnerDeletion": True,
    }


def _meta(
    name: str,
    namespace: str | None,
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    owners: list[Obj] | None = None,
    created: str | float | None = None,
    uid: str | None = None,
) -> Obj:
    meta: Obj = {"name": name}
    if namespace is not None:
        meta["namespace"] = namespace
    meta["uid"] = uid or new_uid()
    meta["creationTimestamp"] = _ts(created, 86400)
    if labels:
        meta["labels"] = dict(labels)
    if annotations:
        meta["annotations"] = dict(annotations)
    if owners:
        meta["ownerReferences"] = owners
    return meta


# ----------------------------------------------------------------------------- containers


def container(
    *,
    name: str = "app",
    image: str = DEFAULT_IMAGE,
    ports: list[int] | None = None,
    memory_limit: str | None = "512Mi",
    cpu_request: str | None = "100m",
    readiness_path: str | None = None,
    port: int = 8080,
    env_from_configmap: str | None = None,
    run_as_non_root: bool = False,
    command: list[str] | None = None,
) -> Obj:
    """A container spec with resources, optional HTTP readiness probe and envFrom."""
    c: Obj = {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    if command:
        c["command"] = command
    if ports:
        c["ports"] = [{"containerPort": p, "protocol": "TCP"} for p in ports]
    res: Obj = {}
    if memory_limit:
        res["limits"] = {"memory": memory_limit}
    if cpu_request or memory_limit:
        res["requests"] = {k: v for k, v in (("cpu", cpu_request), ("memory", memory_limit)) if v}
    c["resources"] = res
    if readiness_path:
        c["readinessProbe"] = {
            "httpGet": {"path": readiness_path, "port": port, "scheme": "HTTP"},
            "periodSeconds": 10,
            "timeoutSeconds": 1,
            "successThreshold": 1,
            "failureThreshold": 3,
        }
    if env_from_configmap:
        c["envFrom"] = [{"configMapRef": {"name": env_from_configmap}}]
    if run_as_non_root:
        c["securityContext"] = {"runAsNonRoot": True}
    return c


def _cid(seed: str) -> str:
    return "containerd://" + hashlib.sha256(seed.encode()).hexdigest()


def _image_id(image: str) -> str:
    repo = image.split(":")[0]
    repo = (
        repo
        if "/" in repo and "." in repo.split("/")[0]
        else f"docker.io/library/{repo}"
        if "/" not in repo
        else f"docker.io/{repo}"
    )
    return f"{repo}@sha256:{hashlib.sha256(image.encode()).hexdigest()}"


def running_status(
    *,
    name: str = "app",
    image: str = DEFAULT_IMAGE,
    ready: bool = True,
    restarts: int = 0,
    started_at: str | float | None = None,
) -> Obj:
    """Container running (and ready unless ``ready=False``)."""
    return {
        "name": name,
        "state": {"running": {"startedAt": _ts(started_at, 3600)}},
        "lastState": {},
        "ready": ready,
        "restartCount": restarts,
        "image": image,
        "imageID": _image_id(image),
        "containerID": _cid(name + image + str(restarts)),
        "started": True,
    }


def terminated_state(
    *,
    reason: str,
    exit_code: int,
    started: float = 130,
    finished: float = 95,
    seed: str = "",
    message: str | None = None,
) -> Obj:
    t: Obj = {
        "exitCode": exit_code,
        "reason": reason,
        "startedAt": ago(started),
        "finishedAt": ago(finished),
        "containerID": _cid(seed + reason + str(exit_code)),
    }
    if message:
        t["message"] = message
    return {"terminated": t}


def crashloop_status(
    *,
    name: str = "app",
    image: str = DEFAULT_IMAGE,
    last_reason: str = "Error",
    exit_code: int | None = None,
    restarts: int = 7,
) -> Obj:
    """Waiting in CrashLoopBackOff with the previous run in lastState.terminated
    (``last_reason="OOMKilled"`` defaults exit code 137, otherwise 1)."""
    code = exit_code if exit_code is not None else (137 if last_reason == "OOMKilled" else 1)
    return {
        "name": name,
        "state": {
            "waiting": {
                "reason": "CrashLoopBackOff",
                "message": f"back-off {crash_backoff(restarts)} restarting failed container={name} pod={POD_REF}",
            }
        },
        "lastState": terminated_state(
            reason=last_reason, exit_code=code, seed=name + str(restarts)
        ),
        "ready": False,
        "restartCount": restarts,
        "image": image,
        "imageID": _image_id(image),
        "containerID": _cid(name + str(restarts)),
        "started": False,
    }


def waiting_status(
    *,
    name: str = "app",
    image: str = DEFAULT_IMAGE,
    reason: str = "ContainerCreating",
    message: str | None = None,
    restarts: int = 0,
) -> Obj:
    """A never-started container waiting with ``reason`` (imageID empty, like the kubelet)."""
    w: Obj = {"reason": reason}
    if message:
        w["message"] = message
    return {
        "name": name,
        "state": {"waiting": w},
        "lastState": {},
        "ready": False,
        "restartCount": restarts,
        "image": image,
        "imageID": "",
        "started": False,
    }


def image_pull_backoff_status(
    *,
    name: str = "app",
    image: str = "registry.example.com/shop/app:1.4.3-rc1",
    message: str | None = None,
) -> Obj:
    """ImagePullBackOff (kubelet message ``Back-off pulling image "<image>"``)."""
    return waiting_status(
        name=name,
        image=image,
        reason="ImagePullBackOff",
        message=message or f'Back-off pulling image "{image}"',
    )


def err_image_pull_message(image: str) -> str:
    """containerd's not-found pull error as surfaced by the kubelet."""
    ref = (
        image
        if "/" in image.split(":")[0] and "." in image.split("/")[0]
        else f"docker.io/library/{image}"
    )
    return (
        f'rpc error: code = NotFound desc = failed to pull and unpack image "{ref}": failed to '
        f'resolve reference "{ref}": {ref}: not found'
    )


def create_container_config_error_status(
    *,
    name: str = "app",
    image: str = DEFAULT_IMAGE,
    message: str = 'configmap "app-config" not found',
) -> Obj:
    return waiting_status(
        name=name, image=image, reason="CreateContainerConfigError", message=message
    )


def run_as_non_root_error_status(*, name: str = "app", image: str = "nginx:1.27") -> Obj:
    """runAsNonRoot refused by the kubelet (CreateContainerConfigError)."""
    return waiting_status(
        name=name,
        image=image,
        reason="CreateContainerConfigError",
        message=f"container has runAsNonRoot and image will run as root "
        f'(pod: "{POD_REF}", container: {name})',
    )


def init_crashloop_status(
    *, name: str = "init", image: str = "busybox:1.36", exit_code: int = 1, restarts: int = 4
) -> Obj:
    """Init container crash-looping (pod shows Init:CrashLoopBackOff)."""
    return crashloop_status(name=name, image=image, exit_code=exit_code, restarts=restarts)


def _cond(
    ctype: str,
    status: bool | str,
    reason: str | None = None,
    message: str | None = None,
    since: float = 3600,
) -> Obj:
    c: Obj = {
        "type": ctype,
        "status": status if isinstance(status, str) else ("True" if status else "False"),
        "lastProbeTime": None,
        "lastTransitionTime": ago(since),
    }
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


# ----------------------------------------------------------------------------- pods

TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def pod(
    *,
    name: str = "app-0",
    namespace: str = "default",
    containers: list[Obj] | None = None,
    init_containers: list[Obj] | None = None,
    container_statuses: list[Obj] | None = None,
    init_container_statuses: list[Obj] | None = None,
    phase: str | None = None,
    node_name: str | None = "worker-1",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    owner: Obj | None = None,
    pvc_claims: list[str] | None = None,
    conditions: list[Obj] | None = None,
    reason: str | None = None,
    message: str | None = None,
    pod_ip: str | None = None,
    created: str | float | None = None,
    uid: str | None = None,
    service_account: str = "default",
) -> Obj:
    """A Pod with consistent spec/status. ``owner`` is the controlling object (a
    ReplicaSet/StatefulSet/... dict). Conditions and phase are derived from the
    container statuses unless given."""
    containers = containers or [container()]
    init_containers = init_containers or []
    uid = uid or new_uid()
    ip = pod_ip or f"10.244.{int(uid[:2], 16) % 8 + 1}.{int(uid[2:4], 16) % 250 + 2}"
    vols: list[Obj] = [
        {"name": f"data-{i}" if i else "data", "persistentVolumeClaim": {"claimName": c}}
        for i, c in enumerate(pvc_claims or [])
    ]
    token = f"kube-api-access-{_hash(uid, 5)}"
    vols.append(
        {
            "name": token,
            "projected": {
                "defaultMode": 420,
                "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}],
            },
        }
    )
    # every container mounts the token, as the ServiceAccount admission plugin makes it
    mount = {"name": token, "mountPath": TOKEN_PATH, "readOnly": True}
    containers = [{**c, "volumeMounts": [*c.get("volumeMounts", []), mount]} for c in containers]
    init_containers = [
        {**c, "volumeMounts": [*c.get("volumeMounts", []), mount]} for c in init_containers
    ]
    spec: Obj = {
        "containers": containers,
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": service_account,
        "serviceAccount": service_account,
        "schedulerName": "default-scheduler",
        "enableServiceLinks": True,
        "priority": 0,
        "preemptionPolicy": "PreemptLowerPriority",
        "securityContext": {},
        "tolerations": [dict(t) for t in _STD_TOLERATIONS],
        "volumes": vols,
    }
    if init_containers:
        spec["initContainers"] = init_containers
    if node_name:
        spec["nodeName"] = node_name
    ref = f"{name}_{namespace}({uid})"

    def fill(statuses: list[Obj]) -> list[Obj]:
        out = []
        for s in statuses:
            s = {
                **s,
                "state": {
                    k: (
                        {**v, "message": v["message"].replace(POD_REF, ref)}
                        if "message" in v
                        else v
                    )
                    for k, v in s.get("state", {}).items()
                },
            }
            out.append(s)
        return out

    if container_statuses is None and node_name:
        container_statuses = [running_status(name=c["name"], image=c["image"]) for c in containers]
    cs = fill(container_statuses or [])
    ics = fill(init_container_statuses or [])
    inits_done = all(
        "terminated" in s.get("state", {}) and s["state"]["terminated"].get("exitCode") == 0
        for s in ics
    )
    if ics and not inits_done:  # main containers wait for init containers
        cs = [
            waiting_status(name=c["name"], image=c["image"], reason="PodInitializing")
            for c in containers
        ]
    unready = [s["name"] for s in cs if not s.get("ready")]
    status: Obj = {"qosClass": "Burstable"}
    if phase is None:
        phase = (
            "Pending"
            if not node_name
            or (ics and not inits_done)
            or any(
                "waiting" in s["state"] and s.get("restartCount", 0) == 0 and not s.get("lastState")
                for s in cs
            )
            else "Running"
        )
    status["phase"] = phase
    if conditions is None and node_name:
        not_init = [s["name"] for s in ics if "terminated" not in s.get("state", {})]
        conditions = [
            _cond("PodReadyToStartContainers", True),
            _cond(
                "Initialized",
                not not_init,
                "ContainersNotInitialized" if not_init else None,
                f"containers with incomplete status: [{' '.join(not_init)}]" if not_init else None,
            ),
        ]
        for ctype in ("Ready", "ContainersReady"):
            conditions.append(
                _cond(
                    ctype,
                    not unready and bool(cs),
                    "ContainersNotReady" if unready else None,
                    f"containers with unready status: [{' '.join(unready)}]" if unready else None,
                )
            )
        conditions.append(_cond("PodScheduled", True, since=86400))
    if conditions is not None:
        status["conditions"] = conditions
    if reason:
        status["reason"] = reason
    if message:
        status["message"] = message
    if node_name:
        status.update(
            hostIP="10.0.0." + str(int(_hash(node_name, 2).encode()[0]) % 200 + 10),
            podIP=ip,
            podIPs=[{"ip": ip}],
            startTime=_ts(created, 86400),
        )
        if ics:
            status["initContainerStatuses"] = ics
        status["containerStatuses"] = cs
    all_labels = dict(labels or {})
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _meta(
            name,
            namespace,
            all_labels,
            annotations,
            [owner_ref(owner)] if owner else None,
            created,
            uid,
        ),
        "spec": spec,
        "status": status,
    }


def running_ready_pod(
    *, name: str = "web-0", namespace: str = "default", image: str = DEFAULT_IMAGE, **kw: Any
) -> Obj:
    """Healthy Running pod with one ready container."""
    return pod(name=name, namespace=namespace, containers=[container(image=image)], **kw)


def pending_unschedulable(
    *,
    name: str = "app-0",
    namespace: str = "default",
    message: str = (
        "0/3 nodes are available: 3 Insufficient memory. preemption: 0/3 nodes "
        "are available: 3 No preemption victims found for incoming pod."
    ),
    **kw: Any,
) -> Obj:
    """Pending pod the scheduler could not place (PodScheduled False / Unschedulable)."""
    p = pod(
        name=name,
        namespace=namespace,
        node_name=None,
        phase="Pending",
        conditions=[_cond("PodScheduled", False, "Unschedulable", message, since=600)],
        **kw,
    )
    return p


def evicted_pod(
    *,
    name: str = "app-0",
    namespace: str = "default",
    node_name: str = "worker-1",
    container_name: str = "app",
    resource: str = "memory",
    threshold: str = "100Mi",
    available: str = "91316Ki",
    usage: str = "1843216Ki",
    request: str = "0",
    **kw: Any,
) -> Obj:
    """Pod evicted by the kubelet under node pressure (phase Failed, reason Evicted)."""
    msg = (
        f"The node was low on resource: {resource}. Threshold quantity: {threshold}, available: {available}. "
        f"Container {container_name} was using {usage}, request is {request}, has larger consumption of "
        f"{resource}. "
    )
    st = {
        "name": container_name,
        "ready": False,
        "restartCount": 0,
        "image": DEFAULT_IMAGE,
        "imageID": "",
        "started": False,
        "lastState": {},
        "containerID": _cid(name + container_name),
        "state": {
            "terminated": {
                "containerID": _cid(name + container_name),
                "exitCode": 137,
                "reason": "ContainerStatusUnknown",
                "message": "The container could not be located when the pod was terminated",
                "startedAt": None,
                "finishedAt": None,
            }
        },
    }
    conds = [
        _cond("DisruptionTarget", True, "TerminationByKubelet", msg, since=1800),
        _cond("Ready", False, "PodFailed", since=1800),
        _cond("PodScheduled", True, since=86400),
    ]
    return pod(
        name=name,
        namespace=namespace,
        node_name=node_name,
        phase="Failed",
        reason="Evicted",
        message=msg,
        containers=[container(name=container_name)],
        container_statuses=[st],
        conditions=conds,
        **kw,
    )


def rejected_pod(
    *,
    name: str = "app-0",
    namespace: str = "default",
    node_name: str = "worker-1",
    reason: str = "OutOfpods",
    owner: Obj | None = None,
    labels: dict[str, str] | None = None,
    message: str = "Pod was rejected: Node didn't have enough resource: pods, requested: 1, "
    "used: 110, capacity: 110",
) -> Obj:
    """A pod the kubelet rejected at admission (phase Failed; OutOfpods, NodeAffinity...): its containers
    never started."""
    return pod(
        name=name,
        namespace=namespace,
        node_name=node_name,
        phase="Failed",
        reason=reason,
        message=message,
        owner=owner,
        labels=labels,
        container_statuses=[],
        conditions=[_cond("PodScheduled", True, since=600)],
    )


def __getattr__(name: str) -> Any:
    """Lazily re-export cluster builders (:mod:`.kube_cluster`) and scenarios (:mod:`.kube_scenarios`)."""
    if name.startswith("__"):
        raise AttributeError(name)
    from . import kube_cluster, kube_scenarios

    for mod in (kube_cluster, kube_scenarios):
        if name in getattr(mod, "__all__", ()):
            return getattr(mod, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
