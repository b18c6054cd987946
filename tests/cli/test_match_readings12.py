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


def test_an_init_containers_status_leads_the_crash_loop_it_explains() -> None:
    # a quoted pod row without its header, and the kubelet backing off the (init) container
    paste = (">web-0      0/2     Init:CrashLoopBackOff   4          3m2s\n\n"
             "Events:\n"
             "  Type     Reason   Age                From     Message\n"
             "  ----     ------   ----               ----     -------\n"
             "  Normal   Started  16s (x4 over 89s)  kubelet  Started container init\n"
             "  Warning  BackOff  8s (x4 over 67s)   kubelet  Back-off restarting failed container\n")
    assert match_json(paste)["answer"] == "init-container-failed"


@pytest.mark.parametrize("sentence", [
    "Following the guide, logstash fails with OOM.",
    "The collector pods keep restarting with OOM as the termination reason.",
])
def test_a_container_said_to_fail_with_oom(sentence: str) -> None:
    assert match_json(sentence)["answer"] == "oom-killed"


def test_a_container_said_not_to_fail_with_oom_any_more() -> None:
    assert match_json("Since the upgrade the agent no longer restarts with OOM.")["answer"] != "oom-killed"


POD_TABLE = ("NAME            READY   STATUS    RESTARTS   AGE\n"
             "collector-0     1/1     Running   0          44h\n"
             "agent-6jgvc     1/1     Running   33         4h55m\n"
             "agent-7zwnl     1/1     Running   14         4h55m\n")


def test_a_steady_pod_in_the_table_does_not_deny_how_the_restarted_ones_ended() -> None:
    paste = "The agent pods restart with OOM as the termination reason:\n" + POD_TABLE
    assert match_json(paste)["answer"] == "oom-killed"


def test_a_describe_cut_before_its_container_states_does_not_deny_an_oom() -> None:
    paste = ("logstash fails with OOM.\n\n"
             "NAME             READY     STATUS             RESTARTS   AGE       IP            NODE\n"
             "logstash-r2775   0/1       CrashLoopBackOff   2          39s       100.96.1.16   node-1\n"
             "logstash-xsclg   0/1       CrashLoopBackOff   2          39s       100.96.2.17   node-2\n\n"
             "kubectl describe po\n"
             "Name:           logstash-xsclg\nNamespace:      default\nNode:           node-2/172.20.42.76\n"
             "Status:         Running\nIP:             100.96.2.17\nControlled By:  DaemonSet/logstash\n"
             "Containers:\n  logstash:\n")
    assert match_json(paste)["answer"] == "oom-killed"


NODES = ("NAME     STATUS                     ROLES           AGE    VERSION\n"
         "cp-1     Ready,SchedulingDisabled   {role}   4h4m   v1.29.2\n"
         "w-1      Ready                      worker          4h4m   v1.29.2\n")


def test_a_control_plane_node_left_cordoned_is_how_installers_leave_it() -> None:
    assert match_json(NODES.format(role="control-plane"))["answer"] is None


def test_a_worker_left_cordoned_is_still_read() -> None:
    assert match_json(NODES.format(role="worker       "))["answer"] == "pending-node-unschedulable"


@pytest.mark.parametrize(("kind", "answer"), [
    ("msn", "crd-not-installed"),
    ("servicemonitors", "crd-not-installed"),
    ("pods", "api-version-skew"),
    ("deployments", "api-version-skew"),
])
def test_a_resource_type_the_server_lacks_is_read_by_its_kind(kind: str, answer: str) -> None:
    assert match_json(f'error: the server doesn\'t have a resource type "{kind}"')["answer"] == answer


def test_a_failing_runtime_hook_is_no_entrypoint_or_init_container_problem() -> None:
    # runc's own words "container init: error ..." are not the STATUS column's Init:Error
    line = ('Error: failed to start container "gpu-job": Error response from daemon: failed to create shim task: '
            "OCI runtime create failed: runc create failed: unable to start container process: error during "
            "container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: "
            "nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown")
    assert match_json(line)["answer"] is None


@pytest.mark.parametrize("sentence", [
    "We should check if the pod goes into CrashLoopBackOff and if so, print its previous logs.",
    "The pod exited with code 0 every time, so it bypassed CrashLoopBackOff entirely.",
])
def test_a_state_supposed_or_denied_is_no_report(sentence: str) -> None:
    assert match_json(sentence)["answer"] is None


@pytest.mark.parametrize(("sentence", "answer"), [
    ("If I set the memory limit to 256Mi, the api pod is OOMKilled within a minute.", "oom-killed"),
    ("I wonder if it is related, my controller pod is in CrashLoopBackOff since the upgrade.", "crashloop-backoff"),
])
def test_a_report_that_merely_contains_if_is_still_read(sentence: str, answer: str) -> None:
    assert match_json(sentence)["answer"] == answer


def test_a_tidb_entry_needs_tidb_in_the_paste() -> None:
    line = "==> default: ----- Waiting for Cilium to get into 'ready' state in Minikube cluster -----"
    assert match_json(line)["answer"] is None
    tidb = ("basic-pd-0 keeps restarting, its log says: nslookup domain basic-pd-0.basic-pd-peer.tidb-cluster.svc "
            "failed, waiting for pd cluster ready timeout")
    assert match_json(tidb)["answer"] == "tidb-pd-discovery-dns"


def test_pds_own_start_script_line_is_tidb_context_enough() -> None:
    paste = "waiting for discovery service to return start args ...\n" * 3
    assert match_json(paste)["answer"] == "pd-waiting-for-discovery"


def test_the_probe_that_restarts_the_crash_looping_container_leads() -> None:
    # both probes fail, said in one sentence; the liveness one explains the crash loop shown
    paste = ("NAME           READY   STATUS             RESTARTS   AGE\n"
             "cache-node-0   1/2     CrashLoopBackOff   11         25m\n"
             "The events say the readiness and liveness probes are failing.\n")
    body = match_json(paste)
    assert body["answer"] == "liveness-probe-failed"
    assert "readiness-probe-failed" in [m["id"] for m in body["matches"]]


@pytest.mark.parametrize("sentence", [
    "In the events I found that the liveness and readiness probes are failing.",
    "The readiness/liveness probes fail after a few minutes.",
])
def test_both_probes_named_in_one_subject_are_both_read(sentence: str) -> None:
    found = {m["id"]: m["confidence"] for m in match_json(sentence)["matches"]}
    assert found.get("liveness-probe-failed") == found.get("readiness-probe-failed") == "high"


def test_a_pod_the_node_controller_marked_nodelost_is_on_a_node_not_ready() -> None:
    paste = ("NAME             READY   STATUS     RESTARTS   AGE\n"
             "csi-node-j6w8j   2/2     NodeLost   0          3d\n"
             "csi-node-mvthq   2/2     Running    0          3d\n")
    assert match_json(paste)["answer"] == "node-not-ready"


@pytest.mark.parametrize(("text", "answer"), [
    ("The install is still failing with the 'insufficient memory' error on idle nodes.", "pending-insufficient-resources"),
    ("The gpu pods stay Pending, the event says Insufficient nvidia.com/gpu.", "pending-insufficient-resources"),
    ("There is insufficient memory for the Java Runtime Environment to continue.", None),
])
def test_the_fit_plugins_reason_quoted_in_a_sentence(text: str, answer: str | None) -> None:
    assert match_json(text)["answer"] == answer
