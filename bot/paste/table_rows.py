"""Rows of `kubectl get pods|nodes|pvc` as typed facts.

A row is first cut at the header's column offsets (exact when the paste
kept its spacing), else read as tokens in column order (Slack collapsed the
spacing).  The STATUS column of `get pods` is the reason kubectl shows for
the pod (CrashLoopBackOff, OOMKilled, Init:Error, Evicted, ...); it becomes
one container state, named ROW_CONTAINER because the row does not say
which container it is (answers call it "the pod's container").
"""

from __future__ import annotations

from bot.evidence.facts import (
    ROW_CONTAINER,
    ContainerFacts,
    NodeCondition,
    NodeFacts,
    PodFacts,
    VolumeFacts,
)
from bot.paste import health
from bot.paste.model import CONTAINERS, EXIT_CODES, PHASE, VOLUMES, Subject, condition_section
from bot.paste.text import age_seconds, is_age
from intents.lazy_re import lazy_compile

RECENT_RESTART = 3600
_READY = lazy_compile(r"^(\d{1,4})/(\d{1,4})$")
_EXIT = lazy_compile(r"^(?:ExitCode|Signal):(\d{1,4})$")
_NAME = lazy_compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,300}$")
WAITING = frozenset({
    "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
    "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "StartError",
    "ContainerCreating", "PodInitializing", "PreStartHookError", "PostStartHookError",
})
TERMINATED = frozenset({"Error", "OOMKilled", "Completed", "ContainerStatusUnknown",
                        "ContainerCannotRun", "DeadlineExceeded", "StartError"})
POD_FAILED = frozenset({"Evicted", "NodeAffinity", "OutOfcpu", "OutOfmemory", "OutOfpods",
                        "UnexpectedAdmissionError", "Shutdown", "Terminated", "NodeShutdown",
                        "Preempting", "NodeLost"})


def _name(value: str) -> str:
    """`pod/web-1` (kubectl get all) -> `web-1`."""
    return value.rsplit("/", 1)[-1]


HEALTHY_ROW_SECTIONS = {
    "pods": frozenset({PHASE, CONTAINERS}), "nodes": frozenset({condition_section("Ready")}),
    "persistentvolumeclaims": frozenset({VOLUMES}),
}


_CONTROL_PLANE_ROLE = lazy_compile(r"\b(?:master|control-plane)\b")


def healthy_row(kind: str, row: dict[str, str]) -> bool:
    """The fast path for the rows most tables are made of: Running n/n, Ready, Bound."""
    status = row.get("STATUS", "")
    if not _NAME.match(_name(row.get("NAME", ""))):
        return False
    if kind == "pods":
        ready = _READY.match(row.get("READY", ""))
        restarts = row.get("RESTARTS", "").split(" ")
        recent = len(restarts) > 1 and (age_seconds(restarts[1].strip("(")) or 0) < RECENT_RESTART
        return (status == "Completed" or (status == "Running" and ready is not None
                and ready.group(1) == ready.group(2) != "0")) and not recent
    if kind == "nodes":
        # many installers (kubeasz, kops, kubespray) leave control-plane nodes cordoned on purpose
        return status == "Ready" or (status == "Ready,SchedulingDisabled"
                                     and _CONTROL_PLANE_ROLE.search(row.get("ROLES", "")) is not None)
    return kind == "persistentvolumeclaims" and status == "Bound"


def pod_cells(words: list[str], *, namespaced: bool) -> dict[str, str] | None:
    """Token-mode cells of a `get pods` row."""
    at = 1 if namespaced else 0
    if len(words) < at + 5 or not _READY.match(words[at + 1]) or not words[at + 3].isdigit():
        return None
    row = {"NAME": words[at], "READY": words[at + 1], "STATUS": words[at + 2],
           "RESTARTS": words[at + 3]}
    at += 4
    if at + 1 < len(words) and words[at].startswith("(") and words[at + 1] == "ago)":
        row["RESTARTS"] += f" {words[at]} ago)"
        at += 2
    if at >= len(words) or not is_age(words[at]):
        return None
    row["AGE"] = words[at]
    if namespaced:
        row["NAMESPACE"] = words[0]
    if at + 2 < len(words):
        row["IP"], row["NODE"] = words[at + 1], words[at + 2]
    return row


