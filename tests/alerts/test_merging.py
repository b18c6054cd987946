"""Noise control as a table: what each signal does to the one message of its key."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.noise.merging import Signal, merge
from bot.noise.routing import Destination
from bot.storage.alert_records import AlertThread

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
COOLDOWN = timedelta(minutes=30)
HERE = Destination(channel="C0ALERTS")


def signal(
    *firing: str,
    cleared: tuple[str, ...] = (),
    complete: bool = False,
    minutes: float = 1,
    notes: bool = True,
    counters: dict[str, int] | None = None,
    scope: str = "",
) -> Signal:
    return Signal(
        key="k",
        source="alertmanager",
        title="KubePodCrashLooping",
        destination=HERE,
        at=T0 + timedelta(minutes=minutes),
        firing=frozenset(firing),
        cleared=frozenset(cleared),
        complete=complete,
        counters=counters or {},
        notes=notes,
        scope=scope,
        names={
            "fp-a": "pod a",
            "fp-b": "pod b",
            "prod|fp-a": "prod: pod a",
            "dev|fp-b": "dev: pod b",
        },
    )


def posted(*subjects: str, **changes: object) -> AlertThread:
    base = AlertThread(
        key="k",
        source="alertmanager",
        channel="C0ALERTS",
        title="KubePodCrashLooping",
        subjects=list(subjects),
        message_ts="1.000100",
        version=3,
        posted_version=3,
        first_seen=T0,
        last_seen=T0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


CASES = [
    # (why, thread before, signal, outcome, subjects after, status after, notes added)
    (
        "first sighting: a new message",
        None,
        signal("fp-a", complete=True),
        "new",
        ["fp-a"],
        "firing",
        [],
    ),
    (
        "resolved before ever posted: nothing",
        None,
        signal(complete=True),
        "ignored",
        None,
        None,
        [],
    ),
    (
        "the same group again: update, no note",
        posted("fp-a"),
        signal("fp-a", complete=True),
        "repeated",
        ["fp-a"],
        "firing",
        [],
    ),
    (
        "one more alert in the group: update and a thread note",
        posted("fp-a"),
        signal("fp-a", "fp-b", complete=True),
        "changed",
        ["fp-a", "fp-b"],
        "firing",
        [("firing", ["pod b"])],
    ),
    (
        "one alert of two resolves: note, still firing",
        posted("fp-a", "fp-b"),
        signal("fp-a", complete=True),
        "changed",
        ["fp-a"],
        "firing",
        [("cleared", ["pod b"])],
    ),
    (
        "every alert resolved: edit to resolved, no note",
        posted("fp-a"),
        signal(complete=True),
        "resolved",
        [],
        "resolved",
        [],
    ),
    (
        "a watcher pod joins its workload's message: count, no note",
        posted("fp-a"),
        signal("fp-b", notes=False),
        "changed",
        ["fp-a", "fp-b"],
        "firing",
        [],
    ),
    (
        "a watcher pod recovers, another still fails",
        posted("fp-a", "fp-b"),
        signal(cleared=("fp-a",), notes=False),
        "changed",
        ["fp-b"],
        "firing",
        [],
    ),
    (
        "the last failing pod recovers: resolved",
        posted("fp-b"),
        signal(cleared=("fp-b",), notes=False),
        "resolved",
        [],
        "resolved",
        [],
    ),
    (
        "fires again within the cooldown: the same message reopens",
        posted(status="resolved", resolved_at=T0),
        signal("fp-a", complete=True, minutes=20),
        "reopened",
        ["fp-a"],
        "firing",
        [("again", ["pod a"])],
    ),
    (
        "fires again after the cooldown: a new message",
        posted(status="resolved", resolved_at=T0),
        signal("fp-a", complete=True, minutes=45),
        "new",
        ["fp-a"],
        "firing",
        [],
    ),
    (
        "a resolved key told it is resolved: nothing",
        posted(status="resolved", resolved_at=T0),
        signal(complete=True),
        "ignored",
        [],
        "resolved",
        [],
    ),
    # a fleet-wide incident: each cluster's group is complete within its own scope
    (
        "one cluster's group resolves, another cluster's still fires",
        posted("prod|fp-a", "dev|fp-b"),
        signal(complete=True, scope="prod|"),
        "changed",
        ["dev|fp-b"],
        "firing",
        [("cleared", ["prod: pod a"])],
    ),
    (
        "the last cluster's group resolves: resolved",
        posted("dev|fp-b"),
        signal(complete=True, scope="dev|"),
        "resolved",
        [],
        "resolved",
        [],
    ),
]


@pytest.mark.parametrize(
    ("why", "before", "sig", "outcome", "subjects", "status", "notes"),
    CASES,
    ids=[case[0] for case in CASES],
)
def test_what_a_signal_does_to_its_message(
    why: str,
    before: AlertThread | None,
    sig: Signal,
    outcome: str,
    subjects: list[str] | None,
    status: str | None,
    notes: list[tuple[str, list[str]]],
) -> None:
    merged = merge(before, sig, cooldown=COOLDOWN, detail={"cause": "x"})
    assert merged.outcome == outcome
    if subjects is None:
        assert merged.thread is None
        return
    after = merged.thread
    assert after is not None and after.subjects == subjects and after.status == status
    added = after.notes[len(before.notes) if before and outcome != "new" else 0 :]
    assert [(note["kind"], note["subjects"]) for note in added] == notes
    if outcome == "new":
        assert after.message_ts is None and after.version == 1 and after.detail == {"cause": "x"}
    elif outcome != "ignored":
        assert after.message_ts == "1.000100" and after.version == 4  # the same message, changed


def test_resolution_records_when_and_counts_add_up() -> None:
    thread = merge(
        None, signal("fp-a", counters={"fp-a": 4}, notes=False), cooldown=COOLDOWN
    ).thread
    assert thread is not None
    thread = merge(
        thread, signal("fp-b", counters={"fp-b": 10}, notes=False, minutes=2), cooldown=COOLDOWN
    ).thread
    assert (
        thread is not None
        and sum(thread.counters[s] for s in thread.subjects) == 14
        and thread.seen == 2
    )
    done = merge(thread, signal(cleared=("fp-a", "fp-b"), minutes=15), cooldown=COOLDOWN).thread
    assert done is not None and done.resolved_at == T0 + timedelta(minutes=15)
    assert done.resolved_at - done.first_seen == timedelta(minutes=14)
