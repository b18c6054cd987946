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

from bot.evidence.history import warming_up
from bot.paste.event_subjects import event_subjects
from bot.paste.model import PastedFacts
from bot.paste.reading import AfterReading
from bot.paste.table_model import TableBlock


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
