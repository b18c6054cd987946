"""A `kubectl get pods` row as the Pod it prints: phase, the container STATUS stands for, node.

kubectl's STATUS column is one word computed from the pod (printers.go `printPod`): the reason
of the first waiting or terminated container (`CrashLoopBackOff`, `OOMKilled`), `Init:` plus an
init container's reason, `Terminating` for a pod being deleted, the pod's own reason
(`Evicted`), else its phase.  This module runs that the other way, saying no more than the row
does: a failing STATUS is one container's state (which one, the row does not say: it is named
ROW_CONTAINER until a richer view names it), its exit code only where STATUS prints one
(`ExitCode:2`, `Signal:9`); a Running row is READY's count of containers, the ready ones first,
the restarts on the first.  The same reading serves a paste and a folder of outputs.
"""

from __future__ import annotations

import re
from typing import Any

from bot.cluster.outputs.ages import Stamp, age_seconds
from bot.cluster.outputs.describe_tree import present
from bot.cluster.outputs.shapes import fraction, labels
from bot.cluster.outputs.table import none_if_unset
from bot.cluster.reader import JsonObject
from intents.facts.model import ROW_CONTAINER
from intents.reasons import POD_FAILED, TERMINATED, WAITING

UNNAMED = ROW_CONTAINER
"""The name of a container the table does not name (a richer view replaces it)."""
_RESTARTS = re.compile(r"^(\d+)(?:\s*\((\S+) ago\))?$")
_EXIT = re.compile(r"^(?:ExitCode|Signal):(\d{1,4})$")


def _status(state: JsonObject, *, init: bool = False, restarts: int = 0) -> JsonObject:
    return {"name": UNNAMED, "ready": False, "restartCount": restarts, "state": state, "init": init}


def phase_and_container(status: str, restarts: int) -> tuple[str, str | None, JsonObject | None]:
    """The pod's phase and reason, and the one container status a STATUS word stands for."""
    init = status.startswith("Init:")
    reason = status.removeprefix("Init:")
    exit_match = _EXIT.match(reason)
    if init and fraction(reason) is not None:
        return "Pending", None, _status({"running": {}}, init=True)
    if reason in WAITING:
        phase = "Running" if reason == "CrashLoopBackOff" and not init else "Pending"
        return phase, None, _status({"waiting": {"reason": reason}}, init=init, restarts=restarts)
    if reason in TERMINATED or exit_match:
        code = int(exit_match[1]) if exit_match else (0 if reason == "Completed" else None)
        phase = "Succeeded" if reason == "Completed" else ("Pending" if init else "Failed")
        ended = present(reason=None if exit_match else reason, exitCode=code)
        return phase, None, _status({"terminated": ended}, init=init, restarts=restarts)
    if reason in POD_FAILED:
        return "Failed", reason, None
    if reason in ("Running", "Terminating"):
        return "Running", None, None
    if reason in ("Pending", "SchedulingGated"):
        return "Pending", None if reason == "Pending" else reason, None
    return "Unknown", reason, None


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,300}$")
_READY = re.compile(r"^\d{1,4}/\d{1,4}$")


def pod_from_row(cells: dict[str, str]) -> JsonObject | None:
    """The Pod a `kubectl get pods [-o wide] [--show-labels]` row shows; None for a line that is
    no pod's row (a name kubectl never prints, no READY fraction, no restart count)."""
    if (
        not _NAME.match(cells.get("NAME", ""))
        or not _READY.match(cells.get("READY", ""))
        or not cells.get("RESTARTS", "").split(" ")[0].isdigit()
    ):
        return None
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
    meta: dict[str, Any] = {"name": cells["NAME"], **present(namespace=cells.get("NAMESPACE"))}
    if status == "Terminating":
        meta["deletionTimestamp"] = Stamp(ago=0.0)
    if "LABELS" in cells:
        meta["labels"] = labels(cells["LABELS"])
    if (age := age_seconds(cells.get("AGE", ""))) is not None:
        meta["creationTimestamp"] = Stamp(ago=age)
    return meta


def _pod_status(status: str, cells: dict[str, str]) -> JsonObject:
    up, total = fraction(cells.get("READY", "")) or (0, 0)
    restarts, last_restart = _restarts(cells.get("RESTARTS", ""))
    phase, reason, special = phase_and_container(status, restarts)
    pod_status: dict[str, Any] = {"phase": phase, **present(reason=reason)}
    if status == "SchedulingGated":
        pod_status["conditions"] = [
            {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
        ]
    if special is not None:
        key = "initContainerStatuses" if special.pop("init") else "containerStatuses"
        pod_status[key] = [_restarted(special, restarts, last_restart)]
    elif phase == "Running" and total:
        pod_status["containerStatuses"] = _running(up, total, restarts, last_restart)
    return {
        **pod_status,
        **present(
            podIP=none_if_unset(cells.get("IP")),
            nominatedNodeName=none_if_unset(cells.get("NOMINATED NODE")),
        ),
    }


def _running(up: int, total: int, restarts: int, last_restart: float | None) -> list[JsonObject]:
    """READY's containers of a Running row: the ready ones first, the restarts on the first."""
    out = [_status({"running": {}}) for _ in range(total)]
    for number, container in enumerate(out):
        container.pop("init")
        container["ready"] = number < up
    out[0]["restartCount"] = restarts
    _restarted(out[0], restarts, last_restart)
    return out


def _restarted(status: JsonObject, restarts: int, last_restart: float | None) -> JsonObject:
    """The container's last end, when RESTARTS says when (`5 (2m ago)`)."""
    if restarts and last_restart is not None:
        status["lastState"] = {"terminated": {"finishedAt": Stamp(ago=last_restart)}}
    return status


def _restarts(cell: str) -> tuple[int, float | None]:
    m = _RESTARTS.match(cell.strip())
    if not m:
        return 0, None
    return int(m[1]), age_seconds(m[2]) if m[2] else None
