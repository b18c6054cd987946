"""`kubectl get pvc` rows (bot/cluster/outputs/rows.py): each claim's phase, class and volume; a Bound
row is healthy.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import re

import pytest

from tests.readings.cases import Case, check

HEADER = "NAME     STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
BOUND = (
    "NAME     STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
    "data-0   Bound    pvc-2f3a4b5c-6d7e-8f90-1a2b-3c4d5e6f7a8b   10Gi       RWO            standard       3d\n"
)

CASES = [
    Case(
        HEADER + "data-0   Pending                                      standard       12m\n",
        answer="pvc-pending",
        why="a claim still Pending is the pending claim",
        read_by="kubectl get persistentvolumeclaims",
    ),
    Case(
        (
            "NAME     STATUS   VOLUME                                     CAPACITY   ACCESS MODES   STORAGECLASS   AGE\n"
            "data-0   Lost     pvc-2f3a4b5c-6d7e-8f90-1a2b-3c4d5e6f7a8b   0                         standard       3d\n"
        ),
        answer="pvc-lost-volume",
        why="a claim whose volume is gone is Lost",
        read_by="kubectl get persistentvolumeclaims",
    ),
    # every claim bound: nothing in the table is a failure, whatever the words of its columns
    Case(
        BOUND,
        answer=None,
        why="bound claims are healthy",
        read_by="kubectl get persistentvolumeclaims",
    ),
    # the same rows with Slack's collapsed spacing are read by their tokens
    Case(
        re.sub(" +", " ", BOUND),
        answer=None,
        why="bound claims with collapsed spacing are healthy",
        read_by="kubectl get persistentvolumeclaims",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_get_pvc_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
