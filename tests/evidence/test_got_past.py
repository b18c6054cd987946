"""The present judges the past, as a rule: a pod Running and ready at the input's moment, since
after its last failure was seen and for longer than its failures used to recur (or its last run
lasted before it failed), got past them; a failure seen since it became ready, or whose time the
input does not tell, is current. A Job's run that ended long before the input's moment is over.

Each row is a pod and its events at 12:00 (the input's moment), and whether its failures are
history, written from the times in the row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

import pytest

from bot.evidence.history import got_past, object_past, run_ended_before, run_ended_long_ago
from intents.facts.model import EventFacts

NOW = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)


def _t(hh_mm: str) -> str:
    return f"2026-01-02T{hh_mm}:00Z"


def _pod(
    *,
    ready: bool = True,
    since: str | None = "11:50",
    started: str = "11:49",
    last_run: tuple[str, str] | None = None,
) -> dict[str, Any]:
    condition: dict[str, Any] = {"type": "Ready", "status": "True" if ready else "False"}
    if since is not None:
        condition["lastTransitionTime"] = _t(since)
    container: dict[str, Any] = {
        "name": "app",
        "ready": ready,
        "restartCount": 3 if last_run else 0,
        "state": {"running": {"startedAt": _t(started)}},
    }
    if last_run:
        container["lastState"] = {
            "terminated": {"startedAt": _t(last_run[0]), "finishedAt": _t(last_run[1])}
        }
    return {
        "metadata": {"name": "search-6d5f8b7c9-r2k4q"},
        "status": {"phase": "Running", "conditions": [condition], "containerStatuses": [container]},
    }


def _event(reason: str, first: str, last: str, count: int) -> EventFacts:
    return EventFacts(
        type="Warning",
        reason=reason,
        message="Liveness probe failed: context deadline exceeded"
        if reason == "Unhealthy"
        else "Back-off restarting failed container",
        count=count,
        first_seen=_t(first) if first else "",
        last_seen=_t(last) if last else "",
    )


class Row(NamedTuple):
    pod: dict[str, Any]
    events: list[EventFacts]
    history: bool


ROWS = {
    # ready since 11:50, probe failures every 15 s until 11:45: history
    "probe failures before the pod became ready": Row(
        _pod(), [_event("Unhealthy", "11:40", "11:45", 21)], True
    ),
    # a probe failure seen at 11:55, after the pod became ready: it still fails
    "a failure seen since it became ready": Row(
        _pod(), [_event("Unhealthy", "11:40", "11:55", 20)], False
    ),
    # not ready now: whatever its events, nothing is got past
    "not ready": Row(_pod(ready=False), [_event("Unhealthy", "11:40", "11:45", 21)], False),
    # back-off every 5 minutes until 11:49, ready only since 11:58 (the input's 2 minutes):
    # not yet well for as long as it used to take to fail again
    "ready for less than the failures recurred": Row(
        _pod(since="11:58", started="11:58"),
        [_event("BackOff", "11:19", "11:49", 7)],
        False,
    ),
    # the same back-off, ready since 11:50 (10 minutes): it stopped
    "back-off that has stopped": Row(
        _pod(since="11:50"), [_event("BackOff", "11:19", "11:49", 7)], True
    ),
    # the last run lasted 20 minutes before it failed; ready again for 10: not yet past it
    "a run shorter than the last one lasted": Row(
        _pod(since="11:50", started="11:49", last_run=("11:20", "11:40")), [], False
    ),
    # the last run lasted 2 minutes before it failed; ready again for 10: restarts long past
    "a restart long past": Row(
        _pod(since="11:50", started="11:49", last_run=("11:30", "11:32")), [], True
    ),
    # the input does not say when the failure was seen: unknown is not over
    "a failure whose time is not told": Row(_pod(), [_event("Unhealthy", "", "", 3)], False),
    # no Ready time told: the container's start stands for it (it became ready no sooner)
    "the start stands for the ready time": Row(
        _pod(since=None, started="11:50"), [_event("Unhealthy", "11:40", "11:45", 21)], True
    ),
}


@pytest.mark.parametrize("name", ROWS)
def test_a_pod_ready_since_after_its_failures_got_past_them(name: str) -> None:
    row = ROWS[name]
    said = got_past(row.pod, row.events, NOW)
    assert bool(said) == row.history, said
    if said:
        assert said.startswith("history: pod search-6d5f8b7c9-r2k4q is Running and ready since")


READY_AFTER = {
    "probe failures before the pod became ready",
    "ready for less than the failures recurred",
    "back-off that has stopped",
    "a run shorter than the last one lasted",
    "a restart long past",
    "the start stands for the ready time",
}
"""The rows whose pod is ready since after every failure it shows (whether long enough or not)."""


@pytest.mark.parametrize("name", ROWS)
def test_ready_since_its_failures_but_too_soon_to_call_them_over_is_never_said_high(
    name: str,
) -> None:
    # what the present says when it cannot yet call the failures over: the pod is past them,
    # so they are not said high; a failure seen since, or whose time is untold, says nothing
    row = ROWS[name]
    past = object_past(row.pod, row.events, NOW)
    assert bool(past.over or past.soon) == (name in READY_AFTER), past
    assert bool(past.soon) == (name in READY_AFTER and not row.history), past
    if past.soon:
        assert past.soon.endswith("too soon to call them over, so not said high"), past


def _job(finished: str, phase: str = "Failed") -> dict[str, Any]:
    return {
        "metadata": {"name": "report-29012345-8kq2x"},
        "status": {
            "phase": phase,
            "containerStatuses": [
                {"name": "report", "state": {"terminated": {"finishedAt": finished}}}
            ],
        },
    }


@pytest.mark.parametrize(
    ("pod", "over"),
    [
        # failed yesterday: over
        (_job("2026-01-01T10:00:00Z"), True),
        # failed ten minutes ago: a failure of now
        (_job("2026-01-02T11:50:00Z"), False),
        # still running: not over
        (_job("2026-01-01T10:00:00Z", phase="Running"), False),
        # the end not told: not known to be over
        (_job(""), False),
    ],
)
def test_a_run_that_ended_long_ago_is_over(pod: dict[str, Any], over: bool) -> None:
    assert bool(run_ended_long_ago(pod, NOW, 3600.0)) == over


def _elsewhere(first: str, on: str = "orders-7bbf699678-9rv2z") -> EventFacts:
    return EventFacts(
        type="Warning",
        reason="BackOff",
        message="Back-off restarting failed container",
        object_kind="Pod",
        object_name=on,
        first_seen=_t(first),
        last_seen=_t("11:59"),
    )


@pytest.mark.parametrize(
    ("events", "over"),
    [
        # another object's trouble first seen after the run ended: the run is history
        ([_elsewhere("11:55")], True),
        # trouble that began before the run ended (chronic noise): the run may be the fault
        ([_elsewhere("11:30")], False),
        # the run's own later warnings do not make it history
        ([_elsewhere("11:55", on="report-29012345-8kq2x")], False),
        # when the trouble first began is not told: not known to be history
        (
            [
                EventFacts(
                    type="Warning",
                    reason="BackOff",
                    message="Back-off",
                    object_name="orders",
                    last_seen=_t("11:59"),
                )
            ],
            False,
        ),
    ],
)
def test_a_run_that_ended_before_the_current_trouble_is_over(
    events: list[EventFacts], over: bool
) -> None:
    own = {"report-29012345-8kq2x", "report-29012345"}
    assert bool(run_ended_before(_job(_t("11:50")), events, own)) == over
