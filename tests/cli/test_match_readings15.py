"""Readings of the fifteenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic_in_process, match_json

_HUNG = "Warning  TaskHung  5m  kernel-monitor  INFO: task {task} blocked for more than 120 seconds.\n"


def test_a_hung_task_event_is_task_hung_even_when_the_task_is_dockerd() -> None:
    # node-problem-detector's kernel monitor: every hung task is a TaskHung event; only a task
    # named `docker` also matches its DockerHung rule (the permanent KernelDeadlock condition),
    # so a row it labelled TaskHung is read as that
    paste = "Events:\n  Type     Reason    Age   From            Message\n" + "".join(
        "  " + _HUNG.format(task=task) for task in ("jbd2/sda4-8:363", "dockerd:6500", "containerd:7378"))
    assert match_json(paste)["answer"] == "node-task-hung"


@pytest.mark.parametrize("task", ["docker:20744", "dockerd:1532", "containerd:812"])
def test_the_kernels_own_report_of_a_hung_runtime_is_the_kernel_deadlock(task: str) -> None:
    paste = f"kernel: INFO: task {task} blocked for more than 120 seconds.\n"
    assert match_json(paste)["answer"] == "node-kernel-deadlock"


def test_hung_tasks_lead_the_node_they_took_down() -> None:
    paste = ("  Ready  Unknown  NodeStatusUnknown  Kubelet stopped posting node status.\n"
             "  " + _HUNG.format(task="kswapd0:49"))
    result = match_json(paste)
    assert result["answer"] == "node-task-hung"
    not_ready = next(m for m in result["matches"] if m["id"] == "node-not-ready")
    assert "node-task-hung" in not_ready["because"]


_PROBES = (
    "LAST SEEN   TYPE      REASON      OBJECT       MESSAGE\n"
    '2m          Warning   Unhealthy   pod/web-0    Readiness probe failed: Get "http://10.1.2.3:8080/ready": '
    "dial tcp 10.1.2.3:8080: connect: connection refused\n"
    "2m          Warning   Unhealthy   pod/web-0    Readiness probe failed: HTTP probe failed with statuscode: 503\n"
    "90s         Warning   Unhealthy   pod/web-0    Readiness probe failed: HTTP probe failed with statuscode: 500\n"
    "90s         Warning   Unhealthy   pod/web-0    Liveness probe failed: HTTP probe failed with statuscode: 503\n"
    "60s         Normal    Killing     pod/web-0    Container web failed liveness probe, will be restarted\n"
)


def test_the_probe_that_restarts_the_container_leads_the_one_that_only_gates_traffic() -> None:
    # more readiness rows than liveness rows: the liveness failure still leads, and both stay answers
    result = match_json(_PROBES)
    assert result["answers"][:2] == ["liveness-probe-failed", "readiness-probe-failed"]
    text = kubemedic_in_process("match", stdin=_PROBES.encode()).stdout
    assert "\n2. Readiness probe" in text


@pytest.mark.parametrize("sentence", [
    "The api pod seems to be crashlooping since the upgrade.",
    "Our worker pods are stuck in a crash loop after the config change.",
    "After deploying, the pod keeps crash-looping.",
    "The scheduler pod is repeatedly crashing and I cannot find why.",
    "The controller pod is crashing after 5 restarts.",
])
def test_a_crash_loop_said_in_words_is_the_crash_loop(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "crashloop-backoff"


@pytest.mark.parametrize("sentence", [
    "Since the kernel update the node is crashlooping every night.",
    "How do I prevent a pod from crashlooping when the config map is missing?",
    "The pod should not crash loop when the database is down.",
])
def test_a_crash_loop_of_a_machine_or_one_denied_is_not_answered(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] != "crashloop-backoff"


_PV = ("Name:            pvc-0f1e\nLabels:          <none>\nFinalizers:      [kubernetes.io/pv-protection]\n"
       "StorageClass:    local-path\nStatus:          {status}\nClaim:           {claim}\n"
       "Reclaim Policy:  Delete\nAccess Modes:    RWO\nCapacity:        8Gi\nEvents:          <none>\n")


def test_a_described_volume_stuck_terminating_is_named_as_the_volume() -> None:
    result = match_json(_PV.format(status="Terminating (lasts 2h)", claim="shop/data-db-0"))
    assert result["answer"] == "pvc-stuck-terminating"
    assert "PersistentVolume pvc-0f1e is Terminating" in str(result["matches"][0])


def test_an_available_volume_is_healthy() -> None:
    assert match_json(_PV.format(status="Available", claim=""))["answer"] is None


_UNAVAILABLE = "Error from server (ServiceUnavailable): the server is currently unable to handle the request ({})\n"


@pytest.mark.parametrize("asked", [
    "get clusters.cluster.karmada.io", "get pods.metrics.k8s.io", "get backups.velero.io nightly"])
def test_a_503_for_a_resource_of_an_aggregated_group_is_its_apiservice(asked: str) -> None:
    # apimachinery's NewGenericServerResponse names the verb and the qualified resource
    assert match_json(_UNAVAILABLE.format(asked))["answer"] == "aggregated-apiservice-unavailable"


@pytest.mark.parametrize("asked", ["get pods", "get deployments.apps", "list nodes"])
def test_a_503_for_a_built_in_resource_is_not_blamed_on_an_apiservice(asked: str) -> None:
    assert match_json(_UNAVAILABLE.format(asked))["answer"] != "aggregated-apiservice-unavailable"


def test_the_group_that_answers_503_leads_the_resource_type_discovery_then_lacks() -> None:
    paste = _UNAVAILABLE.format("get clusters.cluster.karmada.io") + \
        'error: the server doesn\'t have a resource type "cluster"\n'
    assert match_json(paste)["answers"][:2] == ["aggregated-apiservice-unavailable", "crd-not-installed"]


@pytest.mark.parametrize(("sentence", "entry"), [
    ("After a few hours minikube encounters disk pressure and evicts the pods.", "node-disk-pressure"),
    ("Our k3s box is experiencing memory pressure since the upgrade.", "node-memory-pressure"),
    ("The memory pressure occurs due to the endless restarts of one pod.", "node-memory-pressure"),
    ("The disk pressure started after we enabled debug logging.", "node-disk-pressure"),
])
def test_a_single_node_cluster_or_the_pressure_itself_said_in_words(sentence: str, entry: str) -> None:
    assert match_json(sentence + "\n")["answer"] == entry


@pytest.mark.parametrize("sentence", [
    "If the node experiences memory pressure, the kubelet evicts pods.",
    "Minikube does not encounter disk pressure with the default settings.",
])
def test_pressure_supposed_or_denied_is_not_answered(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] not in ("node-disk-pressure", "node-memory-pressure")


@pytest.mark.parametrize("line", [
    # kaniko's push-permission check, and go-containerregistry's upload and manifest writes
    ('error checking push permissions -- make sure you entered the correct tag name, and that you are '
     'authenticated correctly, and try again: checking push permission for "registry.example.com/team/app:1.2": '
     'POST https://registry.example.com/v2/team/app/blobs/uploads/: UNAUTHORIZED: authentication required'),
    ('PUT https://registry.example.com/v2/team/app/manifests/1.2: unexpected status code 401 Unauthorized: '
     'UNAUTHORIZED: authentication required'),
])
def test_a_push_refused_is_no_image_pull(line: str) -> None:
    assert match_json(line + "\n")["answer"] != "image-pull-unauthorized"


def test_a_pull_refused_is_still_the_pull() -> None:
    line = ('Failed to pull image "registry.example.com/team/app:1.2": failed to resolve reference '
            '"registry.example.com/team/app:1.2": unexpected status code [manifests 1.2]: 401 Unauthorized\n')
    assert match_json(line)["answer"] == "image-pull-unauthorized"


@pytest.mark.parametrize(("line", "entry"), [
    # the pre-1.19 volume predicates fail the pod outright with the claim's name
    ('  Warning  FailedScheduling  3s (x7 over 2m)  default-scheduler  PersistentVolumeClaim is not bound: "hub-db-dir"',
     "pvc-pending"),
    ('  Warning  FailedScheduling  3s  default-scheduler  PersistentVolumeClaim was not found: "data-web-0"',
     "pod-pvc-not-found"),
])
def test_the_old_volume_predicates_name_the_claim(line: str, entry: str) -> None:
    assert match_json(line + "\n")["answer"] == entry
