"""A `kubectl get pods` row as the Pod it prints: phase, container states, restarts, node.

kubectl's STATUS column is one word computed from the pod (printers.go `printPod`):
the reason of the first waiting or terminated container (`CrashLoopBackOff`,
`OOMKilled`), `Init:` plus an init container's reason, `Terminating` for a pod being
deleted, the pod's own reason (`Evicted`), else its phase.  This module runs that the
other way: the containers that are not ready get the STATUS reason, the ready ones are
running, and the restarts go to the first container that is not ready.  Container
names are not in the table; they come from a richer view when there is one.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.ages import Stamp, age_seconds
from bot.cluster.outputs.shapes import fraction, labels
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

WAITING = frozenset({
    "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "CreateContainerConfigError",
    "CreateContainerError", "InvalidImageName", "ErrImageNeverPull", "RunContainerError",
    "ContainerCreating", "PodInitializing", "PreStartHookError", "PostStartHookError"})
TERMINATED = frozenset({"OOMKilled", "Error", "Completed", "ContainerCannotRun",
                        "DeadlineExceeded", "StartError", "ContainerStatusUnknown"})
POD_REASONS = frozenset({"Evicted", "NodeLost", "UnexpectedAdmissionError", "OutOfcpu",
                         "OutOfmemory", "NodeAffinity", "Shutdown", "Terminated",
                         "OutOfpods", "InvalidNodeInfo"})
PHASES = frozenset({"Pending", "Running", "Succeeded", "Failed", "Unknown"})
_RESTARTS = re.compile(r"^(\d+)(?:\s*\((\S+) ago\))?$")
_EXIT = re.compile(r"^(Signal|ExitCode):(-?\d+)$")
UNNAMED = "?"
"""The name of a container the table does not name (a richer view replaces it)."""


def _container(index: int, state: dict[str, Any], ready: bool) -> JsonObject:
    return {"name": UNNAMED if index == 0 else f"{UNNAMED}{index + 1}", "ready": ready,
            "restartCount": 0, "state": state}


def _state_of(status: str) -> dict[str, Any]:
    if status in WAITING:
        return {"waiting": {"reason": status}}
    if status in TERMINATED:
        return {"terminated": {"reason": status, "exitCode": 0 if status == "Completed" else 1}}
    if m := _EXIT.match(status):
        code = int(m[2])
        return {"terminated": {"exitCode": 128 + code if m[1] == "Signal" else code,
                               **({"signal": code} if m[1] == "Signal" else {})}}
    if status in ("Running", "Terminating", "NotReady"):
        return {"running": {}}
    return {"waiting": {}}


def _phase(status: str, restarts: int, ready: int, total: int) -> str:
    if status in PHASES:
        return status
    if status in POD_REASONS:
        return "Failed"
    if status == "Completed":
        return "Succeeded" if restarts == 0 else "Running"
    if status.startswith("Init:") or status in ("ContainerCreating", "PodInitializing",
                                                "SchedulingGated"):
        return "Pending"
    if status in ("ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
                  "CreateContainerConfigError", "CreateContainerError") and restarts == 0:
        return "Pending"
    if status in TERMINATED and restarts == 0 and ready == 0 and total:
        return "Failed"
    return "Running"


def pod_from_row(cells: dict[str, str]) -> JsonObject:
    """The Pod a `kubectl get pods [-o wide] [--show-labels]` row shows."""
    status = cells.get("STATUS", "").strip()
    ready, total = fraction(cells.get("READY", "")) or (0, 0)
    restarts, last_restart = _restarts(cells.get("RESTARTS", ""))
    pod_status: dict[str, Any] = {"phase": _phase(status, restarts, ready, total)}
    spec: dict[str, Any] = {}
    meta: dict[str, Any] = {"name": cells["NAME"]}
    if status in POD_REASONS:
        pod_status["reason"] = status
    if status == "Terminating":
        meta["deletionTimestamp"] = Stamp(ago=0.0)
    if status == "SchedulingGated":
        pod_status["conditions"] = [{"type": "PodScheduled", "status": "False",
                                     "reason": "SchedulingGated"}]
    if total and status not in ("Pending", "SchedulingGated"):
        pod_status["containerStatuses"] = _containers(status, ready, total, restarts, last_restart)
    if status.startswith("Init:"):
        pod_status["initContainerStatuses"] = [_init_container(status[5:])]
    if node := none_if_unset(cells.get("NODE")):
        spec["nodeName"] = node
    if ip := none_if_unset(cells.get("IP")):
        pod_status["podIP"] = ip
    if nominated := none_if_unset(cells.get("NOMINATED NODE")):
        pod_status["nominatedNodeName"] = nominated
    if "LABELS" in cells:
        meta["labels"] = labels(cells["LABELS"])
    if (age := age_seconds(cells.get("AGE", ""))) is not None:
        meta["creationTimestamp"] = Stamp(ago=age)
    obj: JsonObject = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "status": pod_status}
    if spec:
        obj["spec"] = spec
    return obj


def _restarts(cell: str) -> tuple[int, float | None]:
    m = _RESTARTS.match(cell.strip())
    if not m:
        return 0, None
    return int(m[1]), age_seconds(m[2]) if m[2] else None


def _containers(status: str, ready: int, total: int, restarts: int,
                last_restart: float | None) -> list[JsonObject]:
    failing = total - ready
    shown = status if failing and not status.startswith("Init:") else "Running"
    out: list[JsonObject] = []
    for i in range(total):
        is_ready = i >= failing
        state = {"running": {}} if is_ready or status == "Terminating" else _state_of(shown)
        if not is_ready and status.startswith("Init:"):
            state = {"waiting": {"reason": "PodInitializing"}}
        out.append(_container(i, state, is_ready))
    target = out[0]
    target["restartCount"] = restarts
    if restarts and last_restart is not None:
        target["lastState"] = {"terminated": {"finishedAt": Stamp(ago=last_restart)}}
    return out


def _init_container(reason: str) -> JsonObject:
    if fraction(reason) is not None:
        return _container(0, {"running": {}}, False)
    return _container(0, _state_of(reason) if reason not in ("Running",) else {"running": {}},
                      False)
