"""Readings of the twenty-second pass (issue 21): exit codes said in words, a pull's back-off read by
what the paste is about, a slow pull that is no queue, a panic read by its message and one pod's
old eviction beside another pod's crash loop. Each case is written here from the component's
format or a plain sentence, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize(("said", "entry"), [
    ("Some of the agent pods restart once, they are all terminated with 139 and log nothing.",
     "exit-code-139-segfault"),
    ("The worker container exited with code 134 right after loading the model.", "exit-code-134-abort"),
    ("Our sidecar is always terminated with exit code 143 during the rollout.", "exit-code-143-sigterm"),
    ("The init container exited with code 127 as soon as it started.", "executable-not-found"),
])
def test_an_exit_code_said_in_words_is_that_exit(said: str, entry: str) -> None:
    assert match_json(said)["answer"] == entry


def test_a_container_status_exit_127_is_a_command_the_shell_did_not_find() -> None:
    # the pod's containerStatuses as `kubectl get pod -o json` prints them
    status = ('{\n  "name": "agent",\n  "state": {\n    "terminated": {\n      "exitCode": 127,\n'
              '      "reason": "Error",\n      "containerID": "containerd://5d2e0c1a"\n    }\n  },\n'
              '  "ready": false,\n  "restartCount": 3\n}\n')
    assert match_json(status)["answer"] == "executable-not-found"
    exit_one = status.replace('"exitCode": 127', '"exitCode": 1')
    assert match_json(exit_one)["answer"] != "executable-not-found"


_BACKOFF_EVENTS = (
    "Events:\n"
    "  Type     Reason     Age   From               Message\n"
    "  ----     ------     ----  ----               -------\n"
    "  Normal   Scheduled  40s   default-scheduler  Successfully assigned shop/api-5f7 to node-1\n"
    "  Normal   BackOff    12s   kubelet            Back-off pulling image \"registry.corp.example/shop/api:2.3\"\n"
    "  Warning  Failed     12s   kubelet            Error: ImagePullBackOff\n")


def test_a_pull_back_off_in_a_paste_about_pull_credentials_is_the_credentials() -> None:
    about_secret = "I added the imagePullSecrets to the deployment as the chart says, but:\n" + _BACKOFF_EVENTS
    assert match_json(about_secret)["answer"] == "image-pull-unauthorized"
    private = "Pulling from our private registry never works:\n" + _BACKOFF_EVENTS
    assert match_json(private)["answer"] == "image-pull-unauthorized"


def test_a_pull_back_off_with_nothing_about_credentials_names_no_cause() -> None:
    bare = "The api pod never starts:\n" + _BACKOFF_EVENTS
    assert match_json(bare)["answer"] != "image-pull-unauthorized"
    # YAML keys and API groups that merely contain the words are not about pulling
    yaml = ("spec:\n  credential: aws-credential\n"
            "clusterrolebinding.rbac.authorization.k8s.io/gather created\n" + _BACKOFF_EVENTS)
    assert match_json(yaml)["answer"] != "image-pull-unauthorized"


def test_a_minute_long_pull_beside_a_crash_loop_is_no_pull_queue() -> None:
    # an old kubelet's Pulled event gives the pull time alone; the pod's problem is its back-off
    events = (
        "LAST SEEN   TYPE      REASON    OBJECT         MESSAGE\n"
        "29s         Normal    Pulling   pod/op-7d9c    Pulling image \"example.org/op:latest\"\n"
        "95s         Normal    Pulled    pod/op-7d9c    Successfully pulled image \"example.org/op:latest\" in 1m7.98s\n"
        "24s         Normal    Started   pod/op-7d9c    Started container manager\n"
        "3s          Warning   BackOff   pod/op-7d9c    Back-off restarting failed container\n")
    assert match_json(events)["answer"] == "crashloop-backoff"


def test_an_old_eviction_of_another_pod_does_not_lead_a_crash_loop() -> None:
    pods = (
        "NAME                          READY   STATUS             RESTARTS   AGE\n"
        "pod/image-puller-g4srp        1/1     Running            0          9h\n"
        "pod/discovery                 0/1     Evicted            0          46d\n"
        "pod/hub-7d9868b8cf-cqp4c      0/1     CrashLoopBackOff   114        9h\n")
    assert match_json(pods)["answer"] == "crashloop-backoff"


def test_an_eviction_still_answers_when_it_is_the_only_failing_pod() -> None:
    pods = ("NAME                 READY   STATUS    RESTARTS   AGE\n"
            "pod/worker-5c9-abc   0/1     Evicted   0          3m\n")
    assert match_json(pods)["answer"] == "pod-evicted"
