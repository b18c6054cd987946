"""A fleet thread's roll-call as a table: which clusters fail, since when, which recovered."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.fleet.rollcall import roll_call
from bot.storage.alert_records import AlertThread
from responses.alert_detail import AlertDetail, ClusterState

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def thread(*subjects: str, clusters: dict[str, dict[str, object]] | None = None) -> AlertThread:
    detail = {"fleet": {"clusters": clusters}} if clusters is not None else {}
    return AlertThread(
        key="fleet:incident:x",
        source="watch",
        channel="C0FLEET001",
        subjects=list(subjects),
        detail=detail,
        first_seen=T0,
        last_seen=T0,
    )


def clusters_of(after: AlertThread) -> dict[str, ClusterState]:
    roll = AlertDetail.read(after.detail).fleet
    assert roll is not None
    return dict(roll.clusters)


def test_a_first_cluster_is_listed_failing_with_its_namespace_and_cause() -> None:
    after = roll_call(
        thread("prod|wabc|web-1"),
        cluster="prod",
        at=T0,
        namespace="shop",
        cause=("oom-killed", True),
    )
    assert clusters_of(after) == {
        "prod": ClusterState(
            since=T0.isoformat(), namespace="shop", cause="oom-killed", confirmed=True
        )
    }


def test_a_cluster_whose_subjects_cleared_is_resolved_and_the_others_keep_their_since() -> None:
    later = T0 + timedelta(minutes=5)
    before = {
        "prod": {"since": T0.isoformat(), "resolved_at": None},
        "dev": {"since": T0.isoformat(), "resolved_at": None},
    }
    after = roll_call(thread("prod|wabc|web-1", clusters=before), cluster="dev", at=later)
    clusters = clusters_of(after)
    assert clusters["dev"].resolved_at == later.isoformat() and clusters["prod"] == ClusterState(
        since=T0.isoformat()
    )


def test_a_cluster_failing_again_starts_a_new_since() -> None:
    later = T0 + timedelta(minutes=9)
    before = {
        "dev": {"since": T0.isoformat(), "resolved_at": (T0 + timedelta(minutes=2)).isoformat()}
    }
    after = roll_call(replace(thread("dev|wabc|web-2", clusters=before)), cluster="dev", at=later)
    assert clusters_of(after)["dev"] == ClusterState(since=later.isoformat())
