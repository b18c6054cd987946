"""The learned decision: one model that reads each candidate's trace and says answer, offer or
stay quiet (intents.calibration.decision), with a text model's probability among its features.

`assess(question)` returns a `Verdict` (what to answer, in which order to list the candidates,
and a one-line reason for the trace). The models are trained by `python -m
bench.train_calibration` and shipped as package data (intents/calibration/data).
"""

from intents.calibration.assess import assess, consulting, rules_only, second_opinion, stale_ids
from intents.calibration.decision import Decision, Question, Thresholds, Verdict, decide
from intents.calibration.features import Candidate, PasteSigns, paste_signs
from intents.calibration.model import ModelError, shipped_model

__all__ = [
    "Candidate",
    "Decision",
    "ModelError",
    "PasteSigns",
    "Question",
    "Thresholds",
    "Verdict",
    "assess",
    "consulting",
    "decide",
    "paste_signs",
    "rules_only",
    "second_opinion",
    "shipped_model",
    "stale_ids",
]
