"""`kubectl describe` of nodes, storage and namespace limits, as the objects they describe.

A node's describe carries what the diagnosis of a node needs: taints, the cordon
(`Unschedulable: true`), the conditions table with reasons and messages, capacity,
allocatable, system info, and its Lease's last renewal (kept as the node's Lease in
kube-node-lease, where the API keeps it).  Claims, volumes and classes give their
binding, class, modes and the volume's node affinity; ResourceQuota its used and hard
table, LimitRange its limits table.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.ages import at
from bot.cluster.outputs.describe_pods import meta_of
from bot.cluster.outputs.describe_tree import Entry, present
from bot.cluster.outputs.shapes import access_modes
from bot.cluster.outputs.table import Header, columns_of, none_if_unset, split_row
from bot.cluster.reader import JsonObject
from bot.cluster.seen import ALLOCATED

_TAINT = re.compile(r"^([^=:\s]+)(?:=([^:\s]*))?:(\w+)$")
_DATE = r"\w{3}, \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d [+-]\d{4}"
_CONDITION = re.compile(
    rf"^(\w+)\s+(True|False|Unknown)\s+({_DATE}|<unknown>)\s+({_DATE}|<unknown>)\s+(\S++)\s*+(.*)$"
)
_TERM = re.compile(
    r"(?<![\w./-])(?:([\w./-]+)\s+(in|notin|gt|lt)\s+\[([^\[\]]*)\]|([\w./-]+)\s+(exists|does not "
    r"exist))"  # from a key's first character only: each run of key characters is read once
)
_SYSTEM_INFO = {
    "Machine ID": "machineID",
    "System UUID": "systemUUID",
    "Boot ID": "bootID",
    "Kernel Version": "kernelVersion",
    "OS Image": "osImage",
    "Operating System": "operatingSystem",
    "Architecture": "architecture",
    "Container Runtime Version": "containerRuntimeVersion",
    "Kubelet Version": "kubeletVersion",
    "Kube-Proxy Version": "kubeProxyVersion",
}


def _taints(node: Entry | None) -> list[JsonObject]:
    return [
        {"key": m[1], "effect": m[3], **present(value=m[2])}
        for line in (node.lines() if node else [])
        if (m := _TAINT.match(line.strip()))
    ]


_CONDITION_COLUMNS = (
    "TYPE",
    "STATUS",
    "LASTHEARTBEATTIME",
    "LASTTRANSITIONTIME",
    "REASON",
    "MESSAGE",
)


def _node_conditions(node: Entry | None) -> list[JsonObject]:
    out: list[JsonObject] = []
    header: Header | None = None
    for raw in node.raw_lines() if node else []:
        stripped = raw.strip()
        if stripped.startswith("Type ") and "Status" in stripped:
            header = columns_of(raw.upper())
        elif not _rule(stripped) and (row := _condition_row(raw, header)) is not None:
            out.append(
                {
                    "type": row[0],
                    "status": row[1],
                    "reason": row[4],
                    "message": row[5],
                    **present(lastHeartbeatTime=at(row[2]), lastTransitionTime=at(row[3])),
                }
            )
    return out


def _rule(stripped: str) -> bool:
    """A blank line or a table's `----` rule."""
    return not stripped or set(stripped) <= {"-", " "}


def _condition_row(raw: str, header: Header | None) -> list[str] | None:
    """A conditions row's cells in _CONDITION_COLUMNS order: cut at the header, else matched."""
    cells = split_row(raw, header) if header else None
    if cells and cells.get("STATUS") in ("True", "False", "Unknown"):
        return [cells.get(k, "") for k in _CONDITION_COLUMNS]
    m = _CONDITION.match(raw.strip())
    return list(m.groups()) if m else None


def _keyed(node: Entry | None) -> dict[str, str]:
    return {c.key: c.value for c in node.children if c.key} if node else {}


def node_part(root: Entry) -> bool:
    """A part of a node's describe without its `Name:` (its Conditions table, its Taints)."""
    conditions = root.get("Conditions")
    heartbeat = conditions is not None and any(
        "LastHeartbeatTime" in line for line in conditions.raw_lines()[:2]
    )
    return heartbeat or root.get("Unschedulable") is not None


