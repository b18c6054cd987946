"""Readings of the twentieth pass (issue 21): fields, restarts and a tool's own message read for
what they state. Each case is written from a component's format, not copied from the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_ids, match_json


def test_an_object_with_no_events_and_no_phase_is_no_pod_left_pending() -> None:
    """`Events: <none>` under any describe is boilerplate: the pod entry's "Status: Pending" is the
    point, and a ManagedCertificate or a custom resource that never says it is no unscheduled pod."""
    describe = ('The certificate was created but nothing happens. When I describe it there is no "status"'
                ' section at all and "Events" is none:\n'
                "Name:         site-cert\n"
                "Namespace:    default\n"
                "Kind:         ManagedCertificate\n"
                "Spec:\n"
                "  Domains:\n"
                "    shop.example.com\n"
                "Events:       <none>\n")
    assert match_json(describe)["answer"] is None


def test_restarts_of_a_container_running_and_ready_are_no_crash_loop() -> None:
    """A pod that restarted days ago and is Running 1/1 now is not looping; the pods that cannot
    pull their image are the problem, and the restart count must not make a crash loop of it."""
    table = ("NAME                         READY   STATUS             RESTARTS        AGE\n"
             "pod/frontend-7d9f8c6b5-2kq9x   0/1     ImagePullBackOff   0               5m\n"
             "pod/frontend-7d9f8c6b5-8w2lp   0/1     ImagePullBackOff   0               5m\n"
             "pod/batch-runner-5c4d7-x8z2q   1/1     Running            7 (10m ago)     2d1h\n")
    body = match_json(table)
    assert body["answer"] != "crashloop-backoff"
    looping = table.replace("1/1     Running            7 (10m ago)", "0/1     Running            7 (10m ago)")
    assert "crashloop-backoff" in match_ids(match_json(looping))


def test_skaffolds_waiting_container_is_no_kubectl_logs_refusal() -> None:
    """skaffold's status check names the container bare and the image it cannot pull: an image pull
    failing, not `kubectl logs` refused by the API server (which quotes both names)."""
    skaffold = (" - deployment/shop-api: container shop-api is waiting to start:"
                " registry.example.com/shop/api:4f2a1c0 can't be pulled\n")
    assert "kubectl-logs-container-waiting" not in match_ids(match_json(skaffold))
    kubectl = ('Error from server (BadRequest): container "shop-api" in pod "shop-api-5d8c9" is waiting to'
               " start: ContainerCreating\n")
    assert match_json(kubectl)["answer"] == "kubectl-logs-container-waiting"


def test_a_pull_that_never_waited_is_no_serialized_pull() -> None:
    """The kubelet's "in %v (%v including waiting)": a big image downloading for a minute and a
    half is no pull queued behind another; minutes of waiting on a pull of seconds is."""
    downloaded = ('Normal   Pulled     7m20s   kubelet   Successfully pulled image "shop/web:2.4.1" in'
                  " 1m31.208s (1m31.208s including waiting). Image size: 623993624 bytes.\n")
    assert match_json(downloaded)["answer"] is None
    queued = ('Normal   Pulled     7m20s   kubelet   Successfully pulled image "shop/web:2.4.1" in'
              " 2.108s (4m12.550s including waiting). Image size: 23993624 bytes.\n")
    assert match_json(queued)["answer"] == "serialized-image-pulls"


def test_a_denial_of_something_else_near_the_kill_still_reports_the_kill() -> None:
    assert match_json("The db-init Job never ends because of OOMKilled.\n")["answer"] == "oom-killed"
    assert match_json("Since we raised the limit nothing has been OOM killed.\n")["answer"] is None


@pytest.mark.parametrize(("table", "healthy"), [
    # a Gateway's Programmed condition printed as a column
    (("$ kubectl get gateway -A\n"
      "NAMESPACE   NAME         CLASS   ADDRESS   PROGRAMMED   AGE\n"
      "edge        public-gw    istio             False        25m\n"),
     ("istio             False", "istio   10.0.0.7  True ")),
    # a GatewayClass no controller accepted
    (("$ kubectl get gatewayclass\n"
      "NAME    CONTROLLER                         ACCEPTED   AGE\n"
      "edge    example.net/gateway-controller     Unknown    14m\n"),
     ("Unknown    14m", "True       14m")),
])
def test_a_custom_resources_condition_column_is_the_condition(table: str, healthy: tuple[str, str]) -> None:
    """`kubectl get` prints a Gateway API object's condition as a column: False (or a class no
    controller ever accepted) there is the condition as a describe would say it."""
    assert match_json(table)["answer"] == "gateway-not-programmed"
    assert match_json(table.replace(*healthy))["answer"] is None


def test_probes_called_checks_are_the_probes() -> None:
    assert match_json("After the upgrade the liveness checks keep failing and the pod restarts.\n")["answer"] == \
        "liveness-probe-failed"
    both = match_json("Since 2.3 the readiness and liveness checks always fail.\n")
    assert {"liveness-probe-failed", "readiness-probe-failed"} <= set(match_ids(both))
    assert match_json("The liveness check passes and the pod is Ready.\n")["answer"] is None


def test_an_image_not_found_where_images_are_kept_is_a_missing_image() -> None:
    said = "The pod never starts: image 'registry.example.com/team/api:v3.1.0' not found in repository.\n"
    assert match_json(said)["answer"] == "image-not-found"
    assert match_json("The image pull secret was not found in the namespace.\n")["answer"] != "image-not-found"


def test_mount_nfs_says_why_the_kubelets_mount_failed() -> None:
    """mount.nfs's own error after the kubelet's "Output:" decides: a server out of reach is the
    mount failing, a refused export is the export, never a missing NFS client."""
    wrapper = ('MountVolume.SetUp failed for volume "nfs-client-root" : mount failed: exit status 32 Mounting'
               " command: systemd-run Mounting arguments: --description=Kubernetes transient mount for"
               " /var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/nfs-client-root --scope -- mount -t nfs"
               " 10.0.0.5:/exports/shared /var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/nfs-client-root"
               " Output: Running scope as unit run-r41.scope. mount.nfs: {}\n")
    assert match_json(wrapper.format("Connection timed out"))["answer"] == "volume-mount-failed"
    denied = match_json(wrapper.format("access denied by server while mounting 10.0.0.5:/exports/shared"))
    assert denied["answer"] == "nfs-access-denied"


def test_a_claim_the_kubelet_finds_unbound_is_a_pending_claim() -> None:
    """The volume manager's "error processing PVC %s/%s: %v" names why it cannot mount: a claim not
    bound is the claim's problem (Pending), not a mount that failed."""
    event = ("Warning  FailedMount  2m  kubelet  Unable to attach or mount volumes: unmounted volumes=[cache],"
             " unattached volumes=[], failed to process volumes=[cache]: error processing PVC shop/cache-web-0:"
             " PVC is not bound\n")
    assert match_json(event)["answer"] == "pvc-pending"