def phase_and_container(status: str, restarts: int) -> tuple[str, str | None, ContainerFacts | None]:
    """The pod phase, pod reason and the one container state a STATUS word stands for."""
    init = status.startswith("Init:")
    reason = status.removeprefix("Init:")
    exit_match = _EXIT.match(reason)
    if init and _READY.match(reason):
        return "Pending", None, ContainerFacts(ROW_CONTAINER, init=True, state="running")
    if reason in WAITING:
        phase = "Running" if reason == "CrashLoopBackOff" and not init else "Pending"
        return phase, None, ContainerFacts(ROW_CONTAINER, init=init, restarts=restarts,
                                           state="waiting", reason=reason)
    if reason in TERMINATED or exit_match:
        code = int(exit_match.group(1)) if exit_match else (0 if reason == "Completed" else None)
        phase = "Succeeded" if reason == "Completed" else ("Pending" if init else "Failed")
        return phase, None, ContainerFacts(ROW_CONTAINER, init=init, restarts=restarts, state="terminated",
                                           reason=None if exit_match else reason, exit_code=code)
    if reason in POD_FAILED:
        return "Failed", reason, None
    if reason in ("Running", "Terminating"):
        return "Running", None, None
    if reason in ("Pending", "SchedulingGated"):
        return "Pending", None if reason == "Pending" else reason, None
    return "Unknown", reason, None


