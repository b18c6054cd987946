"""Builders for nodes, events, storage, workloads, services, quotas and APIServices
(re-exported by :mod:`.kube_objects`)."""

from __future__ import annotations

from .kube_objects import (
    DEFAULT_IMAGE,
    Obj,
    _cond,
    _hash,
    _meta,
    _ts,
    ago,
    container,
    micro_ago,
    owner_ref,
)

_NODE_OK = {
    "MemoryPressure": ("KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    "DiskPressure": ("KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    "PIDPressure": ("KubeletHasSufficientPID", "kubelet has sufficient PID available"),
}
_NODE_BAD = {
    "MemoryPressure": ("KubeletHasInsufficientMemory", "kubelet has insufficient memory available"),
    "DiskPressure": ("KubeletHasDiskPressure", "kubelet has disk pressure"),
    "PIDPressure": ("KubeletHasInsufficientPID", "kubelet has insufficient PID available"),
}
NOT_READY_CNI = (
    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
    "message:Network plugin returns error: cni plugin not initialized"
)


def node(
    *,
    name: str = "worker-1",
    ready: bool | str = True,
    disk_pressure: bool = False,
    memory_pressure: bool = False,
    pid_pressure: bool = False,
    unschedulable: bool = False,
    taints: list[Obj] | None = None,
    allocatable: dict[str, str] | None = None,
    capacity: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    not_ready_message: str = NOT_READY_CNI,
    kubelet_version: str = "v1.31.4",
    since: float = 900,
) -> Obj:
    """Node with kubelet-style conditions and the taints the node controller adds
    (not-ready / unreachable / disk-pressure / memory-pressure / unschedulable)."""
    capacity = capacity or {
        "cpu": "8",
        "ephemeral-storage": "102350Mi",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": "32779548Ki",
        "pods": "110",
    }
    allocatable = allocatable or {
        "cpu": "7910m",
        "ephemeral-storage": "96589578081",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": "31628572Ki",
        "pods": "110",
    }
    conds, all_taints = [], list(taints or [])
    flags = {
        "MemoryPressure": memory_pressure,
        "DiskPressure": disk_pressure,
        "PIDPressure": pid_pressure,
    }
    unknown = ready == "Unknown"
    for ctype, bad in flags.items():
        if unknown:
            conds.append(
                _cond(
                    ctype,
                    "Unknown",
                    "NodeStatusUnknown",
                    "Kubelet stopped posting node status.",
                    since,
                )
            )
        else:
            reason, msg = (_NODE_BAD if bad else _NODE_OK)[ctype]
            conds.append(_cond(ctype, bad, reason, msg, since if bad else 86400))
    if unknown:
        conds.append(
            _cond(
                "Ready",
                "Unknown",
                "NodeStatusUnknown",
                "Kubelet stopped posting node status.",
                since,
            )
        )
        all_taints += [
            {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
            {
                "key": "node.kubernetes.io/unreachable",
                "effect": "NoExecute",
                "timeAdded": ago(since),
            },
        ]
    elif ready:
        conds.append(_cond("Ready", True, "KubeletReady", "kubelet is posting ready status", 86400))
    else:
        conds.append(_cond("Ready", False, "KubeletNotReady", not_ready_message, since))
        all_taints += [
            {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"},
            {"key": "node.kubernetes.io/not-ready", "effect": "NoExecute", "timeAdded": ago(since)},
        ]
    for flag, key in (
        (disk_pressure, "disk-pressure"),
        (memory_pressure, "memory-pressure"),
        (pid_pressure, "pid-pressure"),
        (unschedulable, "unschedulable"),
    ):
        if flag and not unknown:
            all_taints.append({"key": f"node.kubernetes.io/{key}", "effect": "NoSchedule"})
    for c in conds:
        c["lastHeartbeatTime"] = ago(since if unknown else 20)
        c.pop("lastProbeTime", None)
    spec: Obj = {"podCIDR": f"10.244.{int(_hash(name, 2).encode()[0]) % 200}.0/24"}
    if unschedulable:
        spec["unschedulable"] = True
    if all_taints:
        spec["taints"] = all_taints
    ip = f"10.0.0.{int(_hash(name, 2).encode()[0]) % 200 + 10}"
    lbl = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        **(labels or {}),
    }
    annotations = {
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    }
    images = [
        {"names": [f"docker.io/library/{DEFAULT_IMAGE}"], "sizeBytes": 67_255_612},
        {"names": ["registry.k8s.io/pause:3.10"], "sizeBytes": 320_368},
    ]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": _meta(name, None, lbl, annotations, created=30 * 86400),
        "spec": spec,
        "status": {
            "images": images,
            "capacity": capacity,
            "allocatable": allocatable,
            "conditions": conds,
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": _hash(name, 32),
                "systemUUID": _hash(name + "u", 32),
                "bootID": _hash(name + "b", 32),
                "kernelVersion": "6.1.0-28-cloud-amd64",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kubeletVersion": kubelet_version,
                "kubeProxyVersion": kubelet_version,
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
        },
    }


def event(
    *,
    involved: Obj,
    reason: str,
    message: str,
    type: str = "Warning",
    count: int = 1,
    first: str | float | None = None,
    last: str | float | None = None,
    source_component: str = "kubelet",
    source_host: str | None = None,
    field_path: str | None = None,
    name: str | None = None,
    namespace: str | None = None,
) -> Obj:
    """core/v1 Event about ``involved`` (an object dict or an ObjectReference dict).

    kubelet/controller events use the legacy shape (source, count, first/lastTimestamp,
    eventTime null). ``source_component="default-scheduler"`` produces the
    events.k8s.io-recorder shape (eventTime + series, null first/lastTimestamp)."""
    if "metadata" in involved:
        meta = involved["metadata"]
        ref: Obj = {
            "kind": involved["kind"],
            "namespace": meta.get("namespace"),
            "name": meta["name"],
            "uid": meta.get("uid"),
            "apiVersion": involved["apiVersion"],
            "resourceVersion": meta.get("resourceVersion", ""),
        }
        ref = {k: v for k, v in ref.items() if v is not None}
    else:
        ref = dict(involved)
    if field_path:
        ref["fieldPath"] = field_path
    ns = namespace or ref.get("namespace") or "default"
    first_ts, last_ts = _ts(first, 3600), _ts(last, 60)
    host = source_host or (
        (involved.get("spec") or {}).get("nodeName") if "metadata" in involved else None
    )
    ev: Obj = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": _meta(
            name or f"{ref.get('name')}.{_hash(reason + message + ref.get('name', ''), 16)}",
            ns,
            created=first if first is not None else 3600,
        ),
        "involvedObject": ref,
        "reason": reason,
        "message": message,
        "type": type,
    }
    if source_component == "default-scheduler":
        ev.update(
            eventTime=micro_ago(
                3600 if first is None else first if not isinstance(first, str) else 0
            ),
            firstTimestamp=None,
            lastTimestamp=None,
            source={},
            action="Scheduling",
            reportingComponent="default-scheduler",
            reportingInstance="default-scheduler-control-plane",
        )
        if count > 1:
            ev["series"] = {
                "count": count,
                "lastObservedTime": micro_ago(
                    60 if last is None or isinstance(last, str) else last
                ),
            }
        return ev
    src = {"component": source_component}
    if host:
        src["host"] = host
    ev.update(
        source=src,
        firstTimestamp=first_ts,
        lastTimestamp=last_ts,
        count=count,
        eventTime=None,
        reportingComponent=source_component,
        reportingInstance=host or "",
    )
    return ev


