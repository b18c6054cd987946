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
     "volume-mount-failed"),
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
