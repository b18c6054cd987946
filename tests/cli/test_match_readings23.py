"""Readings of the twenty-third pass (issue 21): the autoscaler's scale-down blockers and the vertical
pod autoscaler's OOM records read by their source formats, a rollout status that gave up, the kubelet's
certificate bootstrap and an old kubelet's missing Secret, Helm 3.0's resource conflict, a refused dial
to the kubernetes Service, a Pending pod held until a taint goes, and the matcher marking an entry it
capped because the paste lacks the context the entry requires (tests/decision/test_close_call.py
shows such an entry is no rival). Each case is written here from the component's format
or a plain sentence, not copied from the corpus."""

from __future__ import annotations

import pytest

from intents.loader import load_catalog
from intents.matcher import Matcher
from tests.cli.runner import match_json

MATCHER = Matcher.from_entries(sorted(load_catalog().entries.values(), key=lambda entry: entry.id))


@pytest.mark.parametrize("blocker", [
    "pod with local storage present: grafana-6f9c7d8b5-k2x4q",
    "non-daemonset, non-mirrored, non-pdb-assigned kube-system pod present: metrics-server-7d9f8c6b5-x2x7k",
    "pod annotated as not safe to evict present: etl-runner-0",
    "not enough pod disruption budget to move shop/cart-0",
])
def test_a_pod_the_autoscaler_may_not_move_keeps_its_node(blocker: str) -> None:
    log = f'I0311 04:12:09.118203       1 cluster.go:151] "Node ip-10-1-7-22 cannot be removed: {blocker}"'
    assert match_json(log)["answer"] == "cluster-autoscaler-no-scale-down"


def test_the_old_autoscaler_wording_and_gke_visibility_ids_name_the_same_blocker() -> None:
    old = ("Fast evaluation: node 10.20.1.5 cannot be removed: non-deamons set, non-mirrored, "
           "kube-system pod present: kube-dns-v20-1485703853-8fs1w")
    assert match_json(old)["answer"] == "cluster-autoscaler-no-scale-down"
    gke = ('noDecisionStatus:\n  noScaleDown:\n    nodes:\n    - reason:\n'
           '        messageId: "no.scale.down.node.pod.kube.system.unmovable"\n')
    assert match_json(gke)["answer"] == "cluster-autoscaler-no-scale-down"


def test_the_vertical_pod_autoscaler_records_of_an_oom_kill_are_the_kill() -> None:
    updater = "I0212 08:01:44.120387       1 update_priority_calculator.go:114] quick OOM detected in pod shop/api-0, container api"
    assert match_json(updater)["answer"] == "oom-killed"


_DS_WAIT = 'Waiting for daemon set "node-agent" rollout to finish: 2 of 5 updated pods are available...\n'


def test_a_rollout_status_that_gave_up_is_a_stuck_rollout() -> None:
    assert match_json("$ kubectl -n infra rollout status ds/node-agent --timeout=5m\n" + _DS_WAIT
                      + "error: timed out waiting for the condition\n")["answer"] == "daemonset-rollout-stuck"


def test_a_rollout_status_that_finished_is_progress() -> None:
    finished = _DS_WAIT + 'daemon set "node-agent" successfully rolled out\n'
    assert match_json(finished)["answer"] is None
    # a later rollout finishing does not make an earlier wait that gave up healthy, and the
    # give-up must come after the wait it ends
    assert match_json("error: timed out waiting for the condition\n" + finished)["answer"] is None


_CSR = "kubelet[1822]: error: failed to run Kubelet: cannot create certificate signing request: "
_FORBIDDEN = ('certificatesigningrequests.certificates.k8s.io is forbidden: User "system:anonymous" cannot create '
              "certificatesigningrequests.certificates.k8s.io at the cluster scope")
_CSR_POST = "Post https://172.16.0.10:6443/apis/certificates.k8s.io/v1beta1/certificatesigningrequests: "


@pytest.mark.parametrize(("cause", "entry"), [
    (_CSR_POST + "dial tcp 172.16.0.10:6443: getsockopt: connection refused", "kubectl-apiserver-connection-refused"),
    (_CSR_POST + "dial tcp 172.16.0.10:6443: i/o timeout", "kubectl-apiserver-unreachable-timeout"),
    (_FORBIDDEN, "rbac-forbidden"),
])
def test_the_kubelet_bootstrap_failing_its_csr_is_what_the_request_met(cause: str, entry: str) -> None:
    assert match_json(_CSR + cause)["answer"] == entry


def test_an_old_kubelet_missing_secret_is_the_missing_reference() -> None:
    line = ('Error syncing pod, skipping: failed to "StartContainer" for "api" with RunContainerError: '
            '"GenerateRunContainerOptions: secrets \\"api-db\\" not found"')
    assert match_json(line)["answer"] == "create-container-config-error"


def test_helm_3_0_new_resource_conflict_is_a_resource_outside_the_release() -> None:
    line = ("Error: UPGRADE FAILED: rendered manifests contain a new resource that already exists. Unable to "
            "continue with update: existing resource conflict: kind: ClusterRole, namespace: , name: agent-reader")
    assert match_json(line)["answer"] == "helm-invalid-ownership-metadata"


