"""`kubectl describe node` (bot/cluster/outputs/describe_cluster.py): conditions, taints, capacity, events.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "Name:               worker-1\n"
            "Roles:              <none>\n"
            "CreationTimestamp:  Mon, 12 Oct 2020 21:34:32 +0000\n"
            "Taints:             <none>\n"
            "Unschedulable:      false\n"
            "Conditions:\n"
            "  Type             Status  Reason                       Message\n"
            "  ----             ------  ------                       -------\n"
            "  MemoryPressure   False   KubeletHasSufficientMemory   kubelet has sufficient memory available\n"
            "  Ready            True    KubeletReady                 kubelet is posting ready status\n"
        ),
        answer=None,
        why="a schedulable untainted node is not called cordoned",
        read_by="kubectl describe node",
    ),
    Case(
        (
            "Taints:             node.kubernetes.io/unreachable:NoExecute\n"
            "Unschedulable:      false\n"
            "Lease:\n"
            "  HolderIdentity:  worker-3\n"
            "  RenewTime:       Tue, 04 Mar 2025 08:10:11 +0000\n"
            "Conditions:\n"
            "  Type             Status  LastHeartbeatTime                 LastTransitionTime                "
            "Reason                       Message\n"
            "  ----             ------  -----------------                 ------------------                "
            "------                       -------\n"
            "  MemoryPressure   False   Tue, 04 Mar 2025 08:10:11 +0000   Tue, 04 Mar 2025 07:00:00 +0000   "
            "KubeletHasSufficientMemory   kubelet has sufficient memory available\n"
        ),
        answer="node-not-ready",
        why="a describe node copied from its taints down shows the not ready taint",
        read_by="kubectl describe node",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_describe_node_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
