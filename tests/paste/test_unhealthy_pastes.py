"""Unhealthy pastes of every parsed shape get the right entry, quoting the pasted facts.

Table-driven: each case is a real-shaped paste in tests/paste/pastes/, the
entry it must be answered with, and a fact the answer must quote as the
evidence read from the paste (the same wording `/diagnose pod` uses).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher

PASTES = Path(__file__).parent / "pastes"

CASES = [
    # describe pod: Last State Terminated/OOMKilled/137 confirms the OOM (not the CrashLoopBackOff it causes)
    (
        "describe-pod-oomkilled.txt",
        "oom-killed",
        "container report-worker last terminated with reason OOMKilled (exit code 137)",
    ),
    # describe pod, Pending: the FailedScheduling event in its Events table names the memory shortage
    (
        "describe-pod-pending-insufficient-memory.txt",
        "pending-insufficient-resources",
        "event FailedScheduling x14: 0/5 nodes are available: 2 Insufficient memory",
    ),
    # a describe Events section pasted alone: the registry's NotFound is in a Warning Failed row
    (
        "describe-pod-image-not-found.txt",
        "image-not-found",
        "event Failed x4: Failed to pull image",
    ),
    # describe pod Events whose Failed message kubectl wrapped over four lines: the registry's 401
    # is on the last line, and the evidence reads the message whole
    (
        "describe-pod-wrapped-pull-401.txt",
        "image-pull-unauthorized",
        'event Failed x3: Failed to pull image "registry.acme.internal/payments/ledger:2.14.0": rpc error',
    ),
    # describe node: the disk-pressure taint and DiskPressure=True (NodeHasNoDiskPressure would not)
    (
        "describe-node-disk-pressure.txt",
        "node-disk-pressure",
        "node worker-7 taint node.kubernetes.io/disk-pressure:NoSchedule",
    ),
    # describe node in a code fence after chat: Ready Unknown and the unreachable taint
    ("describe-node-stopped-posting.txt", "node-not-ready", "taint node.kubernetes.io/unreachable"),
    # get pods -n orders: the STATUS column is the waiting reason of a container the row does not
    # name (the namespace the command names is the pod's)
    (
        "get-pods-crashloop.txt",
        "crashloop-backoff",
        (
            "the pod's container is waiting with reason CrashLoopBackOff (pasted kubectl get pods: "
            "pod orders/orders-api-7d9f8c6b5-x2x7k)"
        ),
    ),
    # get pods -A -o wide: an Evicted row is a Failed pod with reason Evicted
    ("get-pods-evicted-wide.txt", "pod-evicted", "pod phase Failed, reason Evicted"),
    # get pods with Slack's collapsed whitespace and a restart "(38s ago)"
    ("get-pods-oomkilled-collapsed.txt", "oom-killed", "is terminated with reason OOMKilled"),
    # get nodes -o wide with &lt;none&gt; entities: only worker-2 is NotReady, the others are Ready
    ("get-nodes-notready.txt", "node-not-ready", "node worker-2 condition Ready=False"),
    # get events: a Warning FailedScheduling row about untolerated taints; the Normal row says nothing
    (
        "get-events-untolerated-taint.txt",
        "pending-untolerated-taint",
        "3 node(s) had untolerated taint {nvidia.com/gpu: present}",
    ),
    # get events -A: the Multi-Attach row beats the FailedMount that follows from it
    (
        "get-events-multi-attach-all-ns.txt",
        "volume-multi-attach",
        "event FailedAttachVolume x1: Multi-Attach error",
    ),
    # kubectl events (1.26+): "2m (x22 over 6m)" ages and Pod/name objects
    (
        "kubectl-events-backoff.txt",
        "crashloop-backoff",
        "event BackOff x22: Back-off restarting failed container",
    ),
    # get pvc: a Pending claim (its empty VOLUME and CAPACITY cells read by column offsets)
    (
        "get-pvc-pending.txt",
        "pvc-pending",
        "PersistentVolumeClaim prometheus-db-prometheus-0 is Pending",
    ),
    # describe pvc: WaitForFirstConsumer is normal until a pod uses the claim; once redis-0 uses it
    # and the provisioner still has not made the volume, the Pending claim is the problem
    (
        "describe-pvc-used-waiting-provisioner.txt",
        "pvc-pending",
        "PersistentVolumeClaim data-redis-0 is Pending",
    ),
    # a describe Events table without `Events:`: Unhealthy + Killing after failed liveness probes
    (
        "describe-events-liveness.txt",
        "liveness-probe-failed",
        "event Unhealthy x9: Liveness probe failed: HTTP probe failed with statuscode: 500",
    ),
    # rollout status that ended in an error: the deployment's ProgressDeadlineExceeded condition
    (
        "rollout-deadline.txt",
        "deployment-progress-deadline",
        "owned by Deployment notifications with condition ProgressDeadlineExceeded",
    ),
    # describe deployment: Progressing False ProgressDeadlineExceeded in its Conditions
    (
        "describe-deploy-deadline.txt",
        "deployment-progress-deadline",
        "owned by Deployment search-api with condition ProgressDeadlineExceeded",
    ),
    # a bare get-pods row in chat plus the log line: the log explains the CrashLoopBackOff
    (
        "pod-row-and-log-exec-format.txt",
        "exec-format-error",
        "the pod's container logged: exec /usr/local/bin/gateway: exec format error",
    ),
    # -o yaml Pod: the waiting message names the missing Secret (managedFields pruned before loading)
    (
        "yaml-pod-config-error.txt",
        "create-container-config-error",
        'container ledger is waiting with reason CreateContainerConfigError: secret "db-credentials" not found',
    ),
    # -o json Pod in a code fence: lastState.terminated OOMKilled, exit code 137
    (
        "json-pod-oomkilled.txt",
        "oom-killed",
        "container etl last terminated with reason OOMKilled (exit code 137)",
    ),
    # -o json Node: DiskPressure True with its message
    (
        "json-node-disk-pressure.txt",
        "node-disk-pressure",
        "node worker-9 condition DiskPressure=True",
    ),
    # -o yaml EventList: a Warning FailedScheduling about CPU
    ("yaml-events-insufficient-cpu.txt", "pending-insufficient-resources", "3 Insufficient cpu"),
    # -o yaml PVC: phase Pending
    ("yaml-pvc-pending.txt", "pvc-pending", "PersistentVolumeClaim data-kafka-0 is Pending"),
]


@pytest.mark.parametrize(("name", "expected", "fact"), CASES, ids=[case[0] for case in CASES])
def test_unhealthy_paste_gets_the_entry_with_pasted_evidence(
    name: str, expected: str, fact: str, matcher: Matcher
) -> None:
    diagnosis = diagnose_paste(matcher, (PASTES / name).read_text())
    answer = diagnosis.answer
    assert answer is not None, [f.match.id for f in diagnosis.findings]
    assert answer.match.id == expected
    assert any(fact in evidence and "(pasted " in evidence for evidence in answer.evidence), (
        answer.evidence
    )


def test_every_parsed_shape_has_an_unhealthy_case() -> None:
    names = " ".join(name for name, _id, _fact in CASES)
    for shape in (
        "describe-pod",
        "describe-node",
        "describe-events",
        "describe-deploy",
        "get-pods",
        "get-nodes",
        "get-events",
        "kubectl-events",
        "get-pvc",
        "rollout",
        "yaml-pod",
        "json-pod",
        "json-node",
        "yaml-events",
        "yaml-pvc",
    ):
        assert shape in names, shape


def test_an_out_of_catalog_secret_error_is_not_read_as_a_container_config_error(
    matcher: Matcher,
) -> None:
    # cert-manager's issuer cannot find its Secret and the HTTP-01 check gets a 404: the words
    # 'secret "..." not found' are there, but no container is waiting on a missing Secret
    diagnosis = diagnose_paste(matcher, (PASTES / "cert-manager-out-of-catalog.txt").read_text())
    assert diagnosis.answer is None or diagnosis.answer.match.id != "create-container-config-error"


def test_a_backoff_row_does_not_refute_the_cause_pasted_above_it(matcher: Matcher) -> None:
    """`get pods` shows CrashLoopBackOff, never the reason of the termination behind it: the
    runtime's error pasted with the table names the cause, which leads and explains the symptom."""
    diagnosis = diagnose_paste(
        matcher, (PASTES / "get-pods-crashloop-with-runc-cause.txt").read_text(), top=3
    )
    assert diagnosis.answer is not None
    assert diagnosis.answer.match.id == "executable-not-found"
    assert diagnosis.answer.match.confidence == "high"
    symptom = next(f for f in diagnosis.findings if f.match.id == "init-container-failed")
    assert "executable-not-found" in symptom.because


