"""`kubectl describe pod` (and a controller's `Pod Template:`) as the Pod it describes.

Besides the containers (describe_containers), describe shows the pod's node and IP,
its owner (`Controlled By: ReplicaSet/x`), ServiceAccount, node selectors,
tolerations, volumes with the claims, ConfigMaps and Secrets they use, the
conditions table and the events; each goes where the API keeps it.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.ages import Stamp, at
from bot.cluster.outputs.describe_containers import container_spec, container_status, containers
from bot.cluster.outputs.describe_tree import Entry, present
from bot.cluster.outputs.kinds import OUTPUT_KINDS, resolve
from bot.cluster.outputs.shapes import labels
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

_TOLERATION = re.compile(
    r"^(?:(?P<key>[^=:\s]+)(?:=(?P<value>[^:\s]*))?)?(?::(?P<effect>\w+))?"
    r"(?:\s+op=(?P<op>\w+))?(?:\s+for\s+(?P<secs>\d+)s)?$"
)
_VOLUME_SOURCES = {
    "PersistentVolumeClaim": (
        "persistentVolumeClaim",
        {"ClaimName": "claimName", "ReadOnly": "readOnly"},
    ),
    "ConfigMap": ("configMap", {"Name": "name", "Optional": "optional"}),
    "Secret": ("secret", {"SecretName": "secretName", "Optional": "optional"}),
    "EmptyDir": ("emptyDir", {"Medium": "medium", "SizeLimit": "sizeLimit"}),
    "HostPath": ("hostPath", {"Path": "path", "HostPathType": "type"}),
    "Projected": ("projected", {}),
    "NFS": ("nfs", {"Server": "server", "Path": "path"}),
}


def meta_of(root: Entry) -> dict[str, Any]:
    """name, namespace, labels, annotations and creation time of any described object."""
    meta: dict[str, Any] = {"name": root.value_of("Name") or ""}
    if namespace := none_if_unset(root.value_of("Namespace")):
        meta["namespace"] = namespace
    if (node := root.get("Labels")) is not None:
        meta["labels"] = labels(",".join(node.lines()))
    if (node := root.get("Annotations")) is not None and (found := annotation_map(node)):
        meta["annotations"] = found
    if (created := at(root.value_of("CreationTimestamp") or "")) is not None:
        meta["creationTimestamp"] = created
    return meta


def annotation_map(node: Entry) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in node.lines():
        key, sep, value = line.partition(": ")
        if not sep:
            key, sep, value = line.partition("=")
        if sep and key and " " not in key and key != _LAST_APPLIED:
            out[key] = value.strip()
    return out


_LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
"""Never kept from a describe: it repeats the object, and a Secret's holds its data."""


def tolerations(node: Entry | None) -> list[JsonObject]:
    out: list[JsonObject] = []
    for line in node.lines() if node else []:
        if none_if_unset(line) is not None and (m := _TOLERATION.match(line.strip())):
            out.append(
                {
                    "operator": m["op"] or ("Equal" if m["value"] else "Exists"),
                    **present(
                        key=m["key"],
                        value=m["value"],
                        effect=m["effect"],
                        tolerationSeconds=int(m["secs"]) if m["secs"] else None,
                    ),
                }
            )
    return out


def volumes(node: Entry | None) -> list[JsonObject]:
    if node is None or none_if_unset(node.value) is not None:
        return []
    return [_volume(vol) for vol in node.children if vol.key]


def _volume(vol: Entry) -> JsonObject:
    type_word = (vol.value_of("Type") or "").split(" ", 1)[0]
    field, keys = _VOLUME_SOURCES.get(type_word, (type_word[:1].lower() + type_word[1:], {}))
    source = {
        name: value == "true" if value in ("true", "false") else value
        for name, value in vol.values(keys).items()
    }
    return {"name": vol.key, field or "unknown": source}


