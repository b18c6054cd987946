"""Per target: the object an offered action acts on, verified against the cluster, or None.

The catalog names the action, its target and the facts that must hold
(`intents.schema.RemediationAction`; checked in `conditions`). A resolver
here only pins the exact object: the diagnosed pod (with its UID), its
owning workload, its node, the TiDB discovery pod beside a PD pod, or an
APIService named in the text. Anything uncertain yields None, so no button
is offered. No catalog id appears here: what an entry offers is data.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader, JsonObject
from bot.remediation.conditions import holds, owner_chain
from bot.remediation.targets import (
    ApiServiceTarget,
    NodeTarget,
    PodTarget,
    PvcAndPodTarget,
    Target,
    WorkloadTarget,
)
from intents.facts.model import NodeFacts, PodFacts
from intents.schema import RemediationAction

COMPONENT = "app.kubernetes.io/component"
INSTANCE = "app.kubernetes.io/instance"
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


def controller(pod: PodFacts) -> str | None:
    """ "Kind/name" of the pod's controller, if it has one."""
    return f"{pod.owner_refs[0][0]}/{pod.owner_refs[0][1]}" if pod.owner_refs else None


def _pod(ctx: Context, pod: PodFacts) -> PodTarget:
    return PodTarget(
        cluster=ctx.cluster,
        namespace=pod.namespace,
        name=pod.name,
        owner=controller(pod),
        uid=pod.uid,
    )


async def the_pod(ctx: Context, action: RemediationAction) -> Target | None:
    """The diagnosed pod (with its one claim for delete-pvc-and-pod)."""
    pod = ctx.pod
    if pod is None:
        return None
    if action.kind != "delete-pvc-and-pod":
        return _pod(ctx, pod)
    claims = _claims(pod, action.claim_prefix)
    if len(claims) != 1:
        return None
    claim_uid = next((v.uid for v in pod.volumes if v.claim == claims[0]), None)
    return PvcAndPodTarget(
        cluster=ctx.cluster,
        namespace=pod.namespace,
        name=pod.name,
        owner=controller(pod),
        pvc=claims[0],
        uid=pod.uid,
        pvc_uid=claim_uid,
    )


def _claims(pod: PodFacts, prefix: str | None) -> list[str]:
    """The pod's claims; with several, those starting with the catalog's prefix."""
    if len(pod.claims) == 1 or prefix is None:
        return list(pod.claims)
    return [c for c in pod.claims if c.startswith(prefix)]


async def discovery_pod(ctx: Context, action: RemediationAction) -> Target | None:
    return await _discovery_pod(ctx, ctx.pod) if ctx.pod is not None else None


async def _discovery_pod(ctx: Context, pd: PodFacts) -> Target | None:
    """The `<cluster>-discovery-*` pod of the PD pod's TidbCluster (same instance label)."""
    instance = _instance(pd)
    if ctx.reader is None or instance is None:
        return None
    selector = f"{COMPONENT}=discovery,{INSTANCE}={instance}"
    try:
        pods = await ctx.reader.list("pods", pd.namespace, label_selector=selector, limit=20)
    except ClusterError:
        return None
    live = sorted(
        (p for p in pods if _live_discovery(p, instance)), key=lambda p: str(p["metadata"]["name"])
    )
    if not live:
        return None
    meta = live[0]["metadata"]
    return PodTarget(
        cluster=ctx.cluster,
        namespace=pd.namespace,
        name=str(meta["name"]),
        owner=_controller(meta),
        uid=meta.get("uid"),
    )


def _controller(meta: JsonObject) -> str | None:
    """`Kind/name` of the object's first controlling owner."""
    refs = [r for r in meta.get("ownerReferences") or [] if r.get("controller", True)]
    return f"{refs[0]['kind']}/{refs[0]['name']}" if refs else None


def _instance(pd: PodFacts) -> str | None:
    """The PD pod's TidbCluster instance (its label, else its name's prefix), if a valid label value."""
    instance = pd.labels.get(INSTANCE) or (
        pd.name.rsplit("-pd-", 1)[0] if "-pd-" in pd.name else None
    )
    return instance if instance and re.fullmatch(r"[-A-Za-z0-9_.]{1,63}", instance) else None


def _live_discovery(pod: JsonObject, instance: str) -> bool:
    """A discovery pod of the instance, not being deleted."""
    meta = pod.get("metadata") or {}
    return not meta.get("deletionTimestamp") and str(meta.get("name", "")).startswith(
        f"{instance}-discovery"
    )


async def owner(ctx: Context, action: RemediationAction) -> Target | None:
    """The first workload of the pod's owner chain whose kind the catalog names."""
    pod = ctx.pod
    if pod is None:
        return None
    found = next(((k, n) for k, n in owner_chain(pod) if k in action.when.owner_kinds), None)
    if found is None:
        return None
    uid = next((o.uid for o in pod.owners if (o.kind, o.name) == found), None)
    return WorkloadTarget.model_validate(
        {
            "cluster": ctx.cluster,
            "kind": found[0],
            "namespace": pod.namespace,
            "name": found[1],
            "uid": uid,
        }
    )


async def node(ctx: Context, action: RemediationAction) -> Target | None:
    return NodeTarget(cluster=ctx.cluster, name=ctx.node.name) if ctx.node is not None else None


def apiservice_names(text: str) -> list[str]:
    """APIService names mentioned in text: `metrics.k8s.io/v1beta1` or `v1beta1.metrics.k8s.io`."""
    names = [f"{m.group(2)}.{m.group(1)}" for m in _GROUP_VERSION.finditer(text)]
    names += [f"{m.group(1)}.{m.group(2)}" for m in _APISERVICE.finditer(text)]
    return list(dict.fromkeys(names))


async def unavailable_apiservice(ctx: Context, action: RemediationAction) -> Target | None:
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


TARGETS: dict[str, Planner] = {
    "pod": the_pod,
    "owner": owner,
    "node": node,
    "tidb-discovery-pod": discovery_pod,
    "apiservice-in-text": unavailable_apiservice,
}
"""One resolver per `intents.schema.OfferTarget`."""


async def planned_target(ctx: Context, action: RemediationAction) -> Target | None:
    """The target of `action` when the catalog's facts hold and the object can be pinned."""
    if not holds(action.when, ctx.pod, ctx.node):
        return None
    return await TARGETS[action.target](ctx, action)
