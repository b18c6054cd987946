"""The node's components' message formats (intents/messages/data: kubelet, the container runtimes,
the registry, the kernel, systemd, Go's runtime and exec).

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import explained, match_json
from tests.readings.cases import Case, check

CASES = [
    # up to 1.20: klog.Warningf("Failed to admit pod %s - node has conditions: %v")
    Case(
        (
            "W0317 12:44:46.790798 2278 eviction_manager.go:159] Failed to admit pod web-0_default(b63b1ee0) "
            "- node has conditions: [DiskPressure]"
        ),
        answer="node-disk-pressure",
        confidence="high",
        why="a pod refused for a node condition is answered by that condition",
    ),
    # since 1.21: klog.InfoS("Failed to admit pod to node", "pod", ..., "nodeCondition", ...)
    Case(
        (
            'I0317 12:44:46.790798 2278 eviction_manager.go:170] "Failed to admit pod to node" '
            'pod="default/web-0" nodeCondition=[MemoryPressure]'
        ),
        answer="node-memory-pressure",
        confidence="high",
        why="a pod refused for a node condition is answered by that condition",
    ),
    Case(
        (
            "error pulling image configuration: toomanyrequests: Too Many Requests. Please see "
            "https://docs.docker.com/docker-hub/download-rate-limit/\n"
        ),
        answer="image-pull-rate-limited",
        why="the registry s rate limit code is read whatever its message",
    ),
    Case(
        (
            'Failed to pull image "quay.io/example/web:1.0": rpc error: code = Unknown desc = '
            "toomanyrequests: too many requests\n"
        ),
        answer="image-pull-rate-limited",
        why="the registry s rate limit code is read whatever its message",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/acme/web:edge": image pull failed for '
            "registry.example.com/acme/web:edge, details: (Error: image acme/web:edge not found)\n"
        ),
        answer="image-not-found",
        why="docker s v1 pull error names the missing image",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/team/api:1.4": failed to resolve reference '
            '"registry.example.com/team/api:1.4": pulling from host registry.example.com failed with status '
            "code [manifests 1.4]: 401 Unauthorized"
        ),
        answer="image-pull-unauthorized",
        why="containerd pulling from host is read by its status",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/team/api:1.4": failed to resolve reference '
            '"registry.example.com/team/api:1.4": pulling from host registry.example.com failed with status '
            "code [manifests 1.4]: 403 Forbidden"
        ),
        answer="image-pull-unauthorized",
        why="containerd pulling from host is read by its status",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/team/api:1.4": failed to resolve reference '
            '"registry.example.com/team/api:1.4": pulling from host registry.example.com failed with status '
            "code [manifests 1.4]: 404 Not Found"
        ),
        answer="image-not-found",
        why="containerd pulling from host is read by its status",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/team/api:1.4": failed to resolve reference '
            '"registry.example.com/team/api:1.4": pulling from host registry.example.com failed with status '
            "code [manifests 1.4]: 429 Too Many Requests"
        ),
        answer="image-pull-rate-limited",
        why="containerd pulling from host is read by its status",
    ),
    Case(
        (
            'Failed to pull image "worker:v2": rpc error: code = Unknown desc = Error response from daemon: '
            "repository worker not found: does not exist or no pull access"
        ),
        answer="image-not-found",
        why="dockers repository not found is a missing image",
    ),
    Case(
        (
            'I0301 10:00:00.000000   4242 authcode.go:56] could not open the browser: exec: "xdg-open": '
            "executable file not found in $PATH\n"
        ),
        answer=None,
        why="go s exec error from a client tool is no container start failure",
    ),
    # external-attacher's csi_handler.go, printf form and klog's structured form
    Case(
        (
            'I0412 08:01:02.000000       1 csi_handler.go:251] Error processing "csi-5e1f": failed to '
            "attach: rpc error: code = DeadlineExceeded desc = context deadline exceeded\n"
        ),
        answer="csi-attach-timeout",
        why="a csi call that failed is read by its stage",
    ),
    # the attach failed because another instance holds the disk: the cause leads
    Case(
        (
            'I0412 08:01:02.000000       1 csi_handler.go:251] "Error processing" '
            'VolumeAttachment="csi-5e1f" err="failed to attach: rpc error: code = Internal desc = disk d-1 '
            'is attached to another instance"\n'
        ),
        answer="volume-multi-attach",
        why="a csi call that failed is read by its stage",
    ),
    Case(
        (
            'I0412 08:01:02.000000       1 csi_handler.go:283] Error processing "csi-5e1f": failed to '
            "detach: rpc error: code = Internal desc = could not detach disk d-1 from instance i-9\n"
        ),
        answer="volume-attachment-stuck-deleting",
        why="a csi call that failed is read by its stage",
    ),
    # a CSI plugin's own log names the spec's call that failed
    Case(
        (
            "E0412 08:01:02.000000       1 utils.go:81] NodeStageVolume failed: rpc error: code = Internal "
            "desc = format of disk /dev/sdc failed\n"
        ),
        answer="volume-mount-failed",
        why="a csi call that failed is read by its stage",
    ),
    Case(
        (
            '{"level":"error","method":"/csi.v1.Controller/ControllerUnpublishVolume","error":"rpc error: '
            'code = Unavailable desc = backend unreachable"}\n'
        ),
        answer="volume-attachment-stuck-deleting",
        why="a csi call that failed is read by its stage",
    ),
    Case(
        (
            "E0412 08:01:02.000000       1 server.go:40] ControllerExpandVolume: err: rpc error: code = "
            "OutOfRange desc = requested size exceeds the pool\n"
        ),
        answer="pvc-volume-resize-failed",
        why="a csi call that failed is read by its stage",
    ),
    Case(
        (
            "I0412 08:01:02.000000       1 utils.go:77] GRPC call: /csi.v1.Node/NodePublishVolume\n"
            "I0412 08:01:02.100000       1 utils.go:83] GRPC response: {}\n"
        ),
        answer=None,
        why="the grpc call line alone is not a failure",
    ),
    Case(
        (
            '2024-03-01T10:00:00Z\tERROR\tReconciler error\t{"controller": "widget", "error": "widget spec.size '
            'must be positive"}\n'
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).reconcileHandler\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:324\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).processNextWorkItem\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:265\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Start.func2.2\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:226\n"
        ),
        not_answer="go-nil-pointer-panic",
        why="the stack a reconcile error log carries is no panic",
    ),
    Case(
        (
            "panic: runtime error: index out of range [3] with length 3\n"
            "\n"
            "goroutine 212 [running]:\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).reconcileHandler\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:324\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).processNextWorkItem\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:265\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Start.func2.2\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:226\n"
        ),
        answer="go-nil-pointer-panic",
        why="a panic is read by its message not by its goroutine header",
    ),
    Case(
        (
            "panic: failed to start the certificate watcher: too many open files\n"
            "\n"
            "goroutine 212 [running]:\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).reconcileHandler\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:324\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).processNextWorkItem\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:265\n"
            "sigs.k8s.io/controller-runtime/pkg/internal/controller.(*Controller).Start.func2.2\n"
            "\t/go/pkg/mod/sigs.k8s.io/controller-runtime@v0.15.0/pkg/internal/controller/controller.go:226\n"
        ),
        not_answer="go-nil-pointer-panic",
        why="a panic is read by its message not by its goroutine header",
    ),
    Case(
        (
            'Error syncing pod, skipping: failed to "CreatePodSandbox" for "web-0_default(8c1f)" with '
            'CreatePodSandboxError: "CreatePodSandbox for pod \\"web-0_default(8c1f)\\" failed: rpc error: '
            'code = 2 desc = failed to start sandbox container for pod \\"web-0\\": Error response from '
            'daemon: mountpoint for cgroup not found"\n'
        ),
        answer="cni-sandbox-failed",
        why="the older kubelet wording of a failed sandbox is the sandbox failure",
    ),
    # containerd inside the kubelet's message
    Case(
        (
            'Failed to pull image "quay.io/org/app:1.2": rpc error: code = Unknown desc = failed to pull and '
            'unpack image "quay.io/org/app:1.2": failed to resolve reference "quay.io/org/app:1.2": failed '
            'to do request: Head "https://quay.io/v2/org/app/manifests/1.2": dial tcp: lookup quay.io on '
            "10.0.0.2:53: no such host\n"
        ),
        answer="image-registry-unreachable",
        why="a name lookup failing inside an image pull is the registry unreachable",
    ),
    # kuberuntime_image.go's log line (1.5-1.20) around dockerd
    Case(
        (
            'E1029 02:07:47.993663    1717 kuberuntime_image.go:51] Pull image "k8s.gcr.io/echoserver:1.4" '
            "failed: rpc error: code = Unknown desc = Error response from daemon: Get "
            "https://k8s.gcr.io/v2/: dial tcp: lookup k8s.gcr.io on 192.168.49.1:53: read udp "
            "192.168.49.2:48049->192.168.49.1:53: i/o timeout\n"
        ),
        answer="image-registry-unreachable",
        why="a name lookup failing inside an image pull is the registry unreachable",
    ),
    # remote_image.go, structured (1.21 on)
    Case(
        (
            'E1119 10:04:54.333462   12892 remote_image.go:242] "PullImage from image service failed" '
            'err="rpc error: code = Unknown desc = failed to pull and unpack image '
            '\\"docker.io/library/web:1.0\\": failed to resolve reference \\"docker.io/library/web:1.0\\": '
            'failed to do request: Head \\"https://registry-1.docker.io/v2/library/web/manifests/1.0\\": dial '
            'tcp: lookup registry-1.docker.io on 10.0.0.2:53: server misbehaving" '
            'image="docker.io/library/web:1.0"\n'
        ),
        answer="image-registry-unreachable",
        why="a name lookup failing inside an image pull is the registry unreachable",
    ),
    Case(
        (
            'failed to resolve reference "registry.example.com/team/api:1.4": unexpected status from HEAD '
            "request to https://registry.example.com/v2/team/api/manifests/1.4: 401 Unauthorized\n"
        ),
        answer="image-pull-unauthorized",
        why="containerds unexpected status is decided by the status",
    ),
    Case(
        (
            'failed to resolve reference "registry.example.com/team/api:1.4": unexpected status from HEAD '
            "request to https://registry.example.com/v2/team/api/manifests/1.4: 404 Not Found\n"
        ),
        answer="image-not-found",
        why="containerds unexpected status is decided by the status",
    ),
    Case(
        (
            'failed to resolve reference "registry.example.com/team/api:1.4": unexpected status from HEAD '
            "request to https://registry.example.com/v2/team/api/manifests/1.4: 429 Too Many Requests\n"
        ),
        answer="image-pull-rate-limited",
        why="containerds unexpected status is decided by the status",
    ),
    Case(
        (
            'MountVolume.SetUp failed for volume "nfs-client-root" : mount failed: exit status 32 Mounting '
            "command: systemd-run Mounting arguments: --description=Kubernetes transient mount for "
            "/var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/nfs-client-root --scope -- mount -t nfs "
            "10.0.0.5:/exports/shared /var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/nfs-client-root "
            "Output: Running scope as unit run-r41.scope. mount.nfs: Connection timed out\n"
        ),
        answer="nfs-server-unreachable",
        why="mount nfs says why the kubelets mount failed",
    ),
    Case(
        (
            'MountVolume.SetUp failed for volume "nfs-client-root" : mount failed: exit status 32 Mounting '
            "command: systemd-run Mounting arguments: --description=Kubernetes transient mount for "
            "/var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/nfs-client-root --scope -- mount -t nfs "
            "10.0.0.5:/exports/shared /var/lib/kubelet/pods/0f1e/volumes/kubernetes.io~nfs/nfs-client-root "
            "Output: Running scope as unit run-r41.scope. mount.nfs: access denied by server while mounting "
            "10.0.0.5:/exports/shared\n"
        ),
        answer="nfs-access-denied",
        why="mount nfs says why the kubelets mount failed",
    ),
    Case(
        (
            'E0807 05:42:12.928903   32719 mount_linux.go:455] format of disk "/dev/sdc" failed: '
            'type:("ext4") target:("/var/lib/kubelet/plugins/kubernetes.io/csi/pv/data/globalmount") '
            'options:("defaults") errcode:(exit status 1) output:(mke2fs 1.46.5 (30-Dec-2021)\n'
        ),
        answer="volume-mount-failed",
        why="the shared mounter and the runtime say their failures",
    ),
    Case(
        (
            'Nov 01 22:29:11 worker-3 containerd[2607]: time="2021-11-01T22:29:11.077222482Z" level=info '
            'msg="TaskOOM event &TaskOOM{ContainerID:593be5300ee37dfc83ddc02a4d575fb91c0e17ae1e7bfbc4074b2ac1'
            '5baf229a,XXX_unrecognized:[],}"\n'
        ),
        answer="oom-killed",
        why="the shared mounter and the runtime say their failures",
    ),
    Case(
        (
            "kubelet[1822]: error: failed to run Kubelet: cannot create certificate signing request: Post "
            "https://172.16.0.10:6443/apis/certificates.k8s.io/v1beta1/certificatesigningrequests: dial tcp "
            "172.16.0.10:6443: getsockopt: connection refused"
        ),
        answer="kubectl-apiserver-connection-refused",
        why="the kubelet bootstrap failing its csr is what the request met",
    ),
    Case(
        (
            "kubelet[1822]: error: failed to run Kubelet: cannot create certificate signing request: Post "
            "https://172.16.0.10:6443/apis/certificates.k8s.io/v1beta1/certificatesigningrequests: dial tcp "
            "172.16.0.10:6443: i/o timeout"
        ),
        answer="kubectl-apiserver-unreachable-timeout",
        why="the kubelet bootstrap failing its csr is what the request met",
    ),
    Case(
        (
            "kubelet[1822]: error: failed to run Kubelet: cannot create certificate signing request: "
            'certificatesigningrequests.certificates.k8s.io is forbidden: User "system:anonymous" cannot '
            "create certificatesigningrequests.certificates.k8s.io at the cluster scope"
        ),
        answer="rbac-forbidden",
        why="the kubelet bootstrap failing its csr is what the request met",
    ),
    Case(
        (
            'Error syncing pod, skipping: failed to "StartContainer" for "api" with RunContainerError: '
            '"GenerateRunContainerOptions: secrets \\"api-db\\" not found"'
        ),
        answer="create-container-config-error",
        why="an old kubelet missing secret is the missing reference",
    ),
    Case(
        (
            "Events:\n"
            "  Type     Reason     Age                 From     Message\n"
            "  ----     ------     ----                ----     -------\n"
            "  Warning  Unhealthy  9m (x12 over 1h)    kubelet  Liveness probe errored: rpc error: code = "
            "DeadlineExceeded desc = context deadline exceeded\n"
            "  Warning  Unhealthy  40s (x20 over 1h)   kubelet  Readiness probe errored: rpc error: code = "
            "DeadlineExceeded desc = context deadline exceeded\n"
        ),
        answer="liveness-probe-failed",
        why="a probe that errored is a failing probe of its kind",
    ),
    Case(
        (
            "MountVolume.MountDevice failed for volume \"pvc-7a\" : rpc error: code = Internal desc = 'fsck' "
            "found errors on device /dev/sdf but could not correct them: /dev/sdf: Inode 12 has illegal "
            "blocks. UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY."
        ),
        answer="volume-mount-failed",
        why="a disk that failed its check before mounting is a mount failure",
    ),
    Case(
        (
            "failed to pull: unexpected status from HEAD request to "
            "https://registry.example.com/v2/app/manifests/1.0: 403 Forbidden"
        ),
        not_answer="rbac-forbidden",
        why="a 403 from a registry is not rbac",
    ),
    Case(
        (
            "E0301 10:00:00.000000    5330 cache_images.go:85] CacheImage registry.example.com/web:1.6.2 "
            'failed: MANIFEST_UNKNOWN: "Failed to fetch \\"1.6.2\\" from request \\"/v2/web/manifests/1.6.2\\"."'
        ),
        answer="image-not-found",
        why="a registrys diagnostic code for a missing image is the missing image",
    ),
    Case(
        "Error: NAME_UNKNOWN: repository name not known to registry",
        answer="image-not-found",
        why="a registrys diagnostic code for a missing image is the missing image",
    ),
    Case(
        (
            'I0301 09:00:01.100000    812 kubelet.go:2100] "Starting kubelet main sync loop"\n'
            'I0301 09:00:01.100100    812 kubelet.go:2124] "Skipping pod synchronization" err="[container '
            "runtime status check may not have completed yet, PLEG is not healthy: pleg has yet to be "
            'successful]"\n'
        ),
        answer=None,
        why="a kubelets first relist not yet run is start up not a not ready node",
    ),
    Case(
        ("fatal error: concurrent map writes\n\ngoroutine 1379 [running]:"),
        answer="go-nil-pointer-panic",
        why="go runtime crashes and crashes said with typos",
    ),
    Case(
        "panic: runtime error: index out of range [3] with length 3",
        answer="go-nil-pointer-panic",
        why="go runtime crashes and crashes said with typos",
    ),
    Case(
        "But the pod is carshing all the time, the error is a permission problem",
        answer="crashloop-backoff",
        why="go runtime crashes and crashes said with typos",
    ),
    Case(
        "Sometimes we see 32 times pod restarted and then it became fine.",
        answer="crashloop-backoff",
        why="go runtime crashes and crashes said with typos",
    ),
    Case(
        "My thanos query is really slow, because of this it crashes constantly with OMM kills",
        answer="oom-killed",
        why="go runtime crashes and crashes said with typos",
    ),
    Case(
        (
            "  7m  7m  1  {kubelet 16.186.74.94}  spec.containers{web}  Normal  Killing  Killing container "
            'with docker id e1d3670bad8c: pod "web-du1gp_default(ac3b025c-75a8-11e6-9cd1-00505697649c)" '
            'container "web" is unhealthy, it will be killed and re-created.'
        ),
        answer="liveness-probe-failed",
        why="older kubelet words and the metrics pipeline",
    ),
    Case(
        (
            '{"level":"error","msg":"Error scraping node metrics: the server could not find the requested '
            'resource (get nodes.metrics.k8s.io)","time":"2019-10-02T12:24:09Z"}'
        ),
        answer="hpa-missing-metrics",
        why="older kubelet words and the metrics pipeline",
    ),
    Case(
        (
            "E0813 02:07:00.339450       1 reststorage.go:128] unable to fetch node metrics for node "
            '"client-master": no metrics known for node'
        ),
        answer="hpa-missing-metrics",
        why="older kubelet words and the metrics pipeline",
    ),
    Case(
        (
            'Failed to pull image "registry.example.com/app:v1": rpc error: code = Unknown desc = error '
            "parsing HTTP 404 response body: invalid character 'F' looking for beginning of value: \"File not "
            'found."\n'
        ),
        answer="image-not-found",
        why="read as image-not-found",
    ),
    Case(
        "kernel: python3 invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0",
        answer="oom-killed",
        why="read as oom-killed",
    ),
    Case(
        "Mar 08 07:55:47 node1 kernel: memory: usage 131072kB, limit 131072kB, failcnt 2814",
        answer="oom-killed",
        why="read as oom-killed",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_node_components_message_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_a_sandbox_that_fails_because_the_runtime_socket_is_gone_is_answered_by_the_runtime() -> (
    None
):
    paste = (
        "Events:\n  Type     Reason                  Age   From     Message\n"
        "  ----     ------                  ----  ----     -------\n"
        "  Warning  FailedCreatePodSandBox  62s   kubelet  Failed to create pod sandbox: rpc error: code = "
        'Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix '
        '/run/containerd/containerd.sock: connect: no such file or directory"\n'
    )
    body = match_json(paste)
    assert body["answer"] == "cri-runtime-api-unavailable"
    assert explained(body).get("cni-sandbox-failed") == ["cri-runtime-api-unavailable"]
