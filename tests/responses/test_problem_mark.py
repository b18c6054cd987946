"""A red dot marks a problem found, never how sure the answer is: a reader takes red for "bad"."""

from __future__ import annotations

import json

from intents.schema import CatalogEntry
from responses import messages
from responses.block_kit import diagnosis_blocks
from responses.diagnosis import Diagnosis
from tests.responses.conftest import finding, pod_diagnosis

RED = "🔴"


def test_the_problem_is_marked_red_and_its_confidence_said_in_words(
    entries: dict[str, CatalogEntry],
) -> None:
    answered = pod_diagnosis(
        finding(entries["oom-killed"], 0.95, lines=("Reason: OOMKilled",)),
        finding(entries["crashloop-backoff"], 0.5),
    )
    blocks = diagnosis_blocks(answered)
    assert blocks[0]["text"]["text"].startswith(f"{RED} ")
    contexts = [
        element["text"]
        for block in blocks
        if block["type"] == "context"
        for element in block["elements"]
    ]
    assert any("high confidence" in text for text in contexts)
    assert not [text for text in contexts if RED in text]
    assert RED not in "".join(messages.CONFIDENCE.values())


def test_no_red_dot_where_no_problem_was_found() -> None:
    healthy = Diagnosis(
        "pod shop/web-0", notes=(f"{messages.NO_PROBLEM_PREFIX} for pod shop/web-0",)
    )
    assert RED not in json.dumps(diagnosis_blocks(healthy), ensure_ascii=False)
