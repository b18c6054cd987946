"""Readings of the fourth pass (issue 21): what a paste states, read by its grammar.

Each case is written here from the component's message format or the field's meaning,
not copied from the corpus: another scheduler's frame, healthy field values, a finalizer
every claim carries, the subject of "stuck in Terminating", the kubelet refusing a pod
for a node condition, a built-in API group no CRD brings, and states named in words."""

from __future__ import annotations

import pytest

from tests.cli.runner import kubemedic_in_process


def answer(paste: str) -> tuple[str | None, str]:
    result = kubemedic_in_process("match", "--json", stdin=paste.encode())
    assert result.code == 0, result.stderr
    body = result.json()
    return body["answer"], body["matches"][0]["confidence"] if body["matches"] else ""


def test_kube_batch_s_comma_frame_is_read_clause_by_clause() -> None:
    # kube-batch's JobInfo.FitError: "0/%v nodes are available, %v." with "%v insufficient %v"
    paste = """status:
  conditions:
  - message: 0/3 nodes are available, 3 insufficient memory.
    reason: Unschedulable
    status: "False"
    type: PodScheduled
  phase: Pending
"""
    assert answer(paste) == ("pending-insufficient-resources", "high")


NODE = """Name:               worker-1
Roles:              <none>
CreationTimestamp:  Mon, 12 Oct 2020 21:34:32 +0000
Taints:             <none>
Unschedulable:      {unschedulable}
Conditions:
  Type             Status  Reason                       Message
  ----             ------  ------                       -------
  MemoryPressure   False   KubeletHasSufficientMemory   kubelet has sufficient memory available
  Ready            True    KubeletReady                 kubelet is posting ready status
"""


def test_a_schedulable_untainted_node_is_not_called_cordoned() -> None:
    assert answer(NODE.format(unschedulable="false"))[0] is None


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


def test_the_protection_finalizer_every_claim_carries_is_no_stuck_deletion() -> None:
    assert answer(CLAIM.format(deletion=""))[0] is None
    # a Bound claim whose deletion is under way is held by that finalizer: one answer, the claim's
    deleting = CLAIM.format(deletion='  deletionTimestamp: "2024-03-01T10:00:00Z"\n')
    result = kubemedic_in_process("match", "--json", stdin=deleting.encode()).json()
    assert result["answers"] == ["pvc-stuck-terminating"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("After the uninstall the namespace is still stuck in Terminating.", "namespace-stuck-terminating"),
    ("namespace monitoring has been stuck in terminating for two days", "namespace-stuck-terminating"),
    ("my PVC is stuck in Terminating after deleting the statefulset", "pvc-stuck-terminating"),
    ("the pod is stuck in Terminating and kubectl delete hangs", "pod-stuck-terminating"),
    ("after deleting the namespace the pods are stuck in Terminating", "pod-stuck-terminating"),
])
def test_stuck_in_terminating_is_answered_for_the_object_that_is_its_subject(sentence: str,
                                                                            expected: str) -> None:
    assert answer(sentence)[0] == expected


@pytest.mark.parametrize(("line", "expected"), [
    # up to 1.20: klog.Warningf("Failed to admit pod %s - node has conditions: %v")
    (("W0317 12:44:46.790798 2278 eviction_manager.go:159] Failed to admit pod web-0_default(b63b1ee0)"
     " - node has conditions: [DiskPressure]"), "node-disk-pressure"),
    # since 1.21: klog.InfoS("Failed to admit pod to node", "pod", ..., "nodeCondition", ...)
    (('I0317 12:44:46.790798 2278 eviction_manager.go:170] "Failed to admit pod to node"'
     ' pod="default/web-0" nodeCondition=[MemoryPressure]'), "node-memory-pressure"),
])
def test_a_pod_refused_for_a_node_condition_is_answered_by_that_condition(line: str, expected: str) -> None:
    assert answer(line) == (expected, "high")


def test_the_node_condition_leads_the_evictions_it_explains() -> None:
    paste = ("Failed to admit pod web-0_default(b63b1ee0) - node has conditions: [DiskPressure]\n"
             "eviction manager: pods web-1_default(bedefb46) evicted, waiting for pod to be cleaned up\n")
    result = kubemedic_in_process("match", "--json", stdin=paste.encode()).json()
    assert result["answer"] == "node-disk-pressure"


@pytest.mark.parametrize(("kind", "version", "expected"), [
    ("Ingress", "networking.k8s.io/v1", "api-version-removed"),  # a cluster older than the manifest
    ("CronJob", "batch/v1", "api-version-removed"),
    ("Deployment", "extensions/v1beta1", "api-version-removed"),  # removed in 1.16
    ("HTTPRoute", "gateway.networking.k8s.io/v1", "crd-not-installed"),  # a CRD's group under k8s.io
    ("Certificate", "cert-manager.io/v1", "crd-not-installed"),
])
def test_no_matches_for_kind_tells_a_built_in_group_from_a_crd(kind: str, version: str, expected: str) -> None:
    line = f'error: unable to recognize "app.yaml": no matches for kind "{kind}" in version "{version}"'
    assert answer(line)[0] == expected


@pytest.mark.parametrize(("sentence", "expected"), [
    ("the admin console binds to 127.0.0.1, which causes the liveness probe to fail every 5 minutes",
     "liveness-probe-failed"),
    ("since the upgrade our readiness probes keep failing on the api pods", "readiness-probe-failed"),
])
def test_a_state_named_in_words_is_answered(sentence: str, expected: str) -> None:
    assert answer(sentence)[0] == expected


def test_a_cause_beside_a_crash_loop_named_in_words_leads() -> None:
    paste = ("pods are in CrashLoopBackOff\n"
             "exec /usr/local/bin/docker-entrypoint.sh: exec format error\n")
    assert answer(paste)[0] == "exec-format-error"
