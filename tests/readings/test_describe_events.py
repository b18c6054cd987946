"""A describe Events section pasted alone (bot/cluster/outputs/events.py): each row an event,
failures the object got past dropped as history, waits that are progress kept quiet.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "Events:\n"
            "  Type     Reason            Age                From               Message\n"
            "  ----     ------            ----               ----               -------\n"
            "  Warning  FailedScheduling  12m                default-scheduler  0/3 nodes are available: 3 "
            "pod has unbound immediate PersistentVolumeClaims.\n"
            "  Normal   Scheduled         10m                default-scheduler  Successfully assigned "
            "shop/web-0 to node-2\n"
            "  Warning  FailedMount       2m (x5 over 9m)    kubelet            MountVolume.SetUp failed for "
            'volume "pvc-1f2e" : rpc error: code = Internal desc = mount failed: exit status 32'
        ),
        answer="volume-mount-failed",
        why="a scheduling failure the scheduler got past yields to what failed after",
        read_by="kubectl describe (Events)",
    ),
    # nothing failed after it: the scheduling failure stays the story
    Case(
        (
            "Events:\n"
            "  Type     Reason            Age                From               Message\n"
            "  ----     ------            ----               ----               -------\n"
            "  Warning  FailedScheduling  12m                default-scheduler  0/3 nodes are available: 3 "
            "pod has unbound immediate PersistentVolumeClaims.\n"
            "  Normal   Scheduled         10m                default-scheduler  Successfully assigned "
            "shop/web-0 to node-2\n"
            '  Normal   Pulled            9m                 kubelet            Container image "web:1.2" '
            "already present"
        ),
        answer="pvc-pending",
        why="a scheduling failure the scheduler got past yields to what failed after",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            "  Warning  FailedMount  12s (x3 over 20s)  kubelet  MountVolume.SetUp failed for volume "
            '"kube-api-access-7x2kq" : object "backup"/"kube-root-ca.crt" not registered\n'
        ),
        answer=None,
        why="a mount retried because the kubelet cache does not watch the object yet is no answer",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            "  Warning  FailedMount  12s (x3 over 20s)  kubelet  MountVolume.SetUp failed for volume "
            '"kube-api-access-7x2kq" : configmap "app-config" not found\n'
        ),
        answer="volume-mount-failed",
        why="a mount retried because the kubelet cache does not watch the object yet is no answer",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            "  Normal  ExternalProvisioning  11s (x41 over 10m)  persistentvolume-controller  waiting for a "
            'volume to be created, either by external provisioner "example.com/nfs" or manually created by '
            "system administrator\n"
        ),
        answer="pvc-pending",
        why="a provisioner wait repeated for minutes is a pending claim",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            "  Normal  ExternalProvisioning  4s (x2 over 9s)  persistentvolume-controller  waiting for a "
            'volume to be created, either by external provisioner "example.com/nfs" or manually created by '
            "system administrator\n"
        ),
        answer=None,
        why="a short wait or a wait on a consumer is progress",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            "  Normal  WaitForFirstConsumer  7s (x40 over 10m)  persistentvolume-controller  waiting for "
            "first consumer to be created before binding\n"
        ),
        answer=None,
        why="a short wait or a wait on a consumer is progress",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            "The volume attachment keeps timing out on the new node.\n"
            "Events:\n"
            "  Type     Reason              Age                 From                     Message\n"
            "  ----     ------              ----                ----                     -------\n"
            "  Normal   Scheduled           20m                 default-scheduler        Successfully "
            "assigned db/pg-0 to node-2\n"
            "  Warning  FailedAttachVolume  1m (x9 over 20m)    attachdetach-controller  AttachVolume.Attach "
            'failed for volume "pvc-5c2e1a7b-9f\n'
        ),
        answer="csi-attach-timeout",
        why="an event row cut inside its message refutes nothing the rest would have said",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            'Normal   Pulled     7m20s   kubelet   Successfully pulled image "shop/web:2.4.1" in 1m31.208s '
            "(1m31.208s including waiting). Image size: 623993624 bytes.\n"
        ),
        answer=None,
        why="a pull that never waited is no serialized pull",
        read_by="kubectl describe (Events)",
    ),
    Case(
        (
            'Normal   Pulled     7m20s   kubelet   Successfully pulled image "shop/web:2.4.1" in 2.108s '
            "(4m12.550s including waiting). Image size: 23993624 bytes.\n"
        ),
        answer="serialized-image-pulls",
        why="a pull that never waited is no serialized pull",
        read_by="kubectl describe (Events)",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_an_events_section_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_event_rows_copied_from_a_terminal_pane_are_read_as_if_unframed() -> None:
    rows = [
        (
            "Normal   Scheduled           5m    default-scheduler        Successfully assigned shop/db-7c9d-x2x4z "
            "to node-2"
        ),
        (
            '  Warning  FailedAttachVolume  4m    attachdetach-controller  Multi-Attach error for volume "pvc-1f2e" '
            "Volume is already used by pod(s) db-7c9d-x2x4z"
        ),
        (
            "  Warning  FailedMount         2m    kubelet, node-2          Unable to attach or mount volumes: "
            "unmounted volumes=[data], unattached volumes=[data]: timed out waiting for the condition"
        ),
    ]
    width = max(map(len, rows)) + 2
    framed = [f"\u2502 {row.ljust(width)}\u2502" for row in rows]
    framed[0] = framed[0][2:]  # the selection began inside the pane, after its left border
    assert (
        match_json("\n".join(framed))["answer"]
        == match_json("\n".join(rows))["answer"]
        == "volume-multi-attach"
    )
