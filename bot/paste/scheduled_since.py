"""Scheduling failures a pod got past: its later events come from the node.

A FailedScheduling event says the scheduler found no node at that time.  When
the same pod has a later event that only a node produces (the kubelet pulling,
mounting, starting or killing, or the scheduler's own Scheduled), the pod was
placed since, and if something failed there (a mount, a pull, a crash) that
failure is its problem now: the scheduling failure is history, neither a fact
to confirm an entry nor a line for the matcher.  With nothing failing after
it, the scheduling failure stays the story.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.paste.health import event_healthy
from intents.facts.model import EventFacts
from intents.reasons import NODE_EVENT_REASONS


def resolved(events: Sequence[EventFacts], recency: Sequence[float | None]) -> set[int]:
    """Indexes of the FailedScheduling events a later node event (by `recency`, larger is more
    recent) superseded, when some event after them failed on the node; empty otherwise."""
    failures = [at for at, event in enumerate(events) if event.reason == "FailedScheduling"]
    if not failures or any(recency[at] is None for at in failures):
        return set()
    last_failure = max(float(recency[at] or 0) for at in failures)
    onward = [
        event
        for at, event in enumerate(events)
        if event.reason in NODE_EVENT_REASONS
        and recency[at] is not None
        and float(recency[at] or 0) > last_failure
    ]
    if not any(not event_healthy(event) for event in onward):
        return set()
    return set(failures)
