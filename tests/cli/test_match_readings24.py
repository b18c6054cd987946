"""Readings of the twenty-fourth pass (issue 21): a node NotReady said in the same sentence as a
missing CNI, an ingress controller that cannot find a route's backend Service (Traefik's ingress-nginx
provider, APISIX), and an in-cluster client refused with an HTTP 403 on an API path or asking for
the permissions it lacks. Each case is written here from the component's format or a plain
sentence, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize("said", [
    "We bootstrapped the cluster with no CNI and the nodes stay NotReady, what is missing?",
    "all three nodes are NotReady since we set up kubeadm with no CNI",
    "the workers never become Ready; describing one shows it failed to initialize the CNI plugin",
])
def test_a_node_not_ready_beside_a_missing_cni_is_the_missing_network(said: str) -> None:
    assert match_json(said)["answer"] == "cni-network-plugin-not-ready"


def test_not_ready_alone_is_not_the_network() -> None:
    assert match_json("the node is NotReady after the kernel upgrade, kubelet keeps restarting")[
        "answer"] != "cni-network-plugin-not-ready"


@pytest.mark.parametrize("log", [
    ('{"level":"error","providerName":"kubernetesingressnginx","ingress":"web","error":"getting backend '
     'addresses: getting service: service \\"shop-api\\" not found"}'),
    ('2024-03-02T10:11:12Z  error  ingress/apisix_route.go:170  failed to translate ApisixRoute v2 '
     '{"error": "service \\"shop-api\\" not found"}'),
    'E0302 10:11:12.000001       1 ep.go:52] find endpoint shop/shop-api err: endpoints "shop-api" not found',
])
def test_an_ingress_controller_missing_a_routes_service_is_the_missing_backend(log: str) -> None:
    assert match_json(log)["answer"] == "ingress-backend-service-not-found"


def test_a_service_missing_outside_any_route_is_not_an_ingress_backend() -> None:
    missing = 'Error from server (NotFound): services "shop-api" not found'
    assert match_json(missing)["answer"] != "ingress-backend-service-not-found"


@pytest.mark.parametrize("log", [
    'level=error msg="failed to list: http error 403 GET \\"https://10.96.0.1:443/apis/apps/v1/deployments\\""',
    "WARN Failed to get pod with name [web-0]. Are you missing serviceaccount permissions?",
])
def test_an_in_cluster_client_refused_by_the_api_is_rbac(log: str) -> None:
    assert match_json(log)["answer"] == "rbac-forbidden"


def test_a_403_from_a_registry_is_not_rbac() -> None:
    pulled = 'failed to pull: unexpected status from HEAD request to https://registry.example.com/v2/app/manifests/1.0: 403 Forbidden'
    assert match_json(pulled)["answer"] != "rbac-forbidden"


@pytest.mark.parametrize("said", [
    "The pods stay in ImagePullBackOff because tag 2.7.1 is not available in the repository.",
    "We deployed a bad docker image, and the pod shows ErrImagePull since then.",
])
def test_an_image_or_tag_said_missing_beside_its_pull_failure_is_the_missing_image(said: str) -> None:
    assert match_json(said)["answer"] == "image-not-found"


def test_a_bad_image_name_is_not_a_missing_image() -> None:
    assert match_json('Failed to apply default image tag "Web:Latest": couldn\'t parse image reference '
                      '"Web:Latest": invalid reference format: repository name must be lowercase')[
        "answer"] != "image-not-found"


_HPA_HEADER = "NAMESPACE   NAME   REFERENCE        TARGETS                                   MINPODS   MAXPODS   REPLICAS   AGE\n"


def test_an_hpa_row_listed_across_namespaces_with_unknown_targets_lacks_metrics() -> None:
    table = (_HPA_HEADER
             + "shop        web    Deployment/web   cpu: 12%/80%, memory: 40%/80%             2         9         2          3d\n"
             + "shop        api    Deployment/api   cpu: <unknown>/80%, memory: <unknown>/80%   2         9         2          21h\n")
    assert match_json(table)["answer"] == "hpa-missing-metrics"


@pytest.mark.parametrize("said", [
    'the HPA shows a status "unknown/60%" all the time',
    "The HorizontalPodAutoscaler never scales because the deployments are missing requests for cpu.",
    'Error from server (NotFound): the server could not find the metric http_requests_per_second for pods',
])
def test_targets_said_unknown_or_pods_without_requests_or_no_custom_metric_lack_metrics(said: str) -> None:
    assert match_json(said)["answer"] == "hpa-missing-metrics"


_HPA_ROWS = ("NAME   REFERENCE            TARGETS            MINPODS   MAXPODS   REPLICAS   AGE\n"
             "web    StatefulSet/web      {targets}   4         6         {replicas}          4h21m\n")


def test_an_hpa_at_its_maximum_with_load_above_target_is_maxed_out() -> None:
    assert match_json(_HPA_ROWS.format(targets="113%/60%, 2%/70%", replicas="6"))["answer"] == "hpa-maxed-out"


@pytest.mark.parametrize(("targets", "replicas"), [("113%/60%, 2%/70%", "5"), ("41%/60%, 2%/70% ", "6")])
def test_an_hpa_below_its_maximum_or_under_target_is_no_problem(targets: str, replicas: str) -> None:
    assert match_json(_HPA_ROWS.format(targets=targets, replicas=replicas))["answer"] is None


@pytest.mark.parametrize("said", [
    "We get a lot of evicted worker pods on GKE since the upgrade.",
    "These pods get evicted first when the node runs low on memory, they have no requests.",
])
def test_pods_said_evicted_for_the_nodes_resources_are_evictions(said: str) -> None:
    assert match_json(said)["answer"] == "pod-evicted"


def test_pods_evicted_by_a_drain_are_not_node_pressure() -> None:
    assert match_json("kubectl drain node-3 --ignore-daemonsets, the pods were evicted and rescheduled fine")[
        "answer"] != "pod-evicted"


def test_nodes_said_never_scaled_down_are_the_autoscaler_keeping_them() -> None:
    said = "Under-utilized nodes with local PVs are never scaled down by the cluster autoscaler."
    assert match_json(said)["answer"] == "cluster-autoscaler-no-scale-down"


@pytest.mark.parametrize(("line", "answer"), [
    ('standard_init_linux.go:211: exec user process caused "permission denied"\ncontainer exited',
     "container-entrypoint-permission-denied"),
    ("CrashLoopBackOff\n./docker-entrypoint.sh: line 9: exec: gunicorn: not found", "executable-not-found"),
])
def test_old_runc_and_a_shells_exec_name_why_the_entrypoint_did_not_start(line: str, answer: str) -> None:
    assert match_json(line)["answer"] == answer


def test_a_sandbox_whose_pause_image_cannot_be_looked_up_is_the_unreachable_registry() -> None:
    event = ('Warning  FailedCreatePodSandBox  91s  kubelet  Failed to create pod sandbox: rpc error: code = Unknown '
             'desc = failed to get sandbox image "registry.k8s.io/pause:3.9": failed to pull image '
             '"registry.k8s.io/pause:3.9": failed to pull and unpack image "registry.k8s.io/pause:3.9": failed to '
             'resolve reference "registry.k8s.io/pause:3.9": failed to do request: Head '
             '"https://registry.k8s.io/v2/pause/manifests/3.9": dial tcp: lookup registry.k8s.io on 10.0.0.2:53: '
             'no such host')
    assert match_json(event)["answer"] == "image-registry-unreachable"


@pytest.mark.parametrize("line", [
    ('E0301 10:00:00.000000    5330 cache_images.go:85] CacheImage registry.example.com/web:1.6.2 failed: '
     'MANIFEST_UNKNOWN: "Failed to fetch \\"1.6.2\\" from request \\"/v2/web/manifests/1.6.2\\"."'),
    "Error: NAME_UNKNOWN: repository name not known to registry",
])
def test_a_registrys_diagnostic_code_for_a_missing_image_is_the_missing_image(line: str) -> None:
    assert match_json(line)["answer"] == "image-not-found"


def test_a_registry_token_refused_to_a_digest_resolver_is_an_unauthorized_pull() -> None:
    message = ('Unable to fetch image "registry.example.com:5000/team/web": failed to resolve image to digest: '
               'GET https://registry.example.com:5000/v2/token?scope=repository%3Ateam%2Fweb%3Apull: '
               'unexpected status code 401 Unauthorized')
    assert match_json(message)["answer"] == "image-pull-unauthorized"


@pytest.mark.parametrize("said", [
    "I changed the claims to use the default class, but the pvcs didn't bound to the volumes",
    "the claims are still unbound after ten minutes",
])
def test_claims_said_never_bound_are_pending_claims(said: str) -> None:
    assert match_json(said)["answer"] == "pvc-pending"


def test_a_claim_bound_is_no_pending_claim() -> None:
    assert match_json("the pvc got bound after I created the storage class, all good now")["answer"] is None


def test_componentstatuses_showing_the_scheduler_unhealthy_names_the_scheduler() -> None:
    table = ("NAME                 STATUS      MESSAGE                                                                   ERROR\n"
             "scheduler            Unhealthy   Get http://127.0.0.1:10251/healthz: dial tcp 127.0.0.1:10251: connect: connection refused\n"
             'etcd-0               Healthy     {"health":"true"}\n')
    assert match_json(table)["answer"] == "scheduler-not-running"


def test_componentstatuses_all_healthy_is_no_problem() -> None:
    table = ("NAME                 STATUS    MESSAGE             ERROR\n"
             "scheduler            Healthy   ok\n"
             "controller-manager   Healthy   ok\n"
             'etcd-0               Healthy   {"health":"true"}\n')
    assert match_json(table)["answer"] is None


def test_kubectl_unable_to_read_the_servers_schema_is_version_skew() -> None:
    line = "error: SchemaError(io.k8s.api.apps.v1.DeploymentSpec): invalid object doesn't have additional properties"
    assert match_json(line)["answer"] == "api-version-skew"


@pytest.mark.parametrize("said", [
    "our k8s nodes not ready after the install, kubelet runs",
    "the vms come up but the nodes never reach the Ready state",
])
def test_nodes_said_not_ready_without_a_verb_or_never_ready_are_not_ready(said: str) -> None:
    assert match_json(said)["answer"] == "node-not-ready"


def test_a_phase_named_nodes_not_ready_yet_that_passed_is_no_problem() -> None:
    said = "After setting the routing mode it provisioned and was no longer stuck in the `Control plane nodes not ready yet` phase."
    assert match_json(said)["answer"] is None


def test_a_provisioner_helper_that_cannot_make_the_claims_directory_leaves_it_pending() -> None:
    line = ("mkdir: can't create directory '/opt/local-path-provisioner/pvc-1b8861df-d48a-4701-b8fe-2f7cf878e3fa_default_data':"
            " Permission denied")
    assert match_json(line)["answer"] == "pvc-pending"


@pytest.mark.parametrize(("cause", "answer"), [
    ("rpc error: code = DeadlineExceeded desc = context deadline exceeded", "csi-attach-timeout"),
    ("rpc error: code = Internal desc = failed to publish volume: cannot perform operation because server is locked",
     "volume-mount-failed"),
])
def test_a_failed_attach_is_read_by_its_cause(cause: str, answer: str) -> None:
    event = ('Warning  FailedAttachVolume  2m  attachdetach-controller  AttachVolume.Attach failed for volume '
             f'"pvc-183d5148-ae93-4a7a-9b1a-e29cfa965411" : {cause}')
    assert match_json(event)["answer"] == answer


def test_a_mount_that_fails_growing_the_filesystem_is_the_failed_resize() -> None:
    event = ('Warning  FailedMount  46s (x8 over 114s)  kubelet  MountVolume.Setup failed while expanding volume for volume '
             '"pvc-3af31c91-7aa6-4433-b5c5-4a1d720921d8" : Expander.NodeExpand failed to expand the volume : rpc error: '
             'code = Internal desc = failed to resize volume: exit status 1')
    assert match_json(event)["answer"] == "pvc-volume-resize-failed"


_ALL_PODS = ("NAMESPACE     NAME                               READY   STATUS              RESTARTS   AGE\n"
             "kube-system   coredns-5d78c9869d-4xk2p           0/1     {state}   0          9m\n"
             "kube-system   coredns-5d78c9869d-q8wzt           0/1     {state}   0          9m\n"
             "kube-system   etcd-cp-1                          1/1     Running             0          9m\n"
             "kube-system   {apiserver}   1/1     Running             0          9m\n"
             "kube-system   kube-proxy-7lq2d                   1/1     Running             0          9m\n"
             "{extra}")


@pytest.mark.parametrize("state", ["Pending          ", "ContainerCreating"])
def test_a_kubeadm_cluster_listing_coredns_waiting_and_no_network_add_on_lacks_its_cni(state: str) -> None:
    listing = _ALL_PODS.format(state=state, apiserver="kube-apiserver-cp-1            ", extra="")
    assert match_json(listing)["answer"] == "cni-network-plugin-not-ready"


def test_coredns_waiting_beside_a_network_add_on_is_not_a_missing_cni() -> None:
    calico = "kube-system   calico-node-x8r2v                  0/1     Running             0          9m\n"
    listing = _ALL_PODS.format(state="ContainerCreating", apiserver="kube-apiserver-cp-1            ", extra=calico)
    assert match_json(listing)["answer"] != "cni-network-plugin-not-ready"


def test_coredns_waiting_on_a_cluster_without_static_control_plane_pods_is_not_a_missing_cni() -> None:
    listing = _ALL_PODS.format(state="Pending          ", apiserver="local-path-provisioner-6c86-xx", extra="")
    assert match_json(listing)["answer"] != "cni-network-plugin-not-ready"


@pytest.mark.parametrize("line", [
    "Error: ENOSPC: System limit for number of file watchers reached, watch '/app/public'",
    "Error: watch /code/node_modules/lodash/index.js ENOSPC at FSWatcher.start (fs.js:1382:19)",
])
def test_node_out_of_file_watchers_is_the_inotify_limit(line: str) -> None:
    assert match_json(line)["answer"] == "inotify-limit-reached"


def test_a_worker_exited_on_signal_11_is_a_segfault() -> None:
    line = "2021/02/22 22:30:18 [alert] 27#27: worker process 38 exited on signal 11 (core dumped)"
    assert match_json(line)["answer"] == "exit-code-139-segfault"


def test_a_job_bash_reports_killed_inside_a_container_is_the_oom_kill() -> None:
    log = ("ERROR 2013 (HY000) at line 1: Lost connection to MySQL server during query\n"
           '/scripts/start.sh: line 394:   472 Killed                  "$@" --skip-networking --socket=/tmp/mysqld.sock\n')
    assert match_json(log)["answer"] == "oom-killed"


def test_the_autoscaler_counting_zero_unschedulable_pods_is_no_cordoned_node() -> None:
    idle = ("I0917 20:18:09.691194       1 filter_out_schedulable.go:83] No schedulable pods\n"
            "I0917 20:18:09.691218       1 filter_out_daemon_sets.go:49] Filtered out 0 daemon set pods, 0 unschedulable pods left\n")
    assert match_json(idle)["answer"] is None


def test_docker_hub_said_rate_limited_beside_a_pull_back_off_is_the_rate_limit() -> None:
    said = "The member pod sits in ImagePullBackOff since the docker hub's rate limited us."
    assert match_json(said)["answer"] == "image-pull-rate-limited"


@pytest.mark.parametrize(("line", "answer"), [
    ('dockerd[1087]: level=error msg="Not continuing with pull after error" error="manifest unknown: Requested entity was not found."',
     "image-not-found"),
    ("Events show an infinite sequence of Unhealthy -> Killing -> Created on the broker pod.", "liveness-probe-failed"),
    ("The replica keeps restarting every few minutes after receiving a SIGTERM signal.", "exit-code-143-sigterm"),
    ('err="rpc error: code = Internal desc = failed to publish volume: exit status 1\\nmke2fs 1.45.7 (28-Jan-2021)"',
     "volume-mount-failed"),
    ('nginx: [emerg] host not found in upstream "api" in /etc/nginx/nginx.conf:17', "dns-resolution-failure"),
    ("kernel: python3 invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0", "oom-killed"),
    ("The cloud controller manager isn't removing the taint, so coredns never runs on the new nodes.",
     "pending-untolerated-taint"),
    ("We found a 401 error response for pulling from ECR while the control plane was built.", "image-pull-unauthorized"),
])
def test_twenty_fourth_pass_formats_and_words(line: str, answer: str) -> None:
    assert match_json(line)["answer"] == answer


def test_a_pull_throttled_by_docker_hub_is_the_limit_not_a_missing_image() -> None:
    paste = ("I got throttled by docker hub:\n"
             'Failed to pull image "docker.io/kindest/kindnetd:v1": rpc error: code = NotFound desc = failed to pull and '
             'unpack image "docker.io/kindest/kindnetd:v1": failed to unpack image on snapshotter overlayfs: unexpected '
             "media type text/html for sha256:c3943df42b45\n")
    assert match_json(paste)["answer"] == "image-pull-rate-limited"


def test_pod_ips_said_starved_is_the_pod_network_out_of_addresses() -> None:
    assert match_json("After the node pool update pods are not being created because of IP starvation.")[
        "answer"] == "cni-sandbox-failed"


def test_a_pull_back_off_beside_the_nodes_missing_ecr_read_policy_is_an_unauthorized_pull() -> None:
    said = ("The managed policy arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly is missing from the node role.\n"
            "This causes an ImagePullBackOff during any image pull from our ECR registry.")
    assert match_json(said)["answer"] == "image-pull-unauthorized"


@pytest.mark.parametrize(("said", "answer"), [
    ("The cluster autoscaler is not scaling up the cluster once every node is at pod capacity.",
     "cluster-autoscaler-no-scale-up"),
    ("During the Helm upgrade this causes the admission webhooks to fail while the single pod is replaced.",
     "admission-webhook-failed"),
    ("The agents are unable to be spun up due to the taint on the node pool.", "pending-untolerated-taint"),
])
def test_autoscaler_webhook_and_taint_failures_said_in_words(said: str, answer: str) -> None:
    assert match_json(said)["answer"] == answer