def test_a_refused_dial_to_the_kubernetes_service_is_the_service_routing() -> None:
    line = ("E0402 11:20:31.554120       1 reflector.go:138] pkg/mod/k8s.io/client-go/tools/cache/reflector.go:167: "
            "Failed to watch *v1.Service: Get https://10.96.0.1:443/api/v1/services?limit=500: "
            "dial tcp 10.96.0.1:443: connect: connection refused")
    assert match_json(line)["answer"] == "kube-proxy-service-broken"
    # a refused dial to an ordinary backend says nothing of Service routing
    other = "upstream error: dial tcp 10.244.3.17:8080: connect: connection refused"
    assert match_json(other)["answer"] != "kube-proxy-service-broken"
    # nor does loopback: 127.0.0.1:443 is a local proxy in front of the API server
    local = ('Failed to contact API server: Get "https://127.0.0.1/apis/storage.k8s.io/v1/csinodes/n1": '
             "dial tcp 127.0.0.1:443: connect: connection refused")
    assert match_json(local)["answer"] != "kube-proxy-service-broken"


def test_pods_pending_until_a_taint_is_removed_are_held_by_the_taint() -> None:
    said = "Every new pod on the cluster stays Pending until the taint is removed from the node."
    assert match_json(said)["answer"] == "pending-untolerated-taint"


def test_the_matcher_marks_an_entry_capped_for_missing_context() -> None:
    # the back-off alone names refused credentials only in a paste about credentials (`requires`)
    back_off = ("NAME                   READY   STATUS             RESTARTS   AGE\n"
                "api-6c9f7d8b5-x2x7k    0/1     ImagePullBackOff   0          52s\n")
    matches = {match.id: match for match in MATCHER.match(back_off, top=5)}
    assert matches["image-pull-unauthorized"].context_missing
    about_secret = "The imagePullSecrets are set on the deployment, yet:\n" + back_off
    matches = {match.id: match for match in MATCHER.match(about_secret, top=5)}
    assert not matches["image-pull-unauthorized"].context_missing


@pytest.mark.parametrize(("said", "entry"), [
    # a pattern whose words are spelled with optional letters ("pods?", "OOM'?ed") now runs
    # wherever one of its spellings is, not only once fuzzy matching reached its entry
    ("the pod got OOMed again last night", "oom-killed"),
    ("The pods are pending due to missing ram, the chart asks for 16Gi.", "pending-insufficient-resources"),
    ("Our workers crash every hour because they exceed their fairly generous memory limits.", "oom-killed"),
    ("The kubelet kills the sidecar as soon as the memory limit is reached.", "oom-killed"),
    ("The brokers are being killed due to a failed liveness/readiness check.", "liveness-probe-failed"),
    ("The external IP of the ingress Service has been pending for two hours.", "loadbalancer-service-pending"),
    ("After growing the claim to 50Gi it stays with FileSystemResizePending forever.", "pvc-volume-resize-failed"),
    ("The new node is in zone c but the volume has node affinity for zone b, so the pod hangs in Pending.",
     "pending-volume-node-affinity-conflict"),
    ("Our dev cluster keeps running into DiskPressure every afternoon.", "node-disk-pressure"),
])
def test_a_failure_said_in_words_is_read_wherever_it_is_said(said: str, entry: str) -> None:
    assert match_json(said)["answer"] == entry


def test_nodes_left_cordoned_said_in_words_are_unschedulable_nodes() -> None:
    said = "After the OS upgrade the workers come back Ready but they remain with SchedulingDisabled."
    assert match_json(said)["answer"] == "pending-node-unschedulable"
    supposed = "If a node stays cordoned after the drain, the pods will not move back."
    assert match_json(supposed)["answer"] is None


_EVENTS = ("Events:\n  Type     Reason     Age                 From     Message\n"
           "  ----     ------     ----                ----     -------\n")


def test_a_probe_that_errored_is_a_failing_probe_of_its_kind() -> None:
    # the kubelet's "%s probe errored: %v" (an exec probe that timed out): the liveness probe,
    # which restarts the container, leads the readiness probe as it does when both "failed"
    events = (_EVENTS
              + "  Warning  Unhealthy  9m (x12 over 1h)    kubelet  Liveness probe errored: rpc error: code = "
                "DeadlineExceeded desc = context deadline exceeded\n"
              + "  Warning  Unhealthy  40s (x20 over 1h)   kubelet  Readiness probe errored: rpc error: code = "
                "DeadlineExceeded desc = context deadline exceeded\n")
    assert match_json(events)["answer"] == "liveness-probe-failed"


def test_a_node_without_its_pod_network_leads_the_probes_it_fails() -> None:
    events = (_EVENTS
              + '  Warning  Unhealthy        3m                  kubelet          Readiness probe failed: Get '
                '"http://10.8.1.4:8080/ready": dial tcp 10.8.1.4:8080: connect: connection refused\n'
              + "  Warning  NetworkNotReady  1m                  kubelet          network is not ready: container "
                "runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network "
                "plugin returns error: cni plugin not initialized\n")
    assert match_json(events)["answer"] == "cni-network-plugin-not-ready"


