"""What the learned policy's guards let the model change, on given probabilities (no model needed)."""

from __future__ import annotations

import pytest

from intents.calibration import Candidate, Policy, judge
from intents.calibration.model import NONE

SURE = {"pvc-pending": 0.9, "oom-killed": 0.05, "dns-resolution-failure": 0.03, NONE: 0.02}
"""The model is sure of pvc-pending."""


def silent(score: float = 0.4, rules: tuple[str, ...] = ()) -> list[Candidate]:
    return [Candidate("oom-killed", 0.45, 0, "low"), Candidate("pvc-pending", score, 1, "low", rules=rules)]


@pytest.mark.parametrize(("policy", "candidates"), [
    (Policy(promote=0.8, promote_floor=0.45), silent(score=0.4)),  # below the floor
    (Policy(promote=0.8, promote_blocked_by=("requires context",)), silent(rules=("requires context",))),
    (Policy(promote=0.8, promote_blocked_by=("evidence",)), silent(rules=("evidence",))),  # the facts refute it
    (Policy(promote=0.8, promote_ties_only=True), silent()),  # no tie silenced it
])
def test_a_candidate_the_guards_hold_back_is_never_answered(policy: Policy, candidates: list[Candidate]) -> None:
    verdict = judge(candidates, SURE, policy)
    assert (verdict.action, verdict.answer) == ("keep", None)


def test_a_candidate_a_tie_silenced_is_answered_when_only_ties_may_be() -> None:
    verdict = judge(silent(rules=("close call",)), SURE, Policy(promote=0.8, promote_ties_only=True))
    assert (verdict.action, verdict.answer) == ("promote", "pvc-pending")


def test_a_high_answer_on_the_words_alone_is_changed_only_as_its_own_thresholds_say() -> None:
    first = [Candidate("oom-killed", 0.8, 0, "high"), Candidate("pvc-pending", 0.4, 1, "low")]
    assert judge(first, SURE, Policy(promote=2.0, gate=0.5, switch=0.5)).action == "keep"
    assert judge(first, SURE, Policy(promote=2.0, gate_high=0.1)).action == "veto"
    assert judge(first, SURE, Policy(promote=2.0, switch_high=0.8)).answer == "pvc-pending"


def test_beside_an_answer_the_unsaid_candidates_from_the_order_floor_up_are_listed_by_probability() -> None:
    candidates = [Candidate("dns-resolution-failure", 0.6, 0, "medium", named_outright=True),
                  Candidate("oom-killed", 0.44, 1, "low"),
                  Candidate("pvc-pending", 0.2, 2, "low"), Candidate("disk-full", 0.1, 3, "low")]
    everything = judge(candidates, SURE, Policy(promote=2.0, order_floor=0.0))
    assert everything.listing == ("dns-resolution-failure", "pvc-pending", "oom-killed", "disk-full")
    assert everything.moved == {"pvc-pending": "oom-killed"}
    floored = judge(candidates, SURE, Policy(promote=2.0, order_floor=0.3))
    assert floored.listing == ("dns-resolution-failure", "oom-killed", "pvc-pending", "disk-full")
    kept = judge(candidates, SURE, Policy(promote=2.0, order_floor=2.0))
    assert kept.listing == tuple(c.id for c in candidates)


def test_on_a_silent_paste_every_candidate_after_the_first_is_listed_by_probability() -> None:
    """The listing of a silent paste is what "Is it one of these?" offers: the model orders it,
    whatever the floor beside an answer (it chooses among candidates well)."""
    candidates = [Candidate("dns-resolution-failure", 0.45, 0, "low"), Candidate("oom-killed", 0.44, 1, "low"),
                  Candidate("disk-full", 0.3, 2, "low"), Candidate("pvc-pending", 0.2, 3, "low")]
    verdict = judge(candidates, SURE, Policy(promote=2.0, order_floor=2.0))
    assert verdict.answer is None
    assert verdict.listing == ("dns-resolution-failure", "pvc-pending", "oom-killed", "disk-full")
    assert verdict.moved == {"pvc-pending": "oom-killed"}


def test_a_candidate_the_guards_hold_back_keeps_its_place_when_the_order_is_guarded() -> None:
    candidates = [Candidate("dns-resolution-failure", 0.45, 0, "low"), Candidate("oom-killed", 0.44, 1, "low"),
                  Candidate("pvc-pending", 0.2, 2, "low", rules=("evidence",))]
    policy = Policy(promote=2.0, promote_blocked_by=("evidence",), order_guarded=True)
    assert judge(candidates, SURE, policy).listing == ("dns-resolution-failure", "oom-killed", "pvc-pending")


def test_suggestions_follow_the_policy_and_never_name_what_the_facts_refute() -> None:
    one = [Candidate("dns-resolution-failure", 0.3, 0, "low")]
    assert judge(one, SURE, Policy(promote=2.0, suggest=2)).suggested == ("pvc-pending", "oom-killed")
    assert judge(one, SURE, Policy(promote=2.0, suggest=2, suggest_min=0.1)).suggested == ("pvc-pending",)
    assert judge(one, SURE, Policy(promote=2.0, suggest=2), refuted={"pvc-pending"}).suggested == ("oom-killed",)
    assert judge([], SURE, Policy(promote=2.0, suggest=2, suggest_alone=False)).suggested == ()
    answered = [Candidate("dns-resolution-failure", 0.6, 0, "medium", named_outright=True)]
    assert judge(answered, SURE, Policy(promote=2.0, suggest=2, suggest_silent_only=True)).suggested == ()


def test_a_policy_read_back_from_model_json_is_the_same() -> None:
    policy = Policy(promote=0.9, promote_blocked_by=("evidence", "requires context"), suggest=2)
    assert Policy.from_json(policy.to_json()) == policy
