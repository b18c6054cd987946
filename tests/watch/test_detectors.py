"""What the watcher reports, one object at a time, with the workload that owns it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.watching.detectors import Thresholds, detect_event, detect_node, detect_pod
from bot.watching.owners import Owner
from intents.loaded import LoadedCatalog
from intents.watch_table import WatchTable
from tests.standins import kube_cluster as kc
from tests.standins import kube_objects as ko

NOW = datetime.now(UTC)
"""The built-in catalog's watch declarations: the states and ids below come from them."""


@pytest.fixture(scope="module")
def table(builtin_catalog: LoadedCatalog) -> WatchTable:
    """The built-in catalog's watch table (the session's catalog, not a second load at collection)."""
    return WatchTable.of(builtin_catalog.entries.values())


LIMITS = Thresholds(pending=timedelta(minutes=5), node=timedelta(minutes=2))
WEB = ko.deployment(name="web", namespace="shop")
WEB_RS = ko.replicaset(deployment=WEB)
DB = ko.statefulset(name="db", namespace="shop")


def web_pod(name: str = "web-7d9c6b8f5-x2x4q", **kw: Any) -> dict[str, Any]:
    labels = dict(WEB_RS["metadata"]["labels"])
    return ko.pod(name=name, namespace="shop", owner=WEB_RS, labels=labels, **kw)


def oom_recently(minutes: float) -> dict[str, Any]:
    status = ko.running_status(name="app")
    status["restartCount"] = 2
    status["lastState"] = ko.terminated_state(
        reason="OOMKilled", exit_code=137, started=minutes * 60 + 30, finished=minutes * 60
    )
    return status


