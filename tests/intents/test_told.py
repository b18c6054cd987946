"""A failure told in sentences is read for its subject, its state and the message it quotes
(intents/told.py), and each candidate for how well its own text agrees with them."""

from __future__ import annotations

import pytest

from intents.told import asks_only, told


@pytest.mark.parametrize(
    ("text", "subjects", "states"),
    [
        (
            "the worker pods keep restarting since the upgrade, `exec /app: exec format error` in the logs",
            {"pod"},
            {"restarting", "failing"},
        ),
        (
            "Our PVC has been Pending for an hour and the storage class looks right",
            {"volume"},
            {"pending"},
        ),
        (
            "after the reboot two nodes stay NotReady and the kubelet does not come back",
            {"node"},
            {"not ready"},
        ),
        ("pulling the image from our private registry is denied with 401", {"image"}, {"denied"}),
    ],
)
def test_a_sentence_names_its_subject_and_state(
    text: str, subjects: set[str], states: set[str]
) -> None:
    said = told(text)
    assert said.subjects == subjects and said.states >= states


def test_a_quoted_message_is_its_evidence_and_component_output_is_not_read() -> None:
    said = told(
        'The job fails every night with "connection reset by peer while dialing the database"\n'
        "2024-05-01T10:00:00Z ERROR ingress controller 503 for host api\n"
    )
    assert said.evidence == ("connection reset by peer while dialing the database",)
    assert "ingress" not in said.subjects, "a log line stamped to the second is no sentence"
    assert not told(
        "NAME   READY   STATUS    RESTARTS   AGE\napi-1  0/1     Pending   0          5m\n"
    )


@pytest.mark.parametrize(
    ("text", "only_asks"),
    [
        # how something works: the failure is only the question's subject
        ("how do liveness probes work? do they restart the container when they fail?", True),
        ("What happens when a PVC is deleted while a pod still mounts it?", True),
        ("Hi! Is it possible to run the kubelet without swap disabled?", True),
        # a question introduced as one, its failure only its subject
        (
            (
                "Question about liveness probes: when a liveness probe fails, does the kubelet "
                "restart the container at once or after failureThreshold?"
            ),
            True,
        ),
        ("Question: my liveness probe keeps failing, why?", False),
        # a question that drops its mark in chat
        ("what does CrashLoopBackOff mean", True),
        # a quoted term is what the question asks about; a quoted message is a failure seen
        ("what does `CrashLoopBackOff` mean?", True),
        ("why do I get `Back-off restarting failed container`?", False),
        ("How does the OOMKilled thing work? when is a pod OOMKilled", True),
        # the asker's own failure, asked about
        ("why does my liveness probe keep failing?", False),
        ("So why would `kubectl cluster-info dump` give me `error: You must be logged in`?", False),
        ("why is my pod in CrashLoopBackOff", False),
        # who asks how to fix it has it, whoever it belongs to
        ("How to resolve issue with volume node affinity conflict with clickhouse", False),
        # an issue template's label and what it says: a failure stated
        ("**What happened**: Pods are crashing because of read only file system", False),
        # a failure stated beside the question
        ("The pods are in CrashLoopBackOff after the upgrade. How do I debug this?", False),
        ("I cannot reach the pods through the service ip. Why?", False),
        # a component's message that ends with a question mark is no question someone asks
        (
            "The connection to the server localhost:8080 was refused - did you specify the right host or port?",
            False,
        ),
        # pasted output, a log line or a code block is a failure's evidence, not a question
        ("Is this normal?\nE0101 10:00:00.000 1 reflector.go:138] watch failed", False),
        ("What does this mean?\n```\nBack-off restarting failed container\n```", False),
        # no question at all
        ("The liveness probe fails with 503.", False),
        ("", False),
    ],
)
def test_a_paste_only_asks_when_every_failure_it_names_is_a_general_question(
    text: str, only_asks: bool
) -> None:
    assert asks_only(text) is only_asks