# ----------------------------------------------------------------------------- storage


def storage_class(
    *,
    name: str = "standard",
    provisioner: str = "rancher.io/local-path",
    default: bool = False,
    volume_binding_mode: str = "WaitForFirstConsumer",
    reclaim_policy: str = "Delete",
    allow_expansion: bool = False,
) -> Obj:
    ann = {"storageclass.kubernetes.io/is-default-class": "true"} if default else None
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": _meta(name, None, annotations=ann, created=90 * 86400),
        "provisioner": provisioner,
        "reclaimPolicy": reclaim_policy,
        "volumeBindingMode": volume_binding_mode,
        "allowVolumeExpansion": allow_expansion,
    }


def pvc(
    *,
    name: str = "data-app-0",
    namespace: str = "default",
    phase: str = "Bound",
    storage_class: str | None = "standard",
    volume_name: str | None = None,
    size: str = "10Gi",
    access_modes: tuple[str, ...] = ("ReadWriteOnce",),
    labels: dict[str, str] | None = None,
) -> Obj:
    """PersistentVolumeClaim, Bound (volumeName, capacity) or Pending."""
    meta = _meta(name, namespace, labels)
    meta["finalizers"] = ["kubernetes.io/pvc-protection"]
    spec: Obj = {
        "accessModes": list(access_modes),
        "resources": {"requests": {"storage": size}},
        "volumeMode": "Filesystem",
    }
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    status: Obj = {"phase": phase}
    if phase == "Bound":
        spec["volumeName"] = volume_name or f"pvc-{meta['uid']}"
        meta["annotations"] = {
            "pv.kubernetes.io/bind-completed": "yes",
            "pv.kubernetes.io/bound-by-controller": "yes",
        }
        status.update(accessModes=list(access_modes), capacity={"storage": size})
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": meta,
        "spec": spec,
        "status": status,
    }


