"""The remediation allowlist: every action the bot can ever perform, by kind.

Each `ActionSpec` ties a catalog action kind (intents.schema.ACTION_KINDS)
to its target model, the confirm-dialog text stating exactly what will
change, and one typed `KubeWriter` call. A kind that is not in `ACTIONS`
cannot be offered or run; there is no generic "apply this" path.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from bot.cluster.errors import ClusterError
from bot.cluster.reader import JsonObject
from bot.cluster.writer import RESTARTED_AT, KubeWriter
from bot.remediation.targets import (
    ApiServiceTarget,
    NodeTarget,
    PodTarget,
    PvcAndPodTarget,
    ScaleTarget,
    Target,
    WorkloadTarget,
)

T = TypeVar("T", bound=Target)
DEBUG_ANNOTATION = ("runmode", "debug")


@dataclass(frozen=True)
class ActionSpec(Generic[T]):
    """One allowlisted action: its target shape, its confirm text and its API call."""

    kind: str
    target: type[T]
    label: str
    verb: str
    """Text of the confirm dialog's OK button."""
    describe: Callable[[T], str]
    """Exactly what will change, for the confirm dialog (mrkdwn)."""
    run: Callable[[KubeWriter, T, bool], Awaitable[str]]
    style: Literal["danger", "primary"] = "danger"

    def parse(self, raw: dict[str, Any]) -> T:
        """The stored target, validated again (pydantic.ValidationError if it does not fit)."""
        return self.target.model_validate(raw)

    async def perform(self, writer: KubeWriter, target: T, *, dry_run: bool) -> str:
        """Make the change (or its server-side dry run); a short result, or ClusterError."""
        return await self.run(writer, target, dry_run)


def _owner(t: PodTarget) -> str:
    if t.owner is None:
        return "Nothing owns it, so nothing recreates it."
    kind, _, name = t.owner.partition("/")
    return f"Its {kind} `{name}` keeps the desired number of pods running."


def _recreates(t: PodTarget) -> str:
    kind, _, name = (t.owner or "controller/").partition("/")
    return f"Its {kind} `{name}` recreates" if name else "Its controller recreates"


def _scheduling(obj: JsonObject) -> str:
    return "unschedulable" if (obj.get("spec") or {}).get("unschedulable") else "schedulable"


async def _delete_pod(w: KubeWriter, t: PodTarget, dry: bool) -> str:
    await w.delete_pod(t.namespace, t.name, dry_run=dry, uid=t.uid)
    return f"pod {t.ref} deleted"


async def _delete_pvc_and_pod(w: KubeWriter, t: PvcAndPodTarget, dry: bool) -> str:
    # the PVC first: protected, it waits for the pod, so the new pod cannot rebind the old one
    await w.delete_pvc(t.namespace, t.pvc, dry_run=dry, uid=t.pvc_uid)
    try:
        await w.delete_pod(t.namespace, t.name, dry_run=dry, uid=t.uid)
    except ClusterError as exc:
        done = "passed its dry run" if dry else "was deleted"
        raise ClusterError(
            f"PVC {t.namespace}/{t.pvc} {done}, but deleting pod {t.ref} failed: {exc}"
        ) from exc
    return f"PVC {t.namespace}/{t.pvc} and pod {t.ref} deleted"


async def _annotate_debug(w: KubeWriter, t: PodTarget, dry: bool) -> str:
    key, value = DEBUG_ANNOTATION
    await w.annotate_pod(t.namespace, t.name, key, value, dry_run=dry)
    return f"pod {t.ref} annotated {key}={value}"


async def _rollout_restart(w: KubeWriter, t: WorkloadTarget, dry: bool) -> str:
    obj = await w.rollout_restart(t.kind, t.namespace, t.name, dry_run=dry, uid=t.uid)
    template = ((obj.get("spec") or {}).get("template") or {}).get("metadata") or {}
    stamp = (template.get("annotations") or {}).get(RESTARTED_AT, "?")
    return f"{t.kind} {t.namespace}/{t.name} restarted (restartedAt={stamp})"


async def _cordon(w: KubeWriter, t: NodeTarget, dry: bool) -> str:
    return f"node {t.name} is now {_scheduling(await w.cordon_node(t.name, dry_run=dry))}"


async def _uncordon(w: KubeWriter, t: NodeTarget, dry: bool) -> str:
    return f"node {t.name} is now {_scheduling(await w.uncordon_node(t.name, dry_run=dry))}"


