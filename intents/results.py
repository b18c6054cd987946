"""Plain result types of matching, shared by every layer above."""

from __future__ import annotations

from dataclasses import dataclass

from intents.policy import POLICY
from intents.schema import CatalogEntry, Confidence


def confidence_for(score: float) -> Confidence:
    """Map a 0..1 score to the confidence the bot acts on."""
    if score >= POLICY.high:
        return "high"
    if score >= POLICY.medium:
        return "medium"
    return "low"


@dataclass(frozen=True)
class MatchedLine:
    """A piece of the paste that matched a symptom, for explaining the match."""

    line: str
    symptom: str
    score: float


@dataclass(frozen=True)
class Match:
    """One catalog entry that explains (part of) the paste."""

    entry: CatalogEntry
    score: float
    matched: tuple[MatchedLine, ...] = ()
    context_missing: bool = False
    """The entry's `requires` found nothing in the paste, so its score was capped low: the
    words fit, but the paste is not about what the entry needs."""

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def confidence(self) -> Confidence:
        return confidence_for(self.score)