def pv(
    *,
    name: str,
    claim: Obj | None = None,
    storage_class: str = "standard",
    size: str = "10Gi",
    phase: str = "Bound",
    reclaim_policy: str = "Delete",
    node_name: str | None = None,
    local_path: str | None = None,
) -> Obj:
    """PersistentVolume (local volume with node affinity when ``node_name`` is set)."""
    spec: Obj = {
        "capacity": {"storage": size},
        "accessModes": ["ReadWriteOnce"],
        "persistentVolumeReclaimPolicy": reclaim_policy,
        "storageClassName": storage_class,
        "volumeMode": "Filesystem",
    }
    if claim is not None:
        m = claim["metadata"]
        spec["claimRef"] = {
            "kind": "PersistentVolumeClaim",
            "namespace": m["namespace"],
            "name": m["name"],
            "uid": m.get("uid"),
            "apiVersion": "v1",
        }
    if node_name:
        spec["local"] = {"path": local_path or f"/mnt/disks/{name}"}
        spec["nodeAffinity"] = {
            "required": {
                "nodeSelectorTerms": [
                    {
                        "matchExpressions": [
                            {
                                "key": "kubernetes.io/hostname",
                                "operator": "In",
                                "values": [node_name],
                            }
                        ]
                    }
                ]
            }
        }
    else:
        spec["hostPath"] = {
            "path": local_path or f"/var/lib/pv/{name}",
            "type": "DirectoryOrCreate",
        }
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": _meta(name, None),
        "spec": spec,
        "status": {"phase": phase, "lastPhaseTransitionTime": ago(86400)},
    }


# ----------------------------------------------------------------------------- workloads


def _template(
    labels: dict[str, str], image: str, cname: str, annotations: dict[str, str] | None = None
) -> Obj:
    meta: Obj = {"creationTimestamp": None, "labels": dict(labels)}
    if annotations:
        meta["annotations"] = dict(annotations)
    return {
        "metadata": meta,
        "spec": {
            "containers": [container(name=cname, image=image)],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
        },
    }


