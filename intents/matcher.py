"""Score a paste against the catalog and return the entries that explain it.

A (segment, symptom) pair scores by how much of the symptom's weight the
segment contains (weighted coverage), scaled by how much information that
is (one rare token is a strong hint, three common words are not), times a
rapidfuzz similarity that rewards the same words in the same order.  A
catalog regex that hits scores 1.0.  An entry takes its best pair, plus a
small bonus when several of its symptoms appear; catch-all entries are
discounted so a specific explanation wins a tie.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from intents.index import CatalogIndex
from intents.results import Match, MatchedLine
from intents.schema import CatalogEntry
from intents.segments import Segment, split_segments

MIN_COVERAGE = 0.30
SHORTLIST_SYMPTOMS = 80
SEGMENTS_PER_SYMPTOM = 12
FUZZY_SEGMENTS = 3
PATTERN_SEGMENTS = 200
CORROBORATION_MIN = 0.45
CORROBORATION_BONUS = 0.05
FALLBACK_DISCOUNT = 0.85
EXPLAIN_CHARS = 300


def fuzzy_similarity(symptom: str, segment: str) -> float:
    """0..1: the symptom found inside a longer segment, or both compared whole."""
    if len(symptom) <= len(segment):
        return fuzz.partial_ratio(symptom, segment) / 100.0
    return fuzz.ratio(symptom, segment) / 100.0


def pair_score(index: CatalogIndex, symptom: int, segment_tokens: AbstractSet[int], fuzzy: float) -> float:
    """Score of one symptom against one segment's token ids, given their fuzzy similarity."""
    weights = index.weights
    matched = sum(weights[t] for t in index.symptom_tokens(symptom) if t in segment_tokens)
    mass = index.symptom_mass[symptom]
    if matched <= 0 or mass <= 0:
        return 0.0
    information = min(1.0, matched / index.full_mass)
    return (matched / mass) * information * (0.7 + 0.3 * fuzzy)


@dataclass
class EntryHits:
    """Everything one entry scored on one paste."""

    best: float = 0.0
    symptoms_hit: set[str] = field(default_factory=set)
    lines: list[MatchedLine] = field(default_factory=list)

    def add(self, score: float, symptom: str, segment: Segment) -> None:
        if score >= CORROBORATION_MIN:
            self.symptoms_hit.add(symptom)
        self.best = max(self.best, score)
        self.lines.append(MatchedLine(segment.text[:EXPLAIN_CHARS], symptom, round(score, 3)))


@dataclass
class PreparedPaste:
    """A paste's segments with their token ids, and where each token occurs."""

    segments: list[Segment]
    token_sets: list[frozenset[int]]
    positions: dict[int, list[int]]

    @classmethod
    def build(cls, index: CatalogIndex, segments: list[Segment]) -> PreparedPaste:
        vocab = index.vocab
        token_sets = [frozenset(vocab[t] for t in seg.tokens if t in vocab) for seg in segments]
        positions: dict[int, list[int]] = defaultdict(list)
        for position, tokens in enumerate(token_sets):
            for token in tokens:
                positions[token].append(position)
        return cls(segments, token_sets, positions)


