"""How bad a pod is, from its own status: the order a namespace is reported in.

Worst first: failing (crash loops, image/config errors, Failed pods),
then pending (not scheduled, still creating), then running but not ready
or restarting recently.  This needs only the pod object, so a namespace of
thousands of pods is sorted without any further request.

Beside it, whether what an object states is healthy (`event_healthy`, `pod_healthy`,
`node_healthy`, `volume_healthy`): the line between "normal output" and "a failure" in text
(a paste, recorded outputs). A Running pod whose containers are ready, a Completed job pod, a
Ready node without pressure, a Bound claim, a Normal event that reports progress are healthy; a
few Normal events report trouble (NodeNotReady, a kill after a failed probe, a pull that took
minutes). Objects still starting (ContainerCreating for seconds, a rollout in progress) are
healthy: that is what a progressing rollout looks like.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.cluster.reader import JsonObject
from intents.facts.model import ContainerFacts, EventFacts, NodeFacts, PodFacts, VolumeFacts
from intents.healthy_lines import trouble_reason
from intents.lazy_re import lazy_compile
from intents.policy import POLICY
from intents.reasons import BENIGN_WARNINGS, WAITING_FAILED

FAILING, PENDING, NOT_READY, HEALTHY = 0, 1, 2, 3
HEALTHY_RUNNING = "Running"
"""The status word of a pod running well."""
RECENT = timedelta(hours=1)


@dataclass(frozen=True)
class Health:
    """A pod's severity (0 worst .. 3 healthy) and a kubectl-like status word."""

    severity: int
    status: str

    @property
    def healthy(self) -> bool:
        return self.severity == HEALTHY


def recent(finished: str | None, now: datetime) -> bool:
    """A container's last run ended within the last hour (unknown format: assume so)."""
    if not finished:
        return False
    try:
        when = datetime.fromisoformat(finished)
    except ValueError:
        return True
    return now - when < RECENT


def _container_health(c: ContainerFacts, now: datetime) -> Health | None:
    prefix = "Init:" if c.init else ""
    if c.state == "waiting" and c.reason in WAITING_FAILED:
        return Health(FAILING, prefix + str(c.reason))
    if c.state == "terminated" and c.exit_code not in (0, None):
        return Health(FAILING, prefix + str(c.reason or "Error"))
    if c.init and c.state != "terminated":
        return Health(PENDING, prefix + str(c.reason or "Running"))
    if c.state == "waiting":
        return Health(PENDING, str(c.reason or "Waiting"))
    if not c.init and c.restarts and recent(c.last_finished, now):
        return Health(NOT_READY, f"Restarting ({c.restarts})")
    if not c.init and not c.ready and c.state != "terminated":
        return Health(NOT_READY, "NotReady")
    return None


def plainly_running(pod: JsonObject) -> bool:
    """Running with every container running and ready, none ever restarted, every init
    container done: what `classify` calls healthy, told from the status alone (a namespace of
    thousands is mostly such pods, and building their facts costs more than all the rest)."""
    status = pod.get("status") or {}
    containers = status.get("containerStatuses") or []
    if status.get("phase") != "Running" or not containers:
        return False
    for c in containers:
        if not c.get("ready") or c.get("restartCount") or "running" not in (c.get("state") or {}):
            return False
    return all(
        ((c.get("state") or {}).get("terminated") or {}).get("exitCode") == 0
        for c in status.get("initContainerStatuses") or []
    )


def classify(facts: PodFacts, *, now: datetime | None = None) -> Health:
    """The pod's health at `now` (default: the moment its facts show); the worst container
    decides."""
    now = now or facts.as_of or datetime.now(UTC)
    if facts.phase == "Succeeded":
        return Health(HEALTHY, "Completed")
    if facts.phase == "Failed":
        return Health(FAILING, facts.reason or "Failed")
    found = [h for h in (_container_health(c, now) for c in facts.containers) if h]
    if found:
        return min(found, key=lambda h: h.severity)
    if facts.phase == "Pending":
        scheduled = next((c for c in facts.conditions if c.type == "PodScheduled"), None)
        reason = scheduled.reason if scheduled and scheduled.status == "False" else ""
        return Health(PENDING, reason or "Pending")
    if facts.phase != "Running":
        return Health(NOT_READY, facts.phase)
    return Health(HEALTHY, HEALTHY_RUNNING)


