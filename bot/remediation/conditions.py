"""When an action is offered: the catalog's typed `when` facts, each checked by one predicate.

`OFFER_FACTS` holds one predicate per field of `intents.schema.OfferWhen`
(a test fails when a field has none). A fact about a pod does not hold when
there is no pod (a pasted error, a node diagnosis), nor one about a node
when the node could not be read: an uncertain case gets no button.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.evidence.health import recent
from intents.checked import named_fields
from intents.facts.model import NodeFacts, PodFacts
from intents.schema import OfferWhen

Predicate = Callable[[Any, PodFacts | None, NodeFacts | None], bool]


def crash_looping(pod: PodFacts) -> bool:
    """A container backing off, restarted and not ready, or restarted repeatedly after failed
    runs the last of which ended within the hour (its newest run may be up for a moment: the
    kubelet can post that status between two crashes)."""
    now = datetime.now(UTC)
    return any(
        not c.init
        and (
            c.reason == "CrashLoopBackOff"
            or (c.restarts > 0 and not c.ready)
            or (
                c.restarts >= 2
                and c.last_exit_code not in (0, None)
                and recent(c.last_finished, now)
            )
        )
        for c in pod.containers
    )


def owner_chain(pod: PodFacts) -> list[tuple[str, str]]:
    """(kind, name) of the pod's owners, nearest first (the direct owner when the chain is unread)."""
    return [(o.kind, o.name) for o in pod.owners] or list(pod.owner_refs)


def _node_condition(spec: str, node: NodeFacts) -> bool:
    negated = "!=" in spec
    kind, status = spec.split("!=" if negated else "=", 1)
    condition = node.condition(kind)
    if condition is None:
        return False
    return condition.status != status if negated else condition.status == status


def _labels(wanted: dict[str, list[str]], pod: PodFacts) -> bool:
    return all(pod.labels.get(key) in values for key, values in wanted.items())


OFFER_FACTS: dict[str, Predicate] = {
    "pod_reason": lambda value, pod, node: pod is not None and pod.reason == value,
    "crash_looping": lambda value, pod, node: pod is not None and crash_looping(pod) == value,
    "pod_labels": lambda value, pod, node: pod is not None and _labels(value, pod),
    "has_owner": lambda value, pod, node: pod is not None and bool(pod.owner_refs) == value,
    "owner_kinds": lambda value, pod, node: (
        pod is not None and any(kind in value for kind, _ in owner_chain(pod))
    ),
    "node_conditions": lambda value, pod, node: (
        node is not None and all(_node_condition(spec, node) for spec in value)
    ),
    "node_cordoned": lambda value, pod, node: node is not None and node.unschedulable == value,
}
"""One predicate per `OfferWhen` field: (the field's value, the pod, the node) -> holds."""


def holds(when: OfferWhen, pod: PodFacts | None, node: NodeFacts | None) -> bool:
    """Every fact `when` names holds for this pod and node."""
    named = named_fields(when)
    return all(OFFER_FACTS[field](value, pod, node) for field, value in named.items())
