"""Probe failures a pod got past: it runs, every container ready, none ever restarted.

An app that is slow to start fails its first liveness and readiness probes,
and the kubelet writes an Unhealthy event for each.  When the paste also
shows the pod Running with every container ready and no restart, it got past
them: liveness never reached its failure threshold (it would have restarted
the container) and readiness succeeds now.  Those failures are history,
neither a fact nor a line for the matcher.  A probe failing again and again
(seen FLAPPING_COUNT times or more) on a ready pod is still trouble: the pod
flaps between ready and not.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.paste.event_subjects import event_subjects
from bot.paste.model import PastedFacts
from bot.paste.reading import AfterReading
from bot.paste.table_model import TableBlock
from intents.facts.model import EventFacts

FLAPPING_COUNT = 3
"""The kubelet's default failureThreshold: a probe failing this often has acted on the pod."""
_PROBES = (
    "Liveness probe failed",
    "Readiness probe failed",
    "Startup probe failed",
    "Liveness probe errored",
    "Readiness probe errored",
    "Startup probe errored",
)


def warming_up(event: EventFacts) -> bool:
    """A probe failure seen fewer times than a probe's default failure threshold."""
    return (
        event.reason == "Unhealthy"
        and event.message.lstrip().startswith(_PROBES)
        and event.count < FLAPPING_COUNT
    )


def resolved(events: Sequence[EventFacts]) -> set[int]:
    """Indexes of the probe failures of a pod shown steady (the caller knows it is)."""
    return {at for at, event in enumerate(events) if warming_up(event)}


def steady(phase: str | None, ready: Sequence[str | None], restarts: Sequence[str | None]) -> bool:
    """Running, every (app) container `Ready: True`, each `Restart Count: 0`."""
    return (
        phase == "Running"
        and bool(ready)
        and all(value == "True" for value in ready)
        and all(value == "0" for value in restarts)
    )


def forget_warm_up(facts: PastedFacts) -> None:
    """Pods a `get pods` table shows steady got past the probe failures of their start: their
    event rows in any table are history."""
    tables = [block for block in facts.blocks if isinstance(block, TableBlock)]
    steady_pods = frozenset().union(*(block.steady_pods for block in tables))
    if steady_pods:
        for block in tables:
            _forget(block, steady_pods)


def _forget(block: TableBlock, steady_pods: frozenset[str]) -> None:
    gone = [
        (number, row)
        for number, row in block.event_rows
        if row.event.object_kind == "Pod"
        and row.event.object_name in steady_pods
        and warming_up(row.event)
    ]
    if not gone:
        return
    block.quiet.update(number for number, _row in gone)
    block.event_rows = [pair for pair in block.event_rows if pair not in gone]
    block.subjects = block.object_subjects + event_subjects(
        [row for _n, row in block.event_rows], block.shape
    )
    block.resettle()


FORGET_WARM_UP = AfterReading(
    "probe failures of a start", forget_warm_up, "steady pod rows and event rows"
)
