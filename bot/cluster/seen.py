"""What an object read from text did not show: every fact is seen present, seen absent, or not seen.

A live cluster and a dump give whole objects, so a field they lack is absent. Text (recorded
outputs, a paste) gives views: a `get svc` row shows ports but never a targetPort, a `get pods`
row no labels (without --show-labels), no container specs and no events. A view names the facts
it could not show under UNSEEN; the views of one object merged keep only what none of them
showed. A check that needs a fact nobody showed says what to run instead of reading its absence.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.cluster.reader import JsonObject

UNSEEN = "kubemedic.io/unseen"
"""The key (top level of an object read from text) listing the facts its views did not show."""

LABELS = "labels"
"""The object's labels (a table shows them with --show-labels only)."""
CONTAINERS = "containers"
"""A pod's container specs: ports, probes, env (describe or -o yaml show them, a row does not)."""
TEMPLATE = "template"
"""A controller's pod template: its labels and container specs."""
SELECTOR = "selector"
"""A Service's or a controller's selector (a table shows it with -o wide only)."""
TARGET_PORTS = "targetPorts"
"""A Service's targetPorts (`get svc` prints 80/TCP, never where it goes)."""
EVENTS = "events"
"""The object's events (describe shows them; a row or -o yaml does not)."""
EVERY_FACT = (LABELS, CONTAINERS, TEMPLATE, SELECTOR, TARGET_PORTS, EVENTS)
"""What a bare name (`kubectl get pods -o name`) leaves unseen."""


def unseen(obj: JsonObject) -> frozenset[str]:
    """The facts no view of `obj` showed (none for an object read from a cluster or a dump)."""
    found = obj.get(UNSEEN)
    return frozenset(found) if isinstance(found, list) else frozenset()


def seen(obj: JsonObject, fact: str) -> bool:
    """Some view of `obj` showed `fact` (present or absent)."""
    return fact not in unseen(obj)


def mark(obj: JsonObject, facts: Iterable[str]) -> JsonObject:
    """`obj` with `facts` named unseen (none: the key is dropped)."""
    found = sorted(set(facts))
    if found:
        obj[UNSEEN] = found
    else:
        obj.pop(UNSEEN, None)
    return obj


def shown(obj: JsonObject, facts: Iterable[str]) -> None:
    """A richer reading of `obj` showed `facts`: they are no longer unseen."""
    mark(obj, unseen(obj) - set(facts))


def merged(old: JsonObject, new: JsonObject) -> list[str] | None:
    """The facts unseen once `new` is merged over `old`: those neither view showed."""
    if UNSEEN not in old or UNSEEN not in new:
        return None
    return sorted(unseen(old) & unseen(new))
