"""The real-paste corpus stays honest: every index line valid, the split rule kept, and the
held-out test half unchanged since it was frozen (labels reviewed by a second reader first)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.realcorpus import (
    FROZEN,
    MISS_MODES,
    Outcome,
    check,
    freeze_lines,
    lifted_by,
    miss_mode,
    risk_coverage,
)
from intents.results import Step
from tests.real_corpus import REAL, RealCase, half_of, load


def test_every_index_line_is_valid_and_in_its_half() -> None:
    assert check() == []


@pytest.mark.parametrize(
    "half",
    [
        "test",
        "fresh25",
        "fresh26",
        "fresh27",
        "fresh28",
        "fresh29",
        "fresh30",
        "fresh31",
        "fresh32",
        "fresh33",
        "fresh34",
    ],
)
def test_a_frozen_half_is_unchanged_since_it_was_frozen(half: str) -> None:
    frozen = (REAL / half / FROZEN).read_text().splitlines()
    assert freeze_lines(half) == frozen, f"a {half} paste or index line changed after freezing"


def test_the_halves_hold_enough_verbatim_pastes_from_many_sources() -> None:
    dev, test = load("dev"), load("test")
    assert len(dev) + len(test) >= 1000
    assert all(half_of(case.repo) == "test" for case in test)
    assert len({case.repo for case in test}) >= 250


def _outcome(
    ranked: list[tuple[str, float, str]],
    answered: tuple[str, ...],
    *,
    klass: str = "positive",
    chance: float | None = None,
    lifted_by: str | None = None,
) -> Outcome:
    case = RealCase(
        Path("x-0001.txt"),
        "https://example.org/1",
        "o/r",
        "log",
        klass,
        ("oom-killed",) if klass == "positive" else (),
        (),
        "",
    )
    return Outcome(case, tuple(ranked), answered, chance=chance, lifted_by=lifted_by)


@pytest.mark.parametrize(
    ("ranked", "answered", "mode"),
    [
        ([("oom-killed", 0.4, "low")], (), 0),
        ([("crashloop-backoff", 0.4, "low"), ("oom-killed", 0.3, "low")], (), 1),
        ([("crashloop-backoff", 0.4, "low")], (), 2),
        ([], (), 3),
        (
            [("crashloop-backoff", 0.9, "high"), ("oom-killed", 0.9, "high")],
            ("crashloop-backoff",),
            4,
        ),
        ([("crashloop-backoff", 0.9, "high")], ("crashloop-backoff",), 5),
    ],
)
def test_each_miss_is_reported_by_how_it_failed(
    ranked: list[tuple[str, float, str]], answered: tuple[str, ...], mode: int
) -> None:
    assert miss_mode(_outcome(ranked, answered)) == MISS_MODES[mode]


def test_risk_against_coverage_drops_the_answers_below_each_point_and_marks_the_operating_one() -> (
    None
):
    right = [_outcome([("oom-killed", 0.9, "high")], ("oom-killed",), chance=0.95)] * 7
    unsure = [_outcome([("oom-killed", 0.6, "medium")], ("oom-killed",), chance=0.65)]
    wrong = [_outcome([("disk-full", 0.9, "high")], ("disk-full",), chance=0.55)]
    said = [_outcome([("disk-full", 0.9, "high")], ("disk-full",), klass="chat", chance=0.85)]
    rows = [
        line for line in risk_coverage(right + unsure + wrong + said) if line.startswith("| all |")
    ]
    # as shipped: all 9 positives answered, 1 of those 9 answers wrong, the chat paste answered
    assert rows[0] == "| all | as shipped | 1.000 | 0.111 | 1.000 | 0 |"
    # from P 0.6 the wrong answer is not given: the first point whose risk is within 3%
    assert rows[2] == "| all | P >= 0.60* | 0.889 | 0.000 | 1.000 | 0 |"
    # from P 0.7 a right answer is withheld too: the right entry first, silent
    assert rows[3] == "| all | P >= 0.70 | 0.778 | 0.000 | 1.000 | 1 |"
    # from P 0.9 the chat paste is not answered either
    assert rows[5] == "| all | P >= 0.90 | 0.778 | 0.000 | 0.000 | 1 |"


def test_the_answers_each_evidence_rule_said_are_counted_right_wrong_and_negative() -> None:
    # an answer the `own words` rule lifted from low, as the decision's trace records it
    why = (
        Step("own strength", "0.30"),
        Step("own words", "its own words in the paste: 0.30 -> medium"),
    )
    assert lifted_by(why) == "own words"
    assert lifted_by((Step("own words", "its own words, beside x's: not said"),)) is None
    right = _outcome([("oom-killed", 0.5, "medium")], ("oom-killed",), lifted_by="own words")
    wrong = _outcome([("disk-full", 0.5, "medium")], ("disk-full",), lifted_by="own words")
    said = _outcome(
        [("disk-full", 0.5, "medium")], ("disk-full",), klass="chat", lifted_by="stated cause"
    )
    unlifted = _outcome([("oom-killed", 0.9, "high")], ("oom-killed",))
    rows = [line for line in risk_coverage([right, wrong, said, unlifted]) if line.count("|") == 7]
    assert "| all | own words | 2 | 1 | 1 | 0 |" in rows
    assert "| all | stated cause | 1 | 0 | 0 | 1 |" in rows
