"""How the training chooses the learned decision's thresholds (bench/calibration_decision.py).

Small made-up rows stand for the development half and for the suite's case-table rows, with
their P(right) given; the choice is the one `python -m bench.train_calibration` makes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.calibration_data import Pooled
from bench.calibration_policy import Row, before
from intents.calibration import Candidate, Question
from tests.real_corpus import RealCase

pytest.importorskip("numpy", reason="the training's search needs numpy")


def pooled(
    name: str, expected: tuple[str, ...], *, kind: str = "chat", klass: str | None = None
) -> Pooled:
    candidates = (Candidate("disk-full", 0.45, 0, "low"), Candidate("oom-killed", 0.42, 1, "low"))
    case = RealCase(
        Path(name),
        "https://example.org",
        f"o/{name}",
        kind,
        klass or ("positive" if expected else "chat"),
        expected,
        (),
        "",
    )
    return Pooled(case, name, Question(name, candidates), None, ("disk-full", "oom-killed"))


LIKELY = {"disk-full": 0.1, "oom-killed": 0.9}


def test_answering_a_silent_candidate_is_chosen_when_the_development_half_gains() -> None:
    from bench.calibration_decision import choose_answering

    rows: list[Row] = [(pooled(f"right-{n}", ("oom-killed",)), {}) for n in range(3)]
    thresholds, counts = choose_answering(rows, [LIKELY] * 3, before(p for p, _ in rows))
    assert thresholds.silent <= 0.9 and counts["right"] == 3


def test_a_suite_row_that_wants_silence_weighs_several_answers_but_is_no_veto() -> None:
    from bench.calibration_decision import (
        SUITE_WEIGHT,
        choose_answering,
        decision_of,
        fit,
        wrong_rows,
    )

    quiet = (pooled("test_x::quiet", (), kind="suite", klass="suite-quiet"), {})
    few: list[Row] = [(pooled(f"right-{n}", ("oom-killed",)), {}) for n in range(SUITE_WEIGHT)]
    _thresholds, counts = choose_answering(
        [*few, quiet], [LIKELY] * (SUITE_WEIGHT + 1), before(p for p, _ in few)
    )
    assert counts["right"] == 0, "as many development answers as the row weighs do not outweigh it"
    more: list[Row] = [(pooled(f"right-{n}", ("oom-killed",)), {}) for n in range(SUITE_WEIGHT + 1)]
    rows = [*more, quiet]
    thresholds, counts = choose_answering(rows, [LIKELY] * len(rows), before(p for p, _ in more))
    assert counts["right"] == SUITE_WEIGHT + 1 and counts["suite quiet answered"] == 1
    import numpy as np

    fitted = fit(np.array([[0.0], [1.0]]), np.array([False, True]), seed=0)
    decision = decision_of(fitted, ["p"], [], thresholds)
    assert [name for _, name in wrong_rows(rows, decision, [LIKELY] * len(rows))] == [
        "test_x::quiet (wants silence)"
    ]


def test_the_rules_own_bad_answers_bound_the_choice() -> None:
    from bench.calibration_decision import choose_answering

    rows: list[Row] = [
        (pooled("right", ("oom-killed",)), {}),
        (pooled("chat", ()), {}),
        (pooled("chat-2", ()), {}),
    ]
    thresholds, counts = choose_answering(rows, [LIKELY] * 3, before(p for p, _ in rows))
    assert counts["chat"] == 0 and counts["right"] == 0 and thresholds.silent > 0.9
