"""Event rows of a paste, read by the one event reader (bot/cluster/outputs/events.py).

A row becomes an Event object there, and its facts here through `event_facts`, as a cluster's
events do; the paste keeps which namespace the row named and when the event was last seen.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.cluster.outputs import events as rows
from bot.cluster.outputs.ages import Stamp
from bot.evidence.common import event_facts
from intents.facts.model import EventFacts

EVENT_TYPES = rows.EVENT_TYPES


@dataclass(frozen=True)
class PastedEvent:
    """One event row, with the object it is about when the row names it."""

    event: EventFacts
    namespace: str | None = None
    age: int | None = None
    """Seconds since the event was last seen (its LAST SEEN cell), when the row gives it."""


def describe_row(line: str, *, kind: str = "Pod", name: str = "") -> EventFacts | None:
    """A row of a describe Events table (the object is the one described)."""
    found = rows.describe_row(line, {"kind": kind, "name": name})
    return event_facts(found) if found is not None else None


def get_row(line: str, *, namespaced: bool, wide: bool) -> PastedEvent | None:
    """A row of `kubectl get events` / `kubectl events` (with -A: a NAMESPACE first)."""
    found = rows.get_row(line, namespaced=namespaced, wide=wide, namespace=None)
    if found is None:
        return None
    last = found.get("lastTimestamp")
    return PastedEvent(
        event_facts(found),
        (found.get("involvedObject") or {}).get("namespace") if namespaced else None,
        int(last.ago) if isinstance(last, Stamp) and last.ago is not None else None,
    )
