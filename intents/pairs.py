"""Score one symptom against one paste segment.

Weighted coverage (how much of the symptom's weight the segment contains),
scaled by how much information that is (one rare token is a strong hint,
three common words are not), times a rapidfuzz similarity that rewards the
same words in the same order.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from rapidfuzz import fuzz

from intents.index import CatalogIndex
from intents.policy import POLICY


def fuzzy_similarity(symptom: str, segment: str) -> float:
    """0..1: the symptom found inside a longer segment, or both compared whole."""
    if len(symptom) <= len(segment):
        return fuzz.partial_ratio(symptom, segment) / 100.0
    return fuzz.ratio(symptom, segment) / 100.0


def pair_score(
    index: CatalogIndex, symptom: int, segment_tokens: AbstractSet[int], fuzzy: float
) -> float:
    """Score of one symptom against one segment's token ids, given their fuzzy similarity."""
    weights = index.weights
    matched = sum(weights[t] for t in index.symptom_tokens(symptom) if t in segment_tokens)
    return score_of_weight(index, symptom, matched, fuzzy)


def score_of_weight(index: CatalogIndex, symptom: int, matched: float, fuzzy: float) -> float:
    """pair_score when the weight of the symptom's tokens in the segment is already summed."""
    mass = index.symptom_mass[symptom]
    if matched <= 0 or mass <= 0:
        return 0.0
    information = min(1.0, matched / index.full_mass)
    return (matched / mass) * information * (1.0 - POLICY.fuzzy_share + POLICY.fuzzy_share * fuzzy)