def deployment(
    *,
    name: str = "app",
    namespace: str = "default",
    replicas: int = 1,
    ready_replicas: int | None = None,
    image: str = DEFAULT_IMAGE,
    container_name: str = "app",
    labels: dict[str, str] | None = None,
    progress_deadline_exceeded: bool = False,
) -> Obj:
    """Deployment with Available/Progressing conditions consistent with readiness."""
    labels = labels or {"app": name}
    ready = replicas if ready_replicas is None else ready_replicas
    rs_name = f"{name}-{_hash(name + image, 10)}"
    ok = ready >= replicas
    conds = [
        _cond(
            "Available",
            ok,
            "MinimumReplicasAvailable" if ok else "MinimumReplicasUnavailable",
            "Deployment has minimum availability."
            if ok
            else "Deployment does not have minimum availability.",
            1800,
        ),
        _cond(
            "Progressing",
            not progress_deadline_exceeded,
            "ProgressDeadlineExceeded" if progress_deadline_exceeded else "NewReplicaSetAvailable",
            f'ReplicaSet "{rs_name}" has timed out progressing.'
            if progress_deadline_exceeded
            else f'ReplicaSet "{rs_name}" has successfully progressed.',
            1800,
        ),
    ]
    for c in conds:
        c["lastUpdateTime"] = c.pop("lastProbeTime") or c["lastTransitionTime"]
    status: Obj = {
        "observedGeneration": 1,
        "replicas": replicas,
        "updatedReplicas": replicas,
        "readyReplicas": ready,
        "availableReplicas": ready,
        "conditions": conds,
    }
    if ready < replicas:
        status["unavailableReplicas"] = replicas - ready
    status = {k: v for k, v in status.items() if v != 0 or k == "replicas"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": _meta(name, namespace, labels, {"deployment.kubernetes.io/revision": "1"}),
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": _template(labels, image, container_name),
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
            },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
        },
        "status": status,
    }


def replicaset(
    *,
    deployment: Obj | None = None,
    name: str | None = None,
    namespace: str | None = None,
    replicas: int | None = None,
    ready_replicas: int | None = None,
) -> Obj:
    """ReplicaSet (owned by ``deployment`` when given, with pod-template-hash label)."""
    dep = deployment or globals()["deployment"](
        name=name or "app", namespace=namespace or "default"
    )
    dspec = dep["spec"]
    image = dspec["template"]["spec"]["containers"][0]["image"]
    h = _hash(dep["metadata"]["name"] + image, 10)
    labels = {**dspec["selector"]["matchLabels"], "pod-template-hash": h}
    n = dspec["replicas"] if replicas is None else replicas
    ready = (
        (dep.get("status") or {}).get("readyReplicas", n)
        if ready_replicas is None
        else ready_replicas
    )
    tmpl = _template(labels, image, dspec["template"]["spec"]["containers"][0]["name"])
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": _meta(
            name if deployment is None and name else f"{dep['metadata']['name']}-{h}",
            dep["metadata"].get("namespace", namespace),
            labels,
            {
                "deployment.kubernetes.io/desired-replicas": str(dspec["replicas"]),
                "deployment.kubernetes.io/max-replicas": str(dspec["replicas"] + 1),
                "deployment.kubernetes.io/revision": "1",
            },
            [owner_ref(dep)] if deployment is not None else None,
        ),
        "spec": {"replicas": n, "selector": {"matchLabels": labels}, "template": tmpl},
        "status": {
            "replicas": n,
            "fullyLabeledReplicas": n,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "observedGeneration": 1,
        },
    }


def statefulset(
    *,
    name: str = "db",
    namespace: str = "default",
    replicas: int = 3,
    ready_replicas: int | None = None,
    image: str = DEFAULT_IMAGE,
    container_name: str = "app",
    service_name: str | None = None,
    labels: dict[str, str] | None = None,
    storage_class: str | None = "standard",
    claim_name: str = "data",
    size: str = "10Gi",
    owner: Obj | None = None,
) -> Obj:
    labels = labels or {"app": name}
    ready = replicas if ready_replicas is None else ready_replicas
    spec: Obj = {
        "replicas": replicas,
        "selector": {"matchLabels": dict(labels)},
        "serviceName": service_name or f"{name}-peer",
        "podManagementPolicy": "Parallel",
        "template": _template(labels, image, container_name),
        "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}},
    }
    if storage_class is not None:
        spec["volumeClaimTemplates"] = [
            {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": claim_name},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "storageClassName": storage_class,
                    "resources": {"requests": {"storage": size}},
                },
            }
        ]
    rev = f"{name}-{_hash(name + image, 10)}"
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": _meta(name, namespace, labels, owners=[owner_ref(owner)] if owner else None),
        "spec": spec,
        "status": {
            "observedGeneration": 1,
            "replicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "currentReplicas": replicas,
            "updatedReplicas": replicas,
            "currentRevision": rev,
            "updateRevision": rev,
            "collisionCount": 0,
        },
    }


