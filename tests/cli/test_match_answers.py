"""Every reason answered: `kubemedic match` names each independent problem of a paste (issue 21).

A scheduler message is answered clause by clause, the clause whose fix would let the pod
schedule first; several problems on separate lines get one answer each (up to three); the
same problem matched twice, or two sibling entries tied on one line, stay one answer."""

from __future__ import annotations

from tests.cli.runner import kubemedic_in_process

TAINT = b"0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate."
CORDONED_AND_SELECTOR = (
    b"0/4 nodes are available: 1 node(s) were unschedulable, "
    b"3 node(s) didn't match Pod's node affinity/selector."
)
THREE_REASONS = (
    b"Warning  FailedScheduling  3m  default-scheduler  0/50 nodes are available: 23 node(s) didn't"
    b" match node selector, 43 node(s) didn't have free ports for the requested pod ports,"
    b" 45 Insufficient cpu."
)
SELECTOR_MAJORITY_BLOCKER_FIRST = (
    b"Warning  FailedScheduling  48s (x150 over 11m)  default-scheduler  0/12 nodes"
    b" are available: 3 Insufficient memory, 9 node(s) didn't match node selector."
)
WRAPPED = (
    b"0/3 nodes are available: 1 node(s) had taint {node-role.kubernetes.io/master: },\n"
    b"that the pod didn't tolerate, 2 node(s) had untolerated taint {node.kubernetes.io/disk-pressure: }."
)
PROBES = b"""Events:
  Type     Reason     Age                From     Message
  ----     ------     ----               ----     -------
  Warning  Unhealthy  2m (x12 over 5m)   kubelet  Liveness probe failed: HTTP probe failed with statuscode: 500
  Warning  Unhealthy  2m (x30 over 5m)   kubelet  Readiness probe failed: Get "http://10.1.2.3:8080/ready": dial tcp 10.1.2.3:8080: connect: connection refused
"""


def _answers(paste: bytes) -> tuple[str | None, list[str], str]:
    result = kubemedic_in_process("match", "--json", stdin=paste)
    assert result.code == 0, result.stderr
    body = result.json()
    return (
        body["answer"],
        body["answers"],
        body["matches"][0]["confidence"] if body["matches"] else "",
    )


def test_the_old_taint_wording_is_answered_high() -> None:
    assert _answers(TAINT) == ("pending-untolerated-taint", ["pending-untolerated-taint"], "high")


def test_the_majority_clause_leads_over_a_cordoned_node() -> None:
    answer, answers, _ = _answers(CORDONED_AND_SELECTOR)
    assert answer == "pending-node-selector-mismatch"
    assert answers == ["pending-node-selector-mismatch", "pending-node-unschedulable"]


def test_three_reasons_three_answers_resources_first() -> None:
    _, answers, _ = _answers(THREE_REASONS)
    assert answers == [
        "pending-insufficient-resources",
        "pending-host-port-conflict",
        "pending-node-selector-mismatch",
    ]


def test_nodes_the_pod_could_use_lead_over_nodes_its_selector_rules_out() -> None:
    assert _answers(SELECTOR_MAJORITY_BLOCKER_FIRST)[1][0] == "pending-insufficient-resources"


def test_a_message_wrapped_over_two_lines_is_read_whole_the_control_plane_no_cause() -> None:
    # both clauses are read (the taint clause after the line break too); the control-plane one
    # names no problem beside another clause: tolerating the control plane is never the app's fix
    result = kubemedic_in_process("match", "--json", stdin=WRAPPED).json()
    assert result["answers"] == ["node-disk-pressure"]
    assert "pending-untolerated-taint" not in [m["id"] for m in result["matches"]]


def test_liveness_and_readiness_failing_are_two_answers_in_text_and_json() -> None:
    assert _answers(PROBES)[1] == ["liveness-probe-failed", "readiness-probe-failed"]
    text = kubemedic_in_process("match", stdin=PROBES).stdout
    assert "2 problems; the first:" in text and "\n2. Readiness probe" in text


def test_one_problem_stays_one_answer() -> None:
    oom = b"Last State:     Terminated\n  Reason:       OOMKilled\n  Exit Code:    137\n"
    answer, answers, _ = _answers(oom)
    assert answers == [answer]
