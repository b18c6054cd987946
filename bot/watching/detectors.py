"""What the watcher reports, decided from one object at a time (pure functions).

Which states are problems, and which catalog entry each one is, comes from
the catalog's `watch:` declarations (intents.watch_table): container waiting
reasons (CrashLoopBackOff, OOMKilled when that is why it keeps dying,
CreateContainerConfigError...), a recent termination, a pod phase and
reason, node conditions that lasted a threshold, Warning events about Jobs
and Nodes.  Two families the diagnosis narrows are kept here: image pull
failures and Pending longer than a threshold.  Each detection names its
problem; the problem is part of the noise key, so a workload with 300
crash-looping pods is one message, not 300.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.cluster.reader import JsonObject
from bot.watching.owners import Owner, job_owner, pod_owner
from intents.reasons import IMAGE_PULL
from intents.watch_table import WatchTable

IMAGE_PULL_FAMILY = "image-pull"
PENDING_FAMILY = "pending"
"""Problem families (not catalog ids): the diagnosis of the pod picks the entry."""
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
    image-pull, pending); `subject` is the failing pod, node or Job; `from_event` says it
    is known only from a Warning event (it expires unless the event is seen again)."""

    problem: str
    reason: str
    owner: Owner
    subject: str
    restarts: int = 0
    message: str = ""
    from_event: bool = False

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


def detect_pod(
    pod: JsonObject, *, table: WatchTable, now: datetime, thresholds: Thresholds
) -> Detection | None:
    """The pod's most telling problem, if it has one."""
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    if meta.get("deletionTimestamp"):
        return None
    owner, name = pod_owner(pod), meta.get("name", "")
    statuses = _container_statuses(status)
    restarts = _restarts(statuses)
    found = _container_problem(statuses, table=table, now=now, recent=thresholds.recent)
    if found is not None:
        problem, reason, message = found
        return Detection(problem, reason, owner, name, restarts, message)
    phase, pod_reason = status.get("phase"), status.get("reason")
    entry = table.pod_state(phase, pod_reason)
    if entry is not None:
        return Detection(
            entry, str(pod_reason or phase), owner, name, restarts, status.get("message", "")
        )
    if phase == "Pending" and _older(meta, now=now, than=thresholds.pending):
        why, message = _unscheduled(status)
        return Detection(PENDING_FAMILY, why, owner, name, restarts, message)
    return None


def _older(meta: JsonObject, *, now: datetime, than: timedelta) -> bool:
    created = parse_time(meta.get("creationTimestamp"))
    return created is not None and now - created >= than


def _container_statuses(status: JsonObject) -> list[JsonObject]:
    return [*(status.get("initContainerStatuses") or []), *(status.get("containerStatuses") or [])]


def _restarts(statuses: list[JsonObject]) -> int:
    return sum(int(s.get("restartCount") or 0) for s in statuses)


def _container_problem(
    statuses: list[JsonObject], *, table: WatchTable, now: datetime, recent: timedelta
) -> tuple[str, str, str] | None:
    """The first container waiting for a watched reason, else the first that ended recently
    for one: (family, reason, message)."""
    for container in statuses:
        if (found := _waiting_problem(container, table)) is not None:
            return found
    for container in statuses:
        if (found := _recent_termination(container, table, now=now, recent=recent)) is not None:
            return found
    return None


def _terminated(container: JsonObject) -> JsonObject:
    return (container.get("lastState") or {}).get("terminated") or {}


def _waiting_problem(container: JsonObject, table: WatchTable) -> tuple[str, str, str] | None:
    waiting = (container.get("state") or {}).get("waiting") or {}
    last = _terminated(container)
    reason, last_reason = waiting.get("reason", ""), last.get("reason")
    if reason in IMAGE_PULL:
        return IMAGE_PULL_FAMILY, reason, waiting.get("message", "")
    entry = table.waiting(reason, last_reason) if reason else None
    if entry is None:
        return None
    if last_reason and table.waiting(reason, None) != entry:
        # the last termination is why it waits (CrashLoopBackOff after OOMKilled)
        return entry, last_reason, _last_words(container, last)
    return entry, reason, waiting.get("message", "")


def _recent_termination(
    container: JsonObject, table: WatchTable, *, now: datetime, recent: timedelta
) -> tuple[str, str, str] | None:
    last = _terminated(container)
    finished = parse_time(last.get("finishedAt"))
    entry = table.recent_termination(last.get("reason"))
    if entry is None or finished is None or now - finished > recent:
        return None
    return entry, str(last.get("reason")), _last_words(container, last)


def _last_words(container: JsonObject, last: JsonObject) -> str:
    return f"container {container.get('name')} exited {last.get('exitCode')} ({last.get('reason')})"


def _unscheduled(status: JsonObject) -> tuple[str, str]:
    """A pending pod's reason and message: its PodScheduled=False condition's, else "Pending"."""
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("status") == "False":
            reason = str(condition.get("reason") or "Unschedulable")
            return reason, str(condition.get("message") or "")
    return "Pending", ""


def detect_node(
    node: JsonObject, *, table: WatchTable, now: datetime, thresholds: Thresholds
) -> list[Detection]:
    """Watched node conditions (NotReady, pressure...) that have lasted at least `thresholds.node`."""
    name = (node.get("metadata") or {}).get("name", "")
    owner = Owner("Node", name)
    found: list[Detection] = []
    for condition in (node.get("status") or {}).get("conditions") or []:
        kind, state = condition.get("type"), condition.get("status")
        if not _lasted(condition, now=now, at_least=thresholds.node):
            continue
        reason, message = str(condition.get("reason") or kind), str(condition.get("message") or "")
        entry = table.node_condition(str(kind), str(state))
        if entry is not None:
            found.append(Detection(entry, reason, owner, name, message=message))
    return found


def detect_event(event: JsonObject, *, table: WatchTable) -> Detection | None:
    """A Warning event that is a problem by itself (a Job that failed, a node's hung task)."""
    if event.get("type") != "Warning":
        return None
    reason = str(event.get("reason", ""))
    involved = event.get("involvedObject") or {}
    kind = str(involved.get("kind", ""))
    entry = table.warning_event(reason, kind)
    if entry is None:
        return None
    name, namespace = involved.get("name", ""), involved.get("namespace")
    owner = job_owner(name, namespace) if kind == "Job" else Owner(kind, name, namespace)
    return Detection(entry, reason, owner, name, message=event.get("message", ""), from_event=True)


def _lasted(condition: JsonObject, *, now: datetime, at_least: timedelta) -> bool:
    since = parse_time(condition.get("lastTransitionTime"))
    return since is not None and now - since >= at_least
