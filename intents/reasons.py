"""The Kubernetes reasons the bot reads, by what they say: one vocabulary.

A kubelet waiting or terminated reason, a pod's status reason, an event's reason: each table
here is what one kind of reason means to the readings, the evidence and the watcher, so a
reason a new release adds is learned in one place.
"""

from __future__ import annotations

IMAGE_PULL = frozenset(
    {"ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull"}
)
"""Waiting reasons of an image that could not be pulled."""
WAITING_FAILED = IMAGE_PULL | frozenset(
    {
        "CrashLoopBackOff",
        "CreateContainerConfigError",
        "CreateContainerError",
        "RunContainerError",
        "StartError",
        "PreStartHookError",
        "PostStartHookError",
    }
)
"""Waiting reasons that say the container failed (the kubelet's kuberuntime and image manager)."""
STARTING = frozenset({"ContainerCreating", "PodInitializing"})
"""Waiting reasons of a container on its way up."""
WAITING = WAITING_FAILED | STARTING
TERMINATED = frozenset(
    {
        "Error",
        "OOMKilled",
        "Completed",
        "ContainerStatusUnknown",
        "ContainerCannotRun",
        "DeadlineExceeded",
        "StartError",
    }
)
"""Terminated reasons a container's status shows."""
POD_FAILED = frozenset(
    {
        "Evicted",
        "NodeAffinity",
        "OutOfcpu",
        "OutOfmemory",
        "OutOfpods",
        "UnexpectedAdmissionError",
        "Shutdown",
        "Terminated",
        "NodeShutdown",
        "Preempting",
        "NodeLost",
    }
)
"""A pod's status reason when the kubelet or the node refused or ended it."""
CAUSE_NAMING_WAITING = frozenset(
    {
        "CreateContainerConfigError",
        "ErrImageNeverPull",
        "InvalidImageName",
        "PostStartHookError",
    }
)
"""Waiting reasons that name their cause; a bare ErrImagePull or RunContainerError does not."""

NODE_EVENT_REASONS = frozenset(
    {
        "Scheduled",
        "Pulling",
        "Pulled",
        "Created",
        "Started",
        "Killing",
        "Failed",
        "BackOff",
        "Unhealthy",
        "FailedMount",
        "FailedAttachVolume",
        "FailedCreatePodSandBox",
        "SandboxChanged",
        "FailedSync",
        "FailedPostStartHook",
        "FailedPreStopHook",
        "ErrImageNeverPull",
        "InspectFailed",
        "SuccessfulAttachVolume",
    }
)
"""Reasons of pod events written only once the pod has a node (kubelet, attach/detach controller,
the scheduler's Scheduled): bot.evidence.history."""
POD_EVENT_REASONS = NODE_EVENT_REASONS | frozenset(
    {
        # the rest of pkg/kubelet/events/event.go, the eviction manager and the scheduler: reasons
        # recorded on a Pod, never on its Deployment, claim, node or a custom object
        "Preempting",
        "ExceededGracePeriod",
        "FailedKillPod",
        "FailedCreatePodContainer",
        "NetworkNotReady",
        "FailedMapVolume",
        "FailedPodSandBoxStatus",
        "ProbeWarning",
        "FailedValidation",
        "Evicted",
        "FailedScheduling",
        "Preempted",
        "FailedToRetrieveImagePullSecret",
    }
)
FAILURE_EVENTS = frozenset(
    {
        # pkg/kubelet/events/event.go (Warning reasons)
        "FailedCreatePodSandBox",
        "FailedMount",
        "FailedAttachVolume",
        "FailedMapVolume",
        "FailedPostStartHook",
        "FailedPreStopHook",
        "NetworkNotReady",
        "ImageGCFailed",
        "ContainerGCFailed",
        "VolumeResizeFailed",
        "FileSystemResizeFailed",
        "FailedToRetrieveImagePullSecret",
        # the persistent-volume, service, horizontal-pod-autoscaler and job controllers
        "ProvisioningFailed",
        "FailedBinding",
        "ClaimLost",
        "SyncLoadBalancerFailed",
        "FailedGetResourceMetric",
        "FailedComputeMetricsReplicas",
        "BackoffLimitExceeded",
        # node-problem-detector's kernel monitor
        "TaskHung",
    }
)
"""Warning reasons that say a failure by themselves."""
TROUBLE_NORMAL = frozenset(
    {
        "NodeNotReady",
        "NodeHasDiskPressure",
        "NodeHasInsufficientMemory",
        "NodeHasInsufficientPID",
        "NodeNetworkUnavailable",
        "SandboxChanged",
        "TaintManagerEviction",
        "Preempted",
        "Evicted",
        "BackOff",
        "Unhealthy",
        "OOMKilling",
        "SystemOOM",
        "Rebooted",
        "NotTriggerScaleUp",
    }
)
"""Reasons that report trouble even on a Normal event."""
BENIGN_WARNINGS = frozenset({"InvalidDiskCapacity", "CgroupV1"})
"""Warnings every freshly started kubelet emits: not a failure."""
