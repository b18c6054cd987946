"""Readings of the sixteenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


def test_a_declared_order_survives_a_cause_moved_ahead_of_its_symptom() -> None:
    # apimachinery's 503 for a resource of a non-built-in group, kubectl's discovery error it
    # leads to, and the controller crash-looping beside them: the missing resource type explains
    # the crash loop and moves ahead of it, but the unavailable APIService, which the catalog
    # says outranks it, still leads
    paste = (
        "Error from server (ServiceUnavailable): the server is currently unable to handle the request"
        " (get widgets.example.io)\n"
        'error: the server doesn\'t have a resource type "widgets"\n'
        "example-system   example-controller-7d9f8b6c5-x2k4q   0/1   CrashLoopBackOff   9 (2m ago)   40m\n")
    result = match_json(paste)
    assert result["answers"][:2] == ["aggregated-apiservice-unavailable", "crd-not-installed"]


@pytest.mark.parametrize("sentence", [
    "Pods stay pending because the node has taint dedicated=gpu:NoSchedule.",
    "My pods are stuck in Pending due to the control-plane taint.",
    ("The new nodes are Ready but carry the taint node.cluster.x-k8s.io/uninitialized:NoSchedule, "
     "preventing any workloads from running."),
    "The taint keeps all new pods from being scheduled on the pool.",
])
def test_pods_kept_from_scheduling_by_a_taint_said_in_words(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "pending-untolerated-taint"


def test_a_taint_named_without_a_pod_kept_from_a_node_is_no_scheduling_failure() -> None:
    assert match_json("We taint the GPU nodes so that only training jobs land there.\n")["answer"] is None


def test_a_failure_prevented_is_not_reported_but_a_pod_kept_from_running_is() -> None:
    assert match_json("We added a toleration to prevent the pods from being evicted by the taint.\n")["answer"] is None
    assert match_json("To prevent OOM kills of the pod we raised its memory limit.\n")["answer"] is None
    assert match_json("A taint on every node is preventing the pods from running.\n")["answer"] \
        == "pending-untolerated-taint"


@pytest.mark.parametrize(("sentence", "answer"), [
    ("I got OOM errors on the Kafka pods, the limit is lower than the heap.", "oom-killed"),
    ("After the upgrade the worker containers hit OOM issues every night.", "oom-killed"),
    ("The deployment exceeded quota when creating the second pod.", "resource-quota-exceeded"),
])
def test_a_failure_named_in_plain_words(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


def test_oom_said_of_something_else_is_no_container_kill() -> None:
    assert match_json("The OOM errors page of the docs explains how the kernel picks a victim.\n")["answer"] is None


@pytest.mark.parametrize("sentence", [
    "The pod is pending and describe says it has unbound PersistantVolumeClaims.",  # misspelt as typed
    "The logs say the stateful set isn't binding the PVC.",
    "My PVC is not bound yet after ten minutes.",
])
def test_a_claim_said_not_to_bind_is_the_pending_claim(sentence: str) -> None:
    body = match_json(sentence + "\n")
    assert body["answer"] == "pvc-pending"
    assert any("pasted sentence" in fact for fact in body["matches"][0]["evidence"])


def test_a_bound_claim_is_no_pending_claim() -> None:
    assert match_json("The PVC is Bound and the pod runs fine now.\n")["answer"] is None


@pytest.mark.parametrize(("sentence", "answer"), [
    ("The install fails because there is no image with that tag on Docker Hub.", "image-not-found"),
    ("The cluster cannot start new pods due to IP exhaustion on the subnet.", "cni-sandbox-failed"),
    ("After a week the nodes ran out of pod IPs.", "cni-sandbox-failed"),
])
def test_image_and_address_failures_in_words(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


def test_a_registry_denial_handed_through_the_cri_is_the_pull_refused() -> None:
    # grpc-go's status text around distribution's errcode DENIED, worded by the registry itself
    row = ('  Warning  Failed  3m (x4 over 4m)  kubelet  Failed to pull image "gcr.io/example/app:v1.2.0": '
           'rpc error: code = Unknown desc = denied: Permission denied for "v1.2.0" from request '
           '"/v2/example/app/manifests/v1.2.0".\n')
    assert match_json(row)["answer"] == "image-pull-unauthorized"
    # a program's EACCES printed the same way is no registry's answer
    assert match_json("PermissionError: [Errno 13] Permission denied: '/var/lib/data/x'\n")["answer"] is None


@pytest.mark.parametrize(("line", "answer"), [
    (("time=2024-01-05T10:06:21Z level=info msg=completed handling request http_request=map[headers:map["
     "user-agent:kube-probe/1.29] method:GET path:/health/ready] http_response=map[status:503 text_status:Service "
     "Unavailable]"), "readiness-probe-failed"),
    ("INFO Cli.java:617 - address=/10.0.0.9:46815 url=/api/v0/probes/readiness status=500 Internal Server Error",
     "readiness-probe-failed"),
    ('10.1.2.3 - - [01/Jan/2024:10:00:00 +0000] "GET /healthz/live HTTP/1.1" 503 12 "-" "kube-probe/1.27"',
     "liveness-probe-failed"),
])
def test_a_probe_request_answered_with_a_failure_in_the_access_log_is_that_probe(line: str, answer: str) -> None:
    assert match_json(line + "\n")["answer"] == answer


@pytest.mark.parametrize("line", [
    "INFO Cli.java:617 - address=/10.0.0.9:46815 url=/api/v0/probes/liveness status=200 OK",
    '10.1.2.3 - - [01/Jan/2024:10:00:00 +0000] "GET /ready HTTP/1.1" 200 12 "-" "kube-probe/1.27"',
])
def test_a_probe_request_answered_ok_is_no_failure(line: str) -> None:
    assert match_json(line + "\n")["answer"] is None


def test_text_after_helm_install_output_in_its_own_fence_is_read() -> None:
    # helm's NOTES run to the end of its output; the user's sentence after the closing fence is
    # not part of it (clean_text leaves each fence a blank line)
    paste = ("```\n$ helm install vault hashicorp/vault\nNAME: vault\nLAST DEPLOYED: Wed Feb 17 17:08:08 2021\n"
             "NAMESPACE: vault\nSTATUS: deployed\nREVISION: 1\nNOTES:\nThank you for installing the chart!\n```\n"
             "But the vault pod is stuck in 0/1 running state due to readiness probe failure\n")
    assert match_json(paste)["answer"] == "readiness-probe-failed"


def test_flannel_on_a_node_without_a_pod_cidr_is_the_network_plugin_never_ready() -> None:
    line = ('E0519 00:37:28.550351       1 main.go:330] Error registering network: failed to acquire lease: '
            'node "k8s-worker-2" pod cidr not assigned\n')
    assert match_json(line)["answer"] == "cni-network-plugin-not-ready"


def test_minikube_service_with_no_running_pod_is_the_service_without_endpoints() -> None:
    line = "Exiting due to SVC_UNREACHABLE: service not available: no running pod for service web found\n"
    assert match_json(line)["answer"] == "service-endpoints-empty"


@pytest.mark.parametrize(("sentence", "answer"), [
    ("The container gets killed because it exceeds its memory limit.", "oom-killed"),
    ("The node can't pull the image from our private registry, it says unauthorized.", "image-pull-unauthorized"),
    ("I forgot to add the imagePullSecret so the pull fails", "image-pull-unauthorized"),
    ("The pod cannot pull images because the registry times out.", "image-registry-unreachable"),
    ("The pod stays Pending because the nodes don't have enough CPU.", "pending-insufficient-resources"),
    ("No node matches the pod's nodeSelector so it stays pending.", "pending-node-selector-mismatch"),
    ("the pod does not tolerate the taint on the node", "pending-untolerated-taint"),
    ("my persistent volume claim is never bound", "pvc-pending"),
    ("The PVC is pending because the storage class does not exist.", "pending-storageclass-missing"),
    ("The volume fails to mount on the node.", "volume-mount-failed"),
    ("When the credentials are wrong the AttachVolume call simply times out.", "csi-attach-timeout"),
    ("DNS lookups fail inside the pod", "dns-resolution-failure"),
    ("The service account is forbidden from listing pods.", "rbac-forbidden"),
    ("The container fails to start because the executable is not found in PATH.", "executable-not-found"),
    ("The node is NotReady because the CNI plugin is not initialized.", "cni-network-plugin-not-ready"),
    ("Pods are not created because the namespace quota is exceeded.", "resource-quota-exceeded"),
    ("The certificate is not issued because the issuer is not ready.", "cert-manager-issuer-not-ready"),
    ("etcd reports database space exceeded.", "etcd-space-exceeded"),
    ("The ingress controller ignores my ingress.", "ingress-class-missing"),
    ("The job failed after reaching its backoff limit.", "job-backoff-limit"),
    ("kubectl says I am unauthorized since this morning.", "kubectl-unauthorized"),
    ("The volume is still attached to the old node so the new pod cannot attach it.", "volume-multi-attach"),
    ("The node has reached its maximum number of pods.", "too-many-pods"),
    ("[os,thread] Failed to start thread - pthread_create failed (EAGAIN) for attributes: stacksize: 1024k",
     "pid-exhaustion"),
    ("The operator restarts whenever its lease could not be renewed in time.", "leader-election-lost"),
    ("All the kube-proxy targets in Prometheus are down after the upgrade.", "prometheus-target-down"),
])
def test_a_common_failure_said_plainly(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


@pytest.mark.parametrize("sentence", [
    "How do I configure the imagePullSecret for a private registry?",
    "The DNS lookups work fine from the pod now.",
    "The storage class exists and the claim is Bound.",
    "The pod restarted once after the upgrade and is fine now.",
    "We raised the memory limit and nothing is killed any more.",
    "The CNI plugin is ready on all nodes.",
    "Our issuer is ready and the certificate was issued.",
])
def test_the_same_subjects_said_healthy_get_no_answer(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None


@pytest.mark.parametrize("line", [
    "Output: mount error(13): Permission denied",
    'time="2024-05-21T18:57:15Z" level=error msg="GRPC error: rpc error: code = Internal desc = iSCSI login failed"',
])
def test_a_cifs_or_iscsi_mount_refusal_is_the_failed_mount(line: str) -> None:
    assert match_json(line + "\n")["answer"] == "volume-mount-failed"


@pytest.mark.parametrize(("text", "answer"), [
    (('error="Get https://10.0.0.1:443/api/v1/pods: x509: cannot validate certificate for 10.0.0.1 because it '
     "doesn't contain any IP SANs\""), "x509-certificate-error"),
    ("ERROR Kubernetes API forbidden access, please check that your Service Account has the correct Role rules",
     "rbac-forbidden"),
    ("The pods sit in ImagePullBackOff, error unauthorized, although the secret is set.", "image-pull-unauthorized"),
    ("The agent container keeps failing to become ready after the upgrade.", "readiness-probe-failed"),
    (("E0816 11:31:18.866867       1 utils.go:101] GRPC error: stat /var/lib/kubelet/pods/5663fbc8/volumes/"
     "kubernetes.io~csi/pvc-240f26e3/mount: transport endpoint is not connected"), "volume-mount-failed"),
    (("E1205 04:09:27.805891       1 controller.go:298] error processing service default/web (retrying with "
     "exponential backoff): failed to ensure load balancer: [400] [configs[0].nodes[0].address] invalid"),
     "loadbalancer-service-pending"),
    # -o yaml doubles an apostrophe inside a single-quoted value; the kubelet's own words are read
    ("  message: 'container''s runAsUser breaks non-root policy (pod: \"web-0_default(0f1e)\", container: web)'",
     "run-as-non-root-image-root"),
])
def test_readings_from_batch_s_kinds(text: str, answer: str) -> None:
    assert match_json(text + "\n")["answer"] == answer


def test_a_name_lookup_failing_leads_the_crash_loop_it_causes() -> None:
    paste = ("Failed to connect to controller: dial tcp: lookup controller.fission on 10.96.0.10:53: no such host\n"
             "fission   router-8bb6496dc-mj7qm   0/1   CrashLoopBackOff   7   24m\n")
    result = match_json(paste)
    assert result["answer"] == "dns-resolution-failure"
    loop = next(m for m in result["matches"] if m["id"] == "crashloop-backoff")
    assert "dns-resolution-failure" in loop["because"]


@pytest.mark.parametrize(("resource", "answer"), [
    ("ingresses.networking.k8s.io", None),  # a built-in group: kube-apiserver itself answered 503
    ("deployments.apps my-app", None),
    ("pods.metrics.k8s.io", "aggregated-apiservice-unavailable"),
    ("clusters.cluster.karmada.io", "aggregated-apiservice-unavailable"),
])
def test_a_503_is_an_aggregated_api_only_for_a_group_an_apiservice_serves(resource: str, answer: str | None) -> None:
    line = ("Error from server (ServiceUnavailable): the server is currently unable to handle the request "
            f"(get {resource})\n")
    assert match_json(line)["answer"] == answer


@pytest.mark.parametrize(("code", "answer"), [("1", "crashloop-backoff"), ("137", "exit-code-137-sigkill"),
                                              ("0", None)])
def test_skaffold_reports_a_container_terminated_by_its_exit_code(code: str, answer: str | None) -> None:
    line = f" - deployment/api: container api terminated with exit code {code}\n"
    assert match_json(line)["answer"] == answer


@pytest.mark.parametrize(("text", "answer"), [
    ('Deploy failed: error: unable to recognize "STDIN": Unauthorized', "kubectl-unauthorized"),
    ("Yes, I checked: the prometheus server pod is getting to crash loopback state.", "crashloop-backoff"),
    (('Failed to pull image "registry.example.com/app:v1": rpc error: code = Unknown desc = error parsing HTTP 404 '
     "response body: invalid character 'F' looking for beginning of value: \"File not found.\""), "image-not-found"),
])
def test_readings_from_batch_t_kinds(text: str, answer: str) -> None:
    assert match_json(text + "\n")["answer"] == answer


def test_a_status_line_with_another_value_is_no_line_about_a_pending_pod() -> None:
    # a ManagedCertificate's describe: "Status: FailedNotVisible" with no events is not the
    # "Status: Pending ... Events: <none>" of a pod no scheduler has seen
    paste = ("Status:\n  Certificate Name:    example\n  Certificate Status:  Provisioning\n  Domain Status:\n"
             "    Domain:  api.example.com\n    Status:  FailedNotVisible\nEvents:      <none>\n")
    assert match_json(paste)["answer"] is None


@pytest.mark.parametrize("error", ["read tcp 10.0.0.11:51506->203.0.113.7:443: read: connection reset by peer",
                                   "dial tcp 203.0.113.7:443: connect: no route to host"])
def test_a_registry_request_broken_at_the_network_is_the_registry_unreachable(error: str) -> None:
    line = f"Error response from daemon: Get https://registry.example.com/v2/: {error}\n"
    assert match_json(line)["answer"] == "image-registry-unreachable"


def test_a_dns_cause_leads_the_failing_lookups_it_explains() -> None:
    # pods that cannot resolve names, said in words, with CoreDNS's own forwarding loop: the loop
    # is why the lookups fail, and the answer names the chain
    paste = ("Since this morning pods can't resolve any service name.\n"
             "[FATAL] plugin/loop: Loop (127.0.0.1:55953 -> :53) detected for zone \".\", see "
             "https://coredns.io/plugins/loop#troubleshooting. Query: \"HINFO 4547991504243258144.3688648895315093531.\"\n")
    result = match_json(paste)
    assert result["answer"] == "coredns-loop-detected"
    lookups = next(m for m in result["matches"] if m["id"] == "dns-resolution-failure")
    assert "coredns-loop-detected" in lookups["because"]