def test_lines_beside_a_pod_that_never_started_are_not_its_log(matcher: Matcher) -> None:
    """A container waiting to pull its image has never run, so the Back-off event pasted with
    the table is not "the previous container's log": no crash loop, no slow pull is claimed."""
    diagnosis = diagnose_paste(
        matcher, (PASTES / "get-pods-imagepullbackoff-with-event.txt").read_text(), top=3
    )
    named = {
        finding.match.id for finding in diagnosis.findings if finding.match.confidence != "low"
    }
    assert not named & {"crashloop-backoff", "serialized-image-pulls"}
    assert not any("log" in fact for finding in diagnosis.findings for fact in finding.evidence)


def test_a_mount_that_fails_because_of_a_multi_attach_is_named_as_its_consequence(
    matcher: Matcher,
) -> None:
    """FailedMount is the symptom; the Multi-Attach error explains it: one answer, naming the chain."""
    diagnosis = diagnose_paste(
        matcher, (PASTES / "get-events-multi-attach-all-ns.txt").read_text(), top=3
    )
    assert [finding.match.id for finding in diagnosis.answers][:1] == ["volume-multi-attach"]
    mount = next((f for f in diagnosis.findings if f.match.id == "volume-mount-failed"), None)
    assert mount is not None and "volume-multi-attach" in mount.because
    assert "volume-mount-failed" not in [finding.match.id for finding in diagnosis.answers]