def pod_spec(root: Entry) -> dict[str, Any]:
    """The pod spec parts describe prints, for a pod or a `Pod Template:` entry."""
    return {
        "containers": [container_spec(c) for c in containers(root.get("Containers"))],
        **present(
            initContainers=[container_spec(c) for c in containers(root.get("Init Containers"))],
            serviceAccountName=none_if_unset(root.value_of("Service Account")),
            nodeSelector=labels(",".join((root.get("Node-Selectors") or _NONE).lines())),
            tolerations=tolerations(root.get("Tolerations")),
            volumes=volumes(root.get("Volumes")),
            priorityClassName=none_if_unset(root.value_of("Priority Class Name")),
        ),
    }


_NONE = Entry(None, "", 0, "", 0)


def condition_rows(node: Entry | None) -> list[JsonObject]:
    """`Type Status [Reason]` rows of a Conditions table."""
    out: list[JsonObject] = []
    for line in node.lines() if node else []:
        words = line.split()
        if len(words) >= 2 and words[1] in ("True", "False", "Unknown"):
            row = {"type": words[0], "status": words[1]}
            if len(words) > 2:
                row["reason"] = words[2]
            out.append(row)
    return out


_POD_STATUS = {
    "Reason": "reason",
    "Message": "message",
    "IP": "podIP",
    "QoS Class": "qosClass",
    "Nominated Node Name": "nominatedNodeName",
}


def pod_from_describe(root: Entry) -> JsonObject:
    meta = meta_of(root)
    spec = pod_spec(root)
    phase = root.value_of("Status") or ""
    if phase.startswith("Terminating"):
        meta["deletionTimestamp"] = Stamp(ago=0.0)
        phase = "Running"
    node_name, _, host_ip = (none_if_unset(root.value_of("Node")) or "").partition("/")
    spec.update(present(nodeName=node_name))
    status: dict[str, Any] = {
        "phase": phase or "Unknown",
        **root.values(_POD_STATUS),
        **present(hostIP=host_ip, startTime=at(root.value_of("Start Time") or "")),
    }
    if owner := none_if_unset(root.value_of("Controlled By")):
        kind, _, name = owner.partition("/")
        meta["ownerReferences"] = [
            {"kind": kind, "name": name, "controller": True, "apiVersion": _api_version(kind)}
        ]
    status["conditions"] = _conditions(root.get("Conditions"), scheduled=bool(node_name))
    status.update(
        present(
            containerStatuses=_statuses(root.get("Containers")),
            initContainerStatuses=_statuses(root.get("Init Containers")),
        )
    )
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def _conditions(node: Entry | None, *, scheduled: bool) -> list[JsonObject]:
    """The conditions table; an unscheduled pod's PodScheduled=False gets the reason describe
    leaves out."""
    rows = condition_rows(node)
    for row in rows if not scheduled else []:
        if row["type"] == "PodScheduled" and row["status"] == "False":
            row.setdefault("reason", "Unschedulable")
    return rows


def _statuses(node: Entry | None) -> list[JsonObject]:
    return [container_status(c) for c in containers(node) if c.get("State") or c.get("Last State")]


def _api_version(kind: str) -> str:
    plural = resolve(kind)
    return OUTPUT_KINDS[plural].api_version if plural in OUTPUT_KINDS else "v1"


def pod_template(root: Entry) -> JsonObject | None:
    """spec.template of a controller's describe (`Pod Template:`)."""
    node = root.get("Pod Template")
    if node is None:
        return None
    meta: dict[str, Any] = {}
    if (found := node.get("Labels")) is not None:
        meta["labels"] = labels(",".join(found.lines()))
    if (found := node.get("Annotations")) is not None and (kept := annotation_map(found)):
        meta["annotations"] = kept
    return {"metadata": meta, "spec": pod_spec(node)}


_PARTS = ("Containers", "Init Containers", "State", "Last State")


def pod_part(root: Entry) -> bool:
    """A part of a pod's describe without its `Name:` (its Containers, or one container's State)."""
    return any(root.child(key) is not None for key in _PARTS)


