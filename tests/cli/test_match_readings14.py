"""Readings of the fourteenth pass (issue 21), each case written from a component's format or a plain sentence, not the corpus."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json

_PROVISIONING = ("waiting for a volume to be created, either by external provisioner \"example.com/nfs\" "
                 "or manually created by system administrator")


def test_a_provisioner_wait_repeated_for_minutes_is_a_pending_claim() -> None:
    paste = f"  Normal  ExternalProvisioning  11s (x41 over 10m)  persistentvolume-controller  {_PROVISIONING}\n"
    assert match_json(paste)["answer"] == "pvc-pending"


@pytest.mark.parametrize("row", [
    f"  Normal  ExternalProvisioning  4s (x2 over 9s)  persistentvolume-controller  {_PROVISIONING}\n",
    ("  Normal  WaitForFirstConsumer  7s (x40 over 10m)  persistentvolume-controller  "
    "waiting for first consumer to be created before binding\n"),
])
def test_a_short_wait_or_a_wait_on_a_consumer_is_progress(row: str) -> None:
    assert match_json(row)["answer"] is None


@pytest.mark.parametrize(("line", "entry"), [
    # external-attacher's csi_handler.go, printf form and klog's structured form
    (('I0412 08:01:02.000000       1 csi_handler.go:251] Error processing "csi-5e1f": failed to attach: '
     "rpc error: code = DeadlineExceeded desc = context deadline exceeded"), "csi-attach-timeout"),
    (('I0412 08:01:02.000000       1 csi_handler.go:251] "Error processing" VolumeAttachment="csi-5e1f" '
     'err="failed to attach: rpc error: code = Internal desc = disk d-1 is attached to another instance"'),
     "volume-multi-attach"),  # the attach failed because another instance holds the disk: the cause leads
    (('I0412 08:01:02.000000       1 csi_handler.go:283] Error processing "csi-5e1f": failed to detach: '
     "rpc error: code = Internal desc = could not detach disk d-1 from instance i-9"), "volume-attachment-stuck-deleting"),
    # a CSI plugin's own log names the spec's call that failed
    (("E0412 08:01:02.000000       1 utils.go:81] NodeStageVolume failed: rpc error: code = Internal "
     "desc = format of disk /dev/sdc failed"), "volume-mount-failed"),
    (('{"level":"error","method":"/csi.v1.Controller/ControllerUnpublishVolume",'
     '"error":"rpc error: code = Unavailable desc = backend unreachable"}'), "volume-attachment-stuck-deleting"),
    (("E0412 08:01:02.000000       1 server.go:40] ControllerExpandVolume: err: rpc error: code = OutOfRange "
     "desc = requested size exceeds the pool"), "pvc-volume-resize-failed"),
])
def test_a_csi_call_that_failed_is_read_by_its_stage(line: str, entry: str) -> None:
    assert match_json(line + "\n")["answer"] == entry


def test_the_grpc_call_line_alone_is_not_a_failure() -> None:
    paste = ("I0412 08:01:02.000000       1 utils.go:77] GRPC call: /csi.v1.Node/NodePublishVolume\n"
             "I0412 08:01:02.100000       1 utils.go:83] GRPC response: {}\n")
    assert match_json(paste)["answer"] is None


@pytest.mark.parametrize(("paste", "entry"), [
    # the Python client's ApiException ("(%s)\nReason: %s\n"), fabric8's own words, aiohttp on an API path
    ("kubernetes.client.exceptions.ApiException: (403)\nReason: Forbidden\n", "rbac-forbidden"),
    ("kubernetes.client.rest.ApiException: (401)\nReason: Unauthorized\n", "kubectl-unauthorized"),
    (("io.fabric8.kubernetes.client.KubernetesClientException: Failure executing: GET at: "
     "https://10.96.0.1/api/v1/namespaces/ci/pods. Message: Forbidden!Configured service account "
     "doesn't have access. Service account may have been revoked.\n"), "rbac-forbidden"),
    (("aiohttp.client_exceptions.ClientResponseError: 403, message='Forbidden', "
     "url=URL('https://10.0.0.1:443/apis/batch/v1/jobs')\n"), "rbac-forbidden"),
])
def test_a_client_librarys_wording_of_the_api_servers_refusal(paste: str, entry: str) -> None:
    assert match_json(paste)["answer"] == entry


def test_a_403_from_some_other_web_server_is_not_rbac() -> None:
    paste = "ClientResponseError: 403, message='Forbidden', url=URL('https://shop.example.com/cart')\n"
    assert match_json(paste)["answer"] is None


_DESCRIBE_PV = """Name:            pvc-0a1b2c3d
Labels:          <none>
Annotations:     pv.kubernetes.io/provisioned-by: example.com/block
Finalizers:      [example.com/attached kubernetes.io/pv-protection]
StorageClass:    block
Status:          {status}
Claim:           shop/data-db-0
Reclaim Policy:  Delete
Access Modes:    RWO
VolumeMode:      Filesystem
Capacity:        10Gi
Events:          <none>
"""


def test_a_described_volume_still_terminating_is_a_stuck_deletion() -> None:
    # a cluster-scoped describe has no Namespace line; kubectl prints a deletion as "Terminating (lasts %s)"
    found = match_json(_DESCRIBE_PV.format(status="Terminating (lasts 3h)"))
    assert found["answer"] == "pvc-stuck-terminating"
    assert "namespace-stuck-terminating" not in found["answers"]


def test_a_described_volume_bound_is_healthy() -> None:
    assert match_json(_DESCRIBE_PV.format(status="Bound"))["answer"] is None
