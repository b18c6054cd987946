"""Confidence learned from labelled pastes: a second opinion on the rules' candidates.

`assess(text, candidates)` returns an `Assessment` (what to answer, in which order to list the
candidates, and a one-line reason for the trace). The model is trained by
`python -m bench.train_calibration` and shipped as package data (intents/calibration/data).
"""

from intents.calibration.assess import Action, Assessment, Candidate, Policy, assess, judge
from intents.calibration.model import ModelError, TextModel, shipped_model

__all__ = ["Action", "Assessment", "Candidate", "ModelError", "Policy", "TextModel", "assess", "judge",
           "shipped_model"]
