"""Per action kind: the target the evidence supports for a catalog entry, or None.

Each planner reads only verified facts (PodFacts/NodeFacts from the cluster,
or a live read through the reader) and names a target only when the catalog
entry's `when` condition demonstrably holds; anything uncertain yields None,
so no button is offered. `scale-deployment` has no planner: the replica
count is a human decision, never inferred.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader
from bot.evidence.facts import NodeFacts, PodFacts
from bot.remediation.targets import (
    ApiServiceTarget,
    NodeTarget,
    PodTarget,
    PvcAndPodTarget,
    Target,
    WorkloadTarget,
)
from intents.schema import RemediationAction

TIDB_COMPONENTS = frozenset({"pd", "tikv", "tidb"})
COMPONENT = "app.kubernetes.io/component"
INSTANCE = "app.kubernetes.io/instance"
RESTARTABLE = ("Deployment", "StatefulSet", "DaemonSet")
_VERSION = r"v\d+(?:(?:alpha|beta)\d+)?"
_GROUP = r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)+"
_GROUP_VERSION = re.compile(rf"(?<![\w.-])({_GROUP})/({_VERSION})\b")
_APISERVICE = re.compile(rf"(?<![\w.-])({_VERSION})\.({_GROUP})\b")
MAX_APISERVICE_CHECKS = 3


@dataclass(frozen=True)
class Context:
    """What a planner may look at."""

    cluster: str
    entry_id: str
    pod: PodFacts | None
    node: NodeFacts | None
    reader: ClusterReader | None
    text: str


Planner = Callable[[Context, RemediationAction], Awaitable[Target | None]]


def crash_looping(pod: PodFacts) -> bool:
    return any(not c.init and (c.reason == "CrashLoopBackOff" or (c.restarts > 0 and not c.ready))
               for c in pod.containers)


def controller(pod: PodFacts) -> str | None:
    """"Kind/name" of the pod's controller, if it has one."""
    return f"{pod.owner_refs[0][0]}/{pod.owner_refs[0][1]}" if pod.owner_refs else None


def _pod(ctx: Context, pod: PodFacts) -> PodTarget:
    return PodTarget(cluster=ctx.cluster, namespace=pod.namespace, name=pod.name,
                     owner=controller(pod), uid=pod.uid)


REASON_DELETES = {"pod-evicted": "Evicted", "too-many-pods": "OutOfpods",
                  "pending-node-selector-mismatch": "NodeAffinity"}
"""Entries whose `delete-pod` deletes the diagnosed pod itself, when rejected with this reason."""


async def delete_pod(ctx: Context, action: RemediationAction) -> Target | None:
    pod = ctx.pod
    if pod is None:
        return None
    if ctx.entry_id == "pd-waiting-for-discovery":
        return await _discovery_pod(ctx, pod)
    reason = REASON_DELETES.get(ctx.entry_id)
    if reason is None or pod.reason != reason:
        return None  # e.g. volume-multi-attach, kube-proxy: the target is another pod we cannot pin
    if reason != "Evicted" and not pod.owner_refs:
        return None  # "and owner exists": nothing would recreate it
    return _pod(ctx, pod)


async def _discovery_pod(ctx: Context, pd: PodFacts) -> Target | None:
    """The `<cluster>-discovery-*` pod of the PD pod's TidbCluster (same instance label)."""
    instance = pd.labels.get(INSTANCE) or (pd.name.rsplit("-pd-", 1)[0] if "-pd-" in pd.name
                                            else None)
    if ctx.reader is None or not instance or not re.fullmatch(r"[-A-Za-z0-9_.]{1,63}", instance):
        return None
    selector = f"{COMPONENT}=discovery,{INSTANCE}={instance}"
    try:
        pods = await ctx.reader.list("pods", pd.namespace, label_selector=selector, limit=20)
    except ClusterError:
        return None
    live = sorted((p for p in pods if not (p.get("metadata") or {}).get("deletionTimestamp")
                   and str(p["metadata"].get("name", "")).startswith(f"{instance}-discovery")),
                  key=lambda p: str(p["metadata"]["name"]))
    if not live:
        return None
    found = live[0]
    refs = [r for r in found["metadata"].get("ownerReferences") or [] if r.get("controller", True)]
    owner = f"{refs[0]['kind']}/{refs[0]['name']}" if refs else None
    return PodTarget(cluster=ctx.cluster, namespace=pd.namespace,
                     name=str(found["metadata"]["name"]), owner=owner,
                     uid=found["metadata"].get("uid"))


