"""The real-paste corpus stays honest: every index line valid, the split rule kept, and the
held-out test half unchanged since it was frozen (labels reviewed by a second reader first)."""

from __future__ import annotations

from bench.realcorpus import FROZEN, check, freeze_lines
from tests.real_corpus import REAL, half_of, load


def test_every_index_line_is_valid_and_in_its_half() -> None:
    assert check() == []


def test_the_test_half_is_unchanged_since_it_was_frozen() -> None:
    frozen = (REAL / "test" / FROZEN).read_text().splitlines()
    assert freeze_lines("test") == frozen, "a test-half paste or index line changed after freezing"


def test_the_halves_hold_enough_verbatim_pastes_from_many_sources() -> None:
    dev, test = load("dev"), load("test")
    assert len(dev) + len(test) >= 1000
    assert all(half_of(case.repo) == "test" for case in test)
    assert len({case.repo for case in test}) >= 250
