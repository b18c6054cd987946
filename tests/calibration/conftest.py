"""A tiny hand-made model (three classes, four terms) whose every number a test can compute."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents.calibration import TextModel
from intents.calibration.model import NONE, write_model

CLASSES = ["disk-full", "oom-killed", NONE]
VOCABULARY = ["oomkilled", "disk", "full", "memory"]
INTERCEPT = [0.0, 0.0, 0.3]
IDF = [1.0, 1.0, 1.0, 2.0]
POSTINGS = [[(1, 2.0)], [(0, 1.5)], [(0, 1.0)], [(1, 0.5), (2, -0.25)]]
POLICY = {"promote": 0.5, "gate": 0.1, "switch": 0.8, "suggest": 1}


def write_tiny(folder: Path, **changes: object) -> None:
    meta = {"format": 1, "classes": CLASSES, "temperature": 0.5, "policy": POLICY,
            "reading": {"head": 1600, "lines": 800, "line": 240}, "fingerprint": {}, "training": {}}
    write_model(folder, {**meta, **changes}, VOCABULARY, INTERCEPT, IDF, POSTINGS)


@pytest.fixture
def tiny(tmp_path: Path) -> TextModel:
    write_tiny(tmp_path)
    return TextModel.load(tmp_path)