def test_the_shared_mounter_and_the_runtime_say_their_failures() -> None:
    """mount-utils' mkfs failure (a CSI node plugin's or the kubelet's log) and containerd's OOM
    event are components' messages, read by their formats."""
    mkfs = ('E0807 05:42:12.928903   32719 mount_linux.go:455] format of disk "/dev/sdc" failed:'
            ' type:("ext4") target:("/var/lib/kubelet/plugins/kubernetes.io/csi/pv/data/globalmount")'
            ' options:("defaults") errcode:(exit status 1) output:(mke2fs 1.46.5 (30-Dec-2021)\n')
    assert match_json(mkfs)["answer"] == "volume-mount-failed"
    oom = ('Nov 01 22:29:11 worker-3 containerd[2607]: time="2021-11-01T22:29:11.077222482Z" level=info'
           ' msg="TaskOOM event &TaskOOM{ContainerID:593be5300ee37dfc83ddc02a4d575fb91c0e17ae1e7bfbc4074b2ac15baf229a,'
           'XXX_unrecognized:[],}"\n')
    assert match_json(oom)["answer"] == "oom-killed"


def test_a_service_said_to_stay_pending_is_a_load_balancer_never_provisioned() -> None:
    """A Service has no phase; only a LoadBalancer's EXTERNAL-IP waits (<pending>)."""
    for said in ("After the install the ingress service gets stuck in Pending state.\n",
                 "The External IP is never getting assigned to the gateway service.\n"):
        assert match_json(said)["answer"] == "loadbalancer-service-pending"
    assert match_json("The service-proxy pods are Pending on two nodes.\n")["answer"] != \
        "loadbalancer-service-pending"


def test_kubectl_failing_to_look_up_the_api_servers_name_is_the_api_server_unreachable() -> None:
    """Go's DNSError names the resolver it asked ("lookup <name> on <server>: no such host"): the
    client cannot find its API server, no Pod's cluster DNS."""
    line = "Unable to connect to the server: dial tcp: lookup api.prod.example.net on 10.0.0.2:53: no such host\n"
    assert match_json(line)["answer"] == "kubectl-apiserver-unreachable-timeout"


def test_a_tolerations_list_cut_from_its_header_is_no_taint() -> None:
    """`key:Effect op=Exists` is how describe prints a toleration (no taint has an operator): a
    DaemonSet's tolerations of pressure taints say nothing about any node."""
    cut = ("                             node.kubernetes.io/disk-pressure:NoSchedule op=Exists\n"
           "                             node.kubernetes.io/pid-pressure:NoSchedule op=Exists\n"
           "                             node.kubernetes.io/unreachable:NoExecute op=Exists\n"
           "Events:\n"
           "  Type     Reason            Age                  From                  Message\n"
           "  ----     ------            ----                 ----                  -------\n"
           "  Normal   SuccessfulCreate  12m                  daemonset-controller  Created pod: agent-7xk2p\n")
    assert match_json(cut)["answer"] is None
