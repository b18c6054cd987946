"""One-line kubectl statuses (bot/diagnosis/paste_sections.py): a rollout that finished or waits is
progress, one that gave up or passed its deadline is stuck.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "$ kubectl -n infra rollout status ds/node-agent --timeout=5m\n"
            'Waiting for daemon set "node-agent" rollout to finish: 2 of 5 updated pods are available...\n'
            "error: timed out waiting for the condition\n"
        ),
        answer="daemonset-rollout-stuck",
        why="a rollout status that gave up is a stuck rollout",
    ),
    # a later rollout finishing does not make an earlier wait that gave up healthy, and the give-up
    # must come after the wait it ends
    Case(
        (
            'Waiting for daemon set "node-agent" rollout to finish: 2 of 5 updated pods are available...\n'
            'daemon set "node-agent" successfully rolled out\n'
        ),
        answer=None,
        why="a rollout status that finished is progress",
        read_by="kubectl rollout status",
    ),
    # a later rollout finishing does not make an earlier wait that gave up healthy, and the give-up
    # must come after the wait it ends
    Case(
        (
            "error: timed out waiting for the condition\n"
            'Waiting for daemon set "node-agent" rollout to finish: 2 of 5 updated pods are available...\n'
            'daemon set "node-agent" successfully rolled out\n'
        ),
        answer=None,
        why="a rollout status that finished is progress",
        read_by="kubectl rollout status",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_status_line_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
