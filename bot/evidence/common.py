"""Shared helpers for the collectors: bounded text, quantities, events, gap wording.

Kept in one place (like k8sgpt's util.go) so every collector bounds text and
words its failures the same way.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar, cast

from bot.cluster.errors import (
    ClusterError,
    Forbidden,
    NotFound,
    Throttled,
    TimedOut,
    Unauthorized,
    Unreachable,
)
from bot.cluster.reader import JsonObject
from bot.errors import UserFacingError
from intents.facts.model import EventFacts, NodeCondition
from responses.redaction import Redacted, redact

MAX_MESSAGE_CHARS = 2000
TAIL_LINES = 200  # log lines read (or taken from a paste) per container
_QUANTITY = re.compile(r"^([0-9.]+)([a-zA-Z]*)$")
_SUFFIX = {
    "": 1.0,
    "m": 1e-3,
    "k": 1e3,
    "M": 1e6,
    "G": 1e9,
    "T": 1e12,
    "P": 1e15,
    "Ki": 2.0**10,
    "Mi": 2.0**20,
    "Gi": 2.0**30,
    "Ti": 2.0**40,
    "Pi": 2.0**50,
}


def bounded(text: Any, limit: int = MAX_MESSAGE_CHARS) -> str | None:
    """A message cut to `limit` characters (None stays None)."""
    if text is None:
        return None
    value = str(text)
    return value if len(value) <= limit else value[:limit] + "..."


def status_conditions(status: JsonObject) -> list[NodeCondition]:
    """An object's `status.conditions` (a Node's, a Pod's, a Deployment's...), messages bounded."""
    return [
        NodeCondition(
            str(c.get("type")),
            str(c.get("status")),
            c.get("reason") or "",
            bounded(c.get("message")) or "",
        )
        for c in status.get("conditions") or []
        if isinstance(c, dict) and c.get("type")
    ]


def quantity(value: Any) -> float:
    """A Kubernetes quantity ("100m", "512Mi", "8") as a float; 0 when unparseable."""
    match = _QUANTITY.match(str(value).strip())
    if not match or match.group(2) not in _SUFFIX:
        return 0.0
    try:
        return float(match.group(1)) * _SUFFIX[match.group(2)]
    except ValueError:
        return 0.0


def event_facts(event: JsonObject) -> EventFacts:
    """EventFacts from a core/v1 or events.k8s.io/v1 Event."""
    regarding = event.get("involvedObject") or event.get("regarding") or {}
    series = event.get("series") or {}
    count = series.get("count") or event.get("count") or event.get("deprecatedCount") or 1
    return EventFacts(
        reason=str(event.get("reason") or ""),
        message=bounded(event.get("message") or event.get("note") or "") or "",
        type=str(event.get("type") or "Normal"),
        count=int(count),
        object_kind=str(regarding.get("kind") or ""),
        object_name=str(regarding.get("name") or ""),
        first_seen=str(event.get("firstTimestamp") or event.get("eventTime") or ""),
        last_seen=str(
            series.get("lastObservedTime")
            or event.get("lastTimestamp")
            or event.get("eventTime")
            or event.get("firstTimestamp")
            or ""
        ),
    )


def involved(kind: str, name: str, namespace: str | None = None) -> str:
    """The core/v1 field selector for events about one object."""
    selector = f"involvedObject.kind={kind},involvedObject.name={name}"
    return selector + (f",involvedObject.namespace={namespace}" if namespace else "")


def regarding(kind: str, name: str, namespace: str | None = None) -> str:
    """The events.k8s.io/v1 field selector for events about one object."""
    selector = f"regarding.kind={kind},regarding.name={name}"
    return selector + (f",regarding.namespace={namespace}" if namespace else "")


def failure_reason(exc: BaseException) -> Redacted:
    """Why something could not be read, in the words of a gap: redacted, as the error's words are
    outside text (an API server's message, a proxy's URL)."""
    return redact(_reason(exc))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, Unauthorized):
        return f"unauthorized (the API server rejected kubemedic's credentials: {exc})"
    if isinstance(exc, Forbidden):
        return f"forbidden (missing RBAC permission: {exc.permission})"
    if isinstance(exc, TimedOut):
        return str(exc)
    if isinstance(exc, NotFound):
        return f"not found ({exc})"
    if isinstance(exc, Throttled):
        return f"the API server is throttling requests ({exc})"
    if isinstance(exc, Unreachable):
        return f"unreachable ({exc})"
    if isinstance(exc, (ClusterError, UserFacingError)):  # e.g. a dump file refused as bad input
        return str(exc)
    return f"internal error ({type(exc).__name__})"


def gap(what: str, exc: BaseException) -> str:
    """A named evidence gap: 'could not read events: forbidden (...)'."""
    return f"could not read {what}: {failure_reason(exc)}"


T = TypeVar("T")
MAX_DERIVED = 8
_DERIVED: OrderedDict[tuple[str, int], tuple[object, object]] = OrderedDict()


def derived(what: str, objects: list[JsonObject], build: Callable[[list[JsonObject]], T]) -> T:
    """`build(objects)`, once per list: a caching reader hands every pod of a many-pod
    diagnosis the same list (the node's pods, the namespace's Services), so what is derived
    from it (totals, an index) is made once, not once per pod. The few lists last used are kept
    alive with their results, so an identity is never reused for another list."""
    key = (what, id(objects))
    found = _DERIVED.get(key)
    if found is not None and found[0] is objects:
        _DERIVED.move_to_end(key)
        return cast(T, found[1])
    value = build(objects)
    _DERIVED[key] = (objects, value)
    while len(_DERIVED) > MAX_DERIVED:
        _DERIVED.popitem(last=False)
    return value
