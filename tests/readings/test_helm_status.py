"""`helm status` / `helm install` output (bot/diagnosis/paste_sections.py): a deployed release and its
notes are healthy, and the output ends where the paste's own text resumes.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "    $ helm install cilium cilium/cilium --namespace kube-system\n"
            "    NAME: cilium\n"
            "    LAST DEPLOYED: Tue Jul  8 18:28:55 2025\n"
            "    NAMESPACE: kube-system\n"
            "    STATUS: deployed\n"
            "    REVISION: 1\n"
            "    NOTES:\n"
            "    You have successfully installed Cilium.\n"
            "\n"
            "But the agents keep restarting:\n"
            "\n"
            "    NAME                 READY   STATUS                  RESTARTS      AGE\n"
            "    pod/cilium-2gnk9     0/1     Init:CrashLoopBackOff   6 (60s ago)   6m54s\n"
        ),
        answer="init-container-failed",
        why="indented helm output ends where the text resumes",
        read_by="helm status",
    ),
    Case(
        (
            "```\n"
            "$ helm install vault hashicorp/vault\n"
            "NAME: vault\n"
            "LAST DEPLOYED: Wed Feb 17 17:08:08 2021\n"
            "NAMESPACE: vault\n"
            "STATUS: deployed\n"
            "REVISION: 1\n"
            "NOTES:\n"
            "Thank you for installing the chart!\n"
            "```\n"
            "But the vault pod is stuck in 0/1 running state due to readiness probe failure\n"
        ),
        answer="readiness-probe-failed",
        why="text after helm install output in its own fence is read",
        read_by="helm status",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_helm_output_is_answered_as_its_row_says(case: Case) -> None:
    check(case)
