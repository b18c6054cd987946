"""Recorded kubectl outputs, hand-written in the shapes kubectl prints, read by the real reader."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.cluster.outputs import OutputsReader
from bot.cluster.outputs.ages import Clock

NOW = datetime(2026, 3, 2, 12, 0, 0, tzinfo=UTC)
"""When these tests' outputs were recorded (`--at`): their ages are relative to it."""

Record = Callable[..., OutputsReader]


@pytest.fixture
def record(tmp_path: Path) -> Record:
    """Write the texts (dedented) as files 01.txt, 02.txt, ... and read them as outputs."""

    def read(*texts: str, now: datetime = NOW) -> OutputsReader:
        for i, text in enumerate(texts, start=1):
            (tmp_path / f"{i:02d}.txt").write_text(textwrap.dedent(text).lstrip("\n"))
        return OutputsReader(tmp_path, clock=Clock(now))

    return read


def at(obj: Any, path: str) -> Any:
    """The value at a dotted path (`status.containerStatuses.0.state`), None when absent."""
    for part in path.split("."):
        if isinstance(obj, list):
            obj = obj[int(part)] if part.isdigit() and int(part) < len(obj) else None
        elif isinstance(obj, dict):
            obj = obj.get(part)
        else:
            return None
    return obj
