"""Typed facts gathered from the cluster: what the evidence rules and the text see.

Collectors fill these from raw API objects; rules and the diagnosis read
them and never touch raw dicts, so a dump and a live cluster are judged the
same way.  Texts (messages, logs) are already bounded when they land here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

ROW_CONTAINER = "(STATUS column)"
"""The container a pasted `kubectl get pods` row stands for: the row does not name it."""
LOG_CONTAINER = "(pasted log lines)"
"""The source of pasted log lines that belong to no one pod."""


@dataclass(frozen=True)
class ContainerFacts:
    """One container (or init container) as the kubelet reports it."""

    name: str
    init: bool = False
    ready: bool = False
    restarts: int = 0
    state: str = "unknown"  # running | waiting | terminated | unknown
    reason: str | None = None  # current waiting/terminated reason
    message: str | None = None
    exit_code: int | None = None
    last_reason: str | None = None  # lastState.terminated
    last_message: str | None = None
    last_exit_code: int | None = None
    last_finished: str | None = None
    current_log: str | None = None
    previous_log: str | None = None
    running_unready: bool = False
    """A paste shows it running and not ready past its start (describe: `Ready: False` while
    Running; a `get pods` row short of ready, never restarted, older than the start grace)."""
    init_stalled: bool = False
    """A paste shows this init container running past the pod's start, never restarted
    (`Init:N/M` in a `get pods` row): it waits and never completes."""

    @property
    def label(self) -> str:
        """How an answer names it: "container app", or what the paste let us know of it."""
        if self.name == ROW_CONTAINER:
            return "the pod's init container" if self.init else "the pod's container"
        if self.name == LOG_CONTAINER:
            return "the pasted log"
        return f"{'init container' if self.init else 'container'} {self.name}"

    @property
    def named(self) -> bool:
        """False for a pasted container whose name the paste does not show."""
        return self.name not in (ROW_CONTAINER, LOG_CONTAINER)

    @property
    def failing(self) -> bool:
        """Worth reading logs for: not ready, restarted, or stopped with an error."""
        if self.init:
            return self.state != "terminated" or self.exit_code not in (0, None)
        return not self.ready or self.restarts > 0 or self.last_reason is not None


@dataclass(frozen=True)
class EventFacts:
    """One event (core/v1 or events.k8s.io/v1) about the pod, its claims or its owner."""

    reason: str
    message: str
    type: str = "Normal"
    count: int = 1
    object_kind: str = "Pod"
    object_name: str = ""
    first_seen: str = ""
    """When it was first seen (RFC 3339, as the API gives it; "" where the input does not say)."""
    last_seen: str = ""
    """When it was last seen (its series' last observation, else its lastTimestamp)."""


@dataclass(frozen=True)
class NodeCondition:
    type: str
    status: str
    reason: str = ""
    message: str = ""


@dataclass(frozen=True)
class UnitFacts:
    """A systemd unit on the node (kubelet, containerd, kube-proxy...) as `systemctl status`
    reports it: only a paste shows one, the API server does not."""

    name: str
    """The unit's name without `.service`."""
    state: str
    """Its `Active:` state: active, inactive, failed, activating, deactivating..."""
    sub: str = ""
    """What systemctl says in brackets after it: running, dead, auto-restart, Result: exit-code."""


@dataclass
class NodeFacts:
    """A node's health and how full it is."""

    name: str
    conditions: list[NodeCondition] = field(default_factory=list)
    taints: list[str] = field(default_factory=list)  # "key:Effect"
    unschedulable: bool = False
    allocatable: dict[str, float] = field(default_factory=dict)
    requested: dict[str, float] = field(default_factory=dict)
    pod_count: int | None = None
    events: list[EventFacts] = field(default_factory=list)
    units: list[UnitFacts] = field(default_factory=list)
    no_pod_network: bool = False
    """A paste lists every namespace of a kubeadm-style cluster: its control plane runs, CoreDNS
    waits, and no pod network add-on runs anywhere (bot.diagnosis.paste_links)."""

    def condition(self, kind: str) -> NodeCondition | None:
        return next((c for c in self.conditions if c.type == kind), None)

    @property
    def pods_full(self) -> bool:
        capacity = self.allocatable.get("pods")
        return bool(capacity) and self.pod_count is not None and self.pod_count >= (capacity or 0)


@dataclass(frozen=True)
class VolumeFacts:
    """A PersistentVolumeClaim the pod mounts, its PV and StorageClass."""

    claim: str
    phase: str
    storage_class: str | None = None
    storage_class_exists: bool | None = None  # None: not checked / not readable
    volume: str | None = None
    volume_phase: str | None = None
    uid: str | None = None
    """The claim's UID as read (a remediation deletes only that incarnation)."""
    no_available_volume: bool | None = None
    """For a claim without a StorageClass (bound statically): True when a pasted `kubectl get pv`
    lists no Available PersistentVolume (None: not known)."""
    deleting: bool = False
    """Its deletion is under way (metadata.deletionTimestamp set): a pasted object shows it."""

    @property
    def described(self) -> tuple[str, str, str]:
        """(kind, name, phase) of what these facts say: the claim, or a PersistentVolume read on
        its own (a `kubectl describe pv` names the claim it is bound to, not the claim's phase)."""
        if self.phase or not self.volume:
            return "PersistentVolumeClaim", self.claim, self.phase
        return "PersistentVolume", self.volume, self.volume_phase or "Unknown"


@dataclass(frozen=True)
class OwnerFacts:
    """One link of the owner chain (ReplicaSet -> Deployment, StatefulSet, Job, ...)."""

    kind: str
    name: str
    condition_reasons: tuple[str, ...] = ()
    condition_messages: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str], ...] = ()
    """(reason, message) of each condition that is not a healthy Available."""
    uid: str | None = None
    """The workload's UID as read (a remediation patches only that incarnation)."""
    condition_states: tuple[str, ...] = ()
    """`Type=Status` of each condition that is not healthy (Programmed=False, Available=False)."""
    deleting: bool = False
    """Its deletion is under way (metadata.deletionTimestamp set, held by finalizers)."""
    short: tuple[int, int] | None = None
    """(ready, wanted) pods of a workload that has fewer ready than it wants past its start: a
    DaemonSet short of its nodes, a Deployment short past its progress deadline."""
    at_max_replicas: bool = False
    """An autoscaler running its maximum replicas with a metric above its target."""
    custom: tuple[str, object] | None = None
    """A custom resource's status as a fact (its fact kind's name, its ResourceStatus:
    intents.facts.custom_status): a Knative Revision, a database cluster, an ACME Challenge."""


