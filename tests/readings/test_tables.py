"""Any other `kubectl get` table (bot/diagnosis/paste_rows.py): each row judged healthy or failing as a whole
(endpoints, Services, namespaces, component statuses, certificate requests).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json
from tests.readings.cases import Case, check

CASES = [
    Case(
        (
            "$ kubectl get ns/monitoring\n"
            "NAME         STATUS        AGE\n"
            "monitoring   Terminating   3h\n"
        ),
        answer="namespace-stuck-terminating",
        why="a namespace row still terminating is stuck",
        read_by="kubectl get",
    ),
    # a request seconds old is one still being approved
    Case(
        (
            "NAME        AGE   SIGNERNAME                      REQUESTOR                                 "
            "CONDITION\n"
            "csr-7gq2p   9h    kubernetes.io/kubelet-serving   system:node:ip-10-1-4-7.ec2.internal      "
            "Pending\n"
        ),
        answer="kubelet-serving-certificate-invalid",
        why="kubelet serving csrs pending for hours leave the kubelets without certificates",
        read_by="kubectl get",
    ),
    # a request seconds old is one still being approved
    Case(
        (
            "NAME        AGE   SIGNERNAME                      REQUESTOR                                 "
            "CONDITION\n"
            "csr-7gq2p   40s   kubernetes.io/kubelet-serving   system:node:ip-10-1-4-7.ec2.internal      "
            "Pending\n"
        ),
        answer=None,
        why="kubelet serving csrs pending for hours leave the kubelets without certificates",
        read_by="kubectl get",
    ),
    Case(
        (
            "NAMESPACE   NAME   REFERENCE        TARGETS                                   MINPODS   MAXPODS "
            "  REPLICAS   AGE\n"
            "shop        web    Deployment/web   cpu: 12%/80%, memory: 40%/80%             2         9       "
            "  2          3d\n"
            "shop        api    Deployment/api   cpu: <unknown>/80%, memory: <unknown>/80%   2         9     "
            "    2          21h\n"
        ),
        answer="hpa-missing-metrics",
        why="an hpa row listed across namespaces with unknown targets lacks metrics",
        read_by="kubectl get",
    ),
    Case(
        (
            "NAME                 STATUS      MESSAGE                                                        "
            "           ERROR\n"
            "scheduler            Unhealthy   Get http://127.0.0.1:10251/healthz: dial tcp 127.0.0.1:10251: "
            "connect: connection refused\n"
            'etcd-0               Healthy     {"health":"true"}\n'
        ),
        answer="scheduler-not-running",
        why="componentstatuses showing the scheduler unhealthy names the scheduler",
        read_by="kubectl get",
    ),
    Case(
        (
            "NAME                 STATUS    MESSAGE             ERROR\n"
            "scheduler            Healthy   ok\n"
            "controller-manager   Healthy   ok\n"
            'etcd-0               Healthy   {"health":"true"}\n'
        ),
        answer=None,
        why="componentstatuses all healthy is no problem",
        read_by="kubectl get",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_another_get_table_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    ("age", "stuck"), [("1s", False), ("40s", False), ("3m", True), ("2d", True)]
)
def test_a_load_balancer_pending_for_seconds_is_starting_and_for_minutes_is_stuck(
    age: str, stuck: bool
) -> None:
    paste = (
        "==> v1/Service\n"
        "NAME      TYPE          CLUSTER-IP     EXTERNAL-IP  PORT(S)        AGE\n"
        f"web-edge  LoadBalancer  10.27.254.178  <pending>    443:31230/TCP  {age}\n"
    )
    body = match_json(paste)
    assert (body["answer"] == "loadbalancer-service-pending") is stuck, body["matches"]


@pytest.mark.parametrize(
    ("targets", "age", "failing"),
    [
        ("<unknown>/50%", "21h", True),
        ("cpu: <unknown>/80%", "3d", True),  # kubectl 1.30's column names the resource
        ("<unknown>/100", "15s", False),  # no metrics read yet: the controller reads every 15 s
        ("cpu: 12%/80%", "3d", False),
    ],
)
def test_an_hpa_row_with_unknown_targets_is_read_as_missing_metrics(
    targets: str, age: str, failing: bool
) -> None:
    paste = (
        "$ kubectl get hpa -n shop\n"
        "NAME       REFERENCE             TARGETS             MINPODS   MAXPODS   REPLICAS   AGE\n"
        f"consumer   Deployment/consumer   {targets:<18}  1         10        1          {age}\n"
    )
    body = match_json(paste)
    assert (body["answer"] == "hpa-missing-metrics") is failing, body["matches"]


@pytest.mark.parametrize(
    ("age", "empty"), [("20s", False), ("77s", True), ("5m12s", True), ("3d", True)]
)
def test_a_get_endpoints_row_without_addresses_after_its_first_minute_is_a_service_without_endpoints(
    age: str, empty: bool
) -> None:
    paste = (
        "$ kubectl get endpoints -n shop\nNAME       ENDPOINTS          AGE\n"
        f"cart       <none>             {age}\n"
        f"checkout   10.1.2.3:5050      {age}\n"
    )
    assert (match_json(paste)["answer"] == "service-endpoints-empty") is empty
