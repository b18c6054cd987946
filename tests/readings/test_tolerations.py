"""A pasted Tolerations list (bot/diagnosis/paste_sections.py): a pod's configuration, never a node's state.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "QoS Class:       Burstable\n"
            "Node-Selectors:  kubernetes.io/os=linux\n"
            "Tolerations:     :NoSchedule\n"
            "                 CriticalAddonsOnly\n"
            "                 node.kubernetes.io/disk-pressure:NoSchedule\n"
            "                 node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n"
            "                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
            "Events:\n"
            "  Type    Reason   Age   From     Message\n"
            "  ----    ------   ----  ----     -------\n"
            "  Normal  Started  51m   kubelet  Started container install-cni\n"
        ),
        answer=None,
        why="a tolerations list is configuration not node pressure",
        read_by="kubectl describe (Tolerations)",
    ),
    Case(
        (
            "QoS Class:       Burstable\n"
            "Tolerations:     :NoSchedule\n"
            "                 example.com/dedicated-0:NoSchedule op=Exists\n"
            "                 example.com/dedicated-1:NoSchedule op=Exists\n"
            "                 example.com/dedicated-2:NoSchedule op=Exists\n"
            "                 example.com/dedicated-3:NoSchedule op=Exists\n"
            "                 example.com/dedicated-4:NoSchedule op=Exists\n"
            "                 example.com/dedicated-5:NoSchedule op=Exists\n"
            "                 example.com/dedicated-6:NoSchedule op=Exists\n"
            "                 example.com/dedicated-7:NoSchedule op=Exists\n"
            "                 example.com/dedicated-8:NoSchedule op=Exists\n"
            "                 example.com/dedicated-9:NoSchedule op=Exists\n"
            "                 example.com/dedicated-10:NoSchedule op=Exists\n"
            "                 example.com/dedicated-11:NoSchedule op=Exists\n"
            "                 example.com/dedicated-12:NoSchedule op=Exists\n"
            "                 example.com/dedicated-13:NoSchedule op=Exists\n"
            "                 example.com/dedicated-14:NoSchedule op=Exists\n"
            "                 example.com/dedicated-15:NoSchedule op=Exists\n"
            "                 example.com/dedicated-16:NoSchedule op=Exists\n"
            "                 example.com/dedicated-17:NoSchedule op=Exists\n"
            "                 example.com/dedicated-18:NoSchedule op=Exists\n"
            "                 example.com/dedicated-19:NoSchedule op=Exists\n"
            "                 example.com/dedicated-20:NoSchedule op=Exists\n"
            "                 example.com/dedicated-21:NoSchedule op=Exists\n"
            "                 example.com/dedicated-22:NoSchedule op=Exists\n"
            "                 example.com/dedicated-23:NoSchedule op=Exists\n"
            "                 node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n"
            "                 node.kubernetes.io/memory-pressure:NoSchedule op=Exists\n"
            "Events:          <none>\n"
        ),
        answer=None,
        why="a long tolerations list is configuration to its end",
        read_by="kubectl describe (Tolerations)",
    ),
    Case(
        (
            "                             node.kubernetes.io/disk-pressure:NoSchedule op=Exists\n"
            "                             node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n"
            "                             node.kubernetes.io/unreachable:NoExecute op=Exists\n"
            "Events:\n"
            "  Type     Reason            Age                  From                  Message\n"
            "  ----     ------            ----                 ----                  -------\n"
            "  Normal   SuccessfulCreate  12m                  daemonset-controller  Created pod: "
            "agent-7xk2p\n"
        ),
        answer=None,
        why="a tolerations list cut from its header is no taint",
        read_by="kubectl describe (Tolerations)",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_tolerations_list_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