PODS = [
    # (why, pod, problem, reason, owner)
    (
        "crash loop: reported against the Deployment, not the ReplicaSet",
        web_pod(container_statuses=[ko.crashloop_status(restarts=14)]),
        "crashloop-backoff",
        "CrashLoopBackOff",
        Owner("Deployment", "web", "shop"),
    ),
    (
        "a crash loop whose container was OOM-killed is an OOM problem",
        web_pod(container_statuses=[ko.crashloop_status(last_reason="OOMKilled")]),
        "oom-killed",
        "OOMKilled",
        Owner("Deployment", "web", "shop"),
    ),
    (
        "running again after an OOM kill 3 minutes ago: still reported",
        lambda: web_pod(container_statuses=[oom_recently(3)]),
        "oom-killed",
        "OOMKilled",
        Owner("Deployment", "web", "shop"),
    ),
    (
        "an OOM kill two hours ago is history, not news",
        lambda: web_pod(container_statuses=[oom_recently(120)]),
        None,
        None,
        None,
    ),
    (
        "image pull back-off",
        ko.pod(
            name="db-0",
            namespace="shop",
            owner=DB,
            container_statuses=[ko.image_pull_backoff_status()],
        ),
        "image-pull",
        "ImagePullBackOff",
        Owner("StatefulSet", "db", "shop"),
    ),
    (
        "missing ConfigMap",
        web_pod(container_statuses=[ko.create_container_config_error_status()]),
        "create-container-config-error",
        "CreateContainerConfigError",
        Owner("Deployment", "web", "shop"),
    ),
    (
        "evicted",
        ko.evicted_pod(name="web-1", namespace="shop"),
        "pod-evicted",
        "Evicted",
        Owner("Pod", "web-1", "shop"),
    ),
    (
        "unschedulable for 10 minutes",
        lambda: ko.pending_unschedulable(name="big-0", namespace="shop", created=600),
        "pending",
        "Unschedulable",
        Owner("Pod", "big-0", "shop"),
    ),
    (
        "unschedulable for 1 minute: not yet",
        lambda: ko.pending_unschedulable(name="big-0", namespace="shop", created=60),
        None,
        None,
        None,
    ),
    ("healthy", web_pod(), None, None, None),
    (
        "being deleted: never reported",
        {
            **web_pod(container_statuses=[ko.crashloop_status()]),
            "metadata": {**web_pod()["metadata"], "deletionTimestamp": ko.ago(5)},
        },
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("why", "pod", "problem", "reason", "owner"), PODS, ids=[p[0] for p in PODS]
)
def test_pod_problems(
    table: WatchTable,
    why: str,
    pod: dict[str, Any] | Callable[[], dict[str, Any]],
    problem: str | None,
    reason: str | None,
    owner: Owner | None,
) -> None:
    made = (
        pod() if callable(pod) else pod
    )  # ages measured from now, not from when the table was built
    found = detect_pod(made, table=table, now=datetime.now(UTC), thresholds=LIMITS)
    got = (found.problem, found.reason, found.owner) if found else None
    assert got == ((problem, reason, owner) if problem else None)


def test_restarts_of_every_container_add_up(table: WatchTable) -> None:
    pod = web_pod(
        containers=[ko.container(name="a"), ko.container(name="b")],
        container_statuses=[
            ko.crashloop_status(name="a", restarts=9),
            ko.crashloop_status(name="b", restarts=5),
        ],
    )
    found = detect_pod(pod, table=table, now=datetime.now(UTC), thresholds=LIMITS)
    assert found is not None and found.restarts == 14 and found.subject == "web-7d9c6b8f5-x2x4q"


NODES = [
    ("NotReady for 15 minutes", ko.node(name="w1", ready=False, since=900), ["node-not-ready"]),
    (
        "kubelet stopped posting status",
        ko.node(name="w1", ready="Unknown", since=900),
        ["node-not-ready"],
    ),
    ("NotReady for 30 seconds: not yet", lambda: ko.node(name="w1", ready=False, since=30), []),
    (
        "disk and memory pressure",
        ko.node(name="w1", disk_pressure=True, memory_pressure=True, since=600),
        ["node-memory-pressure", "node-disk-pressure"],
    ),
    ("healthy", ko.node(name="w1"), []),
]


@pytest.mark.parametrize(("why", "node", "problems"), NODES, ids=[n[0] for n in NODES])
def test_node_problems_that_lasted(
    table: WatchTable,
    why: str,
    node: dict[str, Any] | Callable[[], dict[str, Any]],
    problems: list[str],
) -> None:
    found = detect_node(
        node() if callable(node) else node, table=table, now=datetime.now(UTC), thresholds=LIMITS
    )
    assert [d.problem for d in found] == problems
    assert all(d.owner == Owner("Node", "w1") for d in found)


def test_failed_jobs_come_from_warning_events_and_cronjob_runs_share_an_owner(
    table: WatchTable,
) -> None:
    failed = ko.event(
        involved=ko.job(name="report-29012345", namespace="batch"),
        reason="BackoffLimitExceeded",
        message="Job has reached the specified backoff limit",
    )
    found = detect_event(failed, table=table)
    assert found is not None and found.problem == "job-backoff-limit"
    assert found.owner == Owner("CronJob", "report", "batch") and found.subject == "report-29012345"
    late = ko.event(
        involved=ko.job(name="migrate", namespace="batch"),
        reason="DeadlineExceeded",
        message="Job was active longer than specified deadline",
    )
    found = detect_event(late, table=table)
    assert found is not None and found.problem == "job-active-deadline-exceeded"
    assert found.owner == Owner("Job", "migrate", "batch")
    pulled = ko.event(
        involved=web_pod(), reason="BackOff", message="Back-off restarting failed container"
    )
    assert detect_event(pulled, table=table) is None  # pod events: the pod's own status says more


def test_node_problem_detector_states_come_from_the_catalogs_watch_declarations(
    table: WatchTable,
) -> None:
    # no Python names these states: node-kernel-deadlock and node-task-hung declare them in `watch:`
    node = ko_node_with("KernelDeadlock", "DockerHung")
    found = detect_node(node, table=table, now=datetime.now(UTC), thresholds=LIMITS)
    assert [d.problem for d in found] == ["node-kernel-deadlock"] and found[
        0
    ].reason == "DockerHung"
    hung = ko.event(
        involved=node,
        reason="TaskHung",
        type="Warning",
        message="kernel: INFO: task jbd2/sda1-8:412 blocked for more than 120 seconds.",
    )
    event = detect_event(hung, table=table)
    assert (
        event is not None
        and event.problem == "node-task-hung"
        and event.owner == Owner("Node", "w1", None)
    )
    assert event.from_event
    assert (
        detect_event(hung, table=WatchTable()) is None
    )  # a catalog without the declaration: not watched


def ko_node_with(kind: str, reason: str) -> dict[str, Any]:
    node = kc.node(name="w1")
    node["status"]["conditions"].append(
        {
            "type": kind,
            "status": "True",
            "reason": reason,
            "message": "",
            "lastHeartbeatTime": ko.ago(5),
            "lastTransitionTime": ko.ago(600),
        }
    )
    return node
