"""What one entry matched on one paste, and the measures the decision's rules read from it.

The matcher records every scored line here (`EntryHits.add`); the rules in
intents.decision.rules turn these into strengths. Nothing here decides anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intents.index import CatalogIndex
from intents.keywords import generic_token, generic_words
from intents.pairs import pair_score
from intents.policy import POLICY
from intents.results import EvidenceKind, MatchedLine
from intents.scheduling import clauses
from intents.segments import Segment
from intents.tokens import tokenize

MAX_QUOTED_CHARS = 300


@dataclass(frozen=True)
class Support:
    """The best line one symptom, pattern or message format of an entry matched, and its score."""

    score: float
    segment: Segment
    kind: EvidenceKind = EvidenceKind.FUZZY
    symptom: int | None = None
    """The symptom's number in the index, for a FUZZY support."""
    label: str = ""
    """What matched: the symptom text, the regex, the message format."""

    @property
    def fuzzy(self) -> bool:
        return self.kind is EvidenceKind.FUZZY


@dataclass
class EntryHits:
    """Everything one entry scored on one paste."""

    best: float = 0.0
    symptoms_hit: set[str] = field(default_factory=set)
    lines: list[MatchedLine] = field(default_factory=list)
    supports: dict[str, Support] = field(default_factory=dict)
    """The best support per symptom text, per pattern, and one for the message grammar."""

    def add(
        self,
        score: float,
        label: str,
        segment: Segment,
        *,
        kind: EvidenceKind = EvidenceKind.FUZZY,
        symptom: int | None = None,
    ) -> None:
        """Record one scored line: `label` is what matched (symptom text, regex, format)."""
        key = (
            label
            if kind is EvidenceKind.FUZZY
            else ("grammar" if kind.by_grammar else f"{kind}:{label}")
        )
        if score >= POLICY.corroboration_min:
            self.symptoms_hit.add(key)
        self.best = max(self.best, score)
        self.lines.append(
            MatchedLine(segment.text[:MAX_QUOTED_CHARS], label, round(score, 3), kind)
        )
        current = self.supports.get(key)
        if current is None or score > current.score:
            self.supports[key] = Support(score, segment, kind, symptom, label)

    def best_support(self) -> Support | None:
        return max(self.supports.values(), key=lambda s: s.score, default=None)


def separate_supports(hits: EntryHits) -> list[Support]:
    """The best support, then up to `max_supports` others on lines none of the chosen ones cover."""
    ranked = sorted(hits.supports.values(), key=lambda s: -s.score)
    chosen = ranked[:1]
    for support in ranked[1:]:
        if len(chosen) > POLICY.max_supports or support.score < POLICY.support_min:
            break
        if not any(support.segment.overlaps(other.segment) for other in chosen):
            chosen.append(support)
    return chosen


def corroborated(hits: EntryHits) -> float:
    """The best score, raised by the other symptoms matched on separate lines (damped noisy-or)."""
    chosen = separate_supports(hits)
    if not chosen:
        return hits.best
    remaining = 1.0 - chosen[0].score
    for support in chosen[1:]:
        remaining *= 1.0 - POLICY.support_weight * support.score
    several = min(POLICY.max_supports, max(0, len(hits.symptoms_hit) - 1))
    return max(hits.best, 1.0 - max(0.0, remaining)) + POLICY.several_symptoms_bonus * several


def explains_line(hits: EntryHits, line: Support, *, exact_only: bool = False) -> bool:
    """The entry matched the line too (strongly; with `exact_only`, by a regex or the grammar)."""
    return any(
        s.score >= POLICY.corroboration_min
        and s.segment.overlaps(line.segment)
        and (not s.fuzzy or not exact_only)
        for s in hits.supports.values()
    )


def best_symptom_support(hits: EntryHits) -> Support | None:
    """The best symptom (not regex) support on the lines of the entry's best support."""
    best = hits.best_support()
    if best is None:
        return None
    on_line = [s for s in hits.supports.values() if s.fuzzy and s.segment.overlaps(best.segment)]
    return max(on_line, key=lambda s: s.score, default=None)


def signature_tokens(index: CatalogIndex, number: int, segment: Segment) -> int:
    """How many distinct words of the line are this entry's own signature words (a compound
    and its pieces, 'port-forward' / 'port' / 'forwarding', count once)."""
    own = {
        _word_stem(t)
        for t in segment.tokens
        if index.signature.get(index.vocab.get(t, -1)) == number
    }
    pieces = {_word_stem(p) for token in own for p in re.split(r"[^a-z0-9]+", token) if p != token}
    return len(own - pieces)


def _word_stem(token: str) -> str:
    """'forwarding' and 'forward' are one word here."""
    for suffix in ("ing", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def discriminating(index: CatalogIndex, support: Support) -> bool:
    """Did this support match on a regex or on at least one word few entries use?"""
    if support.symptom is None:
        return True
    limit = max(
        POLICY.discriminating_min_df, int(POLICY.discriminating_df_share * len(index.entries))
    )
    line = index.token_ids_of_segment(support.segment)
    return any(
        index.entry_df[t] <= limit for t in index.symptom_tokens(support.symptom) if t in line
    )


def generic_support(index: CatalogIndex, number: int, support: Support) -> bool:
    """Did this support hold on generic words alone (intents.keywords): a regex whose matched text,
    or a symptom whose words in the line, are all words every program prints?"""
    if support.kind is EvidenceKind.REGEX:
        texts = index.pattern_texts[number]
        pattern = (
            index.entry_pattern(number, texts.index(support.label))
            if support.label in texts
            else None
        )
        found = pattern.search(support.segment.text) if pattern is not None else None
        return found is not None and generic_words(found.group(0))
    if support.symptom is None:
        return False  # a message format, a fact: specific by nature
    words = tokenize(support.segment.canonical) & tokenize(index.symptom_canonical[support.symptom])
    return bool(words) and all(generic_token(word) for word in words)


ClauseShare = tuple[int, int]
"""(-tier, nodes) of the likeliest clause an entry explains: larger is the likelier cause."""


def _clause_score(index: CatalogIndex, number: int, text: str, tokens: set[int]) -> float:
    """How well one entry explains one scheduler clause on its own (regex hit = 1.0)."""
    if any(pattern.search(text) for pattern in index.entry_patterns(number)):
        return 1.0
    return max(
        (pair_score(index, symptom, tokens, 1.0) for symptom in index.entry_symptoms(number)),
        default=0.0,
    )


def clause_shares(
    index: CatalogIndex, entries: list[int], segment: Segment
) -> dict[int, ClauseShare]:
    """For each entry, the likeliest clause of a multi-clause scheduler line it explains best
    (an entry explaining none is absent); empty when the line is not one."""
    found = clauses(segment.text)
    if len(found) < 2:
        return {}
    shares: dict[int, ClauseShare] = {}
    for clause in found:
        text = f"0/{clause.nodes} nodes are available: {clause.nodes} {clause.text}."
        tokens = index.token_ids_of(text)
        score, winner = max(
            ((_clause_score(index, n, text, tokens), n) for n in entries), default=(0.0, -1)
        )
        if score >= POLICY.clause_min:
            shares[winner] = max(shares.get(winner, (-99, 0)), (-clause.tier, clause.nodes))
    return shares
