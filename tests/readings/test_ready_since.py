"""Probe failures of a pod's start (bot/diagnosis/paste_subjects.py): a pod a `get pods` table shows Running,
ready and never restarted got past them, so its events' failures are history.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

EVENT = (
    "\nLAST SEEN   TYPE      REASON      OBJECT                       MESSAGE\n"
    "5m          Warning   Unhealthy   pod/api-7c9d8b6f5-x2k4q      Readiness probe failed: Get "
    '"http://10.244.1.7:8080/ready": dial tcp 10.244.1.7:8080: connect: connection refused\n'
)


def pods(restarts: int) -> str:
    return (
        "NAME                   READY   STATUS    RESTARTS   AGE\n"
        f"api-7c9d8b6f5-x2k4q    1/1     Running   {restarts}          6m\n"
    )


CASES = [
    Case(pods(0) + EVENT, answer=None, why="a steady pod got past the probe failures of its start"),
    # restarted since: the failures are not only its start's
    Case(
        pods(3) + EVENT,
        answer="readiness-probe-failed",
        why="a pod that restarted is still failing its probe",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_pods_start_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
