"""The suite's own case tables as labelled rows for the learned decision: training and validation.

Every `Case` row of the reading tables (tests/readings/test_*.py) and of the decision's rule
table (tests/decision/test_rule_cases.py) that says what the answer must be (an id, or None:
the bot stays quiet) becomes a labelled row: its paste, run through the product path as the
development half is (bench/calibration_data.py), with its expected answer. The rows train the
decision beside the development half and are counted when its thresholds are chosen; a row the
chosen decision gets wrong is reported by name (bench/train_calibration.py). They are hand
written, not real: they never stand for the real world's figures.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from bench.calibration_data import Pooled, pool_all
from tests.readings.cases import UNSET, Case
from tests.real_corpus import RealCase

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("tests.readings", "tests.decision.test_rule_cases")
QUIET = "suite-quiet"
"""The class of a row whose answer must be silence."""


@dataclass(frozen=True)
class SuiteRow:
    """One case-table row with an answer to keep."""

    name: str
    """`module::case id`, as pytest names the row."""
    case: Case


def table_modules() -> list[str]:
    found = []
    for table in TABLES:
        module = importlib.import_module(table)
        if hasattr(module, "__path__"):
            found += [
                f"{table}.{m.name}"
                for m in pkgutil.iter_modules(module.__path__)
                if m.name.startswith("test_")
            ]
        else:
            found.append(table)
    return found


def suite_rows() -> list[SuiteRow]:
    """Every case-table row that says what the answer must be, once per paste."""
    rows: dict[str, SuiteRow] = {}
    for name in table_modules():
        for value in vars(importlib.import_module(name)).values():
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(c, Case) for c in value)
            ):
                for case in value:
                    if case.answer is not UNSET:
                        rows.setdefault(
                            case.paste, SuiteRow(f"{name.rsplit('.', 1)[-1]}::{case.id()}", case)
                        )
    return list(rows.values())


@dataclass(frozen=True)
class WrittenCase(RealCase):
    """A labelled case whose text is given (a case-table row has no file)."""

    written: str = ""

    def text(self) -> str:
        return self.written


def as_case(row: SuiteRow) -> WrittenCase:
    """The row as a labelled case (its module stands for its source)."""
    answer = row.case.answer
    return WrittenCase(
        path=Path(row.name),
        url="",
        repo=f"suite:{row.name.split('::')[0]}",
        kind="suite",
        klass="positive" if answer else QUIET,
        expected=(answer,) if answer else (),
        also=(),
        note=row.case.why,
        written=row.case.paste,
    )


def pooled_rows(rows: list[SuiteRow]) -> list[Pooled]:
    """The rows through the product path, as the development half's pastes are."""
    return pool_all([as_case(row) for row in rows])
