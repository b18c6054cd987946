"""A fleet thread's roll-call: which clusters fail, since when, and which have recovered.

Pure, like bot/noise/merging.py: after a report is merged into a fleet thread (its
subjects are `CLUSTER|SCOPE|SUBJECT`), `roll_call` brings the thread's `fleet` roll call up to
date, so the message lists every cluster that took part, each failing or resolved on its
own, and the thread resolves when the last one does.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.storage.alert_records import AlertThread
from responses.alert_detail import AlertDetail, FleetRoll

SEPARATOR = "|"


def cluster_of(subject: str) -> str:
    return subject.partition(SEPARATOR)[0]


def failing_clusters(thread: AlertThread) -> set[str]:
    return {cluster_of(subject) for subject in thread.subjects}


def _mark(clusters: dict[str, dict[str, Any]], failing: set[str], at: datetime) -> None:
    """Each cluster failing since `at` (when it was not, or had resolved), or resolved at it."""
    for name in sorted(set(clusters) | failing):
        state = clusters.setdefault(name, {})
        if name in failing and (state.get("resolved_at") or not state.get("since")):
            state.update(since=at.isoformat(), resolved_at=None)
        elif name not in failing and not state.get("resolved_at"):
            state["resolved_at"] = at.isoformat()


def roll_call(
    thread: AlertThread,
    *,
    cluster: str,
    at: datetime,
    namespace: str | None = None,
    cause: tuple[str, bool] | None = None,
) -> AlertThread:
    """`thread` with its clusters' states after `cluster` reported at `at` (`cause`: that cluster's
    headline's catalog id and whether it is confirmed, when its report carried a diagnosis)."""
    roll = AlertDetail.read(thread.detail).fleet or FleetRoll()
    clusters = {name: state.model_dump() for name, state in roll.clusters.items()}
    _mark(clusters, failing_clusters(thread), at)
    mine = clusters.get(cluster)
    if mine is not None:
        if namespace:
            mine["namespace"] = namespace
        if cause is not None:
            mine.update(cause=cause[0], confirmed=cause[1])
    fleet = FleetRoll.model_validate({"clusters": clusters}).model_dump(
        mode="json", exclude_defaults=True
    )
    return replace(thread, detail={**thread.detail, "fleet": fleet})
