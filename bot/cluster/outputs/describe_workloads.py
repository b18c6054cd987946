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
from collections.abc import Callable, Iterator
from typing import Any

from bot.cluster.outputs.ages import Stamp
from bot.cluster.outputs.describe_pods import condition_rows, meta_of, pod_template
from bot.cluster.outputs.describe_tree import Entry, present
from bot.cluster.outputs.kinds import kind_of
from bot.cluster.outputs.shapes import port_value, selector
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

_COUNT = re.compile(
    r"(?<!\d)(\d+)\s+(desired|updated|total|available|unavailable|current|"
    r"Running|Waiting|Succeeded|Failed)"
)
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
    spec.update(present(template=pod_template(root)))
    replicas = _counts(root.value_of("Replicas"))
    if kind in ("deployments", "statefulsets", "replicasets") and "desired" in replicas:
        spec["replicas"] = replicas["desired"]
    status = _COUNTS_OF.get(kind, _no_counts)(root)
    if owner := none_if_unset(root.value_of("Controlled By")):
        owner_kind, _, name = owner.partition("/")
        obj["metadata"]["ownerReferences"] = [
            {"kind": owner_kind, "name": name, "controller": True}
        ]
    status.update(present(conditions=condition_rows(root.get("Conditions"))))
    obj["spec"] = spec
    obj["status"] = {k: v for k, v in status.items() if v is not None}
    return obj


def _rollout_counts(root: Entry) -> dict[str, Any]:
    """A Deployment's or StatefulSet's `Replicas: 1 desired | 0 updated | ...`."""
    replicas = _counts(root.value_of("Replicas"))
    if "desired" not in replicas:
        return {}
    return {
        "replicas": replicas.get("total", replicas.get("current")),
        "updatedReplicas": replicas.get("updated"),
        "availableReplicas": replicas.get("available"),
        "unavailableReplicas": replicas.get("unavailable"),
    }


def _replica_set_counts(root: Entry) -> dict[str, Any]:
    replicas = _counts(root.value_of("Replicas"))
    if "desired" not in replicas:
        return {}
    return {
        "replicas": replicas.get("current"),
        "readyReplicas": _counts(root.value_of("Pods Status")).get("running"),
    }


def _job_counts(root: Entry) -> dict[str, Any]:
    pods = _counts(root.value_of("Pods Status"))
    return {
        "active": pods.get("running"),
        "succeeded": pods.get("succeeded"),
        "failed": pods.get("failed"),
    }


def _no_counts(root: Entry) -> dict[str, Any]:
    return {}


def _daemon_counts(root: Entry) -> dict[str, Any]:
    keys = {
        "Desired Number of Nodes Scheduled": "desiredNumberScheduled",
        "Current Number of Nodes Scheduled": "currentNumberScheduled",
        "Number of Nodes Scheduled with Up-to-date Pods": "updatedNumberScheduled",
        "Number of Nodes Scheduled with Available Pods": "numberAvailable",
        "Number of Nodes Misscheduled": "numberMisscheduled",
    }
    return {
        field: int(v) for key, field in keys.items() if (v := root.value_of(key) or "").isdigit()
    }


_COUNTS_OF: dict[str, Callable[[Entry], dict[str, Any]]] = {
    "deployments": _rollout_counts,
    "statefulsets": _rollout_counts,
    "replicasets": _replica_set_counts,
    "daemonsets": _daemon_counts,
    "jobs": _job_counts,
}
"""The status counts of each controller kind, from the lines its describe prints them in."""


def service(root: Entry) -> JsonObject:
    obj = _object("services", root)
    spec: dict[str, Any] = {
        "type": root.value_of("Type") or "ClusterIP",
        "ports": _service_ports(root.children),
    }
    chosen = selector(root.value_of("Selector"))
    if chosen is not None:
        spec["selector"] = chosen.get("matchLabels", {})
    spec.update(root.values({"IP": "clusterIP", "External Name": "externalName"}))
    obj["spec"] = spec
    return obj


