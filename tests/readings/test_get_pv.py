"""`kubectl get pv` rows (bot/cluster/outputs/rows.py): a volume that is neither Bound nor Available
becomes its facts, which the entries' evidence rules read as they read a described volume.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import re

import pytest

from tests.readings.cases import Case, check

HEADER = (
    "NAME                                       CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS        "
    "CLAIM              STORAGECLASS   REASON   AGE\n"
)


def row(status: str, policy: str = "Delete", claim: str = "shop/data-db-0") -> str:
    return (
        f"pvc-0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b   10Gi       RWO            {policy:<16} {status:<13} "
        f"{claim:<18} standard                40d\n"
    )


CASES = [
    # its deletion waits on kubernetes.io/pv-protection while a claim still uses it
    Case(
        HEADER + row("Terminating"),
        answer="pvc-stuck-terminating",
        confidence="medium",  # confirmed by the row's facts; the row's words alone are a resemblance
        why="a volume still Terminating is a stuck deletion",
        read_by="kubectl get persistentvolumes",
    ),
    Case(
        re.sub(" +", " ", HEADER + row("Terminating")),
        answer="pvc-stuck-terminating",
        why="a volume still Terminating with collapsed spacing is a stuck deletion",
        read_by="kubectl get persistentvolumes",
    ),
    # a Retain volume whose claim was deleted waits for an administrator: that is the policy
    Case(
        HEADER + row("Released", "Retain"),
        answer=None,
        why="a released volume kept by its policy is no failure",
    ),
    Case(
        HEADER + row("Bound") + row("Available", claim=""),
        answer=None,
        why="bound and available volumes are healthy",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_get_pv_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