def daemonset(
    *,
    name: str = "node-agent",
    namespace: str = "kube-system",
    desired: int = 3,
    ready: int | None = None,
    image: str = "registry.example.com/infra/node-agent:2.1.0",
    labels: dict[str, str] | None = None,
) -> Obj:
    labels = labels or {"app": name}
    ready = desired if ready is None else ready
    status: Obj = {
        "currentNumberScheduled": desired,
        "desiredNumberScheduled": desired,
        "numberMisscheduled": 0,
        "numberReady": ready,
        "numberAvailable": ready,
        "updatedNumberScheduled": desired,
        "observedGeneration": 1,
    }
    if ready < desired:
        status["numberUnavailable"] = desired - ready
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": _meta(name, namespace, labels),
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "template": _template(labels, image, name),
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
        },
        "status": status,
    }


def job(
    *,
    name: str = "migrate",
    namespace: str = "default",
    backoff_limit: int = 6,
    failed: int = 0,
    succeeded: int = 0,
    active: int = 0,
    backoff_exceeded: bool = False,
    image: str = DEFAULT_IMAGE,
) -> Obj:
    """Job; ``backoff_exceeded=True`` adds FailureTarget + Failed (BackoffLimitExceeded)."""
    uid_meta = _meta(name, namespace, {"job-name": name})
    labels = {
        "batch.kubernetes.io/job-name": name,
        "job-name": name,
        "batch.kubernetes.io/controller-uid": uid_meta["uid"],
        "controller-uid": uid_meta["uid"],
    }
    tmpl = _template(labels, image, name)
    tmpl["spec"]["restartPolicy"] = "Never"
    status: Obj = {
        "startTime": ago(3600),
        "uncountedTerminatedPods": {},
        "ready": 0,
        "terminating": 0,
    }
    for k, v in (("active", active), ("failed", failed), ("succeeded", succeeded)):
        if v:
            status[k] = v
    if backoff_exceeded:
        msg = "Job has reached the specified backoff limit"
        status["conditions"] = [
            {
                **_cond("FailureTarget", True, "BackoffLimitExceeded", msg, 600),
                "lastProbeTime": ago(600),
            },
            {**_cond("Failed", True, "BackoffLimitExceeded", msg, 600), "lastProbeTime": ago(600)},
        ]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": uid_meta,
        "spec": {
            "backoffLimit": backoff_limit,
            "completions": 1,
            "parallelism": 1,
            "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": uid_meta["uid"]}},
            "template": tmpl,
            "completionMode": "NonIndexed",
            "suspend": False,
        },
        "status": status,
    }


# ----------------------------------------------------------------------------- networking & misc


def service(
    *,
    name: str = "app",
    namespace: str = "default",
    selector: dict[str, str] | None = None,
    ports: list[tuple[int, int]] | None = None,
    type: str = "ClusterIP",
    cluster_ip: str | None = None,
) -> Obj:
    ip = (
        cluster_ip
        or f"10.96.{int(_hash(name, 2).encode()[0]) % 250}.{int(_hash(name, 3).encode()[1]) % 250 + 1}"
    )
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": _meta(name, namespace, {"app": name}),
        "spec": {
            "type": type,
            "selector": selector if selector is not None else {"app": name},
            "clusterIP": ip,
            "clusterIPs": [ip],
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "sessionAffinity": "None",
            "internalTrafficPolicy": "Cluster",
            "ports": [
                {"name": f"p{p}", "port": p, "targetPort": t, "protocol": "TCP"}
                for p, t in (ports or [(80, 8080)])
            ],
        },
        "status": {"loadBalancer": {}},
    }