async def delete_pvc_and_pod(ctx: Context, action: RemediationAction) -> Target | None:
    """Only for a cluster-id mismatch: the crash-looping TiKV pod of a StatefulSet, one PVC."""
    pod = ctx.pod
    if ctx.entry_id != "tikv-cluster-id-mismatch" or pod is None or not crash_looping(pod):
        return None  # tikv-store-tombstone needs PD's store state and a human's judgement
    if pod.labels.get(COMPONENT) != "tikv" or ("StatefulSet" not in {k for k, _ in pod.owner_refs}):
        return None
    claims = pod.claims if len(pod.claims) == 1 else [c for c in pod.claims if c.startswith("tikv")]
    if len(claims) != 1:
        return None
    return PvcAndPodTarget(cluster=ctx.cluster, namespace=pod.namespace, name=pod.name,
                           owner=controller(pod), pvc=claims[0], uid=pod.uid)


async def annotate_debug(ctx: Context, action: RemediationAction) -> Target | None:
    pod = ctx.pod
    if pod is None or pod.labels.get(COMPONENT) not in TIDB_COMPONENTS or not crash_looping(pod):
        return None
    return _pod(ctx, pod)


def _owner_kinds(action: RemediationAction) -> tuple[str, ...]:
    """Kinds named by a `when: "owner in (A, B)"`; Deployment and StatefulSet otherwise."""
    found = re.search(r"owner in \(([^)]*)\)", action.when or "")
    named = tuple(k.strip() for k in found.group(1).split(",")) if found else ()
    return tuple(k for k in named if k in RESTARTABLE) or ("Deployment", "StatefulSet")


async def rollout_restart(ctx: Context, action: RemediationAction) -> Target | None:
    pod = ctx.pod
    if pod is None or not crash_looping(pod):
        return None
    chain = [(o.kind, o.name) for o in pod.owners] or list(pod.owner_refs)
    kinds = _owner_kinds(action)
    owner = next(((k, n) for k, n in chain if k in kinds), None)
    if owner is None:
        return None
    return WorkloadTarget.model_validate(
        {"cluster": ctx.cluster, "kind": owner[0], "namespace": pod.namespace, "name": owner[1]})


def _status(node: NodeFacts, kind: str) -> str | None:
    condition = node.condition(kind)
    return condition.status if condition else None


async def cordon_node(ctx: Context, action: RemediationAction) -> Target | None:
    node = ctx.node
    if node is None or node.unschedulable:
        return None
    if ctx.entry_id == "node-disk-pressure" and _status(node, "DiskPressure") == "True":
        return NodeTarget(cluster=ctx.cluster, name=node.name)
    if ctx.entry_id == "node-not-ready" and _status(node, "Ready") not in ("True", None):
        return NodeTarget(cluster=ctx.cluster, name=node.name)
    return None


async def uncordon_node(ctx: Context, action: RemediationAction) -> Target | None:
    node = ctx.node
    if node is None or not node.unschedulable or _status(node, "Ready") != "True":
        return None
    return NodeTarget(cluster=ctx.cluster, name=node.name)


def apiservice_names(text: str) -> list[str]:
    """APIService names mentioned in text: `metrics.k8s.io/v1beta1` or `v1beta1.metrics.k8s.io`."""
    names = [f"{m.group(2)}.{m.group(1)}" for m in _GROUP_VERSION.finditer(text)]
    names += [f"{m.group(1)}.{m.group(2)}" for m in _APISERVICE.finditer(text)]
    return list(dict.fromkeys(names))


async def delete_apiservice(ctx: Context, action: RemediationAction) -> Target | None:
    """An APIService named in the text that the cluster confirms exists and is not Available."""
    if ctx.reader is None:
        return None
    for name in apiservice_names(ctx.text)[:MAX_APISERVICE_CHECKS]:
        try:
            obj = await ctx.reader.get("apiservices", name)
        except ClusterError:
            continue
        conditions = (obj.get("status") or {}).get("conditions") or []
        if not any(c.get("type") == "Available" and c.get("status") == "True" for c in conditions):
            return ApiServiceTarget(cluster=ctx.cluster, name=name)
    return None


PLANNERS: dict[str, Planner] = {
    "delete-pod": delete_pod,
    "delete-pvc-and-pod": delete_pvc_and_pod,
    "annotate-debug": annotate_debug,
    "rollout-restart": rollout_restart,
    "cordon-node": cordon_node,
    "uncordon-node": uncordon_node,
    "delete-apiservice": delete_apiservice,
}
