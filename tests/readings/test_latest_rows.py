"""Snapshots of one table pasted one after another (bot/cluster/outputs/store.py): the last look at
an object is its state, unless words stand between the snapshots.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "$ kubectl get nodes\n"
            "NAME     STATUS                     ROLES    AGE   VERSION\n"
            "node-a   Ready,SchedulingDisabled   worker   6m    v1.29.4\n"
            "node-b   Ready                      worker   6m    v1.29.4\n"
            "$ kubectl get nodes\n"
            "NAME     STATUS   ROLES    AGE   VERSION\n"
            "node-a   Ready   worker   6m    v1.29.4\n"
            "node-b   Ready   worker   6m    v1.29.4\n"
        ),
        answer=None,
        why="a node drained and back in a later snapshot is no failure",
        read_by="kubectl get nodes",
    ),
    Case(
        (
            "$ kubectl get nodes\n"
            "NAME     STATUS   ROLES    AGE   VERSION\n"
            "node-a   Ready   worker   6m    v1.29.4\n"
            "node-b   Ready   worker   6m    v1.29.4\n"
            "$ kubectl get nodes\n"
            "NAME     STATUS     ROLES    AGE   VERSION\n"
            "node-a   NotReady   worker   6m    v1.29.4\n"
            "node-b   Ready      worker   6m    v1.29.4\n"
        ),
        answer="node-not-ready",
        why="a node still cordoned in the last snapshot is answered",
        read_by="kubectl get nodes",
    ),
    Case(
        (
            "NAME     STATUS     ROLES    AGE   VERSION\n"
            "node-a   NotReady   worker   6m    v1.29.4\n"
            "node-b   Ready      worker   6m    v1.29.4\n"
            "After I restarted the kubelet it came back:\n"
            "NAME     STATUS   ROLES    AGE   VERSION\n"
            "node-a   Ready   worker   6m    v1.29.4\n"
            "node-b   Ready   worker   6m    v1.29.4\n"
        ),
        answer="node-not-ready",
        why="words between two snapshots keep the first as the problem",
        read_by="kubectl get nodes",
    ),
    Case(
        (
            "NAME                   READY   STATUS                       RESTARTS   AGE\n"
            "web-6d4f8b9c7d-x2x9q   0/1     CreateContainerConfigError   0          2m\n"
            "web-6d4f8b9c7d-x2x9q   1/1     Running                      0          3m\n"
        ),
        answer=None,
        why="a watched pod that came up steady got past its start",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                   READY   STATUS                       RESTARTS   AGE\n"
            "web-6d4f8b9c7d-x2x9q   0/1     CrashLoopBackOff             3          2m\n"
            "web-6d4f8b9c7d-x2x9q   1/1     Running                      4          5m\n"
        ),
        answer="crashloop-backoff",
        why="a watched pod that restarted since is still failing",
        read_by="kubectl get pods",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_several_snapshots_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
