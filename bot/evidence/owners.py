"""The pod's owner chain (ReplicaSet -> Deployment, StatefulSet, DaemonSet, Job).

Controllers report what stops them from creating pods (FailedCreate: quota,
PodSecurity, webhooks) as events on themselves, and rollouts report stalls as
conditions (ProgressDeadlineExceeded); both are read for the direct owner,
in parallel with walking up the chain.  A custom resource at the top that
reports the pod-level cause (a Knative Revision above its Deployment, a
CloudNativePG Cluster, an ACME Challenge above its solver pod) is read too, and
its status becomes a fact (intents.facts.custom_status); one the cluster does not
have, or kubemedic may not read, ends the walk as before.
"""

from __future__ import annotations

import asyncio

from bot.cluster.errors import ClusterError
from bot.cluster.reader import ClusterReader, JsonObject, Kind
from bot.evidence.common import bounded, gap
from bot.evidence.events import current, object_events
from intents.facts.custom_status import resource_status
from intents.facts.model import EventFacts, OwnerFacts, PodFacts

OWNER_KINDS: dict[str, Kind] = {
    "ReplicaSet": "replicasets",
    "Deployment": "deployments",
    "StatefulSet": "statefulsets",
    "DaemonSet": "daemonsets",
    "Job": "jobs",
    "Revision": "revisions.serving.knative.dev",
    "Cluster": "clusters.postgresql.cnpg.io",
    "Challenge": "challenges.acme.cert-manager.io",
}
CUSTOM_OWNERS = frozenset({"Revision", "Cluster", "Challenge"})
"""Owner kinds that are custom resources: their CRD may not be installed (another product's
`Cluster`), so a failed read ends the walk quietly."""
MAX_DEPTH = 4


def owner_facts(kind: str, obj: JsonObject) -> OwnerFacts:
    custom = resource_status(obj) if kind in CUSTOM_OWNERS else None
    conditions = [
        c
        for c in (obj.get("status") or {}).get("conditions") or []
        if c.get("type") != "Available" or c.get("status") != "True"
    ]
    meta = obj.get("metadata") or {}
    return OwnerFacts(
        kind=kind,
        name=str(meta.get("name")),
        uid=str(meta["uid"]) if meta.get("uid") else None,
        condition_reasons=tuple(str(c.get("reason")) for c in conditions if c.get("reason")),
        condition_messages=tuple(
            bounded(c.get("message")) or ""
            for c in conditions
            if c.get("message") and c.get("status") != "True"
        ),
        conditions=tuple(
            (str(c.get("reason")), bounded(c.get("message")) or "")
            for c in conditions
            if c.get("reason")
        ),
        custom=custom,
    )


def controller_of(obj: JsonObject) -> tuple[str, str] | None:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller", True):
            return str(ref.get("kind")), str(ref.get("name"))
    return None


def guessed_deployment(first: tuple[str, str], labels: dict[str, str]) -> str | None:
    """A ReplicaSet made by a Deployment is named '<deployment>-<pod-template-hash>'."""
    kind, name = first
    suffix = "-" + labels.get("pod-template-hash", "\0")
    return name.removesuffix(suffix) if kind == "ReplicaSet" and name.endswith(suffix) else None


async def owner_chain(
    reader: ClusterReader,
    namespace: str,
    first: tuple[str, str],
    *,
    labels: dict[str, str] | None = None,
) -> list[OwnerFacts]:
    """Walk controllers upwards; kinds we cannot read (custom resources) end the walk.

    The Deployment above a ReplicaSet is fetched speculatively, in parallel with
    the ReplicaSet (its name follows from the pod-template-hash label), so the
    usual chain costs one round-trip; the guess is used only if it was right.
    """
    guess = guessed_deployment(first, labels or {})
    early = asyncio.ensure_future(reader.get("deployments", guess, namespace)) if guess else None
    chain: list[OwnerFacts] = []
    link: tuple[str, str] | None = first
    try:
        while link is not None and len(chain) < MAX_DEPTH:
            kind, name = link
            if kind not in OWNER_KINDS:
                chain.append(OwnerFacts(kind=kind, name=name))
                break
            if early is not None and link == ("Deployment", guess):
                obj, early = await early, None
            elif kind in CUSTOM_OWNERS:
                try:
                    obj = await reader.get(OWNER_KINDS[kind], name, namespace)
                except ClusterError:  # not installed, another product's kind, or not granted
                    chain.append(OwnerFacts(kind=kind, name=name))
                    break
            else:
                obj = await reader.get(OWNER_KINDS[kind], name, namespace)
            chain.append(owner_facts(kind, obj))
            link = controller_of(obj)
    finally:
        if early is not None:
            early.cancel()
            await asyncio.gather(early, return_exceptions=True)
    return chain


class OwnersCollector:
    """The controllers above the pod, and the direct controller's events."""

    what = "owners"

    async def collect(self, facts: PodFacts, *, reader: ClusterReader) -> None:
        if not facts.owner_refs:
            return
        kind, name = facts.owner_refs[0]
        chain, events = await asyncio.gather(
            owner_chain(reader, facts.namespace, (kind, name), labels=facts.labels),
            self._events(reader, facts, kind, name),
        )
        facts.owners.extend(chain)
        facts.events.extend(current(events))  # a refusal its controller got past is history
        for owner in chain:
            if owner.custom is not None:
                fact, status = owner.custom
                facts.more[fact] = (*facts.more.get(fact, ()), status)

    @staticmethod
    async def _events(
        reader: ClusterReader, facts: PodFacts, kind: str, name: str
    ) -> list[EventFacts]:
        try:
            return await object_events(
                reader, kind, name, namespace=facts.namespace, fallback_when_empty=False
            )
        except ClusterError as exc:
            facts.gaps.append(gap(f"events of {kind} {name}", exc))
            return []
