"""Training writes what the bot computes: the pure-Python margins equal scikit-learn's.

Needs the `[train]` extra (scikit-learn); skipped without it, since the bot itself never
imports it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from intents.calibration.model import NONE, TextModel
from intents.calibration.text import terms

pytest.importorskip("sklearn", reason="training needs the [train] extra: pip install -e '.[train]'")

TEXTS = [
    ("Last State: Terminated Reason: OOMKilled Exit Code: 137", "oom-killed"),
    ("container killed OOMKilled memory limit exceeded", "oom-killed"),
    ("Back-off restarting failed container, CrashLoopBackOff", "crashloop-backoff"),
    ("pod is in CrashLoopBackOff, back-off restarting", "crashloop-backoff"),
    ("everything is running fine, all pods ready", NONE),
    ("how do I configure an ingress for two hosts?", NONE),
]


def test_the_written_model_gives_the_margins_scikit_learn_fitted(tmp_path: Path) -> None:
    from bench.calibration_fit import fit, write

    counts = [terms(text) for text, _ in TEXTS]
    classes = ["crashloop-backoff", "oom-killed", NONE]
    fitted = fit(
        counts, [label for _, label in TEXTS], classes, c=1.0, keep=0.5, max_terms=1000, seed=0
    )
    write(fitted, {"temperature": 1.0, "reading": {}}, tmp_path)
    model = TextModel.load(tmp_path)
    probe = [terms("OOMKilled exit code 137"), terms("CrashLoopBackOff again"), terms("all ready")]
    for counted, expected in zip(probe, fitted.margins(probe)):
        assert model.margins(counted) == pytest.approx(list(expected), abs=1e-5)
    assert max(model.probabilities(probe[0]).items(), key=lambda item: item[1])[0] == "oom-killed"


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    from bench.calibration_fit import fit, write

    counts = [terms(text) for text, _ in TEXTS]
    classes = ["crashloop-backoff", "oom-killed", NONE]
    for name in ("first", "second"):
        fitted = fit(
            counts, [label for _, label in TEXTS], classes, c=1.0, keep=0.5, max_terms=1000, seed=3
        )
        write(fitted, {"temperature": 1.0, "reading": {}}, tmp_path / name)
    for file in ("model.json", "weights.bin"):
        assert (tmp_path / "first" / file).read_bytes() == (tmp_path / "second" / file).read_bytes()
