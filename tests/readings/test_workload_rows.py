"""`kubectl get daemonsets` / `get deployments` rows short of what they want (bot/diagnosis/paste_objects.py)."""

from __future__ import annotations

from tests.cli.runner import match_json

DAEMONSETS = (
    "$ kubectl get ds -n storage\n"
    "NAME         DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
    "csi-node     4         4         4       4            4           kubernetes.io/os=linux   30d\n"
    "{row}\n"
)


def test_a_daemonset_with_fewer_pods_ready_than_it_wants_has_not_finished_its_rollout() -> None:
    short = DAEMONSETS.format(
        row="io-engine    4         4         2       3            2           openebs.io/engine=on     30d"
    )
    assert match_json(short)["answer"] == "daemonset-rollout-stuck"


def test_a_complete_daemonset_table_is_healthy() -> None:
    whole = DAEMONSETS.format(
        row="io-engine    4         4         4       4            4           openebs.io/engine=on     30d"
    )
    assert match_json(whole)["answer"] is None


def test_a_deployment_short_of_replicas_past_its_deadline_is_not_progressing_but_a_young_one_may_be_rolling() -> (
    None
):
    header = "NAME      READY   UP-TO-DATE   AVAILABLE   AGE\n"
    assert (
        match_json(header + "billing   0/2     2            0           45m\n")["answer"]
        == "deployment-progress-deadline"
    )
    assert match_json(header + "billing   1/2     2            1           40s\n")["answer"] is None