@dataclass(frozen=True)
class ServiceFacts:
    """A Service selecting the pod, and how many endpoint addresses it has (-1: not known, a
    Service read from a paste without its endpoints)."""

    name: str
    ready: int
    not_ready: int
    targets: tuple[tuple[str, str], ...] = ()
    """(targetPort as written - a number or a port name, protocol) of each Service port."""
    balancer_pending: bool = False
    """A Service of type LoadBalancer whose status holds no ingress address yet."""


@dataclass(frozen=True)
class QuotaFacts:
    """A ResourceQuota in the pod's namespace; `full` lists resources at their limit."""

    name: str
    full: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    """Objects a paste declares and lacks that this quota has no room for (bot.diagnosis.paste_quota);
    a cluster read never fills it: it sees no declared object."""


@dataclass(frozen=True)
class Recovery:
    """Since when a Running pod has had every container ready, as its object tells it."""

    since: datetime
    """Its Ready condition's last change, else its containers' latest start."""
    transition_told: bool
    """The input tells when the Ready condition changed (a describe does not)."""
    last_run: float
    """How long its longest-running restarted container ran before it last ended (seconds)."""


@dataclass
class PodFacts:
    """Everything known about one pod; collectors fill the optional parts."""

    namespace: str
    name: str
    uid: str | None = None
    phase: str = "Unknown"
    reason: str | None = None
    message: str | None = None
    node_name: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    images: dict[str, str] = field(default_factory=dict)
    """Container name -> image, init containers included, from the pod's spec."""
    memory_limits: dict[str, str] = field(default_factory=dict)
    """Container name -> its resources.limits.memory as written ("1Gi"), where set."""
    requests: dict[str, float] = field(default_factory=dict)
    """The pod's resources.requests summed over its containers: "cpu" in cores, "memory" in
    bytes (what the scheduler must fit on a node)."""
    ports: list[tuple[str, int, str]] = field(default_factory=list)
    """(name, containerPort, protocol) of every declared container port."""
    port_names_shown: bool = True
    """False when the input did not show the ports' names (a describe prints `3000/TCP`)."""
    scheduler_name: str = "default-scheduler"
    age_seconds: float | None = None
    """Seconds since the pod was created, at `as_of` (None: no creationTimestamp)."""
    as_of: datetime | None = None
    """The moment the facts show: a recording's own time, a live cluster's now (None: now).
    Every age and "recent" of the pod is judged at it (bot/cluster/moments.py)."""
    conditions: list[NodeCondition] = field(default_factory=list)
    owner_refs: list[tuple[str, str]] = field(default_factory=list)  # (kind, name)
    claims: list[str] = field(default_factory=list)
    containers: list[ContainerFacts] = field(default_factory=list)
    events: list[EventFacts] = field(default_factory=list)
    node: NodeFacts | None = None
    volumes: list[VolumeFacts] = field(default_factory=list)
    owners: list[OwnerFacts] = field(default_factory=list)
    services: list[ServiceFacts] = field(default_factory=list)
    quotas: list[QuotaFacts] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    more: dict[str, tuple[object, ...]] = field(default_factory=dict)
    """Facts of a kind that declares its own (intents.facts.kinds), by the kind's name."""
    recovery: Recovery | None = None
    """Since when it is Running and ready (None: it is not, or the input does not say)."""

    @property
    def ref(self) -> str:
        return f"{self.namespace}/{self.name}"
