"""A damaged or foreign calibration model fails at load with the model's own ModelError (on which
the learned rule stands aside, intents/calibration/assess.py), never later with a TypeError, an
IndexError or a NaN probability.

Each case writes a small valid model (intents.calibration.model.write_model, pure Python), breaks
it in one way, and loads it."""

from __future__ import annotations

import json
import math
import struct
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from intents.calibration import ModelError
from intents.calibration.model import MODEL_JSON, NONE, WEIGHTS, TextModel, write_model
from intents.calibration.text import terms

META = {"classes": ["oom-killed", NONE], "temperature": 1.0, "reading": {}}
HEADER = 16
"""Magic and three counts; then intercepts (2 floats), idf (2), offsets (3 uint32), classes (3
uint16), weights (3 floats)."""
WEIGHTS_AT = HEADER + 4 * 2 + 4 * 2 + 4 * 3 + 2 * 3


def small_model(folder: Path) -> Path:
    write_model(
        folder,
        dict(META),
        ["oomkilled", "ready"],
        [0.1, 0.2],
        [1.5, 1.2],
        [[(0, 2.0), (1, -1.0)], [(1, 1.5)]],
    )
    return folder


def _json(change: Callable[[dict[str, object]], object]) -> Callable[[Path], None]:
    def broken(folder: Path) -> None:
        path = folder / MODEL_JSON
        path.write_text(json.dumps(change(json.loads(path.read_text()))))

    return broken


def _bytes(change: Callable[[bytearray], None]) -> Callable[[Path], None]:
    def broken(folder: Path) -> None:
        data = bytearray((folder / WEIGHTS).read_bytes())
        change(data)
        (folder / WEIGHTS).write_bytes(bytes(data))

    return broken


def _float(at: int, value: float) -> Callable[[bytearray], None]:
    return lambda data: data.__setitem__(slice(at, at + 4), struct.pack("<f", value))


BREAKS: dict[str, tuple[Callable[[Path], None], str]] = {
    "json-list": (_json(lambda meta: [meta]), "not a JSON object"),
    "no-classes": (
        _json(lambda meta: {k: v for k, v in meta.items() if k != "classes"}),
        "'classes' is missing",
    ),
    "bad-temperature": (
        _json(lambda meta: {**meta, "temperature": -1}),
        "temperature must be a positive",
    ),
    "deep-json": (
        lambda folder: (folder / MODEL_JSON).write_text("[" * 100_000 + "]" * 100_000),
        "cannot read the calibration model",
    ),
    "header-only": (
        _bytes(lambda data: data.__delitem__(slice(8, None))),
        "not a kubemedic calibration model",
    ),
    "truncated": (
        _bytes(lambda data: data.__delitem__(slice(WEIGHTS_AT + 4, None))),
        "is truncated",
    ),
    "trailing": (_bytes(lambda data: data.extend(b"\0" * 8)), "bytes past its end"),
    "nan-weight": (
        _bytes(_float(WEIGHTS_AT, math.nan)),
        "weights hold a value that is not a finite number",
    ),
    "inf-intercept": (
        _bytes(_float(HEADER, math.inf)),
        "intercepts hold a value that is not a finite number",
    ),
    "class-out-of-range": (
        _bytes(
            lambda data: data.__setitem__(slice(WEIGHTS_AT - 2, WEIGHTS_AT), struct.pack("<H", 7))
        ),
        "names a class past",
    ),
    "offsets-backwards": (
        _bytes(
            lambda data: data.__setitem__(slice(HEADER + 20, HEADER + 24), struct.pack("<I", 9))
        ),
        "offsets do not cover",
    ),
}


def test_the_small_model_is_sound(tmp_path: Path) -> None:
    model = TextModel.load(small_model(tmp_path))
    assert math.isfinite(sum(model.probabilities(Counter(terms("OOMKilled"))).values()))


@pytest.mark.parametrize("case", sorted(BREAKS))
def test_a_broken_model_fails_at_load_with_model_error(tmp_path: Path, case: str) -> None:
    breaks, said = BREAKS[case]
    breaks(small_model(tmp_path))
    with pytest.raises(ModelError, match=said):
        TextModel.load(tmp_path)
