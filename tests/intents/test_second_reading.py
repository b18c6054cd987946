"""The second, blind reading of the real corpus names real pastes and real catalog entries, and
bench.agreement counts agreement the way its docs say."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.agreement import SECOND, SecondReading, agreement_lines, second_readings
from intents.loader import load_catalog
from tests.real_corpus import CLASSES, RealCase, load


@pytest.mark.parametrize("half", ["dev", "test"])
def test_every_second_reading_is_of_a_paste_of_its_half_and_names_catalog_entries(
    half: str,
) -> None:
    ids = set(load_catalog().entries)
    readings = second_readings(half)
    assert set(readings) <= {case.path.name for case in load(half)}
    for name, reading in readings.items():
        assert reading.klass in CLASSES, name
        assert (reading.best is not None) == (reading.klass == "positive"), name
        assert reading.right_answers <= ids, name
    assert (SECOND / f"{half}.jsonl").read_text(encoding="utf-8").count("\n") == len(readings)


def test_agreement_counts_a_first_answer_among_the_other_readings_right_answers() -> None:
    def case(name: str, klass: str, expected: tuple[str, ...]) -> RealCase:
        return RealCase(Path(name), "https://example.org", "o/r", "log", klass, expected, (), "")

    cases = [
        case("a.txt", "positive", ("oom-killed", "exit-code-137-sigkill")),
        case("b.txt", "positive", ("crashloop-backoff",)),
        case("c.txt", "chat", ()),
    ]
    second = {
        "a.txt": SecondReading("positive", "exit-code-137-sigkill", ()),
        "b.txt": SecondReading("out-of-catalog", None, ()),
        "c.txt": SecondReading("chat", None, ()),
    }
    lines = agreement_lines(cases, second)
    assert "same class: 2/3 = 0.667" in lines[0]
    assert "the second's first answer among the first's: 1/2 = 0.500" in lines[1]
    assert "the first's among the second's: 0/2 = 0.000" in lines[1]
