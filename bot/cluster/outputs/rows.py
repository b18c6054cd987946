"""`kubectl get` rows of every kind other than pods and events, as the objects they show.

One function per kind, each reading the columns kubectl prints for it (with `-o wide`
and `--show-labels` adding theirs), filling only what the row says: a Service row has
its ports but not their targetPort, so none is invented; a richer view fills the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.cluster.outputs.ages import Stamp, age_seconds, parse_date
from bot.cluster.outputs.describe_tree import present
from bot.cluster.outputs.kinds import kind_of
from bot.cluster.outputs.row_pods import pod_from_row
from bot.cluster.outputs.rows_network import ROWS as NETWORK_ROWS
from bot.cluster.outputs.rows_network import job_status
from bot.cluster.outputs.shapes import (
    access_modes,
    fraction,
    labels,
    number,
    selector,
    service_ports,
    used_hard,
)
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject
from bot.cluster.seen import (
    CONTAINER_MESSAGES,
    CONTAINER_SPECS,
    CONTAINER_STATES,
    EVENTS,
    EXIT_CODES,
    LABELS,
    POD_MESSAGES,
    PODS_FULL,
    PORT_NAMES,
    SELECTOR,
    TAINTS,
    TARGET_PORTS,
    TEMPLATE,
    mark,
)

Row = dict[str, str]


def base(kind: str, cells: Row) -> JsonObject:
    """apiVersion, kind and metadata (name, age, labels) of any row."""
    row = kind_of(kind)
    meta: dict[str, Any] = {"name": cells["NAME"]}
    if (age := age_seconds(cells.get("AGE", ""))) is not None:
        meta["creationTimestamp"] = Stamp(ago=age)
    elif (when := parse_date(cells.get("CREATED AT", ""))) is not None:
        meta["creationTimestamp"] = Stamp(at=when)
    if "LABELS" in cells:
        meta["labels"] = labels(cells["LABELS"])
    return {"apiVersion": row.api_version, "kind": row.kind, "metadata": meta}


def _template(cells: Row) -> dict[str, Any]:
    """spec.template and spec.selector from -o wide's CONTAINERS, IMAGES and SELECTOR."""
    spec: dict[str, Any] = {}
    if containers := _wide_containers(cells):
        spec["template"] = {"spec": {"containers": containers}}
    if "SELECTOR" in cells and (chosen := selector(cells["SELECTOR"])) is not None:
        spec["selector"] = chosen
    return spec


def _wide_containers(cells: Row) -> list[JsonObject]:
    """-o wide's CONTAINERS, each with its image from IMAGES (in the same order)."""
    names = [n for n in (none_if_unset(cells.get("CONTAINERS")) or "").split(",") if n]
    images = (none_if_unset(cells.get("IMAGES")) or "").split(",")
    return [
        {"name": n, **present(image=images[i] if i < len(images) else None)}
        for i, n in enumerate(names)
    ]


def deployment(cells: Row) -> JsonObject:
    obj = base("deployments", cells)
    ready, desired = fraction(cells.get("READY", "")) or (None, None)
    status = {
        "readyReplicas": ready,
        "replicas": desired,
        "updatedReplicas": number(cells.get("UP-TO-DATE")),
        "availableReplicas": number(cells.get("AVAILABLE")),
    }
    obj["spec"] = {"replicas": desired, **_template(cells)}
    obj["status"] = {k: v for k, v in status.items() if v is not None}
    return obj


def replicaset(cells: Row) -> JsonObject:
    obj = base("replicasets", cells)
    obj["spec"] = {"replicas": number(cells.get("DESIRED")), **_template(cells)}
    obj["status"] = {
        "replicas": number(cells.get("CURRENT")),
        "readyReplicas": number(cells.get("READY")),
    }
    return obj


def statefulset(cells: Row) -> JsonObject:
    obj = base("statefulsets", cells)
    ready, desired = fraction(cells.get("READY", "")) or (None, None)
    obj["spec"] = {"replicas": desired, **_template(cells)}
    obj["status"] = {"readyReplicas": ready, "replicas": desired}
    return obj