def _service_ports(entries: list[Entry]) -> list[JsonObject]:
    """Each `Port:` entry, with the `TargetPort:` and `NodePort:` entries after it."""
    ports: list[JsonObject] = []
    for entry in entries:
        value = entry.value.strip()
        if entry.key == "Port" and (m := _SERVICE_PORT.match(value)):
            name = m[1] if m[1] != "<unset>" else None
            ports.append({"port": int(m[2]), "protocol": m[3], **present(name=name)})
        elif ports and entry.key in _PORT_DETAILS:
            _PORT_DETAILS[entry.key](ports[-1], value)
    return ports


def _target_port(port: JsonObject, value: str) -> None:
    target, _, protocol = value.partition("/")
    port["targetPort"] = port_value(target)
    port.setdefault("protocol", protocol or "TCP")


def _node_port(port: JsonObject, value: str) -> None:
    if m := _SERVICE_PORT.match(value):
        port["nodePort"] = int(m[2])


_PORT_DETAILS: dict[str, Callable[[JsonObject, str], None]] = {
    "TargetPort": _target_port,
    "NodePort": _node_port,
}
_ADDRESSES = {"Addresses": "addresses", "NotReadyAddresses": "notReadyAddresses"}


def endpoints(root: Entry) -> JsonObject:
    obj = _object("endpoints", root)
    subsets = _subsets(root.get("Subsets"))
    obj["subsets"] = [s for s in subsets if s.get("addresses") or s.get("notReadyAddresses")]
    return obj


def _subsets(node: Entry | None) -> list[JsonObject]:
    """`Addresses:` starts a subset (`NotReadyAddresses:` too, when first); `Ports:` ends it."""
    subsets: list[JsonObject] = []
    for entry in node.children if node else []:
        if entry.key in _ADDRESSES:
            if entry.key == "Addresses" or not subsets:
                subsets.append({})
            _addresses(subsets[-1], _ADDRESSES[entry.key], entry.value)
        elif entry.key == "Ports" and subsets:
            subsets[-1]["ports"] = _endpoint_ports(entry)
    return subsets


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
    for key, field in (
        ("Image pull secrets", "imagePullSecrets"),
        ("Mountable secrets", "secrets"),
    ):
        node = root.get(key)
        names = [
            n.strip()
            for line in (node.lines() if node else [])
            for n in line.split(",")
            if none_if_unset(n)
        ]
        if names:
            obj[field] = [{"name": n} for n in names]
    return obj


def config_map(root: Entry, lines: list[str]) -> JsonObject:
    """A ConfigMap with its data (describe prints each key, a `----` line, then the value)."""
    obj = _object("configmaps", root)
    values: dict[str, list[str]] = {}
    key: str | None = None
    for i in _data_lines(lines):
        line = lines[i]
        if line.endswith(":") and lines[i + 1 : i + 2] == ["----"]:
            key = line[:-1]
            values[key] = []
        elif key is not None and line != "----":
            values[key].append(line)
    obj["data"] = {key: "\n".join(value).strip("\n") for key, value in values.items()}
    return obj


def _data_lines(lines: list[str]) -> Iterator[int]:
    """Indices of the lines in describe's `Data` block (not BinaryData, not Events)."""
    in_data = False
    for i, line in enumerate(lines):
        if line.strip() in ("Data", "BinaryData") and lines[i + 1 : i + 2] == ["===="]:
            in_data = line.strip() == "Data"
        elif line.startswith("Events:"):
            in_data = False
        elif in_data and line != "====":
            yield i


def generic(kind: str, root: Entry) -> JsonObject:
    """Name, namespace, labels and annotations of a kind without its own reader."""
    obj = _object(kind, root)
    if kind == "secrets" and (secret_type := none_if_unset(root.value_of("Type"))):
        obj["type"] = secret_type
    if kind == "namespaces":
        phase = root.value_of("Status") or "Active"
        obj["status"] = {"phase": phase}
        if phase == "Terminating":  # (what kubectl prints of a deletion under way)
            obj["metadata"]["deletionTimestamp"] = Stamp(ago=0.0)
    return obj
