"""Readings of the eleventh pass (issue 21), each case written from kubectl's output or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json

NODES = "NAME     STATUS{pad}   ROLES    AGE   VERSION\n"


def _nodes(*rows: tuple[str, str]) -> str:
    width = max(len(status) for _name, status in rows)
    head = NODES.format(pad=" " * (width - len("STATUS")))
    return head + "".join(f"{name:<8} {status:<{width}}   worker   6m    v1.29.4\n" for name, status in rows)


def test_a_node_drained_and_back_in_a_later_snapshot_is_no_failure() -> None:
    # `kubectl get nodes` run again during an upgrade: the last look is the node's state
    paste = ("$ kubectl get nodes\n" + _nodes(("node-a", "Ready,SchedulingDisabled"), ("node-b", "Ready"))
             + "$ kubectl get nodes\n" + _nodes(("node-a", "Ready"), ("node-b", "Ready")))
    body = match_json(paste)
    assert body["answer"] is None


def test_a_node_still_cordoned_in_the_last_snapshot_is_answered() -> None:
    paste = ("$ kubectl get nodes\n" + _nodes(("node-a", "Ready"), ("node-b", "Ready"))
             + "$ kubectl get nodes\n" + _nodes(("node-a", "NotReady"), ("node-b", "Ready")))
    assert match_json(paste)["answer"] == "node-not-ready"


def test_words_between_two_snapshots_keep_the_first_as_the_problem() -> None:
    # "after I fixed it" between the tables: the first table is the failure being told
    paste = (_nodes(("node-a", "NotReady"), ("node-b", "Ready"))
             + "After I restarted the kubelet it came back:\n"
             + _nodes(("node-a", "Ready"), ("node-b", "Ready")))
    assert match_json(paste)["answer"] == "node-not-ready"


WATCH = ("NAME                   READY   STATUS                       RESTARTS   AGE\n"
         "web-6d4f8b9c7d-x2x9q   0/1     {first}   {restarts_first}          2m\n"
         "web-6d4f8b9c7d-x2x9q   {ready}     {last}   {restarts_last}          {age}\n")


def test_a_watched_pod_that_came_up_steady_got_past_its_start() -> None:
    paste = WATCH.format(first="CreateContainerConfigError", restarts_first=0, ready="1/1", last="Running                   ",
                         restarts_last=0, age="3m")
    assert match_json(paste)["answer"] is None


def test_a_watched_pod_that_restarted_since_is_still_failing() -> None:
    # Running again after restarts is a crash loop's up phase, not a recovery
    paste = WATCH.format(first="CrashLoopBackOff          ", restarts_first=3, ready="1/1",
                         last="Running                   ",
                         restarts_last=4, age="5m")
    assert match_json(paste)["answer"] == "crashloop-backoff"


@pytest.mark.parametrize("sentence", [
    "The pods pass the readiness probe within a minute.",
    "After the rollout every replica passed its liveness probe.",
    "The image pull succeeded on the second node.",
])
def test_a_sentence_saying_a_check_passed_is_no_failure(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None


def test_a_check_said_to_pass_but_then_fail_is_still_read() -> None:
    body = match_json("The pods pass the readiness probe at first, but then: Readiness probe failed: "
                      "HTTP probe failed with statuscode: 503\n")
    assert body["answer"] == "readiness-probe-failed"


@pytest.mark.parametrize("line", [
    "nc: bad address 'postgres.db.svc.cluster.local'",
    "wget: bad address 'config-server:8888'",
    "nslookup: can't resolve 'redis-master.cache'",
    "** server can't find redis-master.cache.svc.cluster.local: NXDOMAIN",
])
def test_busybox_saying_a_name_did_not_resolve_is_dns(line: str) -> None:
    # libbb/xconnect.c and networking/nslookup.c: what init containers' nc/wget/nslookup print
    assert match_json("waiting for the database\n" + line + "\n")["answer"] == "dns-resolution-failure"


@pytest.mark.parametrize("line", [
    "curl: (6) Could not resolve host: orders.shop.svc.cluster.local",
    "Error: getaddrinfo ENOTFOUND mongo-0.mongo.db.svc",
    'psql: error: could not translate host name "postgres-primary" to address: Name or service not known',
    "socket.gaierror: [Errno -2] Name or service not known",
    "redis.exceptions.ConnectionError: Error -2 connecting to cache:6379. Name does not resolve.",
])
def test_a_client_library_saying_a_name_did_not_resolve_is_dns(line: str) -> None:
    # curl, Node's dnsException, libpq, glibc's and musl's gai_strerror: an application's own words
    assert match_json(line + "\n")["answer"] == "dns-resolution-failure"


EVENT_YAML = """kind: Event
apiVersion: v1
metadata:
  name: api-7c9d.17a2b3c4d5e6f7a8
  namespace: shop