class Matcher:
    """Matches pasted text against one catalog index."""

    def __init__(self, index: CatalogIndex) -> None:
        self.index = index

    @classmethod
    def from_entries(cls, entries: Sequence[CatalogEntry]) -> Matcher:
        return cls(CatalogIndex(entries))

    def match(self, text: str, *, top: int = 3) -> list[Match]:
        """The `top` best entries for a paste, best first (possibly all low confidence)."""
        return self.match_segments(split_segments(text, relevant=self.index.is_relevant), top=top)

    def match_segments(self, segments: list[Segment], *, top: int = 3) -> list[Match]:
        paste = PreparedPaste.build(self.index, segments)
        hits: dict[int, EntryHits] = defaultdict(EntryHits)
        for symptom in self._shortlist(paste):
            self._score_symptom(symptom, paste, hits)
        self._score_patterns(paste, hits)
        return rank(self.index, hits, top)

    def _shortlist(self, paste: PreparedPaste) -> list[int]:
        """Symptoms that share discriminating tokens with the paste, best exact coverage first.

        Postings give each reachable symptom the weight of its discriminating
        tokens present in the paste; its few common (unindexed) tokens are
        then looked up in the paste directly, so every reachable symptom is
        ranked by its exact coverage, whatever its mix of rare and common words.
        """
        index = self.index
        reached: dict[int, float] = defaultdict(float)
        for token in paste.positions:
            posting = index.postings.get(token)
            if posting is not None:
                weight = index.weights[token]
                for symptom in posting:
                    reached[symptom] += weight
        weights, mass, full = index.weights, index.symptom_mass, index.full_mass
        common, present_tokens = index.common_lists, paste.positions
        ranked = []
        for symptom, present in reached.items():
            for token in common[symptom]:
                if token in present_tokens:
                    present += weights[token]
            if present >= MIN_COVERAGE * mass[symptom]:
                ranked.append((present / mass[symptom] * min(1.0, present / full), symptom))
        return [symptom for _score, symptom in heapq.nlargest(SHORTLIST_SYMPTOMS, ranked)]

    def _score_symptom(self, symptom: int, paste: PreparedPaste, hits: dict[int, EntryHits]) -> None:
        index = self.index
        overlap: dict[int, float] = defaultdict(float)
        for token in index.symptom_tokens(symptom):
            for position in paste.positions.get(token, ()):
                overlap[position] += index.weights[token]
        best_positions = sorted(overlap, key=overlap.__getitem__, reverse=True)
        scored = sorted(
            (
                (pair_score(index, symptom, paste.token_sets[p], 1.0), p)
                for p in best_positions[:SEGMENTS_PER_SYMPTOM]
            ),
            reverse=True,
        )
        text = index.symptom_text(symptom)
        entry_hits = hits[index.symptom_entry[symptom]]
        for ceiling, position in scored[:FUZZY_SEGMENTS]:
            if ceiling < 0.2 or (ceiling <= entry_hits.best and text in entry_hits.symptoms_hit):
                break
            segment = paste.segments[position]
            similarity = fuzzy_similarity(index.symptom_canonical[symptom], segment.canonical)
            score = pair_score(index, symptom, paste.token_sets[position], similarity)
            entry_hits.add(score, text, segment)

    def _score_patterns(self, paste: PreparedPaste, hits: dict[int, EntryHits]) -> None:
        """Run each catalog regex on the segments holding the whole word it requires.

        Patterns with no such word run only for entries already shortlisted,
        on the segments that share tokens with the entry.
        """
        index = self.index
        runs: dict[tuple[int, int], list[int]] = {}
        for token, anchored in index.pattern_anchors.items():
            positions = paste.positions.get(token)
            if positions:
                for key in anchored:
                    runs[key] = positions[:PATTERN_SEGMENTS]
        for entry_number in list(hits):
            for ordinal in range(len(index.patterns[entry_number])):
                key = (entry_number, ordinal)
                if key not in runs and key not in index.anchored_patterns:
                    runs[key] = self._entry_positions(entry_number, paste)
        for (entry_number, ordinal), positions in runs.items():
            pattern = index.patterns[entry_number][ordinal]
            for position in positions:
                segment = paste.segments[position]
                if pattern.search(segment.text):
                    hits[entry_number].add(1.0, f"/{pattern.pattern}/", segment)
                    break

    def _entry_positions(self, entry_number: int, paste: PreparedPaste) -> list[int]:
        positions: set[int] = set()
        entry_tokens = self._entry_tokens(entry_number)
        for token in entry_tokens:
            positions.update(paste.positions.get(token, ()))
        return sorted(positions)[:PATTERN_SEGMENTS]

    def _entry_tokens(self, entry_number: int) -> set[int]:
        index = self.index
        tokens: set[int] = set()
        first = bisect_left(index.symptom_entry, entry_number)
        for symptom in range(first, index.symptom_count):
            if index.symptom_entry[symptom] != entry_number:
                break
            tokens.update(index.symptom_tokens(symptom))
        return tokens


def rank(index: CatalogIndex, hits: dict[int, EntryHits], top: int) -> list[Match]:
    """Turn per-entry hits into scored matches, best first."""
    ranked = []
    for entry_number, entry_hits in hits.items():
        extra = min(2, max(0, len(entry_hits.symptoms_hit) - 1))
        strength = entry_hits.best + CORROBORATION_BONUS * extra
        if index.entries.fallback[entry_number]:
            strength *= FALLBACK_DISCOUNT
        if strength > 0:
            key = (-strength, -len(entry_hits.symptoms_hit), index.entries.ids[entry_number])
            ranked.append((key, entry_number, entry_hits))
    ranked.sort(key=lambda item: item[0])
    matches = []
    for key, entry_number, entry_hits in ranked[:top]:
        lines = sorted(entry_hits.lines, key=lambda line: line.score, reverse=True)
        score = round(min(1.0, -key[0]), 3)
        matches.append(Match(index.entries[entry_number], score, tuple(_distinct(lines)[:3])))
    return matches


def _distinct(lines: list[MatchedLine]) -> list[MatchedLine]:
    seen: set[str] = set()
    distinct = []
    for line in lines:
        if line.line not in seen:
            seen.add(line.line)
            distinct.append(line)
    return distinct
