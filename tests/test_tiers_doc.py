"""docs/testing.md's tier table names every tier tests/tiers.py marks, with the command that runs it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.tiers import TIERS

TESTING = Path(__file__).resolve().parents[1] / "docs" / "testing.md"


def tier_rows() -> dict[str, str]:
    """Each table row that starts with a back-quoted tier name, by that name."""
    rows = re.findall(r"^\| `([a-z]+)` \|(.*)$", TESTING.read_text(), flags=re.MULTILINE)
    return dict(rows)


def test_every_tier_has_a_row_in_the_testing_doc() -> None:
    assert sorted(set(TIERS) - set(tier_rows())) == []


def test_every_row_of_the_tier_table_is_a_tier_and_says_how_to_run_it() -> None:
    rows = tier_rows()
    assert sorted(set(rows) - set(TIERS)) == []
    for marker, row in rows.items():
        assert f"-m {marker}" in row or f"`-m {marker}`" in row, (
            f"the {marker} row does not say how to run it"
        )
