"""docs/matching.md is reference: its rules are the decision's rules and its figures the code's."""

from __future__ import annotations

import re
from pathlib import Path

from intents.decision.rules import RULES
from intents.messages.formats import load_formats
from intents.results import EvidenceKind

DOC = (Path(__file__).resolve().parents[2] / "docs" / "matching.md").read_text(encoding="utf-8")


def test_every_rule_of_the_decision_is_described_in_its_order() -> None:
    rows = re.findall(r"^\| ([a-z-]+(?: [a-z-]+)*) \|", DOC, flags=re.MULTILINE)
    described = [row for row in rows if row in {rule.name for rule in RULES}]
    assert described == [rule.name for rule in RULES]


def test_every_evidence_kind_is_described() -> None:
    assert all(f"| `{kind}` |" in DOC for kind in EvidenceKind)


def test_the_format_count_is_the_grammars() -> None:
    formats = load_formats()
    components = {fmt.component for fmt in formats}
    assert f"holds {len(formats)} format strings as {len(components)} components" in DOC


def test_the_page_stays_a_reference() -> None:
    assert len(DOC.splitlines()) <= 400
    assert not re.search(
        r"\b(pass|round) \d|\b(first|second|\w+th) pass\b", DOC, flags=re.IGNORECASE
    )
