"""Plain result types of matching, shared by every layer above."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from intents.policy import POLICY

if TYPE_CHECKING:
    from intents.schema import CatalogEntry, Confidence


def confidence_for(score: float) -> Confidence:
    """Map a 0..1 score to the confidence the bot acts on."""
    if score >= POLICY.high:
        return "high"
    if score >= POLICY.medium:
        return "medium"
    return "low"


class EvidenceKind(StrEnum):
    """What a piece of evidence is: how a line or fact came to speak for an entry."""

    GRAMMAR = "grammar"
    """A component's own message format, read clause by clause, names the entry
    (intents/messages)."""
    WRAPPER = "wrapper"
    """A message format names the entry through a wrapper whose detail it does not read."""
    REGEX = "regex"
    """One of the entry's own regexes (`patterns`) matched the line."""
    FUZZY = "fuzzy"
    """The line resembles one of the entry's symptom lines (weighted words, similarity)."""
    FIELD = "field"
    """A field value of the subject itself (a pod's status, an event, a log) held one of the
    entry's evidence rules."""
    CONTEXT = "context"
    """A fact about the subject's surroundings (its node, its owner) held one of the entry's
    evidence rules."""
    CAUSE = "cause"
    """Another finding explains this one (the catalog's `explains`)."""

    @property
    def outright(self) -> bool:
        """The line says the entry in so many words (a regex, or a format read whole)."""
        return self in (EvidenceKind.GRAMMAR, EvidenceKind.REGEX)

    @property
    def by_grammar(self) -> bool:
        return self in (EvidenceKind.GRAMMAR, EvidenceKind.WRAPPER)


@dataclass(frozen=True)
class MatchedLine:
    """A piece of the paste that matched an entry, for explaining the match."""

    line: str
    symptom: str
    """What it matched: the symptom line, the regex, or the message format (by `kind`)."""
    score: float
    kind: EvidenceKind = EvidenceKind.FUZZY


@dataclass(frozen=True)
class Step:
    """One rule's effect on one candidate: the decision's trace (intents.decision)."""

    rule: str
    effect: str


@dataclass(frozen=True)
class Match:
    """One catalog entry that explains (part of) the paste."""

    entry: CatalogEntry
    score: float
    matched: tuple[MatchedLine, ...] = ()
    context_missing: bool = False
    """The entry's `requires` found nothing in the paste, so its score was capped low: the
    words fit, but the paste is not about what the entry needs."""
    why: tuple[Step, ...] = ()
    """What each rule of the decision did to this candidate, in order."""
    denied: bool = False
    """The paste says it is not so ("no OOMKilled"): no learned decision may answer it."""
    common_words: bool = False
    """It matched only on words many entries use (the `needs a rare word` rule): no learned
    decision may answer it."""

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def named_outright(self) -> bool:
        """A line says the entry in so many words: one of its regexes, or a format read whole."""
        return any(line.kind.outright for line in self.matched)

    @property
    def confidence(self) -> Confidence:
        return confidence_for(self.score)