def pod_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A pod from one `get pods` row; None when the row does not read as one."""
    name, ready = _name(row.get("NAME", "")), _READY.match(row.get("READY", ""))
    restarts_cell = row.get("RESTARTS", "").split(" ")
    if not _NAME.match(name) or not ready or not restarts_cell[0].isdigit():
        return None
    restarts, status = int(restarts_cell[0]), row.get("STATUS", "")
    up, total = int(ready.group(1)), int(ready.group(2))
    phase, reason, special = phase_and_container(status, restarts)
    containers = [ContainerFacts(ROW_CONTAINER, ready=number < up, state="running",
                                 restarts=restarts if number == 0 else 0)
                  for number in range(total)] if phase == "Running" and special is None else []
    if special is not None:
        containers = [special]
    facts = PodFacts(namespace=row.get("NAMESPACE", ""), name=name, phase=phase, reason=reason,
                     node_name=row.get("NODE"), containers=containers)
    label = f"pod {facts.ref}" if facts.namespace else f"pod {name}"
    seen = {PHASE, CONTAINERS} | ({EXIT_CODES} if special and special.exit_code is not None else set())
    restarted = age_seconds(restarts_cell[1].strip("(")) if len(restarts_cell) > 1 else None
    healthy = health.pod_healthy(facts, age=age_seconds(row.get("AGE", "")))
    if status == "Terminating" or (phase == "Succeeded"):
        healthy = True
    if restarted is not None and restarted < RECENT_RESTART:
        healthy = False
    # the row shows the current state only: how a restarted container last ended (OOMKilled,
    # Error) is not in it, so it contradicts no rule about that
    backoff = special is not None and special.state == "waiting" and special.reason == "CrashLoopBackOff"
    return Subject(label, shape, facts, seen, healthy,
                   hidden=frozenset({CONTAINERS} if backoff or restarts else ()))


UNREADY_SAID = "stay Running with a container not ready, never restarted, past their start: a readiness probe keeps failing"


def unready_running(row: dict[str, str]) -> str | None:
    """The pod of a `get pods` row Running, never restarted, with a container not ready past
    any start (its name), else None: only a failing readiness probe keeps a running container
    unready (one without a probe is ready once started; a failing startup or liveness probe
    restarts it)."""
    ready, age = _READY.match(row.get("READY", "")), age_seconds(row.get("AGE", ""))
    if row.get("STATUS") != "Running" or ready is None or row.get("RESTARTS") != "0" or age is None:
        return None
    up, total = int(ready.group(1)), int(ready.group(2))
    return _name(row.get("NAME", "")) if up < total and age >= health.STARTING_GRACE else None


def unready_said(names: list[str]) -> str:
    """One line for the pods of one table that stay Running and unready: one observation, so
    ten such rows weigh as one line against an error the paste prints."""
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"pods {shown} {UNREADY_SAID}"


_INIT_PROGRESS = lazy_compile(r"Init:\d+/\d+")
INIT_STUCK_SAID = "its init containers never complete"


def init_stuck(row: dict[str, str]) -> str | None:
    """A `get pods` row whose init containers run and never finish: STATUS `Init:N/M`, never
    restarted, past any start, said in words (else None).  An init container that waits on a
    dependency forever keeps the pod there without failing: the row alone shows it."""
    status, age = row.get("STATUS", ""), age_seconds(row.get("AGE", ""))
    if not _INIT_PROGRESS.fullmatch(status) or row.get("RESTARTS") != "0" or age is None or age < health.STARTING_GRACE:
        return None
    return f"pod {_name(row.get('NAME', ''))} stuck in {status} for {row.get('AGE')}: {INIT_STUCK_SAID}"


def crash_looping(subject: Subject) -> bool:
    """A pod row whose app container is in CrashLoopBackOff (what other pods' init containers may wait on)."""
    return isinstance(subject.facts, PodFacts) and any(
        not container.init and container.reason == "CrashLoopBackOff" for container in subject.facts.containers)


def node_cells(words: list[str]) -> dict[str, str] | None:
    if len(words) < 5 or not is_age(words[3]) or not words[4].startswith("v"):
        return None
    return {"NAME": words[0], "STATUS": words[1], "ROLES": words[2], "AGE": words[3],
            "VERSION": words[4]}


def node_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A node from one `get nodes` row: its Ready condition and whether it is cordoned."""
    name, status = _name(row.get("NAME", "")), row.get("STATUS", "").split(",")
    ready = {"Ready": "True", "NotReady": "False", "Unknown": "Unknown"}.get(status[0])
    if not _NAME.match(name) or ready is None:
        return None
    facts = NodeFacts(name=name, conditions=[NodeCondition("Ready", ready)],
                      unschedulable="SchedulingDisabled" in status)
    return Subject(f"node {name}", shape, facts, {condition_section("Ready")}, health.node_healthy(facts))


def pvc_cells(words: list[str], *, namespaced: bool) -> dict[str, str] | None:
    at = 1 if namespaced else 0
    if len(words) < at + 3 or not is_age(words[-1]) and not is_age(words[-2]):
        return None
    row = {"NAME": words[at], "STATUS": words[at + 1]}
    if namespaced:
        row["NAMESPACE"] = words[0]
    rest = words[at + 2:]
    if row["STATUS"] == "Bound" and len(rest) >= 5:
        row.update(VOLUME=rest[0], CAPACITY=rest[1], STORAGECLASS=rest[3])
    elif rest and not is_age(rest[0]):
        row["STORAGECLASS"] = rest[0]
    return row


def pvc_subject(row: dict[str, str], shape: str) -> Subject | None:
    """A claim from one `get pvc` row (as a pod-less holder of its VolumeFacts)."""
    name, phase = _name(row.get("NAME", "")), row.get("STATUS", "")
    if not _NAME.match(name) or phase not in ("Bound", "Pending", "Lost"):
        return None
    volume = VolumeFacts(claim=name, phase=phase, storage_class=row.get("STORAGECLASS") or None,
                         volume=row.get("VOLUME") or None)
    namespace = row.get("NAMESPACE", "")
    facts = PodFacts(namespace=namespace, name=name, volumes=[volume])
    label = f"PersistentVolumeClaim {namespace + '/' if namespace else ''}{name}"
    return Subject(label, shape, facts, {VOLUMES}, health.volume_healthy(volume))
