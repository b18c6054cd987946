"""`kubectl get events` (and `kubectl events`) tables: each row an event about the object it names.

kubectl does not list events in time order, so the LAST SEEN ages say what happened since:
a FailedScheduling of a pod placed since (bot.evidence.history) and a FailedCreate of a
controller that created its pods or met another refusal since (bot.evidence.history) are
history, dropped once the whole table is read.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.cluster.outputs.table import Header
from bot.evidence import history as since
from bot.paste.events import PastedEvent, get_row
from bot.paste.table_model import Row, TableBlock, TableReading


def read_row(line: str, header: Header, shape: str) -> Row:
    return get_row(line, namespaced=header.namespaced, wide=header.wide)


def forget_history(block: TableBlock, rows: Sequence[str], header: Header) -> None:
    """Drop the rows of failures their object got past (their lines become quiet)."""
    gone = history([row for _line, row in block.event_rows])
    block.quiet.update(block.event_rows[at][0] for at in gone)
    block.event_rows = [pair for at, pair in enumerate(block.event_rows) if at not in gone]


def history(rows: list[PastedEvent]) -> set[int]:
    """Rows of failures their object got past, by the LAST SEEN ages."""
    by_object: dict[tuple[str, str | None, str], list[int]] = {}
    for at, row in enumerate(rows):
        by_object.setdefault(
            (row.event.object_kind, row.namespace, row.event.object_name), []
        ).append(at)
    recency = [None if row.age is None else -row.age for row in rows]
    desired = since.desired_replicas([row.event for row in rows], recency)
    gone: set[int] = set()
    for (kind, _namespace, name), indexes in by_object.items():
        if not name or kind not in ("Pod", *since.CONTROLLER_KINDS):
            continue
        events = [rows[at].event for at in indexes]
        ages = [recency[at] for at in indexes]
        found = (
            since.scheduling_got_past(events, ages)
            if kind == "Pod"
            else since.creations_got_past(
                events, ages, desired.get(name) if kind == "ReplicaSet" else None
            )
        )
        gone.update(indexes[at] for at in found)
    return gone


EVENTS = TableReading(
    "get events",
    lambda header: header.kind == "events",
    frozenset({"PodFacts.events", "NodeFacts.events"}),
    row=read_row,
    finish=forget_history,
)