def test_a_list_refused_by_the_api_server_on_any_port_is_the_api_server() -> None:
    line = ("E0302 10:11:12.018346    2223 reflector.go:125] k8s.io/kubernetes/pkg/kubelet/kubelet.go:453: "
            "Failed to list *v1.Node: Get https://localhost:8443/api/v1/nodes?limit=500: "
            "dial tcp 127.0.0.1:8443: connect: connection refused")
    assert match_json(line)["answer"] == "kubectl-apiserver-connection-refused"


def test_a_plain_http_registry_ping_refused_is_the_registry_not_reached() -> None:
    ping = "pulling image error : Get http://10.20.0.7:5000/v2/: dial tcp 10.20.0.7:5000: connect: connection refused"
    assert match_json(ping)["answer"] == "image-registry-unreachable"
    # an application's own versioned API refused is no registry
    app = 'unable to query schema: Get "http://127.0.0.1:9000/v1/config/schema": dial tcp 127.0.0.1:9000: connect: connection refused'
    assert match_json(app)["answer"] != "image-registry-unreachable"


def test_contour_naming_an_httpproxy_tls_secret_it_cannot_use_is_the_tls_secret() -> None:
    status = ("    Errors:\n"
              '      Message:             Spec.VirtualHost.TLS Secret "api-cert" is invalid: Secret not found\n'
              "      Reason:              SecretNotValid\n"
              "      Status:              True\n"
              "      Type:                TLSError\n")
    assert match_json(status)["answer"] == "ingress-tls-secret-invalid"


def test_a_terminating_status_is_a_namespace_only_as_the_namespace_field() -> None:
    # a claim or pods said to be Terminating are no namespace stuck in deletion
    said = "Since the node is gone, the pvc of the mongodb statefulset stays in status `Terminating` while the pod runs."
    assert match_json(said)["answer"] != "namespace-stuck-terminating"
    described = ("Name:         payments\nLabels:       kubernetes.io/metadata.name=payments\n"
                 "Annotations:  <none>\nStatus:       Terminating\n")
    assert match_json(described)["answer"] == "namespace-stuck-terminating"


def test_a_disk_that_failed_its_check_before_mounting_is_a_mount_failure() -> None:
    line = ('MountVolume.MountDevice failed for volume "pvc-7a" : rpc error: code = Internal desc = \'fsck\' found '
            "errors on device /dev/sdf but could not correct them: /dev/sdf: Inode 12 has illegal blocks. "
            "UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.")
    assert match_json(line)["answer"] == "volume-mount-failed"


def test_kubelet_serving_csrs_pending_for_hours_leave_the_kubelets_without_certificates() -> None:
    header = "NAME        AGE   SIGNERNAME                      REQUESTOR                                 CONDITION\n"
    old = header + "csr-7gq2p   9h    kubernetes.io/kubelet-serving   system:node:ip-10-1-4-7.ec2.internal      Pending\n"
    assert match_json(old)["answer"] == "kubelet-serving-certificate-invalid"
    # a request seconds old is one still being approved
    fresh = header + "csr-7gq2p   40s   kubernetes.io/kubelet-serving   system:node:ip-10-1-4-7.ec2.internal      Pending\n"
    assert match_json(fresh)["answer"] is None


def test_the_api_server_posting_to_a_webhook_service_and_timing_out_is_the_webhook() -> None:
    line = ("Error: UPGRADE FAILED: Post https://policy-hooks.admission.svc:443/validate-rules?timeout=10s: "
            "net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)")
    assert match_json(line)["answer"] == "admission-webhook-failed"
    # the kubernetes Service is the API server itself
    api = 'Post "https://kubernetes.default.svc:443/api/v1/namespaces?timeout=30s": dial tcp 10.96.0.1:443: i/o timeout'
    assert match_json(api)["answer"] != "admission-webhook-failed"


def test_the_jvm_unable_to_create_a_native_thread_is_the_thread_limit() -> None:
    line = ('Exception in thread "pool-3-thread-12" java.lang.OutOfMemoryError: unable to create native thread: '
            "possibly out of memory or process/resource limits reached")
    assert match_json(line)["answer"] == "pid-exhaustion"


def test_a_volume_said_to_be_out_of_space_is_full_unless_only_supposed() -> None:
    assert match_json("Looking at the replica again, the data volume is out of space.")["answer"] == "filesystem-full"
    assert match_json("What happens if the data volume is out of space during a backup?")["answer"] is None


def test_a_workload_manifest_without_a_selector_is_the_selector_problem() -> None:
    line = ('error: error validating "web.yaml": error validating data: ValidationError(StatefulSet.spec): missing '
            'required field "selector" in io.k8s.api.apps.v1.StatefulSetSpec; if you choose to ignore these errors, '
            "turn validation off with --validate=false")
    assert match_json(line)["answer"] == "workload-selector-mismatch"
