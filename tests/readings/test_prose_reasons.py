"""A sentence naming a failure reason Kubernetes records is read as that event or status (bot.diagnosis.paste_prose)."""

from __future__ import annotations

import pytest

from tests.cli.runner import match_json


@pytest.mark.parametrize(
    ("sentence", "answer", "reason"),
    [
        (
            "Some pods remain stuck on `ContainerCreating` with `FailedCreatePodSandBox` errors.",
            "cni-sandbox-failed",
            "FailedCreatePodSandBox",
        ),
        (
            "We keep getting FailedMount on the new claim since the upgrade.",
            "volume-mount-failed",
            "FailedMount",
        ),
        (
            "The migration job ends with BackoffLimitExceeded every night.",
            "job-backoff-limit",
            "BackoffLimitExceeded",
        ),
        (
            "The claim shows ProvisioningFailed right after I apply it.",
            "pvc-pending",
            "ProvisioningFailed",
        ),
        (
            "after the chart upgrade the api container sits in CreateContainerConfigError",
            "create-container-config-error",
            "CreateContainerConfigError",
        ),
    ],
)
def test_a_failure_reason_named_in_a_sentence_is_the_event_it_names(
    sentence: str, answer: str, reason: str
) -> None:
    body = match_json(sentence + "\n")
    assert body["answer"] == answer
    evidence = body["matches"][0]["evidence"]
    assert any(reason in fact and "pasted sentence" in fact for fact in evidence)


@pytest.mark.parametrize(
    "sentence",
    [
        "If FailedMount shows up, check the CSI driver's node plugin first.",
        "There is no FailedMount any more since we pinned the driver.",
        "Should a FailedAttachVolume event ever clear by itself?",
        "The FailedMountOnFilesystemMismatch reason is new in 1.31.",  # another reason, not the one named
    ],
)
def test_a_reason_named_hypothetically_or_negated_is_not_read(sentence: str) -> None:
    assert match_json(sentence + "\n")["answer"] is None


def test_a_reason_named_in_a_sentence_refutes_nothing_the_paste_did_not_show() -> None:
    # the sentence names one event; a failing mount is not "refuted" because no FailedMount row
    # was pasted, and the error line the user pasted beside it still leads
    paste = (
        "The pods stay ContainerCreating and describe shows FailedCreatePodSandBox.\n"
        'MountVolume.SetUp failed for volume "data" : mount failed: exit status 32\n'
    )
    answers = match_json(paste)["answers"]
    assert set(answers[:2]) == {"cni-sandbox-failed", "volume-mount-failed"}
