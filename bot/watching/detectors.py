"""What the watcher reports, decided from one object at a time (pure functions).

Pods: CrashLoopBackOff (OOMKilled when that is why the container keeps
dying), image pull failures, CreateContainerConfigError, an OOM kill in the
last `recent` window, evictions, and Pending longer than a threshold.
Nodes: NotReady, or memory/disk/PID pressure, longer than a threshold.
Warning events: failed Jobs (BackoffLimitExceeded, DeadlineExceeded).
Each detection names its problem; the problem is part of the noise key, so
a workload with 300 crash-looping pods is one message, not 300.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.cluster.reader import JsonObject
from bot.watching.owners import Owner, job_owner, pod_owner

IMAGE_PULL = frozenset({"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"})
PRESSURE = {"MemoryPressure": "node-memory-pressure", "DiskPressure": "node-disk-pressure",
            "PIDPressure": "pid-exhaustion"}
JOB_FAILURES = {"BackoffLimitExceeded": "job-backoff-limit", "DeadlineExceeded": "job-active-deadline-exceeded"}
RECENT_OOM = timedelta(minutes=15)


@dataclass(frozen=True)
class Thresholds:
    """How long a state must last before it is reported."""

    pending: timedelta = timedelta(minutes=5)
    node: timedelta = timedelta(minutes=2)
    recent: timedelta = RECENT_OOM


@dataclass(frozen=True)
class Detection:
    """One thing worth a message: `problem` is a catalog id (or a family the diagnosis narrows:
    image-pull, pending); `subject` is the failing pod, node or Job."""

    problem: str
    reason: str
    owner: Owner
    subject: str
    restarts: int = 0
    message: str = ""

    @property
    def namespace(self) -> str | None:
        return self.owner.namespace


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def detect_pod(pod: JsonObject, *, now: datetime, thresholds: Thresholds) -> Detection | None:
    """The pod's most telling problem, if it has one."""
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    if meta.get("deletionTimestamp"):
        return None
    owner, name = pod_owner(pod), meta.get("name", "")
    statuses = [*(status.get("initContainerStatuses") or []), *(status.get("containerStatuses") or [])]
    restarts = sum(int(s.get("restartCount") or 0) for s in statuses)
    found = _container_problem(statuses, now=now, recent=thresholds.recent)
    if found is not None:
        problem, reason, message = found
        return Detection(problem, reason, owner, name, restarts, message)
    if status.get("phase") == "Failed" and status.get("reason") == "Evicted":
        return Detection("pod-evicted", "Evicted", owner, name, restarts, status.get("message", ""))
    created = parse_time(meta.get("creationTimestamp"))
    if status.get("phase") == "Pending" and created and now - created >= thresholds.pending:
        return Detection("pending", _pending_reason(status), owner, name, restarts, _pending_message(status))
    return None


def _container_problem(statuses: list[JsonObject], *, now: datetime,
                       recent: timedelta) -> tuple[str, str, str] | None:
    for container in statuses:
        waiting = (container.get("state") or {}).get("waiting") or {}
        last = (container.get("lastState") or {}).get("terminated") or {}
        reason = waiting.get("reason", "")
        if reason == "CrashLoopBackOff":
            if last.get("reason") == "OOMKilled":
                return "oom-killed", "OOMKilled", _last_words(container, last)
            return "crashloop-backoff", reason, waiting.get("message", "")
        if reason in IMAGE_PULL:
            return "image-pull", reason, waiting.get("message", "")
        if reason == "CreateContainerConfigError":
            return "create-container-config-error", reason, waiting.get("message", "")
    for container in statuses:
        last = (container.get("lastState") or {}).get("terminated") or {}
        finished = parse_time(last.get("finishedAt"))
        if last.get("reason") == "OOMKilled" and finished is not None and now - finished <= recent:
            return "oom-killed", "OOMKilled", _last_words(container, last)
    return None


def _last_words(container: JsonObject, last: JsonObject) -> str:
    return f"container {container.get('name')} exited {last.get('exitCode')} ({last.get('reason')})"


def _pending_reason(status: JsonObject) -> str:
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") == "False":
            return str(condition.get("reason") or "Unschedulable")
    return "Pending"


def _pending_message(status: JsonObject) -> str:
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") == "False":
            return str(condition.get("message") or "")
    return ""


def detect_node(node: JsonObject, *, now: datetime, thresholds: Thresholds) -> list[Detection]:
    """NotReady and pressure conditions that have lasted at least `thresholds.node`."""
    name = (node.get("metadata") or {}).get("name", "")
    owner = Owner("Node", name)
    found: list[Detection] = []
    for condition in (node.get("status") or {}).get("conditions") or []:
        kind, state = condition.get("type"), condition.get("status")
        since = parse_time(condition.get("lastTransitionTime"))
        lasted = since is not None and now - since >= thresholds.node
        if not lasted:
            continue
        reason, message = str(condition.get("reason") or kind), str(condition.get("message") or "")
        if kind == "Ready" and state != "True":
            found.append(Detection("node-not-ready", reason, owner, name, message=message))
        elif kind in PRESSURE and state == "True":
            found.append(Detection(PRESSURE[kind], reason, owner, name, message=message))
    return found


def detect_event(event: JsonObject) -> Detection | None:
    """A Warning event that is a problem by itself: a Job that failed."""
    if event.get("type") != "Warning":
        return None
    reason = event.get("reason", "")
    involved = event.get("involvedObject") or {}
    if involved.get("kind") != "Job" or reason not in JOB_FAILURES:
        return None
    name, namespace = involved.get("name", ""), involved.get("namespace")
    return Detection(JOB_FAILURES[reason], reason, job_owner(name, namespace), name,
                     message=event.get("message", ""))