def as_pod(root: Entry) -> Entry:
    """A part of a pod's describe as a pod's: a container's lines (State, Last State, Ready)
    as a container whose name the part does not show, and the containers after it (`name:`
    with their own State) as more; each an init container when `Containers:` follows them or
    a container after it still waits for them (PodInitializing): describe lists init containers
    first. The phase its containers imply when it lacks `Status:`."""
    _nest_state_details(root)
    loose = [c for c in root.children if c.key in _CONTAINER_KEYS]
    if loose:
        named = [c for c in root.children if c not in loose and _a_container(c)]
        found = [Entry("?", "", 0, "", -1, loose), *named]  # (no line of the text is its heading)
        kept = [c for c in root.children if c not in loose and c not in named]
        section = root.child("Containers")
        inits = found if section is not None else _before_initializing(found)
        apps = [c for c in found if c not in inits]
        _add(kept, section, "Init Containers", inits)
        if section is None:
            _add(kept, None, "Containers", apps)
        root = Entry(None, "", -1, "", -1, kept)
    if root.child("Status") is None:
        root.children.append(Entry("Status", _implied_phase(root), 0, "", -1))
        root._index = None
    return root


def _a_container(entry: Entry) -> bool:
    """A `name:` heading with a container's State under it."""
    return bool(entry.key) and not entry.value and entry.child("State") is not None


def _before_initializing(found: list[Entry]) -> list[Entry]:
    """The containers listed before one waiting in PodInitializing that have run: the init
    containers it waits for, their heading cut off."""
    waiting = [
        at for at, c in enumerate(found) if c.value_of("State", "Reason") == "PodInitializing"
    ]
    ran = (
        [
            c
            for c in found[: waiting[0]]
            if c.get("Last State") or c.value_of("Restart Count") not in (None, "0")
        ]
        if waiting
        else []
    )
    return ran


def _add(kept: list[Entry], section: Entry | None, heading: str, found: list[Entry]) -> None:
    if not found:
        return
    if section is not None and heading == "Containers":
        section.children[:0] = found
        section._index = None
        return
    existing = next((c for c in kept if c.key == heading), None)
    if existing is None:
        kept.append(Entry(heading, "", 0, "", -1, found))
    else:
        existing.children[:0] = found
        existing._index = None


_STATE_DETAILS = frozenset({"Reason", "Message", "Exit Code", "Signal", "Started", "Finished"})


def _nest_state_details(root: Entry) -> None:
    """A container's lines copied without their indentation (`State: Terminated` then `Reason:
    OOMKilled` at the same depth): the details after a State or Last State are its own."""
    kept: list[Entry] = []
    state: Entry | None = None
    for entry in root.children:
        if entry.key in ("State", "Last State"):
            state = entry if not entry.children else None
        elif state is not None and entry.key in _STATE_DETAILS:
            state.children.append(entry)
            state._index = None
            continue
        else:
            state = None
        kept.append(entry)
    if len(kept) != len(root.children):
        root.children = kept
        root._index = None


_CONTAINER_KEYS = frozenset(
    {"State", "Last State", "Ready", "Restart Count", "Image", "Image ID", "Container ID"}
)


def _implied_phase(root: Entry) -> str:
    """Pending while an init container has not finished (or a container waits for them),
    Running when every container runs and is ready, else Unknown."""
    inits = containers(root.get("Init Containers"))
    apps = containers(root.get("Containers"))
    if any(_word(c, "State") in ("Waiting", "Running") for c in inits) or any(
        c.value_of("State", "Reason") == "PodInitializing" for c in apps
    ):
        return "Pending"
    ready = apps and all(
        _word(c, "State") == "Running" and c.value_of("Ready") == "True" for c in apps
    )
    return "Running" if ready else "Unknown"


def _word(container: Entry, key: str) -> str:
    return (container.value_of(key) or "").split(" ", 1)[0]
