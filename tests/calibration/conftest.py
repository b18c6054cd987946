"""A tiny hand-made model (three classes, four terms) and a one-feature decision whose every number
a test can compute."""

from __future__ import annotations

from pathlib import Path

import pytest

from intents.calibration import Decision, Thresholds
from intents.calibration.model import NONE, TextModel, write_model

CLASSES = ["disk-full", "oom-killed", NONE]
VOCABULARY = ["oomkilled", "disk", "full", "memory"]
INTERCEPT = [0.0, 0.0, 0.3]
IDF = [1.0, 1.0, 1.0, 2.0]
POSTINGS = [[(1, 2.0)], [(0, 1.5)], [(0, 1.0)], [(1, 0.5), (2, -0.25)]]
DECISION = Decision(
    features=("p",),
    centre=(0.0,),
    scale=(1.0,),
    weights=(10.0,),
    intercept=-5.0,
    rule_names=(),
    thresholds=Thresholds(
        silent=0.5,
        medium=0.3,
        high=0.05,
        switch=0.5,
        suggest=1,
        suggest_scale=1.0,
        suggest_silent_only=True,
    ),
)
"""P(right) = 1 / (1 + e^-(10 p - 5)): the text model's p = 0.95 gives 0.989, p = 0.02 gives 0.0074."""


def write_tiny(folder: Path, **changes: object) -> None:
    meta = {
        "format": 3,
        "classes": CLASSES,
        "temperature": 0.5,
        "decision": DECISION.to_json(),
        "reading": {"head": 1600, "lines": 800, "line": 240},
        "fingerprint": {},
        "training": {},
    }
    write_model(folder, {**meta, **changes}, VOCABULARY, INTERCEPT, IDF, POSTINGS)


@pytest.fixture
def tiny(tmp_path: Path) -> TextModel:
    write_tiny(tmp_path)
    return TextModel.load(tmp_path)
