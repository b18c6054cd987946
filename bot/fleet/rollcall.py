"""A fleet-wide incident's roll-call: which clusters fail, since when, and which have recovered.

Pure, like bot/noise/merging.py: after a report is merged into an incident's thread (its
subjects are `CLUSTER|SCOPE|SUBJECT`), `roll_call` brings the thread's `detail["fleet"]` up to
date, so the message lists every cluster that took part, each failing or resolved on its
own, and the thread resolves when the last one does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.storage.alert_records import AlertThread

SEPARATOR = "|"


def cluster_of(subject: str) -> str:
    return subject.partition(SEPARATOR)[0]


def failing_clusters(thread: AlertThread) -> set[str]:
    return {cluster_of(subject) for subject in thread.subjects}


def roll_call(
    thread: AlertThread,
    *,
    cluster: str,
    at: datetime,
    namespace: str | None = None,
    cause: Mapping[str, Any] | None = None,
) -> AlertThread:
    """`thread` with its clusters' states after `cluster` reported at `at` (`cause`: that cluster's
    headline cause, when its report carried a diagnosis)."""
    clusters: dict[str, dict[str, Any]] = {
        name: dict(state)
        for name, state in ((thread.detail.get("fleet") or {}).get("clusters") or {}).items()
    }
    failing = failing_clusters(thread)
    for name in sorted(set(clusters) | failing):
        state = clusters.setdefault(name, {})
        if name in failing and (state.get("resolved_at") or "since" not in state):
            state.update(since=at.isoformat(), resolved_at=None)
        elif name not in failing and not state.get("resolved_at"):
            state["resolved_at"] = at.isoformat()
    mine = clusters.get(cluster)
    if mine is not None:
        if namespace:
            mine["namespace"] = namespace
        if cause and cause.get("id"):
            mine.update(cause=str(cause["id"]), confirmed=bool(cause.get("confirmed")))
    return replace(thread, detail={**thread.detail, "fleet": {"clusters": clusters}})
