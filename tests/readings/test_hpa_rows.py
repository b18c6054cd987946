"""`kubectl get hpa` rows (bot/diagnosis/paste_rows.py): an autoscaler at its maximum with load above
its target is maxed out; below its maximum or under target it is no problem.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "NAME   REFERENCE            TARGETS            MINPODS   MAXPODS   REPLICAS   AGE\n"
            "web    StatefulSet/web      113%/60%, 2%/70%   4         6         6          4h21m\n"
        ),
        answer="hpa-maxed-out",
        why="an hpa at its maximum with load above target is maxed out",
        read_by="kubectl get",
    ),
    Case(
        (
            "NAME   REFERENCE            TARGETS            MINPODS   MAXPODS   REPLICAS   AGE\n"
            "web    StatefulSet/web      113%/60%, 2%/70%   4         6         5          4h21m\n"
        ),
        answer=None,
        why="an hpa below its maximum or under target is no problem",
        read_by="kubectl get",
    ),
    Case(
        (
            "NAME   REFERENCE            TARGETS            MINPODS   MAXPODS   REPLICAS   AGE\n"
            "web    StatefulSet/web      41%/60%, 2%/70%    4         6         6          4h21m\n"
        ),
        answer=None,
        why="an hpa below its maximum or under target is no problem",
        read_by="kubectl get",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_an_hpa_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
