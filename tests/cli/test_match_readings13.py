"""Readings of the thirteenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json

_CRASH_SENTENCE = "After a node reboot one api pod enters the CrashLoopBackOff state and stays there.\n"


def test_events_of_another_object_do_not_deny_a_pods_back_off() -> None:
    # a GitOps controller's events say nothing about the pod's own BackOff events
    paste = _CRASH_SENTENCE + (
        "LAST SEEN   TYPE      REASON              OBJECT              MESSAGE\n"
        "3m9s        Warning   HealthCheckFailed   kustomization/api   health check failed after 5m0s: "
        "timeout waiting for: [Deployment/default/api status: 'InProgress']\n")
    found = match_json(paste)
    assert found["answer"] == "crashloop-backoff"


def test_the_pods_own_events_without_a_back_off_still_weigh_against_it() -> None:
    paste = _CRASH_SENTENCE + (
        "LAST SEEN   TYPE     REASON      OBJECT           MESSAGE\n"
        "2m          Normal   Scheduled   pod/api-7d9f-x   Successfully assigned default/api-7d9f-x to node-1\n"
        "2m          Normal   Pulled      pod/api-7d9f-x   Container image \"api:1.2\" already present on machine\n"
        "2m          Normal   Started     pod/api-7d9f-x   Started container api\n")
    found = match_json(paste)
    assert found["answer"] != "crashloop-backoff"


def test_a_scheduler_message_held_in_a_yaml_or_json_string_is_read_clause_by_clause() -> None:
    from intents.scheduling import clauses

    quoted = [
        "    message: '0/3 nodes are available: 3 node(s) didn''t match Pod''s node affinity/selector.'",
        '      "message": "0/2 nodes are available: 2 Insufficient memory.",',
        '"FailedScheduling ... fit failure summary on nodes : MatchNodeSelector (2), PodToleratesNodeTaints (1)"',
    ]
    read = [[(clause.nodes, clause.answer) for clause in clauses(line)] for line in quoted]
    assert read == [
        [(3, "pending-node-selector-mismatch")],
        [(2, "pending-insufficient-resources")],
        [(2, "pending-node-selector-mismatch"), (1, "pending-untolerated-taint")],
    ]


def test_an_error_line_pasted_beside_an_events_list_that_lacks_it_still_stands() -> None:
    # the events list is cut short or of a later try: the pasted error says the failure happened
    paste = (
        "New pods hit this first:\n"
        'Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "7f3c": '
        'plugin type="calico" failed (add): error adding host side routes for interface: cali7f3c, error: '
        "route (Ifindex: 37, Dst: 10.42.0.9/32, Scope: 253) already exists for an interface other than 'cali7f3c'\n"
        "then it settles. Events now:\n"
        "Events:\n"
        "  Type    Reason     Age   From               Message\n"
        "  ----    ------     ----  ----               -------\n"
        "  Normal  Scheduled  2m    default-scheduler  Successfully assigned web/api-5d8c-q2x to node-2\n"
        '  Normal  Pulled     2m    kubelet            Container image "api:3.1" already present on machine\n')
    assert match_json(paste)["answer"] == "cni-sandbox-failed"


def test_a_failure_only_recalled_in_the_first_person_is_still_weighed_against_the_events() -> None:
    paste = (
        "I think we saw failed to create pod sandbox once, but the events look clean:\n"
        "Events:\n"
        "  Type    Reason     Age   From               Message\n"
        "  ----    ------     ----  ----               -------\n"
        "  Normal  Scheduled  2m    default-scheduler  Successfully assigned web/api-5d8c-q2x to node-2\n"
        '  Normal  Pulled     2m    kubelet            Container image "api:3.1" already present on machine\n')
    assert match_json(paste)["answer"] is None


def test_what_counts_as_a_sentence_someone_wrote() -> None:
    from bot.paste.unsaid import written_sentence

    assert written_sentence("After a node reboot one api pod enters the CrashLoopBackOff state.")
    # the kernel's seconds-since-boot stamp, a clock time, a component's own message
    assert not written_sentence("[40743.903412] Memory cgroup out of memory: Killed process 1162211 (qemu-system-x86)")
    assert not written_sentence("2024-05-02 10:11:12 error: the pod failed to start in time")
    assert not written_sentence('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network '
                                'for sandbox "7f3c": plugin type="calico" failed (add): stat /var/lib/calico/nodename: '
                                "no such file or directory")


def test_the_confirming_events_own_message_names_the_specific_cause_first() -> None:
    # FailedMount confirms the catch-all mount entry; its message says which mount failure it is
    paste = (
        "Events:\n"
        "  Type     Reason       Age               From               Message\n"
        "  ----     ------       ----              ----               -------\n"
        "  Normal   Scheduled    3m                default-scheduler  Successfully assigned data/db-0 to node-3\n"
        '  Warning  FailedMount  45s (x9 over 3m)  kubelet            MountVolume.WaitForAttach failed for volume '
        '"pvc-81c2" : volume attachment is being deleted\n')
    found = match_json(paste)
    assert [m["id"] for m in found["matches"][:2]] == ["volume-attachment-stuck-deleting", "volume-mount-failed"]


def test_an_attach_that_times_out_because_another_node_holds_the_volume_names_that_first() -> None:
    paste = (
        'Warning  FailedAttachVolume  2m  attachdetach-controller  AttachVolume.Attach failed for volume "pvc-1" : '
        "rpc error: code = DeadlineExceeded desc = context deadline exceeded\n"
        "csi-attacher: rpc error: code = FailedPrecondition desc = volume pvc-1 is still attached to node worker-2\n")
    found = match_json(paste)
    assert found["answer"] == "volume-multi-attach"
    assert "csi-attach-timeout" in [m["id"] for m in found["matches"]]


@pytest.mark.parametrize(("line", "answer"), [
    # the API server's NotFound for the ServiceAccount, as an operator logs it (JSON-escaped) or says it
    ('{"level":"error","msg":"reconcile failed","error":"ServiceAccount \\"builder\\" not found"}',
     "serviceaccount-not-found"),
    ("ServiceAccount spark-driver is not found, create it before submitting the job.", "serviceaccount-not-found"),
    # an ingress controller building routes for an Ingress whose Service is gone
    (('Warning  FailedBuildModel  12s (x3 over 40s)  ingress  Failed build model due to ingress: shop/web: '
     'Service "web-v2" not found'), "ingress-backend-service-not-found"),
    ('"error": ["the service \\"shop-web-80@kubernetescrd\\" does not exist"]', "ingress-backend-service-not-found"),
])
def test_an_object_a_controller_needs_is_not_found(line: str, answer: str) -> None:
    assert match_json(line + "\n")["answer"] == answer


@pytest.mark.parametrize(("line", "answer"), [
    # apimachinery's 404 naming a resource of a group no built-in API serves: the CRD is missing
    (("E0412 08:01:02.000000  1 reflector.go:138] Failed to watch *v1beta1.Widget: failed to list *v1beta1.Widget: "
     "the server could not find the requested resource (get widgets.shop.example.com)"), "crd-not-installed"),
    (("failed to list *v1.HTTPRoute: the server could not find the requested resource "
     "(get httproutes.gateway.networking.k8s.io)"), "crd-not-installed"),
    # the same 404 for a built-in resource is the client asking for an API the server does not serve
    ("Error from server (NotFound): the server could not find the requested resource (get ingresses.extensions)",
     "api-version-skew"),
    ("error: the server could not find the requested resource", "api-version-skew"),
])
def test_a_resource_the_server_does_not_serve_by_its_group(line: str, answer: str) -> None:
    assert match_json(line + "\n")["answer"] == answer


def test_a_field_path_not_found_is_no_missing_image() -> None:
    # apimachinery's field error reads like containerd's "<ref>: not found" in any case
    line = ('Error: UPGRADE FAILED: Deployment.apps "web" is invalid: '
            '[spec.template.spec.containers[0].volumeMounts[1].name: Not found: "cache"]')
    assert match_json(line + "\n")["answer"] != "image-not-found"


def test_tikvs_own_start_up_check_needs_no_tidb_word() -> None:
    line = "[2024/03/01 10:00:00.000 +00:00] [FATAL] [server.rs:312] [\"failed to start node: cluster ID mismatch, local 71 != remote 93\"]"
    assert match_json(line + "\n")["answer"] == "tikv-cluster-id-mismatch"


@pytest.mark.parametrize(("line", "answer"), [
    # kine (k3s's datastore shim) says etcd's compaction error in its own words
    (('time="2024-02-02T09:00:00Z" level=error msg="error while range on /registry/pods/ /registry/pods/: '
     'revision has been compact"'), "etcd-revision-compacted"),
    # containerd's resolver failing to reach a registry on any port, plain HTTP too
    (('Failed to pull image "registry.lab:5001/team/api:7": rpc error: code = Unknown desc = failed to pull and '
     'unpack image "registry.lab:5001/team/api:7": failed to resolve reference "registry.lab:5001/team/api:7": '
     'failed to do request: Head "http://registry.lab:5001/v2/team/api/manifests/7": dial tcp 10.1.2.3:5001: '
     "connect: no route to host"), "image-registry-unreachable"),
])
def test_a_datastore_or_a_registry_in_its_clients_words(line: str, answer: str) -> None:
    assert match_json(line + "\n")["answer"] == answer


def test_go_s_exec_error_from_a_client_tool_is_no_container_start_failure() -> None:
    line = ('I0301 10:00:00.000000   4242 authcode.go:56] could not open the browser: exec: "xdg-open": '
            "executable file not found in $PATH")
    assert match_json(line + "\n")["answer"] is None


def test_go_s_exec_error_in_a_container_start_is_the_missing_executable() -> None:
    line = ('Error: failed to create containerd task: failed to create shim task: OCI runtime create failed: '
            'runc create failed: unable to start container process: exec: "gunicorn": executable file not found '
            "in $PATH: unknown")
    assert match_json(line + "\n")["answer"] == "executable-not-found"


def test_an_endpoints_heading_over_a_table_is_no_empty_endpoints() -> None:
    # a database operator's describe: "Endpoints:" heads a table of addresses
    paste = ("Endpoints:\n"
             "COMPONENT   MODE        INTERNAL                                  EXTERNAL\n"
             "mysql       ReadWrite   shop-mysql.default.svc.cluster.local:3306   <none>\n")
    assert match_json(paste)["answer"] != "service-endpoints-empty"


def test_endpoints_none_is_still_the_empty_service() -> None:
    paste = ("Name:              checkout\nNamespace:         shop\nSelector:          app=checkout\n"
             "Type:              ClusterIP\nIP:                10.96.14.2\nPort:              http  80/TCP\n"
             "TargetPort:        8080/TCP\nEndpoints:         <none>\n")
    assert match_json(paste)["answer"] == "service-endpoints-empty"


@pytest.mark.parametrize(("sentence", "answer"), [
    ("New replicas stay Pending on node-4, which hit its EBS attachment limit last week.", "pending-max-volume-count"),
    ("I raised the PVCs to 50Gi, the edit went through, but their capacity has still not changed.",
     "pvc-volume-resize-failed"),
])
def test_volume_limits_and_resizes_said_in_words(sentence: str, answer: str) -> None:
    assert match_json(sentence + "\n")["answer"] == answer


@pytest.mark.parametrize(("line", "answer"), [
    # a client-go tool with no kubeconfig dials localhost:8080, which Go may resolve to ::1
    (('E0301 10:00:00.000000  77 memcache.go:265] couldn\'t get current server API group list: '
     'Get "http://localhost:8080/api?timeout=32s": dial tcp [::1]:8080: connect: connection refused'),
     "kubectl-no-kubeconfig-localhost-8080"),
    # dockerd's registry client on a registry answering 5xx
    (("[ERROR ImagePull]: failed to pull image registry.example.com/base/api:2.4: output: Error response from "
     "daemon: received unexpected HTTP status: 502 Bad Gateway"), "image-registry-unreachable"),
])
def test_a_client_that_cannot_reach_its_server(line: str, answer: str) -> None:
    assert match_json(line + "\n")["answer"] == answer


def test_a_container_listed_before_one_waiting_in_pod_initializing_is_an_init_container() -> None:
    # a describe pod copied from below its "Init Containers:" heading
    paste = ("  migrate:\n"
             "    Image:          shop/api:3.1\n"
             "    State:          Waiting\n"
             "      Reason:       CrashLoopBackOff\n"
             "    Last State:     Terminated\n"
             "      Reason:       Error\n"
             "      Exit Code:    2\n"
             "    Ready:          False\n"
             "    Restart Count:  6\n"
             "Containers:\n"
             "  api:\n"
             "    Image:          shop/api:3.1\n"
             "    State:          Waiting\n"
             "      Reason:       PodInitializing\n"
             "    Ready:          False\n"
             "    Restart Count:  0\n")
    assert match_json(paste)["answer"] == "init-container-failed"


@pytest.mark.parametrize("sentence", [
    "We get this error from the init container on every rollout:",
    "After the upgrade there are failures in the initMigrate container, see below.",
])
def test_an_error_reported_from_an_init_container(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "init-container-failed"


def test_a_describe_node_copied_from_its_taints_down_shows_the_not_ready_taint() -> None:
    paste = ("Taints:             node.kubernetes.io/unreachable:NoExecute\n"
             "Unschedulable:      false\n"
             "Lease:\n"
             "  HolderIdentity:  worker-3\n"
             "  RenewTime:       Tue, 04 Mar 2025 08:10:11 +0000\n"
             "Conditions:\n"
             "  Type             Status  LastHeartbeatTime                 LastTransitionTime                "
             "Reason                       Message\n"
             "  ----             ------  -----------------                 ------------------                "
             "------                       -------\n"
             "  MemoryPressure   False   Tue, 04 Mar 2025 08:10:11 +0000   Tue, 04 Mar 2025 07:00:00 +0000   "
             "KubeletHasSufficientMemory   kubelet has sufficient memory available\n")
    assert match_json(paste)["answer"] == "node-not-ready"


@pytest.mark.parametrize(("text", "answer"), [
    ('2025-01-02T10:00:00.000Z\tV4\tNodes are not ready yet\t{"total": 3, "ready": 2}', "node-not-ready"),
    ("After about twenty minutes the worker node went NotReady and pods were evicted.", "node-not-ready"),
])
def test_a_node_said_not_ready(text: str, answer: str) -> None:
    assert match_json(text + "\n")["answer"] == answer


def test_calicos_own_readiness_message_is_no_node_not_ready() -> None:
    line = ("Warning  Unhealthy  10s (x3 over 30s)  kubelet  Readiness probe failed: calico/node is not ready: "
            "BIRD is not ready: BGP not established with 10.0.0.12")
    assert match_json(line + "\n")["answer"] == "readiness-probe-failed"


def test_a_crash_loop_in_a_list_of_states() -> None:
    assert match_json("The worker pods show Completed/CrashLoopBackOff after the upgrade.\n")["answer"] == "crashloop-backoff"


@pytest.mark.parametrize("sentence", [
    "The new pods stay Pending: there are no pod slots available on the two small nodes.",
    "Each t3.small node reached its max pods, so nothing else gets scheduled.",
])
def test_a_node_out_of_pod_slots_said_in_words(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "too-many-pods"


def test_a_describe_cut_below_init_containers_reads_its_completed_init_as_success() -> None:
    paste = ("    State:          Terminated\n"
             "      Reason:       Completed\n"
             "      Exit Code:    0\n"
             "    Ready:          True\n"
             "    Restart Count:  0\n"
             "Containers:\n"
             "  web:\n"
             "    Image:          shop/web:2.0\n"
             "    State:          Running\n"
             "      Started:      Tue, 01 Apr 2025 20:59:42 +0000\n"
             "    Ready:          True\n"
             "    Restart Count:  0\n")
    assert match_json(paste)["answer"] is None


@pytest.mark.parametrize("sentence", [
    "On a fresh volume the init container of the broker pod will fail with this error:",
    "We see permission errors in the `fix-perms` init container logs after every restart.",
])
def test_an_init_container_failing_named_by_its_role(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] == "init-container-failed"


def test_a_pull_whose_connection_broke_mid_download() -> None:
    line = ('Warning  Failed  3m  kubelet  Failed to pull image "acme/runner:2": rpc error: code = Unknown desc = '
            'failed to pull and unpack image "docker.io/acme/runner:2": failed to read expected number of bytes: '
            "unexpected EOF")
    assert match_json(line + "\n")["answer"] == "image-registry-unreachable"


def test_a_prefilter_message_quoted_before_its_preemption_suffix() -> None:
    line = ("pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: "
            "3 Preemption is not helpful for scheduling.")
    assert match_json(line + "\n")["answer"] == "pvc-pending"


def test_the_authorizer_refusing_a_path() -> None:
    line = 'Error from server (Forbidden): forbidden: User "ci-bot" cannot get path "/apis/metrics.k8s.io"'
    assert match_json(line + "\n")["answer"] == "rbac-forbidden"


def test_a_control_plane_component_gone_from_prometheus_discovery() -> None:
    text = ('Two alerts keep firing, "Target disappeared from Prometheus target discovery": '
            "KubeSchedulerDown and KubeControllerManagerDown, on our managed cluster.")
    assert match_json(text + "\n")["answer"] == "prometheus-target-down"


def test_an_empty_endpoints_value_as_newer_kubectl_prints_it_is_no_endpoints() -> None:
    paste = ("Name:                     checkout\nNamespace:                shop\nSelector:                 app=checkout\n"
             "Type:                     ClusterIP\nIP:                       10.96.14.2\n"
             "Port:                     grpc  7070/TCP\nTargetPort:               7070/TCP\n"
             "Endpoints:                \nSession Affinity:         None\n"
             "Internal Traffic Policy:  Cluster\nEvents:                   <none>\n")
    assert match_json(paste)["answer"] == "service-endpoints-empty"
