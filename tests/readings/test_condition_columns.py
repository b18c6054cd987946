"""Columns custom resources print a condition in (bot/diagnosis/paste_rows.py): a False or
Unknown there is the object's condition, read as a describe would give it (Programmed=False).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    # a Gateway's Programmed condition printed as a column
    Case(
        (
            "$ kubectl get gateway -A\n"
            "NAMESPACE   NAME         CLASS   ADDRESS   PROGRAMMED   AGE\n"
            "edge        public-gw    istio             False        25m\n"
        ),
        answer="gateway-not-programmed",
        why="a custom resources condition column is the condition",
        read_by="kubectl get",
    ),
    # a Gateway's Programmed condition printed as a column
    Case(
        (
            "$ kubectl get gateway -A\n"
            "NAMESPACE   NAME         CLASS   ADDRESS   PROGRAMMED   AGE\n"
            "edge        public-gw    istio   10.0.0.7  True         25m\n"
        ),
        answer=None,
        why="a custom resources condition column is the condition",
        read_by="kubectl get",
    ),
    # a GatewayClass no controller accepted
    Case(
        (
            "$ kubectl get gatewayclass\n"
            "NAME    CONTROLLER                         ACCEPTED   AGE\n"
            "edge    example.net/gateway-controller     Unknown    14m\n"
        ),
        answer="gateway-not-programmed",
        why="a custom resources condition column is the condition",
        read_by="kubectl get",
    ),
    # a GatewayClass no controller accepted
    Case(
        (
            "$ kubectl get gatewayclass\n"
            "NAME    CONTROLLER                         ACCEPTED   AGE\n"
            "edge    example.net/gateway-controller     True       14m\n"
        ),
        answer=None,
        why="a custom resources condition column is the condition",
        read_by="kubectl get",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_condition_column_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