def endpoints(
    *,
    name: str = "app",
    namespace: str = "default",
    ready: list[Obj] | None = None,
    not_ready: list[Obj] | None = None,
    ports: list[int] | None = None,
) -> Obj:
    """Endpoints; ``ready``/``not_ready`` are Pod dicts. No addresses -> no ``subsets`` key
    (what the endpoints controller writes for a Service without ready backends)."""

    def addr(p: Obj) -> Obj:
        return {
            "ip": p["status"].get("podIP", ""),
            "nodeName": p["spec"].get("nodeName"),
            "targetRef": {
                "kind": "Pod",
                "namespace": p["metadata"]["namespace"],
                "name": p["metadata"]["name"],
                "uid": p["metadata"]["uid"],
            },
        }

    ep: Obj = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": _meta(name, namespace, {"app": name}),
    }
    ep["metadata"]["annotations"] = {"endpoints.kubernetes.io/last-change-trigger-time": ago(300)}
    if ready or not_ready:
        subset: Obj = {}
        if ready:
            subset["addresses"] = [addr(p) for p in ready]
        if not_ready:
            subset["notReadyAddresses"] = [addr(p) for p in not_ready]
        subset["ports"] = [
            {"name": f"p{p}", "port": p, "protocol": "TCP"} for p in (ports or [8080])
        ]
        ep["subsets"] = [subset]
    return ep


def resource_quota(
    *,
    name: str = "compute",
    namespace: str = "default",
    hard: dict[str, str] | None = None,
    used: dict[str, str] | None = None,
) -> Obj:
    hard = hard or {
        "pods": "20",
        "requests.cpu": "4",
        "requests.memory": "8Gi",
        "limits.memory": "16Gi",
    }
    used = used or {k: "0" for k in hard}
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": _meta(name, namespace),
        "spec": {"hard": hard},
        "status": {"hard": hard, "used": used},
    }


def configmap(
    *, name: str = "app-config", namespace: str = "default", keys: tuple[str, ...] = ()
) -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta(name, namespace),
        "data": {k: "" for k in keys},
    }


def namespace(*, name: str = "default") -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": _meta(name, None, {"kubernetes.io/metadata.name": name}),
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def apiservice(
    *,
    name: str = "v1beta1.metrics.k8s.io",
    available: bool = False,
    reason: str = "FailedDiscoveryCheck",
    message: str | None = None,
    service: tuple[str, str] | None = ("kube-system", "metrics-server"),
    service_ip: str = "10.96.120.14",
) -> Obj:
    """APIService; unavailable ones carry the aggregator's FailedDiscoveryCheck message."""
    version, _, group = name.partition(".")
    spec: Obj = {
        "group": group,
        "version": version,
        "groupPriorityMinimum": 100,
        "versionPriority": 100,
    }
    if service:
        spec.update(
            service={"namespace": service[0], "name": service[1], "port": 443},
            insecureSkipTLSVerify=True,
        )
    if available:
        reason, msg = (
            ("Passed", "all checks passed")
            if service
            else ("Local", "Local APIServices are always available")
        )
    else:
        url = f"https://{service_ip}:443/apis/{group}/{version}"
        msg = message or (
            f'failing or missing response from {url}: Get "{url}": dial tcp {service_ip}:443: '
            "connect: connection refused"
        )
    return {
        "apiVersion": "apiregistration.k8s.io/v1",
        "kind": "APIService",
        "metadata": _meta(name, None),
        "spec": spec,
        "status": {
            "conditions": [
                {
                    "type": "Available",
                    "status": "True" if available else "False",
                    "lastTransitionTime": ago(1800),
                    "reason": reason,
                    "message": msg,
                }
            ]
        },
    }


__all__ = [
    "DEFAULT_IMAGE",
    "NOT_READY_CNI",
    "apiservice",
    "configmap",
    "daemonset",
    "deployment",
    "endpoints",
    "event",
    "job",
    "micro_ago",
    "namespace",
    "node",
    "pv",
    "pvc",
    "replicaset",
    "resource_quota",
    "service",
    "statefulset",
    "storage_class",
]
