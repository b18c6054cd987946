"""How the training chooses the learned policy: the development half's answers, within the suite's cases.

Small made-up rows stand for the development half (out-of-fold probabilities given), and small
suite cases for the tests' own pastes; the search is the one `python -m bench.train_calibration`
runs (bench/calibration_search.py)."""

from __future__ import annotations

from pathlib import Path

from bench.calibration_constraints import SuiteCase
from bench.calibration_data import Pooled
from bench.calibration_policy import Row
from bench.calibration_search import NEVER, choose_policy
from intents.calibration import Candidate, Policy
from intents.calibration.model import NONE
from tests.real_corpus import RealCase

OOM_LIKELY = {"oom-killed": 0.9, "disk-full": 0.05, NONE: 0.05}


def pooled(name: str, expected: tuple[str, ...], candidates: tuple[Candidate, ...]) -> Pooled:
    case = RealCase(Path(f"{name}.txt"), "https://example.org", f"o/{name}", "chat",
                    "positive" if expected else "chat", expected, (), "")
    return Pooled(case, name, candidates, frozenset(), None, tuple(c.id for c in candidates))


def silent_pair() -> tuple[Candidate, ...]:
    return Candidate("disk-full", 0.45, 0, "low"), Candidate("oom-killed", 0.42, 1, "low")


DEVELOPMENT: list[Row] = [(pooled(f"right-{n}", ("oom-killed",), silent_pair()), OOM_LIKELY) for n in range(3)]
"""Three silent pastes the model would answer right: promoting pays on the development half."""


def test_promoting_is_chosen_when_the_development_half_gains_and_no_suite_case_objects() -> None:
    policy, tally, _seen = choose_policy(DEVELOPMENT, [], [])
    assert policy.promote <= 0.9 and tally.right == 3


def test_a_suite_row_that_wants_silence_turns_the_promotion_down() -> None:
    quiet = SuiteCase("We raised the limit and nothing is OOMKilled any more.", silent_pair(),
                      rows=[{"answer": None}])
    policy, tally, seen = choose_policy(DEVELOPMENT, [quiet], [OOM_LIKELY])
    assert (policy.promote, tally.right) == (NEVER.promote, 0)
    assert seen["and_breaking_no_suite_case"] < seen["within_the_budget"]


def test_a_labelled_negative_may_not_be_newly_answered_but_a_right_answer_may_stay() -> None:
    negative = SuiteCase("healthy output", silent_pair(), expected=())
    promoted = negative.verdict(OOM_LIKELY, Policy(promote=0.5))
    assert negative.broken(promoted) == ["negative answered oom-killed"]
    assert negative.broken(negative.verdict(OOM_LIKELY, NEVER)) == []


def test_a_paste_whose_test_asserts_its_listing_keeps_the_rules_three() -> None:
    listed = SuiteCase("a paste", silent_pair(), listing_sensitive=True)
    suggesting = listed.verdict({**OOM_LIKELY, "pvc-pending": 0.04}, Policy(promote=2.0, suggest=1))
    change = "listing ['disk-full', 'oom-killed'] -> ['disk-full', 'oom-killed', 'pvc-pending']"
    assert listed.broken(suggesting) == [change]
    assert listed.broken(listed.verdict(OOM_LIKELY, Policy(promote=2.0, order_floor=2.0))) == []