_TROUBLE_WORDS = lazy_compile(
    r"(?i)\b(?:fail(?:ed|ure|ing|s)?|error|unhealthy|not ?ready|timed? ?out|refused|denied|forbidden"
    r"|exceeded|oom|evict\w*|back-?off|unreachable|invalid)\b"
)
_TURNED_BAD = lazy_compile(r"\bstatus: \w* ?-> (?:OutOfSync|Degraded|Missing)\b")
"""A GitOps controller's Normal event of a state turning bad (Argo CD's "Updated health status:
Progressing -> Degraded", "Updated sync status: Synced -> OutOfSync")."""
_WAITING_ON_ITSELF = lazy_compile(r"(?i)^waiting for (?!first consumer|pod )")
"""A Normal event that waits on the work itself (a provisioner's volume), not on another object."""
_SLOW_PULL = lazy_compile(r"\bin (?:\d+h)?\d+m[\d.]+s\b|\((?:\d+h)?\d+m[\d.]+s including waiting\)")
HEALTHY_PVC_PHASES = frozenset({"Bound"})
HEALTHY_PV_PHASES = frozenset({"Bound", "Available"})
"""A claim is well when Bound; a volume when Bound or Available (waiting for a claim)."""
PRESSURE_TAINTS = frozenset(
    {
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
        "node.kubernetes.io/disk-pressure",
        "node.kubernetes.io/memory-pressure",
        "node.kubernetes.io/pid-pressure",
        "node.kubernetes.io/network-unavailable",
        "node.kubernetes.io/out-of-service",
    }
)


_CACHE_NOT_WATCHING = lazy_compile(r'\bobject "[^"]{1,253}"/"[^"]{1,253}" not registered$')
"""The kubelet's ConfigMap/Secret cache not watching the object yet: it retries (kubernetes#105204)."""


def event_healthy(event: EventFacts) -> bool:
    """A Normal event that reports progress (not a wait repeated for minutes), or a warning that
    says nothing failed for good: one every freshly started kubelet emits, a mount retried until
    the kubelet's cache watches the object."""
    if event.type != "Normal":
        return event.reason in BENIGN_WARNINGS or (
            event.reason == "FailedMount"
            and _CACHE_NOT_WATCHING.search(event.message.strip()) is not None
        )
    if trouble_reason(event.reason):
        return False
    if event.reason == "Killing" and "probe" in event.message:
        return False
    if event.reason == "Pulled":
        return _SLOW_PULL.search(event.message) is None
    if event.count >= POLICY.stuck_waiting_count and _WAITING_ON_ITSELF.search(
        event.message.strip()
    ):
        return False
    if _TURNED_BAD.search(event.message) is not None:
        return False
    return _TROUBLE_WORDS.search(event.message) is None or "succeeded" in event.message.lower()


def crashed_before(container: ContainerFacts) -> bool:
    """The pasted Last State shows a failure (a paste has no clock to call it old)."""
    if container.last_reason is None and container.last_exit_code is None:
        return False
    return container.last_reason != "Completed" or container.last_exit_code not in (0, None)


def pod_healthy(facts: PodFacts, *, age: float | None = None) -> bool:
    """Running and ready (or Completed), or still starting within its grace period."""
    if not all(event_healthy(event) for event in facts.events):
        return False
    if any(crashed_before(container) for container in facts.containers):
        return False
    health = classify(facts)
    if health.healthy:
        return True
    if age is None:
        return False
    if health.status == "NotReady":
        return age < POLICY.not_ready_grace
    if facts.reason == "SchedulingGated":
        return False  # its gates are removed by some other controller, never by waiting
    starting = health.status in ("Pending", "ContainerCreating", "PodInitializing") or (
        health.status.startswith("Init:")
        and facts.phase == "Pending"
        and health.status.removeprefix("Init:") in ("Running", "PodInitializing", "")
    )
    return starting and age < POLICY.starting_grace


def node_healthy(node: NodeFacts) -> bool:
    """Ready, schedulable, no condition reporting trouble, no pressure taint, only healthy events.

    A cordoned node is not a failure, but it is why pods stay Pending: it is evidence.
    """
    if node.unschedulable:
        return False
    for condition in node.conditions:
        expected = "True" if condition.type == "Ready" else "False"
        if condition.status != expected:
            return False
    if any(taint.split(":")[0].split("=")[0] in PRESSURE_TAINTS for taint in node.taints):
        return False
    return all(event_healthy(event) for event in node.events)


def volume_healthy(volume: VolumeFacts) -> bool:
    kind, _name, phase = volume.described
    return phase in (HEALTHY_PV_PHASES if kind == "PersistentVolume" else HEALTHY_PVC_PHASES)
