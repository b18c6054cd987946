"""`kubectl get nodes` rows (bot/cluster/outputs/rows.py): each node's Ready condition and cordon.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "NAME     STATUS                     ROLES           AGE    VERSION\n"
            "cp-1     Ready,SchedulingDisabled   control-plane   4h4m   v1.29.2\n"
            "w-1      Ready                      worker          4h4m   v1.29.2\n"
        ),
        answer=None,
        why="a control plane node left cordoned is how installers leave it",
        read_by="kubectl get nodes",
    ),
    Case(
        (
            "NAME     STATUS                     ROLES           AGE    VERSION\n"
            "cp-1     Ready,SchedulingDisabled   worker          4h4m   v1.29.2\n"
            "w-1      Ready                      worker          4h4m   v1.29.2\n"
        ),
        answer="pending-node-unschedulable",
        why="a worker left cordoned is still read",
        read_by="kubectl get nodes",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_get_nodes_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
