"""Readings of the twenty-fifth pass (issue 21). Each case is written here from the component's
format or a plain sentence, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize("said", [
    "I installed the chart on minikube but the pod of the gateway kept restarting, no idea why.",
    "The web pods continue to restart while the chart installs.",
    "the worker container restarts over and over after the upgrade",
    "the search container is constantly in crashbackoffloop",
])
def test_a_pods_restarts_said_as_a_loop_are_a_crash_loop(said: str) -> None:
    assert match_json(said)["answer"] == "crashloop-backoff"


@pytest.mark.parametrize("said", [
    "my node keeps restarting every night",
    "after the fix the pod no longer keeps restarting",
])
def test_a_nodes_restarts_or_a_loop_denied_are_not_a_crash_loop(said: str) -> None:
    assert match_json(said)["answer"] != "crashloop-backoff"


def test_minikube_status_with_the_apiserver_stopped_is_the_api_server_down() -> None:
    status = "minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Stopped\nkubeconfig: Configured\n"
    assert match_json(status)["answer"] == "kubectl-apiserver-connection-refused"


def test_minikube_status_all_running_is_healthy() -> None:
    status = "minikube\ntype: Control Plane\nhost: Running\nkubelet: Running\napiserver: Running\nkubeconfig: Configured\n"
    assert match_json(status)["answer"] is None


def test_kubectl_top_without_node_metrics_is_the_missing_metrics_pipeline() -> None:
    assert match_json("$ kubectl top nodes\nerror: metrics not available yet\n")["answer"] == "hpa-missing-metrics"


def test_kubectl_top_without_the_metrics_api_is_its_apiservice_not_served() -> None:
    assert match_json("$ kubectl top pods -A\nerror: Metrics API not available\n")["answer"] == "aggregated-apiservice-unavailable"


def test_one_pod_without_metrics_while_the_api_answers_is_not_the_missing_metrics_api() -> None:
    top = "$ kubectl top pod web-0\nerror: Metrics not available for pod default/web-0, age: 41m12.3s\n"
    assert match_json(top)["answer"] != "hpa-missing-metrics"


def test_a_kubelets_first_relist_not_yet_run_is_start_up_not_a_not_ready_node() -> None:
    log = ("I0301 09:00:01.100000    812 kubelet.go:2100] \"Starting kubelet main sync loop\"\n"
           "I0301 09:00:01.100100    812 kubelet.go:2124] \"Skipping pod synchronization\" err=\"[container runtime "
           "status check may not have completed yet, PLEG is not healthy: pleg has yet to be successful]\"\n")
    assert match_json(log)["answer"] is None


def test_a_pleg_last_seen_minutes_ago_is_still_a_not_ready_node() -> None:
    line = "Ready  False  KubeletNotReady  PLEG is not healthy: pleg was last seen active 4m2.1s ago; threshold is 3m0s"
    assert match_json(line)["answer"] == "node-not-ready"


@pytest.mark.parametrize(("said", "answer"), [
    ("the liveness probe timeout of 1s is too short for this app", "liveness-probe-failed"),
    ("the startupProbe failureThreshold is too low for a cold JVM", "startup-probe-failed"),
    ("our readiness probe period is too aggressive for the warm-up", "readiness-probe-failed"),
])
def test_a_probes_timing_said_too_tight_is_that_probe_failing(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer


@pytest.mark.parametrize(("said", "answer"), [
    ("the node says cni plugin not initialised", "cni-network-plugin-not-ready"),
    ("error: You must be logged in to the server (Unauthorised)", "kubectl-unauthorized"),
])
def test_british_spellings_read_as_the_words_kubernetes_prints(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer


@pytest.mark.parametrize("said", [
    "the operator crashes because the ServiceMonitor CRD is not installed",
    '{"level":"error","msg":"failed setting up controllers","error":"missing a required CRD: widgets.example.com"}',
])
def test_a_crd_said_missing_is_the_crd_not_installed(said: str) -> None:
    assert match_json(said)["answer"] == "crd-not-installed"


def test_the_vpc_cnis_insufficient_cidr_wait_is_pods_without_addresses() -> None:
    log = ('{"level":"debug","ts":"2024-05-22T14:43:38.048Z","caller":"ipamd/ipamd.go:683",'
           '"msg":"Recently we had InsufficientCidr error hence will wait for 2m0s before retrying"}')
    assert match_json(log)["answer"] == "cni-sandbox-failed"


def test_an_old_curls_unresolved_host_is_name_resolution() -> None:
    assert match_json("/ # curl google.com\ncurl: (6) Couldn't resolve host 'google.com'\n")["answer"] == "dns-resolution-failure"


def test_a_pull_whose_registry_lookup_fails_temporarily_is_the_registry_unreachable() -> None:
    event = ('Warning  Failed  2m (x4 over 5m)  kubelet  Failed to pull image "web:1.2": rpc error: code = Unknown desc = '
             'failed to pull and unpack image "docker.io/library/web:1.2": failed to resolve reference '
             '"docker.io/library/web:1.2": failed to do request: Head "https://registry-1.docker.io/v2/library/web/'
             'manifests/1.2": dial tcp: lookup registry-1.docker.io: Temporary failure in name resolution')
    assert match_json(event)["answer"] == "image-registry-unreachable"


@pytest.mark.parametrize(("said", "answer"), [
    ("After a while it restarts; the logs show a 400 error on the liveness probe.", "liveness-probe-failed"),
    ("we get timeouts on the readiness check every few minutes", "readiness-probe-failed"),
])
def test_an_error_reported_from_a_probe_is_that_probe_failing(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer


@pytest.mark.parametrize("said", [
    "This change should mitigate pod eviction failures due to insufficient ephemeral-storage when building.",
    "we see evictions because of low disk space on the build nodes",
])
def test_an_eviction_and_its_reason_said_as_a_noun_is_the_eviction(said: str) -> None:
    assert match_json(said)["answer"] == "pod-evicted"


def test_the_aggregators_failed_sync_of_an_apiservice_is_the_aggregated_api_down() -> None:
    log = ("E0123 06:25:22.347592       1 available_controller.go:316] v1beta1.metrics.k8s.io failed with: "
           "Get https://10.97.40.73:443: dial tcp 10.97.40.73:443: connect: connection refused")
    assert match_json(log)["answer"] == "aggregated-apiservice-unavailable"


def test_another_controllers_failed_sync_is_not_an_aggregated_api() -> None:
    log = "E0123 06:25:22.347592       1 controller.go:316] default/web failed with: the object has been modified"
    assert match_json(log)["answer"] != "aggregated-apiservice-unavailable"


def test_the_metrics_apiservice_down_leads_kubectl_tops_missing_metrics() -> None:
    paste = ("$ kubectl top nodes\nerror: Metrics API not available\n"
             "E0101 10:00:00.000000       1 available_controller.go:460] v1beta1.metrics.k8s.io failed with: failing or "
             "missing response from https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1: Get "
             "\"https://10.96.12.7:443/apis/metrics.k8s.io/v1beta1\": context deadline exceeded\n")
    assert match_json(paste)["answer"] == "aggregated-apiservice-unavailable"


@pytest.mark.parametrize("refused", [
    'Unable to register node "worker-0" with API server: User "system:node:" cannot create nodes at the cluster scope',
    'Error from server (Forbidden): pods is forbidden: User "jane" cannot list pods in the namespace "default"',
])
def test_rbac_refusals_worded_before_api_groups_are_rbac(refused: str) -> None:
    assert match_json(refused)["answer"] == "rbac-forbidden"


def test_restarts_said_with_an_unknown_reason_following_stay_quiet() -> None:
    paste = ("the api pod keeps restarting, log tail:\n\n"
             "2021/03/02 11:20:14 [FATAL] failed to init db: error: pq: password authentication failed for user \"app\"\n")
    assert match_json(paste)["answer"] is None


@pytest.mark.parametrize("said", [
    "Even after adding imagePullSecrets I am getting the imagepull backoff error.",
    "the pod stays in image pull back-off although the pull secret exists",
])
def test_imagepullbackoff_written_as_words_is_the_status(said: str) -> None:
    assert match_json(said)["answer"] == "image-pull-unauthorized"


@pytest.mark.parametrize(("said", "answer"), [
    ("When using Nginx Ingress in GCP, long requests end in a 504 gateway timeout on the client side.",
     "ingress-nginx-upstream-timed-out"),
    ("my pod resolved k8s service domain slowly sometimes", "dns-resolution-failure"),
    ("DNS resolution for the storage service is taking multiple seconds again", "dns-resolution-failure"),
    ("Containers in the pod db-0 get stuck in initializing state although there are enough resources",
     "init-container-failed"),
    ("Sometimes the worker is pending due to resouce request not enough", "pending-insufficient-resources"),
])
def test_failures_said_in_a_sentence(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer


@pytest.mark.parametrize(("paste", "answer"), [
    ("W0726 08:18:06.517655    4537 cni.go:172] Unable to update cni config: No networks found in /etc/",
     "cni-network-plugin-not-ready"),
    ("alertname: NodeMemoryHighUtilization\nsummary: Host is running out of memory.", "node-memory-pressure"),
    ("csr-zxlx2   55m   kubernetes.io/kubelet-serving   system:node:cp-2   <none>   Denied\n",
     "kubelet-serving-certificate-invalid"),
    (("Error creating: Internal error occurred: failed calling admission webhook \"sidecar-injector.istio.io\": "
      "Post https://istio-sidecar-injector.istio-system.svc:443/inject: net/http: request canceled while waiting for "
      "connection (Client.Timeout exceeded while awaiting headers)"), "admission-webhook-failed"),
    ("When I installed the chart, the ServiceAccount minio wasn't created and so the Pod failed to start.",
     "serviceaccount-not-found"),
])
def test_component_lines_and_sentences_of_this_pass(paste: str, answer: str) -> None:
    assert match_json(paste)["answer"] == answer


def test_a_pod_stuck_in_init_past_its_start_is_its_init_container() -> None:
    listing = ("NAME                 READY   STATUS     RESTARTS   AGE\n"
               "spire-agent-rjcd9    0/1     Init:0/1   0          142m\n"
               "spire-server-0       2/2     Running    0          145m\n")
    assert match_json(listing)["answer"] == "init-container-failed"


def test_a_pod_just_started_in_init_is_no_failure() -> None:
    listing = "NAME    READY   STATUS     RESTARTS   AGE\nweb-0   0/1     Init:0/1   0          40s\n"
    assert match_json(listing)["answer"] is None


def test_pods_in_init_beside_a_crash_loop_wait_on_the_loop() -> None:
    listing = ("NAME                       READY   STATUS             RESTARTS   AGE\n"
               "csi-plugin-x2v7k           1/2     CrashLoopBackOff   12         40m\n"
               "driver-deployer-6d4cf56    0/1     Init:0/1           0          40m\n")
    assert match_json(listing)["answer"] == "crashloop-backoff"


def test_minikube_unable_to_reach_its_registry_is_the_registry_unreachable() -> None:
    start = ("Updating the running docker \"minikube\" container ...\n"
             "This container is having trouble accessing https://registry.k8s.io\n"
             "To pull new external images, you may need to configure a proxy: "
             "https://minikube.sigs.k8s.io/docs/reference/networking/proxy/\n")
    assert match_json(start)["answer"] == "image-registry-unreachable"


def test_a_pull_into_an_air_gapped_node_is_the_registry_unreachable() -> None:
    said = ("The kubelet is trying to pull the pause image from the internet, but since this is an air-gapped "
            "environment, the network is unreachable.")
    assert match_json(said)["answer"] == "image-registry-unreachable"


def test_air_gapped_pulls_supposed_are_no_failure() -> None:
    said = "If one of these images does get evicted future pulls will fail for air-gapped clusters."
    assert match_json(said)["answer"] != "image-registry-unreachable"


@pytest.mark.parametrize("warned", [
    "W1018 19:47:44.637292   21571 warnings.go:70] policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+",
    "Warning: policy/v1beta1 PodSecurityPolicy is deprecated in v1.21+, unavailable in v1.25+",
])
def test_the_api_servers_deprecation_warning_is_no_removed_api(warned: str) -> None:
    assert match_json(warned)["answer"] is None


def test_a_chart_template_on_a_version_about_to_go_is_still_the_removed_api() -> None:
    lint = ("[WARNING] templates/ingress.yaml: networking.k8s.io/v1beta1 Ingress is deprecated in v1.19+, "
            "unavailable in v1.22+; use networking.k8s.io/v1 Ingress")
    assert match_json(lint)["answer"] == "api-version-removed"


def test_a_pod_in_error_after_restarts_is_a_crash_loop_between_back_offs() -> None:
    listing = "NAME                          READY   STATUS   RESTARTS   AGE\nairflow-web-76f4f49c56-65hqm  0/1     Error    2          13m\n"
    assert match_json(listing)["answer"] == "crashloop-backoff"


@pytest.mark.parametrize(("paste", "answer"), [
    (('Warning  VolumeMismatch  persistentvolume-controller  Cannot bind to requested volume "data-pv": '
      "storageClassName does not match"), "pvc-pending"),
    ("Mar 08 07:55:47 node1 kernel: memory: usage 131072kB, limit 131072kB, failcnt 2814", "oom-killed"),
    ("Pods are crashing because of read only file system for the ConfigMap mounted next to the data folder",
     "read-only-root-filesystem"),
    ("The memory grows till it reaches the max limits, then the pod gets restarted and it grows again.", "oom-killed"),
])
def test_lines_and_sentences_of_the_later_batches(paste: str, answer: str) -> None:
    assert match_json(paste)["answer"] == answer


def test_an_ingress_controller_exiting_for_its_services_missing_address_is_the_pending_load_balancer() -> None:
    log = ("F0329 16:39:47.171747       5 launch.go:125] service kube-system/nginx-ingress-lb does not (yet) have "
           "ingress points")
    assert match_json(log)["answer"] == "loadbalancer-service-pending"


def test_pods_that_fail_quota_checks_are_the_quota() -> None:
    said = "The replicasets are stuck in Error because their pods fail quota checks, they don't specify cpu/memory."
    assert match_json(said)["answer"] == "resource-quota-exceeded"


@pytest.mark.parametrize(("paste", "answer"), [
    ("fatal error: concurrent map writes\n\ngoroutine 1379 [running]:", "go-nil-pointer-panic"),
    ("panic: runtime error: index out of range [3] with length 3", "go-nil-pointer-panic"),
    ("But the pod is carshing all the time, the error is a permission problem", "crashloop-backoff"),
    ("Sometimes we see 32 times pod restarted and then it became fine.", "crashloop-backoff"),
    ("My thanos query is really slow, because of this it crashes constantly with OMM kills", "oom-killed"),
])
def test_go_runtime_crashes_and_crashes_said_with_typos(paste: str, answer: str) -> None:
    assert match_json(paste)["answer"] == answer


@pytest.mark.parametrize("said", [
    "A CoreDNS pod keeps crash looping with an error about a forwarding loop for the root domain.",
    "CoreDNS is in CrashLoopBackOff, because the /etc/resolv.conf on the node is the one created by systemd-resolved.",
])
def test_coredns_looping_through_the_nodes_resolver_said_in_words(said: str) -> None:
    assert match_json(said)["answer"] == "coredns-loop-detected"


def test_systemd_resolved_without_coredns_is_no_dns_loop() -> None:
    said = "My laptop's /etc/resolv.conf is managed by systemd-resolved and curl works."
    assert match_json(said)["answer"] != "coredns-loop-detected"


@pytest.mark.parametrize("log", [
    "[2024/01/02 10:00:00] [error] [plugins/in_tail/tail_fs.c:168 errno=24] Too many open files",
    "[2018/12/20 10:06:41] [error] [in_tail] could not register file into fs_events",
])
def test_fluent_bits_tail_out_of_inotify_is_the_inotify_limit(log: str) -> None:
    assert match_json(log)["answer"] == "inotify-limit-reached"


@pytest.mark.parametrize(("said", "answer"), [
    ("### Actual Behavior\nExternal IP pending\n", "loadbalancer-service-pending"),
    ("I get an NXDOMAIN error when trying to resolve the DNS for pods by name.", "dns-resolution-failure"),
    ("When I apply the following GNP, the pods in the two namespaces cannot talk to each other anymore.",
     "networkpolicy-blocking-traffic"),
])
def test_network_failures_said_in_words(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer


def test_a_short_name_answered_nxdomain_before_it_resolves_is_no_failure() -> None:
    said = "CoreDNS forwards the short name upstream only to get a NXDOMAIN and then eventually resolves it."
    assert match_json(said)["answer"] != "dns-resolution-failure"


@pytest.mark.parametrize(("paste", "answer"), [
    (('  7m  7m  1  {kubelet 16.186.74.94}  spec.containers{web}  Normal  Killing  Killing container with docker id '
      'e1d3670bad8c: pod "web-du1gp_default(ac3b025c-75a8-11e6-9cd1-00505697649c)" container "web" is unhealthy, '
      "it will be killed and re-created."), "liveness-probe-failed"),
    (('{"level":"error","msg":"Error scraping node metrics: the server could not find the requested resource '
      '(get nodes.metrics.k8s.io)","time":"2019-10-02T12:24:09Z"}'), "hpa-missing-metrics"),
    (('E0813 02:07:00.339450       1 reststorage.go:128] unable to fetch node metrics for node "client-master": '
      "no metrics known for node"), "hpa-missing-metrics"),
])
def test_older_kubelet_words_and_the_metrics_pipeline(paste: str, answer: str) -> None:
    assert match_json(paste)["answer"] == answer


def test_a_certificate_rotation_backing_off_is_no_job() -> None:
    log = ("E1214 07:08:57.133819       1 certificate_manager.go:318] Reached backoff limit, still unable to rotate "
           "certs: timed out waiting for the condition")
    assert match_json(log)["answer"] != "job-backoff-limit"


def test_the_old_schedulers_empty_node_list_is_no_node_ready() -> None:
    event = ("Event(api.ObjectReference{Kind:\"Pod\", Namespace:\"kube-system\", Name:\"dns-1\"}): type: 'Warning' "
             "reason: 'FailedScheduling' no nodes available to schedule pods")
    assert match_json(event)["answer"] == "node-not-ready"


def test_kubectl_validation_missing_a_kind_version_is_version_skew() -> None:
    err = ('error: error validating "web.yaml": error validating data: unknown object type schema.GroupVersionKind'
           '{Group:"apps", Version:"v1beta2", Kind:"Deployment"}; if you choose to ignore these errors, turn '
           "validation off with --validate=false")
    assert match_json(err)["answer"] == "api-version-skew"


def test_a_nil_value_in_a_manifest_is_no_version_skew() -> None:
    err = 'error: error validating "cm.yaml": error validating data: [unknown object type "nil" in ConfigMap.data.x]'
    assert match_json(err)["answer"] != "api-version-skew"


@pytest.mark.parametrize(("said", "answer"), [
    ("creation is ok but internal and external doamin name can not be resolved.", "dns-resolution-failure"),
    ('getting below error- "roles.rbac.authorization.k8s.io is forbidden: User "system:anonymous" cannot"',
     "rbac-forbidden"),
])
def test_passive_dns_failures_and_a_cut_rbac_refusal(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer


def test_a_container_killed_again_and_again_is_the_memory_limit() -> None:
    said = "I find that the operator gets killed repeatedly - before I have even added any jenkins."
    assert match_json(said)["answer"] == "oom-killed"


def test_coredns_waiting_beside_only_the_calico_operator_is_the_missing_network() -> None:
    listing = ("NAMESPACE         NAME                               READY   STATUS    RESTARTS   AGE\n"
               "kube-system       coredns-74ff55c5b-58m75            0/1     Pending   0          21m\n"
               "kube-system       etcd-node1                         1/1     Running   1          42s\n"
               "kube-system       kube-apiserver-node1               1/1     Running   1          43s\n"
               "kube-system       kube-proxy-rf4fw                   1/1     Running   0          21m\n"
               "tigera-operator   tigera-operator-d499f5c8f-xndbv    1/1     Running   1          6m5s\n")
    assert match_json(listing)["answer"] == "cni-network-plugin-not-ready"


def test_a_load_balancer_row_cut_after_its_pending_address_is_the_pending_load_balancer() -> None:
    row = "But it keeps saying pending:\nproxy-public   LoadBalancer   10.105.248.225   <pending>\n"
    assert match_json(row)["answer"] == "loadbalancer-service-pending"


@pytest.mark.parametrize(("said", "answer"), [
    ("eventually the worker will just go over its memory limit and crash", "oom-killed"),
    ("只要前端组件有访问，就会频繁出现OOM", "oom-killed"),
    ("We see frequent OOM on the frontend pods under load.", "oom-killed"),
    ("Harbor V2 installed over k8s (new installation). I see a lot of Harbor core crashes", "crashloop-backoff"),
])
def test_memory_and_crashes_said_in_a_sentence(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer
