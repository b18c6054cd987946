"""Readings of the nineteenth pass (issue 21), each case written from a component's format or a
plain sentence, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import explained, match_json


@pytest.mark.parametrize("condition", [
    # replica_calculator.go around the REST metrics client (metrics/client.go)
    ("Warning  FailedGetPodsMetric  41s  horizontal-pod-autoscaler  unable to get metric gpu_utilization:"
    " no metrics returned from custom metrics API"),
    ("Warning  FailedGetExternalMetric  2m  horizontal-pod-autoscaler  unable to get external metric"
    " shop/queue_depth/&LabelSelector{MatchLabels:map[string]string{queue: orders,},}: no metrics"
    " returned from external metrics API"),
    ("unable to fetch metrics from custom metrics API: the server could not find the metric"
    " http_requests_per_second for pods"),
])
def test_the_hpas_custom_and_external_metric_failures_are_missing_metrics(condition: str) -> None:
    assert match_json(condition + "\n")["answer"] == "hpa-missing-metrics"


@pytest.mark.parametrize("line", [
    # containerd inside the kubelet's message
    ('Failed to pull image "quay.io/org/app:1.2": rpc error: code = Unknown'
    ' desc = failed to pull and unpack image "quay.io/org/app:1.2": failed to resolve reference'
    ' "quay.io/org/app:1.2": failed to do request: Head "https://quay.io/v2/org/app/manifests/1.2":'
    " dial tcp: lookup quay.io on 10.0.0.2:53: no such host"),
    # kuberuntime_image.go's log line (1.5-1.20) around dockerd
    ('E1029 02:07:47.993663    1717 kuberuntime_image.go:51] Pull image "k8s.gcr.io/echoserver:1.4"'
    " failed: rpc error: code = Unknown desc = Error response from daemon: Get https://k8s.gcr.io/v2/:"
    " dial tcp: lookup k8s.gcr.io on 192.168.49.1:53: read udp 192.168.49.2:48049->192.168.49.1:53: i/o timeout"),
    # remote_image.go, structured (1.21 on)
    ('E1119 10:04:54.333462   12892 remote_image.go:242] "PullImage from image service failed" err="rpc'
    ' error: code = Unknown desc = failed to pull and unpack image \\"docker.io/library/web:1.0\\":'
    ' failed to resolve reference \\"docker.io/library/web:1.0\\": failed to do request: Head'
    ' \\"https://registry-1.docker.io/v2/library/web/manifests/1.0\\": dial tcp: lookup'
    ' registry-1.docker.io on 10.0.0.2:53: server misbehaving" image="docker.io/library/web:1.0"'),
])
def test_a_name_lookup_failing_inside_an_image_pull_is_the_registry_unreachable(line: str) -> None:
    # pulls use the node's resolver, not the cluster DNS the dns entry is about
    assert match_json(line + "\n")["answer"] == "image-registry-unreachable"


@pytest.mark.parametrize("line", [
    # fluent-bit's flb_network.c with c-ares' text, and OpenSSH's sshconnect.c
    ("[2021/11/02 10:00:01] [ warn] [net] getaddrinfo(host='logging.googleapis.com', err=12): Timeout while"
    " contacting DNS servers"),
    "ssh: Could not resolve hostname github.com",
])
def test_other_clients_name_lookups_failing_are_dns(line: str) -> None:
    assert match_json(line + "\n")["answer"] == "dns-resolution-failure"


@pytest.mark.parametrize("line", [
    # a client with no cluster configured falls back to the local host (Terraform's provider: port 80)
    'Error: Post "http://localhost/api/v1/namespaces/default/secrets": dial tcp [::1]:80: connect: connection refused',
    ('Get "http://127.0.0.1:8080/apis/apps/v1/namespaces/web/deployments": dial tcp 127.0.0.1:8080: connect:'
    " connection refused"),
])
def test_an_api_path_refused_on_the_local_host_is_no_kubeconfig(line: str) -> None:
    assert match_json(line + "\n")["answer"] == "kubectl-no-kubeconfig-localhost-8080"


def test_a_lookup_failing_outside_a_pull_stays_cluster_dns() -> None:
    line = "dial tcp: lookup redis.cache.svc.cluster.local on 10.96.0.10:53: no such host\n"
    assert match_json(line)["answer"] == "dns-resolution-failure"


@pytest.mark.parametrize(("status", "entry"), [
    ("401 Unauthorized", "image-pull-unauthorized"),
    ("404 Not Found", "image-not-found"),
    ("429 Too Many Requests", "image-pull-rate-limited"),
])
def test_containerds_unexpected_status_is_decided_by_the_status(status: str, entry: str) -> None:
    # remotes/errors.ErrUnexpectedStatus inside containerd's resolver error
    line = ('failed to resolve reference "registry.example.com/team/api:1.4": unexpected status from HEAD'
            f" request to https://registry.example.com/v2/team/api/manifests/1.4: {status}\n")
    assert match_json(line)["answer"] == entry


def test_a_push_refused_is_no_pull_failing() -> None:
    line = ('docker push: pushing image "localhost:5000/app": unexpected status from POST request to'
            " http://localhost:5000/v2/app/blobs/uploads/: 404 Not Found\n")
    assert match_json(line)["answer"] is None


def test_a_containers_read_only_file_system_and_the_nodes_are_told_apart() -> None:
    container = ("[web-7d4b9-x2x web] /opt/scripts/start.sh: line 61: cannot create temp file for"
                 " here-document: Read-only file system\n")
    assert match_json(container)["answer"] == "read-only-root-filesystem"
    node = ("Nov 28 08:00:43 worker-2 node-agent.sh[1051774]: /var/lib/agent/run.sh: line 124: cannot"
            " create temp file for here-document: Read-only file system\n")
    assert match_json(node)["answer"] == "node-readonly-filesystem"


def test_a_failing_init_container_explains_logs_waiting_for_pod_initializing() -> None:
    paste = ("NAME        READY   STATUS                  RESTARTS   AGE\n"
             "db-0        0/1     Init:CrashLoopBackOff   6          9m\n"
             "$ kubectl logs db-0\n"
             'Error from server (BadRequest): container "db" in pod "db-0" is waiting to start: PodInitializing\n')
    body = match_json(paste)
    assert body["answer"] == "init-container-failed"
    assert explained(body)["kubectl-logs-container-waiting"] == ["init-container-failed"]


@pytest.mark.parametrize(("sentence", "entry"), [
    ("The deployment keeps saying unable to schedule, insufficient cpu.", "pending-insufficient-resources"),
    ("The pod requests 6 CPU in total, which can't be scheduled on our 4 core nodes.", "pending-insufficient-resources"),
    ("The replicas stay pending until I change the podAntiAffinity from required to preferred.", "pending-inter-pod-affinity"),
    ("With hard anti-affinity the third replica cannot be scheduled.", "pending-inter-pod-affinity"),
    ("The LoadBalancer service is still pending, MetalLB is not installed yet.", "loadbalancer-service-pending"),
    ("The step uses an image that does not exist.", "image-not-found"),
    ("The vendor's images were removed from Docker Hub last month.", "image-not-found"),
    ("We can't deploy in any namespace that has resource quotas.", "resource-quota-exceeded"),
    ("Every night the nodes get rate limited by Docker Hub and the DaemonSet rollout times out.", "image-pull-rate-limited"),
    ("Our CI runners keep hitting the Docker Hub rate limit.", "image-pull-rate-limited"),
    ("The slow start means the pod is killed by the liveness probe before it is ready.", "liveness-probe-failed"),
    ("We ran into the ALARM NO SPACE failure once the database reached 2 GB.", "etcd-space-exceeded"),
    ("Ready  False  KubeletNotReady  container runtime is down", "node-not-ready"),
    ("How do I fix 'volume node affinity conflict' for the kafka pods?", "pending-volume-node-affinity-conflict"),
    ("CoreDNS crashes when resolv.conf points at 127.0.0.53.", "coredns-loop-detected"),
    ("The small nodes are limited to 4 pods per node, so the rest stay pending.", "too-many-pods"),
    ("Seems like the exporter is OOMming again after the upgrade.", "oom-killed"),
    ("Every night one workflow pod goes OOM.", "oom-killed"),
    ("The OOM killer reaped the controller pod 200 times this week.", "oom-killed"),
    ("Regarding the readiness probe,it is always failing after an upgrade.", "readiness-probe-failed"),
    ("Watch the rabbitmq-server-0 pod go on CrashLoop with nothing more than a warning.", "crashloop-backoff"),
    ("v1beta1.custom.metrics.k8s.io is in failed discovery since this morning.", "aggregated-apiservice-unavailable"),
    ("The metrics Service selected no pod because the port names were not matching.", "service-target-port-mismatch"),
    ("Pod creation fails due to not enough quota in the namespace.", "resource-quota-exceeded"),
    ("The api-server keeps restarting, terminated with a reason code of 137.", "exit-code-137-sigkill"),
    ("The user image gave 'invalid reference format' and the step never ran.", "invalid-image-name"),
    ("Builds fail and the events give low ephemeral storage as the reason.", "pod-evicted"),
])
def test_failures_said_in_words(sentence: str, entry: str) -> None:
    assert match_json(sentence + "\n")["answer"] == entry


@pytest.mark.parametrize("sentence", [
    "There is insufficient memory for the Java Runtime Environment to continue.",  # the JVM, no scheduling
    "Unable to find image 'busybox:latest' locally",  # docker before it pulls
    "We should mirror images to avoid the Docker Hub rate limit.",  # advice, nothing failed
    "The server keeps crashing every night.",  # a machine, not a pod's crash loop
])
def test_the_same_words_without_the_failure_are_not_answered(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None
