"""Confidence learned from labelled pastes: a second opinion on the rules' candidates.

`assess(text, candidates)` returns an `Assessment` (what to answer, in which order to list the
candidates, and a one-line reason for the trace) under the policy stored with the model
(intents.calibration.judge). The model is trained by `python -m bench.train_calibration` and
shipped as package data (intents/calibration/data).
"""

from intents.calibration.assess import Opinion, assess, consulting, rules_only, second_opinion
from intents.calibration.judge import Action, Assessment, Candidate, Policy, judge
from intents.calibration.model import ModelError, TextModel, shipped_model

__all__ = ["Action", "Assessment", "Candidate", "ModelError", "Opinion", "Policy", "TextModel", "assess",
           "consulting", "judge", "rules_only", "second_opinion", "shipped_model"]
