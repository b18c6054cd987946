"""`kubectl get pods` rows (bot/cluster/outputs/row_pods.py): STATUS, READY, RESTARTS and AGE read as a
pod's phase and its containers' states.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_ids, match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "NAME       READY   STATUS    RESTARTS        AGE\n"
            "worker-0   1/1     Running   14 (3m12s ago)  2d\n"
            "kubectl describe pod worker-0 | grep Reason\n"
            "      Reason:       OOMKilled\n"
        ),
        answer="oom-killed",
        why="a restarted row does not deny how the container last ended",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME       READY   STATUS    RESTARTS   AGE\n"
            "worker-0   1/1     Running   0          2d\n"
            "it was OOMKilled\n"
        ),
        not_answer="oom-killed",
        why="a row that never restarted still denies a last termination",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                   READY   STATUS    RESTARTS   AGE\n"
            "api-5d8f7c6b9-k2m4p    0/1     Running   0          25m\n"
            "api-5d8f7c6b9-q7r8s    0/1     Running   0          25m\n"
            "cache-0                1/1     Running   0          3h\n"
        ),
        answer="readiness-probe-failed",
        why="pods running unready long past their start fail their readiness probe",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                   READY   STATUS    RESTARTS   AGE\n"
            "api-5d8f7c6b9-k2m4p    0/1     Running   0          40s\n"
            "api-5d8f7c6b9-q7r8s    0/1     Running   0          40s\n"
            "cache-0                1/1     Running   0          3h\n"
        ),
        not_answer="readiness-probe-failed",
        why="pods still starting or restarting are not read as the readiness probe",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                   READY   STATUS    RESTARTS   AGE\n"
            "api-5d8f7c6b9-k2m4p    0/1     Running   3          25m\n"
            "api-5d8f7c6b9-q7r8s    0/1     Running   3          25m\n"
            "cache-0                1/1     Running   0          3h\n"
        ),
        not_answer="readiness-probe-failed",
        why="pods still starting or restarting are not read as the readiness probe",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "The agent pods restart with OOM as the termination reason:\n"
            "NAME            READY   STATUS    RESTARTS   AGE\n"
            "collector-0     1/1     Running   0          44h\n"
            "agent-6jgvc     1/1     Running   33         4h55m\n"
            "agent-7zwnl     1/1     Running   14         4h55m\n"
        ),
        answer="oom-killed",
        why="a steady pod in the table does not deny how the restarted ones ended",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME             READY   STATUS     RESTARTS   AGE\n"
            "csi-node-j6w8j   2/2     NodeLost   0          3d\n"
            "csi-node-mvthq   2/2     Running    0          3d\n"
        ),
        answer="node-not-ready",
        why="a pod the node controller marked nodelost is on a node not ready",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                        READY   STATUS                    RESTARTS   AGE\n"
            "producer-685fcbc569-bgv8c   0/1     _**ErrImageNeverPull**_   0          10s\n"
        ),
        answer="err-image-never-pull",
        why="a status in bold italic is still the status",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                 READY   STATUS    RESTARTS   AGE\n"
            "pod/worker-5c9-abc   0/1     Evicted   0          3m\n"
        ),
        answer="pod-evicted",
        why="an eviction still answers when it is the only failing pod",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                 READY   STATUS     RESTARTS   AGE\n"
            "spire-agent-rjcd9    0/1     Init:0/1   0          142m\n"
            "spire-server-0       2/2     Running    0          145m\n"
        ),
        answer="init-container-failed",
        why="a pod stuck in init past its start is its init container",
        read_by="kubectl get pods",
    ),
    Case(
        ("NAME    READY   STATUS     RESTARTS   AGE\nweb-0   0/1     Init:0/1   0          40s\n"),
        answer=None,
        why="a pod just started in init is no failure",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                       READY   STATUS             RESTARTS   AGE\n"
            "csi-plugin-x2v7k           1/2     CrashLoopBackOff   12         40m\n"
            "driver-deployer-6d4cf56    0/1     Init:0/1           0          40m\n"
        ),
        answer="crashloop-backoff",
        why="pods in init beside a crash loop wait on the loop",
        read_by="kubectl get pods",
    ),
    Case(
        (
            "NAME                          READY   STATUS   RESTARTS   AGE\n"
            "airflow-web-76f4f49c56-65hqm  0/1     Error    2          13m\n"
        ),
        answer="crashloop-backoff",
        why="a pod in error after restarts is a crash loop between back offs",
        read_by="kubectl get pods",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_get_pods_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_restarts_of_a_container_running_and_ready_are_no_crash_loop() -> None:
    """A pod that restarted days ago and is Running 1/1 now is not looping; the pods that cannot
    pull their image are the problem, and the restart count must not make a crash loop of it."""
    table = (
        "NAME                         READY   STATUS             RESTARTS        AGE\n"
        "pod/frontend-7d9f8c6b5-2kq9x   0/1     ImagePullBackOff   0               5m\n"
        "pod/frontend-7d9f8c6b5-8w2lp   0/1     ImagePullBackOff   0               5m\n"
        "pod/batch-runner-5c4d7-x8z2q   1/1     Running            7 (10m ago)     2d1h\n"
    )
    body = match_json(table)
    assert body["answer"] != "crashloop-backoff"
    looping = table.replace(
        "1/1     Running            7 (10m ago)", "0/1     Running            7 (10m ago)"
    )
    assert "crashloop-backoff" in match_ids(match_json(looping))