def _node_spec(root: Entry) -> dict[str, Any]:
    """A described Node's spec: taints (when shown), unschedulable, podCIDR and providerID."""
    spec: dict[str, Any] = {}
    if root.get("Taints") is not None:  # (a describe cut before them does not say none)
        spec["taints"] = _taints(root.get("Taints"))
    if root.value_of("Unschedulable") == "true":
        spec["unschedulable"] = True
    spec.update(root.values({"PodCIDR": "podCIDR", "ProviderID": "providerID"}))
    return spec


def node(root: Entry) -> list[JsonObject]:
    """The Node, and its Lease when describe shows one."""
    meta = meta_of(root)
    spec = _node_spec(root)
    addresses = _keyed(root.get("Addresses"))
    status: dict[str, Any] = {
        **present(conditions=_node_conditions(root.get("Conditions"))),
        **present(
            addresses=[{"type": k, "address": v} for k, v in addresses.items()],
            capacity=_keyed(root.get("Capacity")),
            allocatable=_keyed(root.get("Allocatable")),
        ),
    }
    if info := _keyed(root.get("System Info")):
        status["nodeInfo"] = {_SYSTEM_INFO[k]: v for k, v in info.items() if k in _SYSTEM_INFO}
    objects = [
        {"apiVersion": "v1", "kind": "Node", "metadata": meta, "spec": spec, "status": status}
    ]
    if allocated := _allocated(root):
        objects[0][ALLOCATED] = allocated
    lease = root.get("Lease")
    if lease is not None and none_if_unset(lease.value_of("HolderIdentity")):
        objects.append(_lease(lease, meta["name"]))
    return objects


_IN_TOTAL = re.compile(r"\((\d{1,6}) in total\)")
_REQUESTED = re.compile(r"^(cpu|memory|ephemeral-storage)\s+(\S+)")


def _allocated(root: Entry) -> dict[str, str | int]:
    found: dict[str, str | int] = {}
    if total := _IN_TOTAL.search(root.value_of("Non-terminated Pods") or ""):
        found["pods"] = int(total[1])
    for line in (root.get("Allocated resources") or Entry(None, "", 0, "", 0)).lines():
        if m := _REQUESTED.match(line.strip()):
            found[m[1]] = m[2]
    return found


def _lease(lease: Entry, node_name: str) -> JsonObject:
    """The node's Lease in kube-node-lease, as describe node's `Lease:` shows it."""
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": node_name, "namespace": "kube-node-lease"},
        "spec": {
            "holderIdentity": lease.value_of("HolderIdentity"),
            **present(
                renewTime=at(lease.value_of("RenewTime") or ""),
                acquireTime=at(lease.value_of("AcquireTime") or ""),
            ),
        },
    }


def claim(root: Entry) -> JsonObject:
    spec = {
        "accessModes": access_modes(root.value_of("Access Modes")),
        **root.values(
            {"StorageClass": "storageClassName", "Volume": "volumeName", "VolumeMode": "volumeMode"}
        ),
    }
    status = {"phase": _phase(root) or "Pending", **_capacity(root)}
    obj = {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": meta_of(root),
        "spec": spec,
        "status": status,
    }
    # kubectl before 1.20 printed the pods as "Mounted By", later as "Used By"
    used = root.value_of("Used By") or root.value_of("Mounted By")
    if used is not None:
        obj[USED_BY] = [name.strip() for name in (none_if_unset(used) or "").split(",") if name]
    return obj


USED_BY = "kubemedic.io/used-by"
"""The key (on a claim read from describe) of the pods describe says use it (`Used By:`, empty
for `<none>`): kubectl finds them from the pods, the API keeps no such field."""


def _phase(root: Entry) -> str:
    """A claim's or volume's phase; kubectl prints a deleted one as `Terminating (lasts 3h)`."""
    return (root.value_of("Status") or "").split(" (lasts ", 1)[0].strip()


def _capacity(root: Entry) -> dict[str, Any]:
    capacity = root.values({"Capacity": "storage"})
    return {"capacity": capacity} if capacity else {}


