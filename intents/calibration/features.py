"""What the learned decision reads of each candidate: named numbers from its trace and the paste.

Each candidate the rules leave (`Candidate`) becomes a dict of named features: how the rules
scored and placed it, the kinds of evidence in its lines, which rules changed it, whether facts
refute it or its context is absent, whether its lines deny the failure, the text model's
probability of it and of "no entry", and what kind of paste it came in (length, written
sentences, kubectl output read and healthy). Training (bench/calibration_decision.py) and the bot
compute them with these functions, so both sides read the same numbers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from intents.calibration.model import NONE
from intents.normalize import clean_text
from intents.policy import POLICY
from intents.results import EvidenceKind

KINDS = tuple(kind.value for kind in EvidenceKind)
_NEGATION = re.compile(
    r"\b(?:no|not|never|none|nothing|without|neither|nor)\b|n't\b|\bcannot\b", re.IGNORECASE
)
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet|instead)\b", re.IGNORECASE)
_STAMP = re.compile(r"\d\d:\d\d:\d\d")
_WORDS = re.compile(r"[A-Za-z]{2,}")
MAX_SAMPLE_LINES = 80
"""Lines of a paste read for its kind (written sentences or output): its head says enough."""
LOG_FLOOR = 1e-4
"""Added to a probability before its logarithm (part of the features' definition, fixed when
the decision is trained)."""


@dataclass(frozen=True)
class Candidate:
    """One candidate as the rules left it, with the signs the decision reads."""

    id: str
    score: float
    rank: int
    """0 is the rules' first."""
    confidence: str
    confirmed: bool = False
    """Facts (the paste's kubectl output, a cluster read) confirm it."""
    named_outright: bool = False
    """A component's own message format names it, or one of its regexes matched."""
    lines: tuple[str, ...] = ()
    """The paste lines it was matched on (the text model reads those beyond the paste's head)."""
    rules: tuple[str, ...] = ()
    """The decision rules that changed it (its trace)."""
    because: tuple[str, ...] = ()
    """The candidates that explain it (it is their symptom): it is listed under them."""
    kinds: tuple[str, ...] = ()
    """The kinds of evidence of its lines (intents.results.EvidenceKind values)."""
    refuted: bool = False
    """The paste's facts contradict it (every rule it has read, none held)."""
    context_missing: bool = False
    """Its `requires` found nothing in the paste."""
    denied: bool = False
    """The paste says it is not so (the decision's `denied` rule lowered it)."""
    common_words: bool = False
    """It matched only on words many entries use (the rules' `needs a rare word`)."""
    chosen: bool = False
    """A person chose it for this paste, or for one that reads the same (the team's example)."""


@dataclass(frozen=True)
class PasteSigns:
    """What kind of paste the candidates came from."""

    chars: int = 0
    sentences: float = 0.0
    """Share of the paste's lines that are sentences someone wrote."""
    negations: float = 0.0
    """Share of its lines that deny something ("no", "not", "n't", "without")."""
    contrast: bool = False
    """A "but", "however", "though" ...: one thing said against another."""
    output: bool = False
    """kubectl output was read in it."""
    healthy: bool = False
    """All the kubectl output read in it is healthy."""


def paste_signs(text: str, *, output: bool = False, healthy: bool = False) -> PasteSigns:
    """The paste's kind, read from its first lines once transport damage is undone (a chat
    client's quoting, a terminal's pane borders)."""
    text = clean_text(text)
    lines = [line.strip() for line in text.splitlines()[:MAX_SAMPLE_LINES] if line.strip()]
    if not lines:
        return PasteSigns(len(text), output=output, healthy=healthy)
    sentences = sum(1 for line in lines if _written(line))
    denying = sum(1 for line in lines if _NEGATION.search(line))
    return PasteSigns(
        len(text),
        sentences / len(lines),
        denying / len(lines),
        bool(_CONTRAST.search("\n".join(lines))),
        output,
        healthy,
    )


PASTE_KINDS = ("prose", "mixed", "log", "event")
"""The kinds of paste the decision is calibrated for: people's sentences, sentences and output
mixed, a component's log, kubectl output (events, describe, tables)."""


def paste_kind(signs: PasteSigns) -> str:
    """Which of PASTE_KINDS a paste is, from its signs: kubectl output read makes it `event`,
    the share of its lines written as sentences (POLICY.prose_share, log_share) the others."""
    if signs.output:
        return "event"
    if signs.sentences >= POLICY.prose_share:
        return "prose"
    return "log" if signs.sentences < POLICY.log_share else "mixed"


def _written(line: str) -> bool:
    """A sentence someone wrote: words in single spaces, no clock time, enough words."""
    return (
        "  " not in line
        and not _STAMP.search(line)
        and len(_WORDS.findall(line)) >= POLICY.sentence_min_words
    )


def candidate_features(
    candidate: Candidate,
    candidates: Sequence[Candidate],
    probabilities: dict[str, float],
    signs: PasteSigns,
    rule_names: Sequence[str],
) -> dict[str, float]:
    """The named features of one candidate among the paste's candidates."""
    others = [c for c in candidates if c.id != candidate.id]
    first = min(candidates, key=lambda c: c.rank)
    p = probabilities.get(candidate.id, 0.0)
    p_none = probabilities.get(NONE, 0.0)
    p_others = max((probabilities.get(c.id, 0.0) for c in others), default=0.0)
    denied = any(_NEGATION.search(line) for line in candidate.lines)
    found = {
        "score": min(candidate.score, 1.0),
        "high": float(candidate.score >= POLICY.high),
        "medium": float(POLICY.medium <= candidate.score < POLICY.high),
        "first": float(candidate.rank == 0),
        "inverse rank": 1.0 / (1 + candidate.rank),
        "lead": candidate.score - max((c.score for c in others), default=0.0),
        "candidates": len(candidates) / 10,
        "confirmed": float(candidate.confirmed),
        "named outright": float(candidate.named_outright),
        "refuted": float(candidate.refuted),
        "context missing": float(candidate.context_missing),
        "denied": float(candidate.denied),
        "a symptom": float(bool(candidate.because)),
        "lines": min(len(candidate.lines), 5) / 5,
        "first is silent": float(first.confidence == "low"),
        "first is confirmed or named": float(first.confirmed or first.named_outright),
        "p": p,
        "log p": math.log(p + LOG_FLOOR),
        "p leads": float(p > p_others),
        "p margin": p - p_others,
        "p none": p_none,
        "log p none": math.log(p_none + LOG_FLOOR),
        "paste length": math.log(1 + signs.chars) / 10,
        "sentences": signs.sentences,
        "negations": signs.negations,
        "contrast": float(signs.contrast),
        "its lines deny": float(denied),
        "kubectl output": float(signs.output),
        "healthy output": float(signs.healthy),
    }
    found.update({f"kind {kind}": float(kind in candidate.kinds) for kind in KINDS})
    found.update({f"rule {name}": float(name in candidate.rules) for name in rule_names})
    return found