def daemonset(cells: Row) -> JsonObject:
    obj = base("daemonsets", cells)
    spec = _template(cells)
    if node_selector := labels(cells.get("NODE SELECTOR")):
        spec.setdefault("template", {}).setdefault("spec", {})["nodeSelector"] = node_selector
    obj["spec"] = spec
    obj["status"] = {
        k: v
        for k, v in {
            "desiredNumberScheduled": number(cells.get("DESIRED")),
            "currentNumberScheduled": number(cells.get("CURRENT")),
            "numberReady": number(cells.get("READY")),
            "updatedNumberScheduled": number(cells.get("UP-TO-DATE")),
            "numberAvailable": number(cells.get("AVAILABLE")),
        }.items()
        if v is not None
    }
    return obj


def job(cells: Row) -> JsonObject:
    obj = base("jobs", cells)
    done, wanted = fraction(cells.get("COMPLETIONS", "")) or (None, None)
    obj["spec"] = {"completions": wanted, **_template(cells)}
    obj["status"] = {"succeeded": done}
    job_status(obj, cells)
    return obj


def service(cells: Row) -> JsonObject:
    obj = base("services", cells)
    spec: dict[str, Any] = {
        "type": cells.get("TYPE", "ClusterIP"),
        "ports": service_ports(cells.get("PORT(S)")),
    }
    if ip := none_if_unset(cells.get("CLUSTER-IP")):
        spec["clusterIP"] = ip
    if "SELECTOR" in cells:
        chosen = selector(cells["SELECTOR"])
        if chosen is not None:
            spec["selector"] = chosen.get("matchLabels", {})
    if external := none_if_unset(cells.get("EXTERNAL-IP")):
        if spec["type"] == "LoadBalancer" and external != "<pending>":
            obj["status"] = {
                "loadBalancer": {"ingress": [{"ip": ip} for ip in external.split(",")]}
            }
        elif spec["type"] == "ExternalName":
            spec["externalName"] = external
    obj["spec"] = spec
    return obj


def endpoints(cells: Row) -> JsonObject:
    """ENDPOINTS lists ready addresses only (`ip:port,ip:port + 2 more...`)."""
    obj = base("endpoints", cells)
    shown = (none_if_unset(cells.get("ENDPOINTS")) or "").split(" + ")[0]
    if pairs := _ip_ports(shown):
        ips, ports = dict.fromkeys(ip for ip, _ in pairs), dict.fromkeys(p for _, p in pairs)
        obj["subsets"] = [
            {
                "addresses": [{"ip": ip} for ip in ips],
                "ports": [{"port": port, "protocol": "TCP"} for port in ports],
            }
        ]
    return obj


def _ip_ports(shown: str) -> list[tuple[str, int]]:
    """`10.0.0.1:80,10.0.0.2:80` -> (ip, port) pairs."""
    pairs = [pair.strip().rpartition(":") for pair in shown.split(",")]
    return [(ip, int(port)) for ip, _, port in pairs if ip and port.isdigit()]


def node(cells: Row) -> JsonObject:
    obj = base("nodes", cells)
    words = [w for w in cells.get("STATUS", "").split(",") if w]
    obj["spec"] = {"unschedulable": "SchedulingDisabled" in words}  # (a later look: uncordoned)
    obj["status"] = {
        "conditions": [{"type": "Ready", "status": _ready(words)}],
        "nodeInfo": present(
            kubeletVersion=cells.get("VERSION"),
            osImage=cells.get("OS-IMAGE"),
            kernelVersion=cells.get("KERNEL-VERSION"),
            containerRuntimeVersion=cells.get("CONTAINER-RUNTIME"),
        ),
        **present(addresses=_node_addresses(cells)),
    }
    if "labels" not in obj["metadata"] and (roles := _role_labels(cells.get("ROLES"))):
        obj["metadata"]["labels"] = roles
    return obj


