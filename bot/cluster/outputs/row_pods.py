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
from bot.cluster.outputs.describe_tree import present
from bot.cluster.outputs.shapes import fraction, labels
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject

WAITING = frozenset(
    {
        "CrashLoopBackOff",
        "ImagePullBackOff",
        "ErrImagePull",
        "CreateContainerConfigError",
        "CreateContainerError",
        "InvalidImageName",
        "ErrImageNeverPull",
        "RunContainerError",
        "ContainerCreating",
        "PodInitializing",
        "PreStartHookError",
        "PostStartHookError",
    }
)
TERMINATED = frozenset(
    {
        "OOMKilled",
        "Error",
        "Completed",
        "ContainerCannotRun",
        "DeadlineExceeded",
        "StartError",
        "ContainerStatusUnknown",
    }
)
POD_REASONS = frozenset(
    {
        "Evicted",
        "NodeLost",
        "UnexpectedAdmissionError",
        "OutOfcpu",
        "OutOfmemory",
        "NodeAffinity",
        "Shutdown",
        "Terminated",
        "OutOfpods",
        "InvalidNodeInfo",
    }
)
PHASES = frozenset({"Pending", "Running", "Succeeded", "Failed", "Unknown"})
_PHASE_OF = {
    **{phase: phase for phase in PHASES},
    **dict.fromkeys(POD_REASONS, "Failed"),
    **dict.fromkeys(("ContainerCreating", "PodInitializing", "SchedulingGated"), "Pending"),
}
"""STATUS words that say the phase whatever the restarts and readiness."""
_NOT_STARTED = frozenset(
    {
        "ImagePullBackOff",
        "ErrImagePull",
        "InvalidImageName",
        "ErrImageNeverPull",
        "CreateContainerConfigError",
        "CreateContainerError",
    }
)
"""Reasons a container has not started yet: Pending while it never restarted."""
_RESTARTS = re.compile(r"^(\d+)(?:\s*\((\S+) ago\))?$")
_EXIT = re.compile(r"^(Signal|ExitCode):(-?\d+)$")
UNNAMED = "?"
"""The name of a container the table does not name (a richer view replaces it)."""


def _container(index: int, state: dict[str, Any], ready: bool) -> JsonObject:
    return {
        "name": UNNAMED if index == 0 else f"{UNNAMED}{index + 1}",
        "ready": ready,
        "restartCount": 0,
        "state": state,
    }


def _state_of(status: str) -> dict[str, Any]:
    if status in WAITING:
        return {"waiting": {"reason": status}}
    if status in TERMINATED:
        return {"terminated": {"reason": status, "exitCode": 0 if status == "Completed" else 1}}
    if m := _EXIT.match(status):
        code = int(m[2])
        return {
            "terminated": {
                "exitCode": 128 + code if m[1] == "Signal" else code,
                **({"signal": code} if m[1] == "Signal" else {}),
            }
        }
    if status in ("Running", "Terminating", "NotReady"):
        return {"running": {}}
    return {"waiting": {}}


def _phase(status: str, restarts: int, ready: int, total: int) -> str:
    if (phase := _PHASE_OF.get(status)) is not None:
        return phase
    if status.startswith("Init:"):
        return "Pending"
    if restarts:
        return "Running"
    if status == "Completed":
        return "Succeeded"
    if status in _NOT_STARTED:
        return "Pending"
    return "Failed" if status in TERMINATED and ready == 0 and total else "Running"


def pod_from_row(cells: dict[str, str]) -> JsonObject:
    """The Pod a `kubectl get pods [-o wide] [--show-labels]` row shows."""
    status = cells.get("STATUS", "").strip()
    obj: JsonObject = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": _meta(status, cells),
        "status": _pod_status(status, cells),
    }
    if node := none_if_unset(cells.get("NODE")):
        obj["spec"] = {"nodeName": node}
    return obj


def _meta(status: str, cells: dict[str, str]) -> JsonObject:
    meta: dict[str, Any] = {"name": cells["NAME"]}
    if status == "Terminating":
        meta["deletionTimestamp"] = Stamp(ago=0.0)
    if "LABELS" in cells:
        meta["labels"] = labels(cells["LABELS"])
    if (age := age_seconds(cells.get("AGE", ""))) is not None:
        meta["creationTimestamp"] = Stamp(ago=age)
    return meta


def _pod_status(status: str, cells: dict[str, str]) -> JsonObject:
    ready, total = fraction(cells.get("READY", "")) or (0, 0)
    restarts, last_restart = _restarts(cells.get("RESTARTS", ""))
    pod_status: dict[str, Any] = {"phase": _phase(status, restarts, ready, total)}
    if status in POD_REASONS:
        pod_status["reason"] = status
    if status == "SchedulingGated":
        pod_status["conditions"] = [
            {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
        ]
    if total and status not in ("Pending", "SchedulingGated"):
        pod_status["containerStatuses"] = _containers(status, ready, total, restarts, last_restart)
    if status.startswith("Init:"):
        pod_status["initContainerStatuses"] = [_init_container(status[5:])]
    return {
        **pod_status,
        **present(
            podIP=none_if_unset(cells.get("IP")),
            nominatedNodeName=none_if_unset(cells.get("NOMINATED NODE")),
        ),
    }


def _restarts(cell: str) -> tuple[int, float | None]:
    m = _RESTARTS.match(cell.strip())
    if not m:
        return 0, None
    return int(m[1]), age_seconds(m[2]) if m[2] else None


def _containers(
    status: str, ready: int, total: int, restarts: int, last_restart: float | None
) -> list[JsonObject]:
    failing = total - ready
    out = [
        _container(i, _row_state(status, ready=i >= failing), i >= failing) for i in range(total)
    ]
    target = out[0]
    target["restartCount"] = restarts
    if restarts and last_restart is not None:
        target["lastState"] = {"terminated": {"finishedAt": Stamp(ago=last_restart)}}
    return out


def _row_state(status: str, *, ready: bool) -> dict[str, Any]:
    """A container's state from the pod's STATUS: the ready ones run, the others have it."""
    if not ready and status.startswith("Init:"):
        return {"waiting": {"reason": "PodInitializing"}}
    return {"running": {}} if ready or status == "Terminating" else _state_of(status)


def _init_container(reason: str) -> JsonObject:
    if fraction(reason) is not None:
        return _container(0, {"running": {}}, False)
    return _container(
        0, _state_of(reason) if reason not in ("Running",) else {"running": {}}, False
    )