def volume(root: Entry) -> JsonObject:
    meta = meta_of(root)
    spec: dict[str, Any] = {
        "accessModes": access_modes(root.value_of("Access Modes")),
        **root.values(
            {
                "StorageClass": "storageClassName",
                "Reclaim Policy": "persistentVolumeReclaimPolicy",
                "VolumeMode": "volumeMode",
            }
        ),
        **_capacity(root),
    }
    if claim_ref := none_if_unset(root.value_of("Claim")):
        namespace, _, name = claim_ref.rpartition("/")
        spec["claimRef"] = {"kind": "PersistentVolumeClaim", "namespace": namespace, "name": name}
    if terms := _affinity_terms(root.get("Node Affinity")):
        spec["nodeAffinity"] = {"required": {"nodeSelectorTerms": terms}}
    status = {"phase": _phase(root), **root.values({"Message": "message"})}
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": meta,
        "spec": spec,
        "status": status,
    }


def _affinity_terms(node: Entry | None) -> list[JsonObject]:
    terms: list[JsonObject] = []
    for line in node.lines() if node else []:
        if not line.startswith("Term "):
            continue
        expressions: list[JsonObject] = []
        for m in _TERM.finditer(line.partition(":")[2]):
            if m[1]:
                expressions.append(
                    {
                        "key": m[1],
                        "operator": {"in": "In", "notin": "NotIn", "gt": "Gt", "lt": "Lt"}[m[2]],
                        "values": [v.strip() for v in m[3].split(",") if v.strip()],
                    }
                )
            else:
                expressions.append(
                    {"key": m[4], "operator": "Exists" if m[5] == "exists" else "DoesNotExist"}
                )
        terms.append({"matchExpressions": expressions})
    return terms


def storage_class(root: Entry) -> JsonObject:
    meta = meta_of(root)
    meta.pop("namespace", None)
    if root.value_of("IsDefaultClass") == "Yes":
        meta.setdefault("annotations", {})["storageclass.kubernetes.io/is-default-class"] = "true"
    obj: JsonObject = {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": meta,
        "provisioner": root.value_of("Provisioner") or "",
    }
    obj.update(
        root.values({"ReclaimPolicy": "reclaimPolicy", "VolumeBindingMode": "volumeBindingMode"})
    )
    if (expand := root.value_of("AllowVolumeExpansion")) in ("True", "true", "False", "false"):
        obj["allowVolumeExpansion"] = expand.lower() == "true"
    return obj


def _table(root: Entry, first: str) -> list[dict[str, str]]:
    """Rows of the table whose header starts with `first` (a quota's or limit range's)."""
    rows: list[dict[str, str]] = []
    header: Header | None = None
    for raw in root.raw_lines():
        stripped = raw.strip()
        if stripped.startswith(first + " "):
            header = columns_of(raw.upper())
        elif header and not _rule(stripped) and (cells := split_row(raw, header)) is not None:
            rows.append(cells)
    return rows


def quota(root: Entry) -> JsonObject:
    rows = _table(root, "Resource")
    hard = {r["RESOURCE"]: r["HARD"] for r in rows if r.get("HARD")}
    used = {r["RESOURCE"]: r["USED"] for r in rows if r.get("USED")}
    return {
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": meta_of(root),
        "spec": {"hard": dict(hard)},
        "status": {"hard": hard, "used": used},
    }


def limit_range(root: Entry) -> JsonObject:
    fields = {
        "MIN": "min",
        "MAX": "max",
        "DEFAULT REQUEST": "defaultRequest",
        "DEFAULT LIMIT": "default",
        "MAX LIMIT/REQUEST RATIO": "maxLimitRequestRatio",
    }
    limits: dict[str, dict[str, Any]] = {}
    for row in _table(root, "Type"):
        item = limits.setdefault(row.get("TYPE", ""), {"type": row.get("TYPE", "")})
        for column, field in fields.items():
            if (value := none_if_unset(row.get(column))) is not None:
                item.setdefault(field, {})[row.get("RESOURCE", "")] = value
    return {
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": meta_of(root),
        "spec": {"limits": list(limits.values())},
    }
