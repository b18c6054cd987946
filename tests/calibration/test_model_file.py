"""The model files: what the bot computes from them, and a clear error when they are broken."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest

from intents.calibration import ModelError
from intents.calibration.model import MODEL_JSON, WEIGHTS, TextModel
from intents.calibration.text import terms
from tests.calibration.conftest import write_tiny


def test_margins_are_the_intercept_plus_normalised_tfidf_times_the_weights(tiny: TextModel) -> None:
    counts = terms(
        "Disk full: disk"
    )  # disk twice, full once; the word pairs are not in the vocabulary
    assert counts["disk"] == 2 and counts["full"] == 1 and counts["disk full"] == 1
    disk, full = 1 + math.log(2), 1.0
    norm = math.hypot(disk, full)
    margins = tiny.margins(counts)
    assert margins[0] == pytest.approx(1.5 * disk / norm + 1.0 * full / norm)
    assert margins[1:] == pytest.approx([0.0, 0.3])


def test_probabilities_are_a_softmax_of_the_margins_at_the_temperature(tiny: TextModel) -> None:
    probabilities = tiny.probabilities(Counter({"memory": 1}))
    # memory: idf 2, alone so normalised to 1; weights +0.5 (oom-killed) and -0.25 (none)
    exps = [math.exp(m / 0.5) for m in (0.0, 0.5, 0.3 - 0.25)]
    assert list(probabilities.values()) == pytest.approx([e / sum(exps) for e in exps])
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_a_text_without_known_words_leaves_only_the_intercepts(tiny: TextModel) -> None:
    assert tiny.margins(terms("nothing the model knows")) == pytest.approx([0.0, 0.0, 0.3])


def test_a_truncated_weights_file_is_refused_with_a_reason(tmp_path: Path) -> None:
    write_tiny(tmp_path)
    data = (tmp_path / WEIGHTS).read_bytes()
    (tmp_path / WEIGHTS).write_bytes(data[:-3])
    with pytest.raises(ModelError, match="truncated"):
        TextModel.load(tmp_path)


def test_weights_from_another_training_are_refused(tmp_path: Path) -> None:
    write_tiny(tmp_path)
    meta = json.loads((tmp_path / MODEL_JSON).read_text())
    meta["vocabulary"].append("another term")  # model.json from a training with one more term
    (tmp_path / MODEL_JSON).write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="retrain"):
        TextModel.load(tmp_path)


def test_a_missing_model_is_named(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="cannot read the calibration model"):
        TextModel.load(tmp_path / "nowhere")


def test_the_heaviest_terms_of_an_id_come_first(tiny: TextModel) -> None:
    assert tiny.top_terms("disk-full", 5) == [("disk", 1.5), ("full", 1.0)]