async def _scale(w: KubeWriter, t: ScaleTarget, dry: bool) -> str:
    obj = await w.scale_deployment(t.namespace, t.name, t.replicas, dry_run=dry)
    replicas = (obj.get("spec") or {}).get("replicas", t.replicas)
    return f"Deployment {t.namespace}/{t.name} scaled to {replicas} replicas"


async def _delete_apiservice(w: KubeWriter, t: ApiServiceTarget, dry: bool) -> str:
    await w.delete_apiservice(t.name, dry_run=dry)
    return f"APIService {t.name} deleted"


def _pod_specs() -> list[ActionSpec[Any]]:
    """What a button does to a pod (and its claim)."""
    return [
        ActionSpec(
            "delete-pod",
            PodTarget,
            "Delete the pod",
            "Delete pod",
            lambda t: f"Delete pod `{t.ref}` in cluster `{t.cluster}`. {_owner(t)}",
            _delete_pod,
        ),
        ActionSpec(
            "delete-pvc-and-pod",
            PvcAndPodTarget,
            "Delete the PVC and the pod",
            "Delete PVC and pod",
            lambda t: (
                f"Delete pod `{t.ref}` and its PVC `{t.namespace}/{t.pvc}` in cluster `{t.cluster}`. "
                f"{_recreates(t)} the pod with a new, empty volume; the old volume's data is no "
                "longer used."
            ),
            _delete_pvc_and_pod,
        ),
        ActionSpec(
            "annotate-debug",
            PodTarget,
            "Set runmode=debug",
            "Add annotation",
            lambda t: (
                f"Add annotation `runmode=debug` to pod `{t.ref}` in cluster `{t.cluster}`. "
                "From its next restart the TiDB Operator start script waits instead of starting "
                "the server, so you can exec in; remove the annotation to undo."
            ),
            _annotate_debug,
            "primary",
        ),
    ]


def _restart_and_node_specs() -> list[ActionSpec[Any]]:
    """What a button does to a workload's pods or to a node."""
    return [
        ActionSpec(
            "rollout-restart",
            WorkloadTarget,
            "Rollout restart",
            "Restart",
            lambda t: (
                f"Set `{RESTARTED_AT}` on the pod template of {t.kind} `{t.namespace}/{t.name}` in "
                f"cluster `{t.cluster}`, like `kubectl rollout restart`: all its pods are replaced, "
                "following its update strategy."
            ),
            _rollout_restart,
        ),
        ActionSpec(
            "cordon-node",
            NodeTarget,
            "Cordon the node",
            "Cordon",
            lambda t: (
                f"Cordon node `{t.name}` in cluster `{t.cluster}` (set spec.unschedulable=true). "
                "Pods already there keep running; no new pods are scheduled on it until it is "
                "uncordoned."
            ),
            _cordon,
        ),
        ActionSpec(
            "uncordon-node",
            NodeTarget,
            "Uncordon the node",
            "Uncordon",
            lambda t: (
                f"Uncordon node `{t.name}` in cluster `{t.cluster}` (clear spec.unschedulable). "
                "The scheduler may place new pods on it again."
            ),
            _uncordon,
            "primary",
        ),
    ]


def _scale_and_api_specs() -> list[ActionSpec[Any]]:
    """What a button does to a Deployment's replicas or to an APIService."""
    return [
        ActionSpec(
            "scale-deployment",
            ScaleTarget,
            "Scale the Deployment",
            "Scale",
            lambda t: (
                f"Set the replicas of Deployment `{t.namespace}/{t.name}` in cluster `{t.cluster}` "
                f"to {t.replicas}."
            ),
            _scale,
        ),
        ActionSpec(
            "delete-apiservice",
            ApiServiceTarget,
            "Delete the APIService",
            "Delete APIService",
            lambda t: (
                f"Delete APIService `{t.name}` in cluster `{t.cluster}`. Discovery stops failing "
                "for its group/version, which is no longer served; reinstalling the product that "
                "provides it recreates it."
            ),
            _delete_apiservice,
        ),
    ]


ACTIONS: dict[str, ActionSpec[Any]] = {
    spec.kind: spec for spec in (*_pod_specs(), *_restart_and_node_specs(), *_scale_and_api_specs())
}
"""kind -> spec; the complete list of what a button can do."""
