"""The readings' registry (bot/paste/registry.py) and the case tables beside it agree.

Adding a reading is three files: its module, its case table here (named after the module), and
one line in the registry.  These checks hold each registered reading to that, and to the facts
it declares it yields.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.paste.detect import parse_paste
from bot.paste.reading import filled
from bot.paste.registry import AFTER_READINGS, READINGS, TABLE_READINGS

HERE = Path(__file__).parent
AFTER_YIELDS = frozenset({"PodFacts.services", "PodFacts.quotas"})
"""Facts the after-readings add to what was read (the Services a pod is selected by, a quota's refusals)."""


def _module(function: Callable[..., Any]) -> str:
    return function.__module__.rsplit(".", 1)[-1]


REGISTERED = (
    [(reading.name, _module(reading.read)) for reading in READINGS]
    + [(reading.name, _module(reading.fits)) for reading in TABLE_READINGS]
    + [(after.name, _module(after.run)) for after in AFTER_READINGS]
)


@pytest.mark.parametrize(("name", "module"), REGISTERED, ids=[name for name, _ in REGISTERED])
def test_every_registered_reading_has_its_case_table(name: str, module: str) -> None:
    assert (HERE / f"test_{module}.py").is_file(), f"{name}: no tests/readings/test_{module}.py"


def test_reading_names_are_unique() -> None:
    names = [name for name, _module in REGISTERED]
    assert len(names) == len(set(names))


def _pastes() -> Iterator[str]:
    for table in sorted(HERE.glob("test_*.py")):
        module = importlib.import_module(f"tests.readings.{table.stem}")
        yield from (case.paste for case in getattr(module, "CASES", []))


def test_every_reading_fills_only_the_facts_it_declares() -> None:
    declared = {reading.name: reading.yields for reading in READINGS}
    declared |= {reading.name: reading.yields for reading in TABLE_READINGS}
    tables = frozenset().union(*(reading.yields for reading in TABLE_READINGS))
    undeclared: dict[str, set[str]] = {}
    for paste in _pastes():
        for block in parse_paste(paste).blocks:
            allowed = declared.get(block.reading, frozenset()) | AFTER_YIELDS
            if block.shape.startswith("kubectl get ") and not block.shape.startswith(
                "kubectl get -o"
            ):
                allowed |= tables  # a table's rows are read by every table reading its header fits
            for subject in block.subjects:
                if extra := filled(subject) - allowed:
                    undeclared.setdefault(block.reading, set()).update(extra)
    assert not undeclared
