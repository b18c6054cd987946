"""`kubectl describe` of controllers and Services: Deployments, ReplicaSets, StatefulSets,
DaemonSets, Jobs, Services and Endpoints, as the objects they describe.

A controller's describe has its selector, replica counts (`1 desired | 0 updated |
0 total | 0 available | 1 unavailable`), conditions (`ReplicaFailure True
FailedCreate`) and its Pod Template; a Service's has its selector and, per port,
`Port: grpc 9555/TCP`, `TargetPort: 9555/TCP`, `NodePort`, `Endpoints`; an Endpoints'
describe its subsets' ready and not-ready addresses and named ports.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.describe_pods import condition_rows, meta_of, pod_template
from bot.cluster.outputs.describe_tree import Entry
from bot.cluster.outputs.kinds import kind_of
from bot.cluster.outputs.shapes import port_value, selector
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

_COUNT = re.compile(r"(\d+)\s+(desired|updated|total|available|unavailable|current|"
                    r"Running|Waiting|Succeeded|Failed)")
_SERVICE_PORT = re.compile(r"^(?:(\S+)\s+)?(\d{1,5})/([A-Z]{2,5})$")


def _object(kind: str, root: Entry) -> JsonObject:
    row = kind_of(kind)
    return {"apiVersion": row.api_version, "kind": row.kind, "metadata": meta_of(root)}


def _counts(text: str | None) -> dict[str, int]:
    return {word.lower(): int(n) for n, word in _COUNT.findall(text or "")}


def controller(kind: str, root: Entry) -> JsonObject:
    """Deployment, ReplicaSet, StatefulSet, DaemonSet or Job."""
    obj = _object(kind, root)
    spec: dict[str, Any] = {}
    if (chosen := selector(root.value_of("Selector"))) is not None:
        spec["selector"] = chosen
    if (template := pod_template(root)) is not None:
        spec["template"] = template
    replicas = _counts(root.value_of("Replicas"))
    pods = _counts(root.value_of("Pods Status"))
    status: dict[str, Any] = {}
    if kind in ("deployments", "statefulsets") and "desired" in replicas:
        spec["replicas"] = replicas["desired"]
        status.update({"replicas": replicas.get("total", replicas.get("current")),
                       "updatedReplicas": replicas.get("updated"),
                       "availableReplicas": replicas.get("available"),
                       "unavailableReplicas": replicas.get("unavailable")})
    elif kind == "replicasets" and "desired" in replicas:
        spec["replicas"] = replicas["desired"]
        status.update({"replicas": replicas.get("current"), "readyReplicas": pods.get("running")})
    elif kind == "daemonsets":
        status.update(_daemon_counts(root))
    elif kind == "jobs":
        status.update({"active": pods.get("running"), "succeeded": pods.get("succeeded"),
                       "failed": pods.get("failed")})
    if owner := none_if_unset(root.value_of("Controlled By")):
        owner_kind, _, name = owner.partition("/")
        obj["metadata"]["ownerReferences"] = [{"kind": owner_kind, "name": name,
                                               "controller": True}]
    if conditions := condition_rows(root.get("Conditions")):
        status["conditions"] = conditions
    obj["spec"] = spec
    obj["status"] = {k: v for k, v in status.items() if v is not None}
    return obj


def _daemon_counts(root: Entry) -> dict[str, Any]:
    keys = {"Desired Number of Nodes Scheduled": "desiredNumberScheduled",
            "Current Number of Nodes Scheduled": "currentNumberScheduled",
            "Number of Nodes Scheduled with Up-to-date Pods": "updatedNumberScheduled",
            "Number of Nodes Scheduled with Available Pods": "numberAvailable",
            "Number of Nodes Misscheduled": "numberMisscheduled"}
    return {field: int(v) for key, field in keys.items()
            if (v := root.value_of(key) or "").isdigit()}


def service(root: Entry) -> JsonObject:
    obj = _object("services", root)
    spec: dict[str, Any] = {"type": root.value_of("Type") or "ClusterIP", "ports": []}
    chosen = selector(root.value_of("Selector"))
    if chosen is not None:
        spec["selector"] = chosen.get("matchLabels", {})
    if ip := none_if_unset(root.value_of("IP")):
        spec["clusterIP"] = ip
    if external := none_if_unset(root.value_of("External Name")):
        spec["externalName"] = external
    port: dict[str, Any] | None = None
    for entry in root.children:
        value = entry.value.strip()
        if entry.key == "Port" and (m := _SERVICE_PORT.match(value)):
            port = {"port": int(m[2]), "protocol": m[3]}
            if m[1] and m[1] != "<unset>":
                port["name"] = m[1]
            spec["ports"].append(port)
        elif entry.key == "TargetPort" and port is not None:
            target, _, protocol = value.partition("/")
            port["targetPort"] = port_value(target)
            port.setdefault("protocol", protocol or "TCP")
        elif entry.key == "NodePort" and port is not None:
            m = _SERVICE_PORT.match(value)
            if m:
                port["nodePort"] = int(m[2])
    obj["spec"] = spec
    return obj


def endpoints(root: Entry) -> JsonObject:
    obj = _object("endpoints", root)
    subsets: list[JsonObject] = []
    node = root.get("Subsets")
    subset: dict[str, Any] | None = None
    for entry in node.children if node else []:
        if entry.key == "Addresses":
            subset = {}
            subsets.append(subset)
            _addresses(subset, "addresses", entry.value)
        elif entry.key == "NotReadyAddresses":
            if subset is None:
                subset = {}
                subsets.append(subset)
            _addresses(subset, "notReadyAddresses", entry.value)
        elif entry.key == "Ports" and subset is not None:
            subset["ports"] = _endpoint_ports(entry)
    obj["subsets"] = [s for s in subsets if s.get("addresses") or s.get("notReadyAddresses")]
    return obj


def _addresses(subset: dict[str, Any], field: str, text: str) -> None:
    ips = [ip.strip() for ip in (none_if_unset(text) or "").split(",") if ip.strip()]
    if ips:
        subset[field] = [{"ip": ip} for ip in ips]


def _endpoint_ports(entry: Entry) -> list[JsonObject]:
    out: list[JsonObject] = []
    for line in entry.lines():
        words = line.split()
        if len(words) == 3 and words[1].isdigit():
            port: dict[str, Any] = {"port": int(words[1]), "protocol": words[2]}
            if words[0] != "<unset>":
                port["name"] = words[0]
            out.append(port)
        elif len(words) == 2 and words[0].isdigit():
            out.append({"port": int(words[0]), "protocol": words[1]})
    return out


def service_account(root: Entry) -> JsonObject:
    obj = _object("serviceaccounts", root)
    for key, field in (("Image pull secrets", "imagePullSecrets"),
                       ("Mountable secrets", "secrets")):
        node = root.get(key)
        names = [n.strip() for line in (node.lines() if node else [])
                 for n in line.split(",") if none_if_unset(n)]
        if names:
            obj[field] = [{"name": n} for n in names]
    return obj


def config_map(root: Entry, lines: list[str]) -> JsonObject:
    """A ConfigMap with its data (describe prints each key, a `----` line, then the value)."""
    obj = _object("configmaps", root)
    data: dict[str, str] = {}
    key: str | None = None
    value: list[str] = []
    in_data = False
    for i, line in enumerate(lines):
        if line.strip() in ("Data", "BinaryData") and lines[i + 1:i + 2] == ["===="]:
            in_data = line.strip() == "Data"
            continue
        if not in_data or line == "====" or line.startswith("Events:"):
            in_data = in_data and not line.startswith("Events:")
            continue
        if line.endswith(":") and lines[i + 1:i + 2] == ["----"]:
            if key is not None:
                data[key] = "\n".join(value).strip("\n")
            key, value = line[:-1], []
        elif key is not None and line != "----":
            value.append(line)
    if key is not None:
        data[key] = "\n".join(value).strip("\n")
    obj["data"] = data
    return obj


def generic(kind: str, root: Entry) -> JsonObject:
    """Name, namespace, labels and annotations of a kind without its own reader."""
    obj = _object(kind, root)
    if kind == "secrets" and (secret_type := none_if_unset(root.value_of("Type"))):
        obj["type"] = secret_type
    if kind == "namespaces":
        obj["status"] = {"phase": root.value_of("Status") or "Active"}
    return obj

