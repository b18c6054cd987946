"""The learned rule's decisions on the rules' candidates, with a tiny model whose numbers are known.

With the tiny model at temperature 0.5, a paste saying "OOMKilled" gives oom-killed p = 0.95
and disk-full p = 0.02; a paste the model has no word of gives every class about a third.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intents.calibration import Candidate, TextModel, assess
from intents.calibration import model as model_module

OOM_TEXT = "Last State: Terminated, Reason: OOMKilled"


def test_a_silent_paste_gets_the_candidate_the_model_finds_likely(tiny: TextModel) -> None:
    candidates = [Candidate("disk-full", 0.46, 0, "low"), Candidate("oom-killed", 0.45, 1, "low")]
    verdict = assess(OOM_TEXT, candidates, tiny)
    assert (verdict.action, verdict.answer) == ("promote", "oom-killed")
    assert verdict.order == ("oom-killed", "disk-full")
    assert verdict.reason == "learned: p=0.95 for oom-killed, promoted from silent"


def test_a_silent_paste_stays_silent_when_the_model_is_unsure(tiny: TextModel) -> None:
    verdict = assess("something else entirely", [Candidate("oom-killed", 0.45, 0, "low")], tiny)
    assert (verdict.action, verdict.answer) == ("keep", None)
    assert verdict.reason == "learned: no candidate likely enough to answer"


def test_a_medium_answer_on_the_words_alone_is_silenced_when_the_model_finds_it_unlikely(tiny: TextModel) -> None:
    verdict = assess(OOM_TEXT, [Candidate("disk-full", 0.6, 0, "medium")], tiny)
    assert (verdict.action, verdict.answer) == ("veto", None)
    assert verdict.reason == "learned: p=0.02 for disk-full, a medium answer on the words alone, silenced"


@pytest.mark.parametrize("first", [
    Candidate("disk-full", 0.6, 0, "medium", confirmed=True),  # facts confirm it
    Candidate("disk-full", 0.9, 0, "high"),  # the rules are sure
    Candidate("disk-full", 0.6, 0, "medium", named_outright=True),  # a component's message names it
])
def test_a_confirmed_high_or_named_answer_is_never_changed(tiny: TextModel, first: Candidate) -> None:
    rival = Candidate("oom-killed", 0.4, 1, "low")
    verdict = assess(OOM_TEXT, [first, rival], tiny)
    assert (verdict.action, verdict.answer) == ("keep", "disk-full")
    assert verdict.order == ("disk-full", "oom-killed")
    assert verdict.reason == "learned: p=0.02 for disk-full, kept"


def test_another_candidate_is_answered_instead_when_the_model_is_sure_of_it(tiny: TextModel) -> None:
    candidates = [Candidate("disk-full", 0.6, 0, "medium"), Candidate("oom-killed", 0.45, 1, "low")]
    verdict = assess(f"{OOM_TEXT}\n{OOM_TEXT}", candidates, tiny)
    assert (verdict.action, verdict.answer) == ("switch", "oom-killed")
    assert verdict.reason.startswith("learned: p=0.95 for oom-killed over disk-full (p=0.02)")


def test_the_model_never_answers_alone(tiny: TextModel) -> None:
    verdict = assess(OOM_TEXT, [], tiny)
    assert verdict.answer is None
    # it may suggest what no rule found, for the list of other matches only
    assert verdict.listing == ("oom-killed",)


def test_a_suggestion_is_listed_by_probability_but_never_answered(tiny: TextModel) -> None:
    verdict = assess(OOM_TEXT, [Candidate("disk-full", 0.3, 0, "low")], tiny)
    assert verdict.answer is None
    assert verdict.order == ("disk-full",)
    assert verdict.listing == ("oom-killed", "disk-full")


def test_an_id_the_model_does_not_know_is_kept_as_the_rules_say(tiny: TextModel) -> None:
    verdict = assess(OOM_TEXT, [Candidate("entry-added-after-training", 0.6, 0, "medium")], tiny)
    assert (verdict.action, verdict.answer) == ("keep", "entry-added-after-training")
    assert verdict.reason == "learned: p unknown for entry-added-after-training, kept"


def test_candidates_are_read_in_rank_order_whatever_order_they_come_in(tiny: TextModel) -> None:
    candidates = [Candidate("oom-killed", 0.45, 1, "low"), Candidate("disk-full", 0.6, 0, "medium")]
    verdict = assess(f"{OOM_TEXT}\n{OOM_TEXT}", candidates, tiny)
    assert verdict.answer == "oom-killed" and verdict.action == "switch"


def test_the_none_probability_is_reported(tiny: TextModel) -> None:
    verdict = assess("nothing known here", [Candidate("oom-killed", 0.45, 0, "low")], tiny)
    # margins 0, 0 and 0.3 at temperature 0.5: "no entry" is e^0.6 times as likely as each id
    assert verdict.none == pytest.approx(verdict.probabilities["oom-killed"] * 1.8221, rel=1e-3)


def test_without_a_readable_model_the_rules_answer_stands_and_the_trace_says_why(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(model_module, "DATA", tmp_path / "not-installed")
    model_module.shipped_model.cache_clear()
    try:
        verdict = assess(OOM_TEXT, [Candidate("disk-full", 0.6, 0, "medium"), Candidate("oom-killed", 0.4, 1, "low")])
    finally:
        model_module.shipped_model.cache_clear()
    assert (verdict.action, verdict.answer, verdict.order) == ("keep", "disk-full", ("disk-full", "oom-killed"))
    assert verdict.reason.startswith("learned: not consulted (cannot read the calibration model")
