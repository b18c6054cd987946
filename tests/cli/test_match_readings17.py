"""Readings of the seventeenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

from tests.cli.runner import match_json

_RECONCILE_ERROR_STACK = (
    "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).reconcileHandler\n"
    "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:324\n"
    "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).processNextWorkItem\n"
    "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:265\n"
    "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Start.func2.2\n"
    "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:226\n")


def test_the_stack_a_reconcile_error_log_carries_is_no_panic() -> None:
    # zap's console encoder prints the caller's stack under every error controller-runtime logs
    paste = ("2024-03-01T10:00:00Z\tERROR\tReconciler error\t{\"controller\": \"widget\", \"error\":"
             " \"widget spec.size must be positive\"}\n" + _RECONCILE_ERROR_STACK)
    assert match_json(paste)["answer"] != "go-nil-pointer-panic"


def test_a_panic_is_read_by_its_message_not_by_its_goroutine_header() -> None:
    # every panic prints "goroutine N [running]:"; a runtime error is this entry, a program's own
    # panic(err) names its cause (here the descriptors a watcher could not get)
    runtime = "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 212 [running]:\n"
    assert match_json(runtime + _RECONCILE_ERROR_STACK)["answer"] == "go-nil-pointer-panic"
    deliberate = "panic: failed to start the certificate watcher: too many open files\n\ngoroutine 212 [running]:\n"
    assert match_json(deliberate + _RECONCILE_ERROR_STACK)["answer"] != "go-nil-pointer-panic"


def test_a_404_from_behind_a_named_object_is_no_api_version_skew() -> None:
    # apimachinery's NewGenericServerResponse names the object when the request was for a path
    # under it (a service proxy): the API itself is served, what answered 404 sits behind it
    named = ("Metric client health check failed: the server could not find the requested resource"
             " (get services dashboard-metrics-scraper). Retrying in 30 seconds.\n")
    assert match_json(named)["answer"] != "api-version-skew"
    unnamed = "Error from server (NotFound): the server could not find the requested resource (post deployments.extensions)\n"
    assert match_json(unnamed)["answer"] == "api-version-skew"
    heapster = "Error from server (NotFound): the server could not find the requested resource (get services http:heapster:)\n"
    assert match_json(heapster)["answer"] == "api-version-skew"


_ATTACH_EVENTS = (
    "Events:\n"
    "  Type     Reason              Age                 From                     Message\n"
    "  ----     ------              ----                ----                     -------\n"
    "  Normal   Scheduled           20m                 default-scheduler        Successfully assigned db/pg-0 to node-2\n"
    "  Warning  FailedAttachVolume  1m (x9 over 20m)    attachdetach-controller  AttachVolume.Attach failed for volume")


def test_an_event_row_cut_inside_its_message_refutes_nothing_the_rest_would_have_said() -> None:
    # the row ends inside the quoted volume name: its cause was cut off, not absent, so the
    # attach timing out said above it still leads
    cut = "The volume attachment keeps timing out on the new node.\n" + _ATTACH_EVENTS + ' "pvc-5c2e1a7b-9f\n'
    assert match_json(cut)["answer"] == "csi-attach-timeout"


def test_the_image_collector_unable_to_free_space_is_the_node_filling_toward_disk_pressure() -> None:
    # image_gc_manager.go, both wordings: over its high threshold, the collector found too little
    # to delete, so what fills the image filesystem is not unused images
    older = ("Warning  FreeDiskSpaceFailed  3m (x12 over 1h)  kubelet  failed to garbage collect required amount"
             " of images. Wanted to free 8123456789 bytes, but freed 0 bytes\n")
    newer = ("E0412 08:00:00.000000    2211 kubelet.go:1400] \"Image garbage collection failed multiple times in a row\""
             " err=\"Failed to garbage collect required amount of images. Attempted to free 5368709120 bytes, but only"
             " found 0 bytes eligible to free.\"\n")
    assert match_json(older)["answer"] == "node-disk-pressure"
    assert match_json(newer)["answer"] == "node-disk-pressure"


def test_a_registry_refusing_the_pull_is_no_api_server_unauthorized() -> None:
    # distribution's UNAUTHORIZED ("unauthorized: <message>") inside the kubelet's pull error:
    # the registry refused the credentials, the API server's bare "Unauthorized" is not it
    paste = ('Warning  Failed  12s  kubelet  Failed to pull image "registry.example.com/team/api:1.4.2": Error response'
             " from daemon: unauthorized: authentication required\n")
    assert match_json(paste)["answer"] == "image-pull-unauthorized"
    assert match_json("error: You must be logged in to the server (Unauthorized)\n")["answer"] == "kubectl-unauthorized"


def test_oom_kills_in_the_present_tense_are_oom_kills() -> None:
    assert match_json("The init container OOM kills the client every time it starts.\n")["answer"] == "oom-killed"
    assert match_json("We still see OOM kills on the worker pods after the upgrade.\n")["answer"] == "oom-killed"


def test_a_node_at_its_pod_count_said_as_a_limit_run_into() -> None:
    assert match_json("Our nodes ran into the 110 pod limit and new pods stay Pending.\n")["answer"] == "too-many-pods"
    assert match_json("We keep hitting the max pods per node limit on the small instances.\n")["answer"] == "too-many-pods"
    assert match_json("The pod hit its memory limit and was restarted.\n")["answer"] != "too-many-pods"


def test_an_in_cluster_client_unable_to_reach_the_kubernetes_service_is_service_routing_broken() -> None:
    # client-go in a pod talks to https://<the kubernetes Service's ClusterIP>:443: a timeout or no
    # route there is the node's Service routing, while kubectl's own request stays kubectl's
    in_cluster = ('E0403 14:36:29.616270       1 reflector.go:167] Failed to list *v1.Pod: Get'
                  ' "https://10.96.0.1:443/api/v1/pods?limit=500&resourceVersion=0": dial tcp 10.96.0.1:443: i/o timeout\n')
    assert match_json(in_cluster)["answer"] == "kube-proxy-service-broken"
    kubectl = ('Unable to connect to the server: Get "https://10.1.2.3:443/api?timeout=32s": dial tcp 10.1.2.3:443:'
               ' i/o timeout\n')
    assert match_json(kubectl)["answer"] == "kubectl-apiserver-unreachable-timeout"


def test_etcd_overrunning_its_expected_duration_is_a_slow_etcd() -> None:
    # etcd's warnings, from its source at 3.3 (plog) and 3.5 (zap): a request or an apply over
    # 100 ms per entry, a read waiting on the leader, a heartbeat sent late
    for line in (
        "2018-04-03 19:58:14.352516 W | etcdserver: apply entries took too long [1.144955296s for 1 entries]",
        ('2019-02-11 10:00:00.000000 W | etcdserver: read-only range request "key:\\"/registry/pods\\" " with result'
         ' "range_response_count:12 size:4096" took too long (1.2s) to execute'),
        ('{"level":"warn","ts":"2024-01-10T07:55:33.433Z","caller":"etcdserver/v3_server.go:897","msg":"waiting for'
         ' ReadIndex response took too long, retrying","sent-request-id":1124902094,"retry-timeout":"500ms"}'),
    ):
        assert match_json(line + "\n")["answer"] == "etcd-slow-disk", line


def test_a_name_over_the_dns_label_length_is_an_invalid_name() -> None:
    # apimachinery's MaxLenError inside a field.Invalid: a DNS-1123 label is at most 63 characters
    paste = ('The Deployment "x" is invalid: metadata.labels: Invalid value: "payments-reconciliation-worker-'
             'with-a-very-long-descriptive-name-v2": must be no more than 63 characters\n')
    assert match_json(paste)["answer"] == "invalid-rfc1123-name"


def test_the_older_kubelet_wording_of_a_failed_sandbox_is_the_sandbox_failure() -> None:
    # kuberuntime_sandbox.go before the FailedCreatePodSandBox event's wording
    paste = ('Error syncing pod, skipping: failed to "CreatePodSandbox" for "web-0_default(8c1f)" with CreatePodSandboxError:'
             ' "CreatePodSandbox for pod \\"web-0_default(8c1f)\\" failed: rpc error: code = 2 desc = failed to start sandbox'
             ' container for pod \\"web-0\\": Error response from daemon: mountpoint for cgroup not found"\n')
    assert match_json(paste)["answer"] == "cni-sandbox-failed"


def test_an_issuer_that_could_not_be_found_is_the_issuer_not_ready() -> None:
    paste = ("API Version:  cert-manager.io/v1\nKind:         Certificate\n"
             "    Message:  The certificate request has failed to complete and will be retried: issuer could not be found\n"
             "    Reason:   Failed\n")
    assert match_json(paste)["answer"] == "cert-manager-issuer-not-ready"