involvedObject:
  kind: Pod
  namespace: shop
  name: api-7c9d
  fieldPath: 'spec.containers{api}'
reason: Unhealthy
"""


def test_an_event_cut_before_its_message_does_not_deny_what_the_sentence_says() -> None:
    paste = "Here is the event of the failed liveness probe:\n" + EVENT_YAML
    assert match_json(paste)["answer"] == "liveness-probe-failed"


def test_an_event_with_its_message_is_read_as_before() -> None:
    paste = EVENT_YAML + "message: 'Readiness probe failed: HTTP probe failed with statuscode: 503'\ntype: Warning\n"
    assert match_json(paste)["answer"] == "readiness-probe-failed"


UNREADY = ("NAME                   READY   STATUS    RESTARTS   AGE\n"
           "api-5d8f7c6b9-k2m4p    0/1     Running   {restarts}          {age}\n"
           "api-5d8f7c6b9-q7r8s    0/1     Running   {restarts}          {age}\n"
           "cache-0                1/1     Running   0          3h\n")


def test_pods_running_unready_long_past_their_start_fail_their_readiness_probe() -> None:
    # a running container without a readiness probe is ready; a failing startup or liveness
    # probe would restart it: Running, unready, never restarted is the readiness probe
    body = match_json(UNREADY.format(restarts=0, age="25m"))
    assert body["answer"] == "readiness-probe-failed"


@pytest.mark.parametrize(("restarts", "age"), [(0, "40s"), (3, "25m")])
def test_pods_still_starting_or_restarting_are_not_read_as_the_readiness_probe(restarts: int, age: str) -> None:
    assert match_json(UNREADY.format(restarts=restarts, age=age))["answer"] != "readiness-probe-failed"


def test_a_scheduler_message_leads_pods_that_are_merely_unready() -> None:
    # the unready rows of one table are one observation; the scheduler's message is read first
    paste = (UNREADY.format(restarts=0, age="25m")
             + "Warning  FailedScheduling  2m  default-scheduler  0/3 nodes are available: "
               "3 node(s) didn't match pod anti-affinity rules.\n")
    assert match_json(paste)["answer"] == "pending-inter-pod-affinity"


@pytest.mark.parametrize(("sentence", "answer"), [
    ("The namespace stays in Terminating state forever.", "namespace-stuck-terminating"),
    ('After the job completes the PVC goes to "Terminating" and stays there.', "pvc-stuck-terminating"),
    ("Two of the pods remain in Terminating after the node was drained.", "pod-stuck-terminating"),
    ("worker-3 is under memory pressure and evicts pods.", "node-memory-pressure"),
    ("Our nodes have disk pressure since the log volume grew.", "node-disk-pressure"),
    ("Pushing the chart fails with 413 Payload Too Large from the proxy.", "ingress-nginx-request-body-too-large"),
])
def test_a_state_said_with_another_verb_is_read(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


@pytest.mark.parametrize("sentence", [
    "The namespace is no longer stuck in Terminating.",
    "The node is not under memory pressure.",
    "Pods can be evicted if there is memory pressure on the node.",
])
def test_a_state_denied_or_supposed_is_not_read(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None


def test_a_back_off_of_a_pod_whose_init_container_crash_loops_is_the_init_container() -> None:
    paste = ("NAME      READY   STATUS                  RESTARTS   AGE\n"
             "queue-0   0/1     Init:CrashLoopBackOff   41         3h\n"
             "Events:\n"
             "  Type     Reason   Age                    From     Message\n"
             "  ----     ------   ----                   ----     -------\n"
             "  Warning  BackOff  2m (x900 over 3h)      kubelet  Back-off restarting failed container\n")
    assert match_json(paste)["answer"] == "init-container-failed"


def test_a_main_container_s_back_off_stays_a_crash_loop() -> None:
    paste = ("NAME      READY   STATUS             RESTARTS   AGE\n"
             "queue-0   0/1     CrashLoopBackOff   41         3h\n"
             "  Warning  BackOff  2m (x900 over 3h)      kubelet  Back-off restarting failed container\n")
    assert match_json(paste)["answer"] == "crashloop-backoff"


@pytest.mark.parametrize("sentence", ["The operator is OOM killed on OpenShift.", "the worker got OOM-killed twice today"])
def test_oom_killed_written_apart_is_oom_killed(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "oom-killed"


def test_kubectl_on_windows_refused_is_the_api_server_refusing() -> None:
    # kubectl prints "The connection to the server ... was refused" only when the error text
    # holds "connection refused"; Windows words it otherwise, and kubectl says "Unable to connect"
    line = ("Unable to connect to the server: dial tcp 127.0.0.1:52311: connectex: No connection could be made "
            "because the target machine actively refused it.\n")
    assert match_json(line)["answer"] == "kubectl-apiserver-connection-refused"


def test_an_expired_certificate_said_in_words_leads_the_nodes_it_took_down() -> None:
    paste = ("After a week powered off, the kubelets fail because the x509 certificate expired.\n"
             "NAME     STATUS     ROLES    AGE   VERSION\n"
             "node-a   NotReady   master   40d   v1.29.4\n"
             "node-b   NotReady   worker   40d   v1.29.4\n")
    body = match_json(paste)
    assert body["answer"] == "x509-certificate-error"


@pytest.mark.parametrize("sentence", ["our etcd certificates have expired", "the webhook fails on an expired TLS certificate"])
def test_a_certificate_said_to_have_expired_is_x509(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "x509-certificate-error"


def test_docker_hub_s_front_proxy_429_is_the_pull_rate_limit() -> None:
    paste = ("Events:\n  Type     Reason   Age   From     Message\n  ----     ------   ----  ----     -------\n"
             '  Warning  Failed   2m    kubelet  Failed to pull image "bitnami/redis:7.2": rpc error: code = Unknown '
             'desc = failed to pull and unpack image "docker.io/bitnami/redis:7.2": failed to do request: Get '
             "https://registry-1.docker.io/v2/bitnami/redis/manifests/7.2: net/http: HTTP/1.x transport connection "
             "broken: malformed MIME header line: Too Many Requests (HAP429).\n")
    assert match_json(paste)["answer"] == "image-pull-rate-limited"


@pytest.mark.parametrize("sentence", ["The init container fails with: mkdir /data: permission denied",
                                      "our initContainer keeps crashing after the upgrade"])
def test_an_init_container_said_to_fail_is_the_init_container(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "init-container-failed"


@pytest.mark.parametrize("sentence", ["The init container does not fail; the app container does.",
                                      "Init containers run before app containers and must succeed."])
def test_an_init_container_not_said_to_fail_is_not_read(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] != "init-container-failed"


def test_a_namespace_row_still_terminating_is_stuck() -> None:
    paste = "$ kubectl get ns/monitoring\nNAME         STATUS        AGE\nmonitoring   Terminating   3h\n"
    assert match_json(paste)["answer"] == "namespace-stuck-terminating"


def test_pod_security_s_own_reasons_quoted_alone_are_the_violation() -> None:
    # k8s.io/pod-security-admission/policy: the check reasons listed after "violates PodSecurity"
    paste = ("The ReplicaSet cannot create pods in the restricted namespace:\n"
             "- `allowPrivilegeEscalation != false`\n- `runAsNonRoot != true`\n")
    assert match_json(paste)["answer"] == "pod-security-violation"
