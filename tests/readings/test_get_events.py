"""`kubectl get events` tables (bot/cluster/outputs/events.py): each row an event about the object it
names, its LAST SEEN age saying what came last.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    # the pod got a node since: the mount is its problem now
    Case(
        (
            "$ kubectl get events -n shop\n"
            "LAST SEEN   TYPE      REASON             OBJECT      MESSAGE\n"
            "35m         Warning   FailedScheduling   pod/web-0   0/6 nodes are available: 6 pod has unbound "
            "immediate PersistentVolumeClaims.\n"
            "5m13s       Warning   FailedMount        pod/web-0   MountVolume.SetUp failed for volume "
            '"pvc-253476b1" : rpc error: code = Internal desc = mount failed: exit status 32\n'
        ),
        answer="volume-mount-failed",
        why="a get events list reads which came last by its ages",
        read_by="kubectl get events",
    ),
    # failing to schedule again after the mount failed
    Case(
        (
            "$ kubectl get events -n shop\n"
            "LAST SEEN   TYPE      REASON             OBJECT      MESSAGE\n"
            "10s         Warning   FailedScheduling   pod/web-0   0/6 nodes are available: 6 pod has unbound "
            "immediate PersistentVolumeClaims.\n"
            "5m13s       Warning   FailedMount        pod/web-0   MountVolume.SetUp failed for volume "
            '"pvc-253476b1" : rpc error: code = Internal desc = mount failed: exit status 32\n'
        ),
        answer="pvc-pending",
        why="a get events list reads which came last by its ages",
        read_by="kubectl get events",
    ),
    Case(
        (
            "After a node reboot one api pod enters the CrashLoopBackOff state and stays there.\n"
            "LAST SEEN   TYPE      REASON              OBJECT              MESSAGE\n"
            "3m9s        Warning   HealthCheckFailed   kustomization/api   health check failed after 5m0s: "
            "timeout waiting for: [Deployment/default/api status: 'InProgress']\n"
        ),
        answer="crashloop-backoff",
        why="events of another object do not deny a pods back off",
        read_by="kubectl get events",
    ),
    Case(
        (
            "After a node reboot one api pod enters the CrashLoopBackOff state and stays there.\n"
            "LAST SEEN   TYPE     REASON      OBJECT           MESSAGE\n"
            "2m          Normal   Scheduled   pod/api-7d9f-x   Successfully assigned default/api-7d9f-x to "
            "node-1\n"
            '2m          Normal   Pulled      pod/api-7d9f-x   Container image "api:1.2" already present on '
            "machine\n"
            "2m          Normal   Started     pod/api-7d9f-x   Started container api\n"
        ),
        not_answer="crashloop-backoff",
        why="the pods own events without a back off still weigh against it",
        read_by="kubectl get events",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_get_events_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
