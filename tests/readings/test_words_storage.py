"""People's words and storage lines for claims, volumes, attaches and mounts, read by the entries' own
patterns and symptoms.

Each row is a paste and what a user must see for it (tests/readings/cases.py)."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic_in_process, match_ids, match_json
from tests.readings.cases import Case, check


def answer(paste: str) -> tuple[str | None, str]:
    result = kubemedic_in_process("match", "--json", stdin=paste.encode())
    assert result.code == 0, result.stderr
    body = result.json()
    return body["answer"], body["matches"][0]["confidence"] if body["matches"] else ""


CLAIM = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: default
{deletion}  finalizers:
  - kubernetes.io/pvc-protection
spec:
  storageClassName: standard
  volumeName: pvc-0a1b2c3d
status:
  phase: Bound
"""

CASES = [
    Case(
        (
            "  Warning  FailedAttachVolume  3m  attachdetach-controller  AttachVolume.Attach failed for "
            'volume "pvc-1f2e" : rpc error: code = Internal desc = volume pvc-1f2e failed to attach to node '
            "node-3: the volume is currently attached to different node node-1\n"
        ),
        answer="volume-multi-attach",
        why="a csi driver saying the volume sits on another node is a multi attach",
    ),
    Case(
        (
            "  Warning  FailedAttachVolume  3m  attachdetach-controller  AttachVolume.Attach failed for "
            'volume "pvc-1f2e" : rpc error: code = Internal desc = disk data-01 is already attached to '
            "another instance\n"
        ),
        answer="volume-multi-attach",
        why="a csi driver saying the volume sits on another node is a multi attach",
    ),
    Case(
        "New replicas stay Pending on node-4, which hit its EBS attachment limit last week.\n",
        answer="pending-max-volume-count",
        why="volume limits and resizes said in words",
    ),
    Case(
        (
            "I raised the PVCs to 50Gi, the edit went through, but their capacity has still not changed.\n"
        ),
        answer="pvc-volume-resize-failed",
        why="volume limits and resizes said in words",
    ),
    Case(
        "After a few hours minikube encounters disk pressure and evicts the pods.\n",
        answer="node-disk-pressure",
        why="a single node cluster or the pressure itself said in words",
    ),
    Case(
        "Our k3s box is experiencing memory pressure since the upgrade.\n",
        answer="node-memory-pressure",
        why="a single node cluster or the pressure itself said in words",
    ),
    Case(
        "The memory pressure occurs due to the endless restarts of one pod.\n",
        answer="node-memory-pressure",
        why="a single node cluster or the pressure itself said in words",
    ),
    Case(
        "The disk pressure started after we enabled debug logging.\n",
        answer="node-disk-pressure",
        why="a single node cluster or the pressure itself said in words",
    ),
    Case(
        "The PVC is Bound and the pod runs fine now.\n",
        answer=None,
        why="a bound claim is no pending claim",
    ),
    Case(
        "Output: mount error(13): Permission denied\n",
        answer="volume-mount-failed",
        why="a cifs or iscsi mount refusal is the failed mount",
    ),
    Case(
        (
            'time="2024-05-21T18:57:15Z" level=error msg="GRPC error: rpc error: code = Internal desc = '
            'iSCSI login failed"\n'
        ),
        answer="volume-mount-failed",
        why="a cifs or iscsi mount refusal is the failed mount",
    ),
    Case(
        (
            "Warning  FailedMount  2m  kubelet  Unable to attach or mount volumes: unmounted "
            "volumes=[cache], unattached volumes=[], failed to process volumes=[cache]: error processing PVC "
            "shop/cache-web-0: PVC is not bound\n"
        ),
        answer="pvc-pending",
        why="a claim the kubelet finds unbound is a pending claim",
    ),
    Case(
        "Looking at the replica again, the data volume is out of space.",
        answer="filesystem-full",
        why="a volume said to be out of space is full unless only supposed",
    ),
    Case(
        "What happens if the data volume is out of space during a backup?",
        answer=None,
        why="a volume said to be out of space is full unless only supposed",
    ),
    Case(
        "the pvc got bound after I created the storage class, all good now",
        answer=None,
        why="a claim bound is no pending claim",
    ),
    Case(
        (
            "mkdir: can't create directory '/opt/local-path-provisioner/pvc-1b8861df-d48a-4701-b8fe-2f7cf878e"
            "3fa_default_data': Permission denied"
        ),
        answer="pvc-pending",
        why="a provisioner helper that cannot make the claims directory leaves it pending",
    ),
    Case(
        (
            "Warning  FailedAttachVolume  2m  attachdetach-controller  AttachVolume.Attach failed for volume "
            '"pvc-183d5148-ae93-4a7a-9b1a-e29cfa965411" : rpc error: code = DeadlineExceeded desc = context '
            "deadline exceeded"
        ),
        answer="csi-attach-timeout",
        why="a failed attach is read by its cause",
    ),
    Case(
        (
            "Warning  FailedAttachVolume  2m  attachdetach-controller  AttachVolume.Attach failed for volume "
            '"pvc-183d5148-ae93-4a7a-9b1a-e29cfa965411" : rpc error: code = Internal desc = failed to '
            "publish volume: cannot perform operation because server is locked"
        ),
        answer="volume-mount-failed",
        why="a failed attach is read by its cause",
    ),
    Case(
        (
            "Warning  FailedMount  46s (x8 over 114s)  kubelet  MountVolume.Setup failed while expanding "
            'volume for volume "pvc-3af31c91-7aa6-4433-b5c5-4a1d720921d8" : Expander.NodeExpand failed to '
            "expand the volume : rpc error: code = Internal desc = failed to resize volume: exit status 1"
        ),
        answer="pvc-volume-resize-failed",
        why="a mount that fails growing the filesystem is the failed resize",
    ),
    Case(
        (
            "E0816 11:31:18.866867       1 utils.go:101] GRPC error: stat "
            "/var/lib/kubelet/pods/5663fbc8/volumes/kubernetes.io~csi/pvc-240f26e3/mount: transport endpoint "
            "is not connected\n"
        ),
        answer="volume-mount-failed",
        why="read as volume-mount-failed",
    ),
    Case(
        "How do I fix 'volume node affinity conflict' for the kafka pods?\n",
        answer="pending-volume-node-affinity-conflict",
        why="failures said in words",
    ),
    Case(
        "Since Tuesday the pods error out on NFS, unable to mount the share.",
        answer="volume-mount-failed",
        why="failures said in words",
    ),
    Case(
        "After the reboot all the volumes are stuck in attaching state forever.",
        answer="csi-attach-timeout",
        why="failures said in words",
    ),
    Case(
        (
            "The database moves nodes and hits the classic MultiAttach error with its ReadWriteOnce volume."
        ),
        answer="volume-multi-attach",
        why="failures said in words",
    ),
    Case(
        (
            'err="rpc error: code = Internal desc = failed to publish volume: exit status 1\\nmke2fs 1.45.7 '
            '(28-Jan-2021)"'
        ),
        answer="volume-mount-failed",
        why="read as volume-mount-failed",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=Case.id)
def test_each_paste_of_a_storage_failure_in_words_is_answered_as_its_row_says(case: Case) -> None:
    check(case)


def test_the_protection_finalizer_every_claim_carries_is_no_stuck_deletion() -> None:
    assert answer(CLAIM.format(deletion=""))[0] is None
    # a Bound claim whose deletion is under way is held by that finalizer: one answer, the claim's
    deleting = CLAIM.format(deletion='  deletionTimestamp: "2024-03-01T10:00:00Z"\n')
    result = kubemedic_in_process("match", "--json", stdin=deleting.encode()).json()
    assert result["answers"] == ["pvc-stuck-terminating"]


@pytest.mark.parametrize(
    "sentence",
    [
        "If the node experiences memory pressure, the kubelet evicts pods.",
        "Minikube does not encounter disk pressure with the default settings.",
    ],
)
def test_pressure_supposed_or_denied_is_not_answered(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] not in (
        "node-disk-pressure",
        "node-memory-pressure",
    )


def test_volumes_that_attached_are_no_attach_timeout() -> None:
    """The attach words need the attach to hang: a volume attaching and then mounted is fine."""
    assert "csi-attach-timeout" not in match_ids(
        match_json("The volume was attaching for a second and then mounted fine.")
    )