def _role_labels(text: str | None) -> dict[str, str]:
    """ROLES `control-plane,master` as the node-role labels kubectl read them from."""
    roles = [r for r in (none_if_unset(text) or "").split(",") if r]
    return {f"node-role.kubernetes.io/{r}": "" for r in roles}


def _ready(words: list[str]) -> str:
    """The Ready condition a node's STATUS (`Ready,SchedulingDisabled`) says."""
    if "Ready" in words:
        return "True"
    return "False" if "NotReady" in words else "Unknown"


def _node_addresses(cells: Row) -> list[JsonObject]:
    found = (
        ("InternalIP", none_if_unset(cells.get("INTERNAL-IP"))),
        ("ExternalIP", none_if_unset(cells.get("EXTERNAL-IP"))),
    )
    return [{"type": kind, "address": address} for kind, address in found if address]


def claim(cells: Row) -> JsonObject:
    obj = base("persistentvolumeclaims", cells)
    spec: dict[str, Any] = {"accessModes": access_modes(cells.get("ACCESS MODES"))}
    if volume := none_if_unset(cells.get("VOLUME")):
        spec["volumeName"] = volume
    if storage_class := none_if_unset(cells.get("STORAGECLASS")):
        spec["storageClassName"] = storage_class
    if mode := none_if_unset(cells.get("VOLUMEMODE")):
        spec["volumeMode"] = mode
    status: dict[str, Any] = {"phase": cells.get("STATUS", "")}
    if capacity := none_if_unset(cells.get("CAPACITY")):
        status["capacity"] = {"storage": capacity}
        status["accessModes"] = spec["accessModes"]
    obj["spec"], obj["status"] = spec, status
    return obj


def volume(cells: Row) -> JsonObject:
    obj = base("persistentvolumes", cells)
    spec: dict[str, Any] = {"accessModes": access_modes(cells.get("ACCESS MODES"))}
    if capacity := none_if_unset(cells.get("CAPACITY")):
        spec["capacity"] = {"storage": capacity}
    if policy := none_if_unset(cells.get("RECLAIM POLICY")):
        spec["persistentVolumeReclaimPolicy"] = policy
    if claim_ref := none_if_unset(cells.get("CLAIM")):
        namespace, _, name = claim_ref.rpartition("/")
        spec["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": namespace, "name": name}
    if storage_class := none_if_unset(cells.get("STORAGECLASS")):
        spec["storageClassName"] = storage_class
    status: dict[str, Any] = {"phase": cells.get("STATUS", "")}
    if reason := none_if_unset(cells.get("REASON")):
        status["reason"] = reason
    obj["spec"], obj["status"] = spec, status
    return obj