def test_kubectls_own_error_lines_are_not_the_pods_log(matcher: Matcher) -> None:
    """`kubectl logs` refused by the API server prints "Error from server (...)": the client's
    output, not what the restarted container logged: no answer quotes it as the pod's log."""
    diagnosis = diagnose_paste(
        matcher, (PASTES / "get-pods-restarted-logs-refused.txt").read_text(), top=3
    )
    quoted = [fact for finding in diagnosis.findings for fact in finding.evidence]
    assert quoted, "the restarts are still read from the pasted row"
    assert not any("log" in fact for fact in quoted)


def test_an_object_without_events_is_not_refuted_by_their_absence(matcher: Matcher) -> None:
    """A LoadBalancer Service left <pending> by a cluster with no load-balancer controller has no
    events at all (and events expire after an hour): `Events: <none>` does not refute the entry."""
    diagnosis = diagnose_paste(
        matcher, (PASTES / "describe-service-lb-pending-no-events.txt").read_text(), top=3
    )
    assert diagnosis.answer is not None
    assert diagnosis.answer.match.id == "loadbalancer-service-pending"
    assert diagnosis.answer.match.confidence in ("high", "medium")


def test_json_cut_short_by_the_paste_is_read_up_to_where_it_stops(matcher: Matcher) -> None:
    """The first screen of `-o json`, never closed: the fields it shows are still read as fields
    (a Namespace's deletionTimestamp; a Pod's last termination, quoted as the pasted evidence)."""
    namespace = diagnose_paste(
        matcher, (PASTES / "json-namespace-cut-short.txt").read_text(), top=3
    )
    assert namespace.answer is not None
    assert namespace.answer.match.id == "namespace-stuck-terminating"
    pod = diagnose_paste(matcher, (PASTES / "json-pod-cut-short-oomkilled.txt").read_text(), top=3)
    assert pod.answer is not None and pod.answer.match.id == "oom-killed"
    assert any(
        "OOMKilled (exit code 137) (pasted kubectl get -o json" in fact
        for fact in pod.answer.evidence
    )


def test_json_that_closes_early_is_not_read_as_cut_short(matcher: Matcher) -> None:
    """A value that closes before its lines end is broken, not cut short: its lines stay text."""
    broken = '{\n  "kind": "Pod",\n  "metadata": {"name": "web"}}\n  "status": {"phase": "Failed"\n'
    diagnosis = diagnose_paste(matcher, broken, top=3)
    assert not any(
        "pasted kubectl get -o json" in fact for f in diagnosis.findings for fact in f.evidence
    )


def test_a_claim_naming_a_class_the_pasted_storageclass_list_lacks_is_answered(
    matcher: Matcher,
) -> None:
    """`kubectl get storageclass` pasted with the claims: a Pending claim whose class is not listed
    never binds (the same check the cluster read makes), and the answer quotes it."""
    text = (PASTES / "get-sc-and-pvc-unknown-class.txt").read_text()
    diagnosis = diagnose_paste(matcher, text, top=3)
    assert diagnosis.answer is not None
    assert diagnosis.answer.match.id == "pending-storageclass-missing"
    assert any("StorageClass gp3 does not exist" in fact for fact in diagnosis.answer.evidence)
    listed = diagnose_paste(matcher, text.replace(" gp3 ", " nfs-client "), top=3)
    assert all(
        f.match.id != "pending-storageclass-missing" or not f.evidence for f in listed.findings
    )


def test_a_running_container_that_is_not_ready_is_failing_its_readiness_probe(
    matcher: Matcher,
) -> None:
    """The kubelet marks a started container ready unless its readiness (or startup) probe has not
    succeeded: `State: Running` with `Ready: False` is read as that, even with no events pasted."""
    diagnosis = diagnose_paste(
        matcher, (PASTES / "describe-pod-running-not-ready.txt").read_text(), top=3
    )
    assert diagnosis.answer is not None
    assert diagnosis.answer.match.id == "readiness-probe-failed"
    ready = (
        (PASTES / "describe-pod-running-not-ready.txt")
        .read_text()
        .replace("Ready:          False", "Ready:          True")
    )
    assert diagnose_paste(matcher, ready, top=3).answer is None
