"""The Slack answer shows one section per independent problem (issue 21: every reason answered)."""

from __future__ import annotations

from bot.diagnosis.paste import diagnose_paste
from intents.matcher import Matcher
from responses.answer_build import answer_view
from responses.block_kit import diagnosis_blocks
from tests.responses.conftest import check_limits, texts

SCHEDULER = (
    "Warning  FailedScheduling  3m  default-scheduler  0/50 nodes are available: 23 node(s) didn't"
    " match node selector, 43 node(s) didn't have free ports for the requested pod ports, 45 Insufficient cpu."
)


def test_each_scheduler_reason_gets_its_own_section_with_its_fix(matcher: Matcher) -> None:
    diagnosis = diagnose_paste(matcher, SCHEDULER, top=3)
    blocks = diagnosis_blocks(diagnosis)
    check_limits(blocks)
    body = "\n".join(text for _, text in texts(blocks))
    assert [f.match.id for f in diagnosis.answers] == [
        "pending-insufficient-resources",
        "pending-host-port-conflict",
        "pending-node-selector-mismatch",
    ]
    assert "*Problem 2 of 3*" in body and "*Problem 3 of 3*" in body
    for finding, shown in zip(diagnosis.answers, answer_view(diagnosis).problems, strict=True):
        assert finding.match.entry.title in body
        assert shown.fix is not None and shown.fix.text.split()[0] in body


def test_one_problem_has_no_problem_sections(matcher: Matcher) -> None:
    diagnosis = diagnose_paste(
        matcher, "0/1 nodes are available: 1 node(s) had taints that the pod didn't tolerate."
    )
    body = "\n".join(text for _, text in texts(diagnosis_blocks(diagnosis)))
    assert len(diagnosis.answers) == 1 and "Problem 2" not in body