def storage_class(cells: Row) -> JsonObject:
    name = cells["NAME"]
    default = name.endswith(" (default)")
    obj = base("storageclasses", {**cells, "NAME": name.removesuffix(" (default)").strip()})
    if default:
        obj["metadata"]["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    obj["provisioner"] = cells.get("PROVISIONER", "")
    for column, key in (
        ("RECLAIMPOLICY", "reclaimPolicy"),
        ("VOLUMEBINDINGMODE", "volumeBindingMode"),
    ):
        if value := none_if_unset(cells.get(column)):
            obj[key] = value
    if (expand := none_if_unset(cells.get("ALLOWVOLUMEEXPANSION"))) in ("true", "false"):
        obj["allowVolumeExpansion"] = expand == "true"
    return obj


def quota(cells: Row) -> JsonObject:
    obj = base("resourcequotas", cells)
    used, hard = used_hard(cells.get("REQUEST"))
    limit_used, limit_hard = used_hard(cells.get("LIMIT"))
    used.update(limit_used)
    hard.update(limit_hard)
    obj["spec"] = {"hard": dict(hard)}
    obj["status"] = {"hard": hard, "used": used}
    return obj


def service_account(cells: Row) -> JsonObject:
    return base("serviceaccounts", cells)


def secret(cells: Row) -> JsonObject:
    """Names and type only: a recording never gives kubemedic a secret's value."""
    obj = base("secrets", cells)
    if secret_type := none_if_unset(cells.get("TYPE")):
        obj["type"] = secret_type
    return obj


def lease(cells: Row) -> JsonObject:
    obj = base("leases", cells)
    if holder := none_if_unset(cells.get("HOLDER")):
        obj["spec"] = {"holderIdentity": holder}
    return obj


def namespace(cells: Row) -> JsonObject:
    obj = base("namespaces", cells)
    obj["status"] = {"phase": cells.get("STATUS", "Active")}
    return obj


ROWS: dict[str, Callable[[Row], JsonObject | None]] = {
    "pods": pod_from_row,
    "deployments": deployment,
    "replicasets": replicaset,
    "statefulsets": statefulset,
    "daemonsets": daemonset,
    "jobs": job,
    "services": service,
    "endpoints": endpoints,
    "nodes": node,
    "persistentvolumeclaims": claim,
    "persistentvolumes": volume,
    "storageclasses": storage_class,
    "resourcequotas": quota,
    "serviceaccounts": service_account,
    "secrets": secret,
    "leases": lease,
    "namespaces": namespace,
}


def from_row(kind: str, cells: Row) -> JsonObject | None:
    """The object a row of `kind` shows (name, age and labels for kinds without a reader); None
    for a line that is no row of the kind."""
    reader = ROWS.get(kind)
    network = NETWORK_ROWS.get(kind)
    obj = reader(cells) if reader else network(base, cells) if network else base(kind, cells)
    if obj is None:
        return None
    if kind in _COUNTED:  # drop the counts of columns the row did not have
        for part in ("spec", "status"):
            obj[part] = {k: v for k, v in obj[part].items() if v is not None}
    unseen = row_unseen(kind, cells)
    return mark(obj, unseen + _pod_row_unseen(obj, cells) if kind == "pods" else unseen)


def row_unseen(kind: str, cells: Row) -> list[str]:
    """What a row of `kind` cannot show: its events, its labels without --show-labels, and the
    parts a table never prints (a pod's container specs and messages, a Service's targetPorts,
    a controller's pod template, a node's taints), its selector without -o wide."""
    facts = [EVENTS, *_NEVER_IN_ROWS.get(kind, ())]
    if "LABELS" not in cells:
        facts.append(LABELS)
    if kind in _SELECTING and "SELECTOR" not in cells:
        facts.append(SELECTOR)
    return facts


def _pod_row_unseen(obj: JsonObject, cells: Row) -> list[str]:
    """What one pod row leaves unseen besides: an exit code STATUS does not print; and how a
    container last ended, when STATUS shows a back-off, an init container at work or RESTARTS
    a restart (the row shows the state now, not the termination behind it)."""
    status = obj.get("status") or {}
    states = [
        s.get("state") or {}
        for key in ("containerStatuses", "initContainerStatuses")
        for s in status.get(key) or []
    ]
    facts = []
    if not any("exitCode" in (state.get("terminated") or {}) for state in states):
        facts.append(EXIT_CODES)
    word = cells.get("STATUS", "")
    restarted = cells.get("RESTARTS", "0").split(" ")[0] not in ("0", "")
    if restarted or word.endswith("CrashLoopBackOff") or _INIT_AT_WORK.match(word):
        facts.append(CONTAINER_STATES)
    return facts


_INIT_AT_WORK = re.compile(r"^Init:\d+/\d+$")


_COUNTED = frozenset({"deployments", "replicasets", "statefulsets", "jobs"})
CONTROLLERS = ("deployments", "replicasets", "statefulsets", "daemonsets", "jobs")
"""The kinds that hold a pod template."""
_NEVER_IN_ROWS: dict[str, tuple[str, ...]] = {
    "pods": (CONTAINER_SPECS, PORT_NAMES, CONTAINER_MESSAGES, POD_MESSAGES),
    "nodes": (TAINTS, PODS_FULL),
    "services": (TARGET_PORTS,),
    **dict.fromkeys(CONTROLLERS, (TEMPLATE, PORT_NAMES)),
}
_SELECTING = frozenset({"services", *CONTROLLERS})
