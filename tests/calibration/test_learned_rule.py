"""The `learned` rule in the decision: what a verdict does to a pasted answer, and its trace.

The opinion is given (`consulting`), so each case shows the rule applying a verdict, whatever
the shipped model would say."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from bot.diagnosis.paste import diagnose_paste
from intents.calibration import (
    Assessment,
    Candidate,
    Opinion,
    Policy,
    consulting,
    judge,
    rules_only,
)
from intents.matcher import Matcher

TIED = "the init container was killed, exit code 137, no idea why\n"
"""OOMKilled and a plain SIGKILL read alike: a close call, silent on the rules alone."""


def opinion(probabilities: dict[str, float], policy: Policy) -> Opinion:
    def given(_text: str, candidates: Sequence[Candidate], refuted: Collection[str]) -> Assessment:
        return judge(candidates, probabilities, policy, refuted)
    return given


def test_the_rules_verdict_alone_leaves_the_close_call_silent_and_untraced(matcher: Matcher) -> None:
    with consulting(rules_only):
        diagnosis = diagnose_paste(matcher, TIED)
    assert diagnosis.answer is None
    assert {f.match.id for f in diagnosis.findings} >= {"oom-killed", "exit-code-137-sigkill"}
    assert not any(step.rule == "learned" for f in diagnosis.findings for step in f.match.why)


def test_a_promoted_candidate_is_the_answer_at_medium_and_says_why(matcher: Matcher) -> None:
    with consulting(opinion({"exit-code-137-sigkill": 0.9, "oom-killed": 0.05}, Policy(promote=0.8))):
        diagnosis = diagnose_paste(matcher, TIED)
    assert diagnosis.answer is not None and diagnosis.answer.match.id == "exit-code-137-sigkill"
    assert diagnosis.answer.match.confidence == "medium"
    assert [step.effect for step in diagnosis.answer.match.why if step.rule == "learned"] == [
        "p=0.90 for exit-code-137-sigkill, promoted from silent"]


def test_a_suggestion_is_listed_low_with_its_reason_and_never_answered(matcher: Matcher) -> None:
    probabilities = {"init-container-failed": 0.7, "oom-killed": 0.1, "exit-code-137-sigkill": 0.1}
    with consulting(opinion(probabilities, Policy(promote=2.0, suggest=1))):
        diagnosis = diagnose_paste(matcher, TIED)
    assert diagnosis.answer is None
    suggested = next(f for f in diagnosis.findings if f.match.id == "init-container-failed")
    assert (suggested.match.score, suggested.match.confidence) == (0.0, "low")
    assert [(s.rule, s.effect) for s in suggested.match.why][:1] == [
        ("learned", "suggested by the learned model alone (p=0.70): never the answer")]
    assert len(diagnosis.findings) <= 4, "three slots (a folded symptom aside)"
