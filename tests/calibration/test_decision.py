"""The learned decision on the rules' candidates, with a tiny model whose numbers are known.

With the tiny text model at temperature 0.5, a paste saying "OOMKilled" gives oom-killed p = 0.95
and disk-full p = 0.02, so the one-feature decision (tests/calibration/conftest.py) gives them
P(right) 0.989 and 0.007; a paste the model has no word of gives every class about a third.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intents.calibration import Candidate, Decision, Question, Thresholds, assess, decide
from intents.calibration import model as model_module
from intents.calibration.features import candidate_features, paste_signs
from intents.calibration.model import TextModel
from tests.calibration.conftest import DECISION

OOM_TEXT = "Last State: Terminated, Reason: OOMKilled"


def ask(text: str, *candidates: Candidate, **given: object) -> Question:
    return Question(text, list(candidates), **given)  # type: ignore[arg-type]


def test_a_silent_paste_gets_the_candidate_the_decision_finds_likely(tiny: TextModel) -> None:
    verdict = assess(
        ask(
            OOM_TEXT,
            Candidate("disk-full", 0.46, 0, "low"),
            Candidate("oom-killed", 0.45, 1, "low"),
        ),
        model=tiny,
    )
    assert (verdict.action, verdict.answer) == ("answer", "oom-killed")
    assert verdict.listing == ("oom-killed", "disk-full")
    assert verdict.scores["oom-killed"] == 0.5, "answered at medium confidence"
    assert verdict.reason == (
        "P(right)=0.99 for oom-killed, at least 0.50: answered (the rules left the paste silent)"
    )


def test_a_silent_paste_stays_silent_when_no_candidate_is_likely_enough(tiny: TextModel) -> None:
    verdict = assess(
        ask("something else entirely", Candidate("oom-killed", 0.45, 0, "low")), model=tiny
    )
    assert (verdict.action, verdict.answer) == ("quiet", None)
    assert verdict.reason.endswith("below 0.50: not answered")


def test_a_medium_answer_on_the_words_alone_is_silenced_when_unlikely(tiny: TextModel) -> None:
    verdict = assess(ask(OOM_TEXT, Candidate("disk-full", 0.6, 0, "medium")), model=tiny)
    assert (verdict.action, verdict.answer) == ("quiet", None)
    assert verdict.listing == ("disk-full", "oom-killed"), (
        "a candidate a line of the paste speaks for leads the text model's guess, however likely"
    )
    assert verdict.scores["disk-full"] < 0.5
    assert verdict.reason == "P(right)=0.01 for disk-full, below 0.30: silenced"


@pytest.mark.parametrize(
    "first",
    [
        Candidate("disk-full", 0.6, 0, "medium", confirmed=True),  # facts confirm it
        Candidate(
            "disk-full", 0.6, 0, "medium", named_outright=True
        ),  # a message format or regex names it
    ],
)
def test_a_confirmed_or_named_answer_stands(tiny: TextModel, first: Candidate) -> None:
    verdict = assess(ask(OOM_TEXT, first, Candidate("oom-killed", 0.4, 1, "low")), model=tiny)
    assert (verdict.action, verdict.answer) == ("keep", "disk-full")
    assert verdict.reason.endswith("a confirmed, named or chosen answer stands")


def test_a_high_answer_on_the_words_alone_is_kept_from_its_own_threshold(tiny: TextModel) -> None:
    verdict = assess(ask("disk full", Candidate("disk-full", 0.8, 0, "high")), model=tiny)
    assert (verdict.action, verdict.answer) == ("keep", "disk-full")


def test_another_candidate_is_answered_instead_when_it_leads_by_the_margin(tiny: TextModel) -> None:
    verdict = assess(
        ask(
            OOM_TEXT,
            Candidate("disk-full", 0.6, 0, "medium"),
            Candidate("oom-killed", 0.45, 1, "low"),
        ),
        model=tiny,
    )
    assert (verdict.action, verdict.answer) == ("switch", "oom-killed")
    assert verdict.listing[:2] == ("oom-killed", "disk-full") and verdict.scores["disk-full"] < 0.5
    assert verdict.reason.startswith("P(right)=0.99 for oom-killed leads disk-full (P(right)=0.01)")


def test_the_decision_never_answers_or_lists_alone(tiny: TextModel) -> None:
    assert assess(ask(OOM_TEXT), model=tiny).listing == ()
    verdict = assess(ask(OOM_TEXT, Candidate("disk-full", 0.2, 0, "low")), model=tiny)
    assert verdict.answer is None
    assert verdict.suggested == ("oom-killed",), (
        "beside a rule's candidate it may list what no rule found"
    )
    assert verdict.scores["oom-killed"] == 0.0


def test_a_suggestion_never_names_what_the_facts_refute(tiny: TextModel) -> None:
    verdict = assess(
        ask(OOM_TEXT, Candidate("disk-full", 0.3, 0, "low"), refuted={"oom-killed"}), model=tiny
    )
    assert "oom-killed" not in verdict.listing


def test_an_entry_the_model_is_older_than_is_left_to_the_rules(tiny: TextModel) -> None:
    question = ask(
        OOM_TEXT,
        Candidate("disk-full", 0.46, 0, "low"),
        Candidate("oom-killed", 0.45, 1, "low"),
        stale={"oom-killed"},
    )
    verdict = assess(question, model=tiny)
    assert not verdict.consulted and verdict.answer is None
    assert verdict.reason == "not consulted (the model is older than the catalog for oom-killed)"


def test_candidates_are_read_in_rank_order_whatever_order_they_come_in(tiny: TextModel) -> None:
    verdict = assess(
        ask(
            OOM_TEXT,
            Candidate("oom-killed", 0.45, 1, "low"),
            Candidate("disk-full", 0.6, 0, "medium"),
        ),
        model=tiny,
    )
    assert verdict.answer == "oom-killed" and verdict.action == "switch"


def test_without_a_readable_model_the_rules_answer_stands_and_says_why(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(model_module, "DATA", tmp_path / "not-installed")
    model_module.shipped_model.cache_clear()
    try:
        verdict = assess(
            ask(
                OOM_TEXT,
                Candidate("disk-full", 0.6, 0, "medium"),
                Candidate("oom-killed", 0.4, 1, "low"),
            )
        )
    finally:
        model_module.shipped_model.cache_clear()
    assert (verdict.answer, verdict.listing) == ("disk-full", ("disk-full", "oom-killed"))
    assert not verdict.consulted
    assert verdict.reason.startswith("not consulted (cannot read the calibration model")


def test_p_right_is_the_logistic_of_the_standardised_weighted_features() -> None:
    decision = Decision(
        features=("p", "first"),
        centre=(0.5, 0.0),
        scale=(0.25, 1.0),
        weights=(2.0, -1.0),
        intercept=0.5,
        rule_names=(),
    )
    margin = 0.5 + 2.0 * (0.9 - 0.5) / 0.25 - 1.0 * 1.0
    assert decision.chance({"p": 0.9, "first": 1.0}) == pytest.approx(
        1 / (1 + 2.718281828459045**-margin)
    )
    assert Decision.from_json(decision.to_json()) == decision
    assert [name for name, _ in decision.weighed()] == ["p", "first"]


def test_a_candidates_features_name_its_evidence_trace_and_the_pastes_kind() -> None:
    oom = Candidate(
        "oom-killed",
        0.8,
        0,
        "high",
        lines=("exit code 137 but no OOMKilled in describe",),
        rules=("own strength", "close call"),
        kinds=("fuzzy",),
        refuted=True,
    )
    signs = paste_signs(
        "We raised the memory limit but the pod still restarts every hour.\nexit code 137\n",
        output=False,
    )
    found = candidate_features(oom, [oom], {"oom-killed": 0.7}, signs, ("close call", "evidence"))
    assert found["high"] == 1.0 and found["refuted"] == 1.0 and found["kind fuzzy"] == 1.0
    assert found["rule close call"] == 1.0 and found["rule evidence"] == 0.0
    assert found["its lines deny"] == 1.0 and found["contrast"] == 1.0
    assert found["sentences"] == 0.5 and found["p"] == 0.7


def test_thresholds_read_back_from_the_stored_decision_are_the_same() -> None:
    assert Decision.from_json(DECISION.to_json()).thresholds == DECISION.thresholds
    assert decide(ask("x"), {}, Decision((), (), (), (), 0.0, (), Thresholds())).answer is None
