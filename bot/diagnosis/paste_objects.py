"""Objects a paste shows that are neither pods, nodes nor volumes: what each states of itself.

Every object says something about itself that the rules read, as `kubectl describe` and `-o yaml`
show it: its conditions (a Deployment's ProgressDeadlineExceeded, a custom resource's Ready
False), its deletion held by a finalizer, a custom resource's status (intents.facts.custom_status),
a LoadBalancer Service still without its address. A workload short of its pods (a DaemonSet with
fewer ready than it wants, a Deployment past its progress deadline with fewer available) and a
quota at its hard limit are facts too. An object a describe shows of a kind none of these judge
is left to its text: unhealthy, so its lines are read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from bot.cluster.moments import moment
from bot.cluster.reader import JsonObject
from bot.cluster.seen import EVENTS
from bot.diagnosis.paste_lines import healthy_condition
from bot.diagnosis.paste_model import Subject
from bot.evidence import health
from bot.evidence.common import status_conditions
from bot.evidence.quotas import quota_facts
from intents.facts.custom_status import resource_status
from intents.facts.kind import FactKind
from intents.facts.kinds import KINDS
from intents.facts.model import EventFacts, OwnerFacts, PodFacts, QuotaFacts, ServiceFacts

PROGRESS_DEADLINE_SECONDS = 600
"""A Deployment's default spec.progressDeadlineSeconds: before it, a rollout may just be slow."""
JUDGED_KINDS = frozenset({"Deployment", "ReplicaSet", "Job", "StatefulSet", "DaemonSet"})
"""Kinds whose describe says whether they are well (their conditions and pods)."""


RECORDED: dict[str, list[FactKind]] = {}
for _kind in KINDS:
    if _kind.recorded is not None:
        RECORDED.setdefault(_kind.recorded.plural, []).append(_kind)
"""The fact kinds that read recorded objects, by the plural of the objects they read."""


@dataclass(frozen=True)
class Shown:
    """How a paste shows one object: its key words and the events about it."""

    plural: str
    kind: str
    name: str
    namespace: str
    label: str
    shape: str
    events: list[EventFacts]
    described: bool
    """A describe showed it (not only a row)."""


def object_subject(obj: JsonObject, shown: Shown, now: datetime) -> Subject | None:
    """The object's subject, or None when it states nothing (a healthy row)."""
    facts = PodFacts(namespace=shown.namespace, name=shown.name, events=shown.events)
    owner = _owner(shown.kind, shown.name, obj, now)
    failing = _states(obj, shown, facts, owner)
    healthy = all(health.event_healthy(e) for e in shown.events) and not failing
    if owner is not None:
        facts.owners = facts.owners or [owner]  # (or the owner being deleted)
        healthy = healthy and _owner_healthy(owner)
    judged = owner is not None or bool(facts.more) or shown.kind in JUDGED_KINDS
    if shown.described and not judged:
        healthy = False  # a kind whose health these facts cannot tell: its text decides
    if not (shown.events or shown.described or owner or failing or facts.more):
        return None
    seen = {EVENTS} if shown.events else set()
    return Subject(shown.label, shown.shape, facts, seen, healthy)


def _states(obj: JsonObject, shown: Shown, facts: PodFacts, owner: OwnerFacts | None) -> bool:
    """Fill what the object states of itself (a deletion under way, a balancer still pending,
    a custom resource's status, a quota at its limit, a Job's failed pods, a recorded fact kind's
    own); True when one of them is a failure."""
    failing = False
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        facts.owners = [replace(owner or OwnerFacts(shown.kind, shown.name), deleting=True)]
        failing = True
    if _balancer_pending(obj):
        facts.services = [ServiceFacts(shown.name, -1, -1, balancer_pending=True)]
        failing = True
    if (custom := resource_status(obj)) is not None:
        facts.more[custom[0]] = (custom[1],)
        failing = failing or not custom[1].healthy
    if shown.kind == "ResourceQuota" and (full := _full(obj)) is not None:
        facts.quotas = [full]
        failing = True
    failing = failing or bool(shown.kind == "Job" and (obj.get("status") or {}).get("failed"))
    for kind in RECORDED.get(shown.plural, ()):
        if kind.recorded is not None and (fact := kind.recorded.read(obj)) is not None:
            facts.more[kind.name] = (fact,)
            failing = True
    return failing


def _owner(kind: str, name: str, obj: JsonObject, now: datetime) -> OwnerFacts | None:
    """What a controller or any object with conditions says of itself."""
    conditions = status_conditions(obj.get("status") or {})
    short = _short(kind, obj, now)
    if not conditions and short is None:
        return None
    return OwnerFacts(
        kind,
        name,
        tuple(c.reason for c in conditions if c.reason),
        condition_states=tuple(
            f"{c.type}={c.status}" for c in conditions if not healthy_condition(c.type, c.status)
        ),
        short=short,
    )


def _owner_healthy(owner: OwnerFacts) -> bool:
    return not owner.condition_states and owner.short is None


def _short(kind: str, obj: JsonObject, now: datetime) -> tuple[int, int] | None:
    """(ready, desired) of a DaemonSet with fewer pods ready than nodes it wants; (available,
    desired) of a Deployment short of available replicas past its progress deadline."""
    status: dict[str, Any] = obj.get("status") or {}
    if kind == "DaemonSet":
        return _fewer(status.get("numberReady"), status.get("desiredNumberScheduled"))
    created = moment((obj.get("metadata") or {}).get("creationTimestamp"))
    if kind != "Deployment" or created is None:
        return None
    if (now - created).total_seconds() < PROGRESS_DEADLINE_SECONDS:
        return None
    return _fewer(status.get("availableReplicas"), status.get("replicas"))


def _fewer(have: Any, want: Any) -> tuple[int, int] | None:
    """(have, want) when both are counts and fewer are there than wanted."""
    if isinstance(have, int) and isinstance(want, int) and have < want:
        return have, want
    return None


def _balancer_pending(obj: JsonObject) -> bool:
    """A LoadBalancer Service whose status holds no ingress yet, read from its spec (-o yaml,
    describe); a `get svc` row says <pending> in words, judged as such."""
    spec, status = obj.get("spec") or {}, obj.get("status")
    if obj.get("kind") != "Service" or spec.get("type") != "LoadBalancer" or status is None:
        return False
    balancer = status.get("loadBalancer") if isinstance(status, dict) else None
    return not (isinstance(balancer, dict) and balancer.get("ingress"))


def _full(quota: JsonObject) -> QuotaFacts | None:
    """A quota whose usage has reached its hard limit, each resource as `name used/hard`."""
    facts = quota_facts(quota)
    if not facts.full:
        return None
    status = quota.get("status") or {}
    hard, used = status.get("hard") or {}, status.get("used") or {}
    return QuotaFacts(facts.name, tuple(f"{key} {used[key]}/{hard[key]}" for key in facts.full))
