"""Readings of the twelfth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize(("sentence", "answer"), [
    # the status word as people shorten or scramble it
    ("The api pod goes into CrashLoopBack after every deploy.", "crashloop-backoff"),
    ("our operator pod is in crashbackloopoff since the upgrade", "crashloop-backoff"),
    # the loop said in words
    ("The scheduler pods come up and then keep crashing every few minutes.", "crashloop-backoff"),
    # an OOM kill as a noun, and said in words
    ("It fails to start, sometimes with OOMKill as the pod status.", "oom-killed"),
    ("The ingester replays its WAL until it got killed because of OOM.", "oom-killed"),
])
def test_failures_said_in_a_users_words(sentence: str, answer: str) -> None:
    assert match_json(sentence)["answer"] == answer


@pytest.mark.parametrize("sentence", [
    "The pods no longer keep crashing since we raised the limit.",
    "If the worker keeps crashing, look at its previous log.",
    "The node keeps crashing every night, the VM host reboots it.",
    "The pod keeps restarting after each rollout, which is expected with our hook.",
])
def test_a_loop_denied_supposed_or_of_a_machine_is_no_crash_loop(sentence: str) -> None:
    answer = match_json(sentence)["answer"]
    assert answer != "crashloop-backoff"


@pytest.mark.parametrize("line", [
    "java.nio.file.FileSystemException: /var/lib/app/queue.xml: No space left on device",
    "OSError: [Errno 28] No space left on device: '/data/cache/index'",
    "Error: ENOSPC: no space left on device, write",
])
def test_a_full_disk_as_the_language_runtimes_say_it(line: str) -> None:
    assert match_json(line)["answer"] == "filesystem-full"


def test_a_typed_command_states_no_failure() -> None:
    # removing a taint is something done, not something seen
    paste = ("How do I avoid running this on every new worker?\n"
             "kubectl taint node worker-1 node.cloudprovider.kubernetes.io/uninitialized=true:NoSchedule-\n")
    assert match_json(paste)["answer"] is None


def test_a_sentence_that_starts_with_a_command_is_still_read() -> None:
    assert match_json("kubectl get pods shows the api pod in CrashLoopBackOff")["answer"] == "crashloop-backoff"


@pytest.mark.parametrize(("status", "answer"), [
    ("401 Unauthorized", "image-pull-unauthorized"),
    ("403 Forbidden", "image-pull-unauthorized"),
    ("404 Not Found", "image-not-found"),
    ("429 Too Many Requests", "image-pull-rate-limited"),
])
def test_containerd_pulling_from_host_is_read_by_its_status(status: str, answer: str) -> None:
    line = ('Failed to pull image "registry.example.com/team/api:1.4": failed to resolve reference '
            '"registry.example.com/team/api:1.4": pulling from host registry.example.com failed with status code '
            f'[manifests 1.4]: {status}')
    assert match_json(line)["answer"] == answer


def test_dockers_repository_not_found_is_a_missing_image() -> None:
    line = ('Failed to pull image "worker:v2": rpc error: code = Unknown desc = Error response from daemon: '
            'repository worker not found: does not exist or no pull access')
    assert match_json(line)["answer"] == "image-not-found"


def test_an_event_row_that_states_the_entry_is_not_refuted_by_its_own_section() -> None:
    # the image entry's evidence rule reads containerd's words; the Events show dockerd's
    paste = ("Events:\n"
             "  Type     Reason   Age   From     Message\n"
             "  ----     ------   ----  ----     -------\n"
             '  Normal   Pulling  2m    kubelet  pulling image "worker:v2"\n'
             '  Warning  Failed   2m    kubelet  Failed to pull image "worker:v2": rpc error: code = Unknown desc = '
             "Error response from daemon: repository worker not found: does not exist or no pull access\n"
             "  Warning  Failed   2m    kubelet  Error: ErrImagePull\n")
    body = match_json(paste)
    assert body["answer"] == "image-not-found"
    assert body["matches"][0]["confidence"] == "high"


def test_helm_2_refusing_a_release_name_still_held() -> None:
    line = ("Error: a release named web already exists.\nRun: helm ls --all web; to check the status of the release\n"
            "Or run: helm del --purge web; to delete it")
    assert match_json(line)["answer"] == "helm-release-name-in-use"


def test_an_operator_missing_its_crd_explains_its_crash_loop() -> None:
    paste = ("NAME                        READY   STATUS             RESTARTS   AGE\n"
             "widget-operator-7c9d-x2x9q  0/1     CrashLoopBackOff   4          3m\n"
             "$ kubectl logs widget-operator-7c9d-x2x9q\n"
             'ERROR precheck failed: customresourcedefinitions.apiextensions.k8s.io "widgets.example.com" not found\n')
    body = match_json(paste)
    assert body["answer"] == "crd-not-installed"
    crashloop = next(m for m in body["matches"] if m["id"] == "crashloop-backoff")
    assert crashloop["because"] == ["crd-not-installed"]


@pytest.mark.parametrize(("error", "answer"), [
    ('Get "https://10.0.0.1:6443/api?timeout=32s": dial tcp 10.0.0.1:6443: connect: no route to host',
     "kubectl-apiserver-unreachable-timeout"),
    ('Get "https://10.0.0.1:6443/api?timeout=32s": dial tcp 10.0.0.1:6443: i/o timeout',
     "kubectl-apiserver-unreachable-timeout"),
    ('Get "https://10.0.0.1:6443/api?timeout=32s": dial tcp 10.0.0.1:6443: connect: connection refused',
     "kubectl-apiserver-connection-refused"),
    ('Get "http://localhost:8080/api?timeout=32s": dial tcp 127.0.0.1:8080: connect: connection refused',
     "kubectl-no-kubeconfig-localhost-8080"),
])
def test_api_discovery_failing_is_read_by_what_the_dial_met(error: str, answer: str) -> None:
    line = f"E0626 12:45:47.674178   28658 memcache.go:265] couldn't get current server API group list: {error}"
    assert match_json(line)["answer"] == answer


def test_unable_to_connect_with_no_route_to_host_is_an_unreachable_server() -> None:
    line = "Unable to connect to the server: dial tcp 192.168.64.2:6443: connect: no route to host"
    assert match_json(line)["answer"] == "kubectl-apiserver-unreachable-timeout"


def test_any_client_dialing_client_gos_default_host_has_no_kubeconfig() -> None:
    line = ('Errors: cilium-operator  Get "http://localhost:8080/apis/apps/v1/namespaces/kube-system/deployments/'
            'cilium-operator": dial tcp 127.0.0.1:8080: connect: connection refused')
    assert match_json(line)["answer"] == "kubectl-no-kubeconfig-localhost-8080"


def test_the_aggregators_condition_reason_in_yaml() -> None:
    paste = ("status:\n  conditions:\n  - lastTransitionTime: \"2024-03-01T10:00:00Z\"\n"
             "    message: 'failing or missing response from https://10.96.0.20:443: bad status from "
             "https://10.96.0.20:443: 503'\n"
             "    reason: FailedDiscoveryCheck\n    status: \"False\"\n    type: Available\n")
    assert match_json(paste)["answer"] == "aggregated-apiservice-unavailable"


def test_the_kernel_killing_the_sandbox_is_sandbox_oom_not_the_workloads() -> None:
    paste = ("Warning  FailedCreatePodSandBox  15s  kubelet  Failed to create pod sandbox: rpc error: code = Unknown "
             "desc = failed to create containerd task: failed to create shim task: ttrpc: closed: unknown\n"
             "[40743.903412] Memory cgroup out of memory: Killed process 1162211 (qemu-system-x86) total-vm:2804836kB, "
             "anon-rss:20456kB, file-rss:61968kB, shmem-rss:100848kB, UID:0 pgtables:692kB oom_score_adj:-999\n")
    ids = [m["id"] for m in match_json(paste)["matches"] if m["confidence"] != "low"]
    assert "oom-killed" not in ids
    assert "pod-sandbox-oom" in [m["id"] for m in match_json(paste)["matches"]]
