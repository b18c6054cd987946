"""The scheduler's and the autoscalers' message formats (intents/messages/data: kube-scheduler*,
cluster-autoscaler*), read clause by clause, every release's wording.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CA_EVENT = "  Normal   NotTriggerScaleUp  2m (x31 over 12m)  cluster-autoscaler  pod didn't trigger scale-up{}: {}\n"
"""cluster-autoscaler's NotTriggerScaleUp (core/scaleup status: the reasons joined per node group)."""


def ca_events(reasons: str, *, older: bool = False) -> str:
    return (
        "Events:\n  Type     Reason             Age                From                Message\n"
        "  ----     ------             ----               ----                -------\n"
        + CA_EVENT.format(" (it wouldn't fit if a new node is added)" if older else "", reasons)
    )


CASES = [
    # the volume binder's error, 1.9-1.11
    Case(
        (
            "Events:\n"
            "  Type     Reason            Age                 From               Message\n"
            "  ----     ------            ----                ----               -------\n"
            "  Warning  FailedScheduling  2m (x31 over 12m)   default-scheduler  pod has unbound "
            "PersistentVolumeClaims\n"
        ),
        answer="pvc-pending",
        why="a scheduler error printed as the whole message is read",
    ),
    # 1.12-1.18
    Case(
        (
            "Events:\n"
            "  Type     Reason            Age                 From               Message\n"
            "  ----     ------            ----                ----               -------\n"
            "  Warning  FailedScheduling  2m (x31 over 12m)   default-scheduler  pod has unbound immediate "
            "PersistentVolumeClaims (repeated 4 times)\n"
        ),
        answer="pvc-pending",
        why="a scheduler error printed as the whole message is read",
    ),
    Case(
        (
            "Events:\n"
            "  Type     Reason             Age                From                Message\n"
            "  ----     ------             ----               ----                -------\n"
            "  Normal   NotTriggerScaleUp  2m (x31 over 12m)  cluster-autoscaler  pod didn't trigger "
            "scale-up: 1 max node group size reached\n"
        ),
        answer="cluster-autoscaler-no-scale-up",
        why="a refusal of the autoscaler s own stays the autoscaler",
    ),
    Case(
        (
            "Events:\n"
            "  Type     Reason             Age                From                Message\n"
            "  ----     ------             ----               ----                -------\n"
            "  Normal   NotTriggerScaleUp  2m (x31 over 12m)  cluster-autoscaler  pod didn't trigger "
            "scale-up: 12 node(s) didn't match Pod's node affinity/selector, 3 max node group size reached\n"
        ),
        answer="cluster-autoscaler-no-scale-up",
        why="a refusal of the autoscaler s own stays the autoscaler",
    ),
    Case(
        (
            "Events:\n"
            "  Type     Reason             Age                From                Message\n"
            "  ----     ------             ----               ----                -------\n"
            "  Normal   NotTriggerScaleUp  2m (x31 over 12m)  cluster-autoscaler  pod didn't trigger "
            "scale-up: 2 in backoff after failed scale-up\n"
        ),
        answer="cluster-autoscaler-no-scale-up",
        why="a refusal of the autoscaler s own stays the autoscaler",
    ),
    Case(
        (
            "pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 "
            "Preemption is not helpful for scheduling.\n"
        ),
        answer="pvc-pending",
        why="a prefilter message quoted before its preemption suffix",
    ),
    # the pre-1.19 volume predicates fail the pod outright with the claim's name
    Case(
        (
            "  Warning  FailedScheduling  3s (x7 over 2m)  default-scheduler  PersistentVolumeClaim is not "
            'bound: "hub-db-dir"\n'
        ),
        answer="pvc-pending",
        why="the old volume predicates name the claim",
    ),
    Case(
        (
            "  Warning  FailedScheduling  3s  default-scheduler  PersistentVolumeClaim was not found: "
            '"data-web-0"\n'
        ),
        answer="pod-pvc-not-found",
        why="the old volume predicates name the claim",
    ),
    Case(
        (
            "I0529 00:34:21.801929       1 filter_out_schedulable.go:124] Pod web-5d8c9-x2x marked as "
            "unschedulable can be scheduled on upcoming node template-node-for-ng-1-upcoming-0\n"
            "I0529 00:34:21.802000       1 filter_out_schedulable.go:130] 2 other pods marked as "
            "unschedulable can be scheduled.\n"
            "I0529 00:34:21.802010       1 static_autoscaler.go:402] No unschedulable pods\n"
        ),
        answer=None,
        why="the autoscalers loop setting aside pods an upcoming node will take is no problem",
    ),
    Case(
        (
            "I0409 14:09:45.914497       1 static_autoscaler.go:1233] Found 45 pods in the cluster: 43 "
            "scheduled, 2 unschedulable, 0 unprocessed by scheduler, 0 ignored by allowed schedulers\n"
        ),
        answer=None,
        why="an autoscaler counting pods is no failure",
    ),
    Case(
        (
            'I0311 04:12:09.118203       1 cluster.go:151] "Node ip-10-1-7-22 cannot be removed: pod with '
            'local storage present: grafana-6f9c7d8b5-k2x4q"'
        ),
        answer="cluster-autoscaler-no-scale-down",
        why="a pod the autoscaler may not move keeps its node",
    ),
    Case(
        (
            'I0311 04:12:09.118203       1 cluster.go:151] "Node ip-10-1-7-22 cannot be removed: '
            "non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: "
            'metrics-server-7d9f8c6b5-x2x7k"'
        ),
        answer="cluster-autoscaler-no-scale-down",
        why="a pod the autoscaler may not move keeps its node",
    ),
    Case(
        (
            'I0311 04:12:09.118203       1 cluster.go:151] "Node ip-10-1-7-22 cannot be removed: pod '
            'annotated as not safe to evict present: etl-runner-0"'
        ),
        answer="cluster-autoscaler-no-scale-down",
        why="a pod the autoscaler may not move keeps its node",
    ),
    Case(
        (
            'I0311 04:12:09.118203       1 cluster.go:151] "Node ip-10-1-7-22 cannot be removed: not enough '
            'pod disruption budget to move shop/cart-0"'
        ),
        answer="cluster-autoscaler-no-scale-down",
        why="a pod the autoscaler may not move keeps its node",
    ),
    Case(
        (
            "Fast evaluation: node 10.20.1.5 cannot be removed: non-deamons set, non-mirrored, kube-system "
            "pod present: kube-dns-v20-1485703853-8fs1w"
        ),
        answer="cluster-autoscaler-no-scale-down",
        why="the old autoscaler wording and gke visibility ids name the same blocker",
    ),
    Case(
        (
            "noDecisionStatus:\n"
            "  noScaleDown:\n"
            "    nodes:\n"
            "    - reason:\n"
            '        messageId: "no.scale.down.node.pod.kube.system.unmovable"\n'
        ),
        answer="cluster-autoscaler-no-scale-down",
        why="the old autoscaler wording and gke visibility ids name the same blocker",
    ),
    Case(
        (
            "I0212 08:01:44.120387       1 update_priority_calculator.go:114] quick OOM detected in pod "
            "shop/api-0, container api"
        ),
        answer="oom-killed",
        why="the vertical pod autoscaler records of an oom kill are the kill",
    ),
    Case(
        (
            'Event(api.ObjectReference{Kind:"Pod", Namespace:"kube-system", Name:"dns-1"}): type: \'Warning\' '
            "reason: 'FailedScheduling' no nodes available to schedule pods"
        ),
        answer="node-not-ready",
        why="the old schedulers empty node list is no node ready",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_scheduler_or_autoscaler_message_is_answered_as_its_row_says(
    case: Case,
) -> None:
    check(case)


def test_the_older_wording_with_its_reasons_is_read_the_same() -> None:
    body = match_json(ca_events("4 node(s) didn't match node selector", older=True))
    assert [m["id"] for m in body["matches"]][:2] == [
        "cluster-autoscaler-no-scale-up",
        "pending-node-selector-mismatch",
    ]


def test_the_current_schedulers_unnamed_taint_clause_is_read() -> None:
    """kube-scheduler 1.31+ says "node(s) had untolerated taint(s)" without naming the taint; the
    clause counts like its older forms, so four tainted nodes lead two the selector rules out."""
    event = (
        "Warning  FailedScheduling  3m24s (x239 over 19h)  default-scheduler  0/6 nodes are available:"
        " 2 node(s) didn't match Pod's node affinity/selector, 4 node(s) had untolerated taint(s)."
        " preemption: 0/6 nodes are available: 6 Preemption is not helpful for scheduling.\n"
    )
    body = match_json(event)
    assert body["answers"][:2] == ["pending-untolerated-taint", "pending-node-selector-mismatch"]
