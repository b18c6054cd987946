"""The `learned` rule in the decision: what a verdict does to a pasted answer, and its trace.

The opinion is given (`consulting`), so each case shows the rule applying a verdict, whatever
the shipped model would say: the one-feature decision of tests/calibration/conftest.py on given
text probabilities."""

from __future__ import annotations

from dataclasses import replace

from bot.diagnosis.paste import diagnose_paste
from intents.calibration import Question, Verdict, consulting, decide, rules_only
from intents.calibration.assess import Opinion
from intents.decision.rules import LEARNED
from intents.matcher import Matcher
from tests.calibration.conftest import DECISION

TIED = "the init container was killed, exit code 137, no idea why\n"
"""OOMKilled and a plain SIGKILL read alike: a close call, silent on the rules alone."""


def opinion(probabilities: dict[str, float], suggest: int = 0) -> Opinion:
    decision = replace(DECISION, thresholds=replace(DECISION.thresholds, suggest=suggest))

    def given(question: Question) -> Verdict:
        return decide(question, probabilities, decision)

    return given


def learned_steps(finding: object) -> list[str]:
    return [step.effect for step in finding.match.why if step.rule == LEARNED.name]  # type: ignore[attr-defined]


def test_the_rules_verdict_alone_leaves_the_close_call_silent_and_untraced(
    matcher: Matcher,
) -> None:
    with consulting(rules_only):
        diagnosis = diagnose_paste(matcher, TIED)
    assert diagnosis.answer is None
    assert {f.match.id for f in diagnosis.findings} >= {"oom-killed", "exit-code-137-sigkill"}
    assert not any(learned_steps(f) for f in diagnosis.findings)


def test_an_answered_candidate_is_the_answer_at_medium_and_says_why(matcher: Matcher) -> None:
    with consulting(opinion({"exit-code-137-sigkill": 0.9, "oom-killed": 0.05})):
        diagnosis = diagnose_paste(matcher, TIED)
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "exit-code-137-sigkill"
    assert diagnosis.answer.match.confidence == "medium"
    assert learned_steps(diagnosis.answer)[0].startswith(
        "P(right)=0.98 for exit-code-137-sigkill, at least 0.50: answered"
    )


def test_a_suggestion_is_listed_low_with_its_reason_and_never_answered(matcher: Matcher) -> None:
    probabilities = {"init-container-failed": 0.7, "oom-killed": 0.1, "exit-code-137-sigkill": 0.1}
    with consulting(opinion(probabilities, suggest=1)):
        diagnosis = diagnose_paste(matcher, TIED)
    assert diagnosis.answer is None
    suggested = next(f for f in diagnosis.findings if f.match.id == "init-container-failed")
    assert (suggested.match.score, suggested.match.confidence) == (0.0, "low")
    assert (
        learned_steps(suggested)[0]
        == "suggested by the text model alone (p=0.70): never the answer"
    )
    assert len(diagnosis.findings) <= 4, "three slots (a folded symptom aside)"
