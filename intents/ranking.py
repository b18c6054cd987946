"""From what each entry matched to how strongly it explains the paste.

An entry's strength starts from its best (symptom, line) pair and then:

- rises when other, separate lines of the paste also point at it
  (corroboration: independent evidence, combined like probabilities, damped);
- a catch-all entry (`fallback`) stays below a specific entry that explains
  the same line well enough to be answered;
- on a scheduler message that lists several reasons, the entry whose reason
  blocks the most nodes comes first (see intents.scheduling);
- a match carried by words only this entry uses, on a paste where no other
  entry comes close, is at least medium: rare, specific words are a signature
  even in a short chat sentence.

Every rule here is a separate function over plain data, shared by the
indexed matcher and the brute-force baseline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from intents.index import CatalogIndex
from intents.pairs import pair_score
from intents.policy import POLICY
from intents.results import EvidenceKind, MatchedLine
from intents.scheduling import clauses
from intents.segments import Segment

MAX_QUOTED_CHARS = 300


@dataclass(frozen=True)
class Support:
    """The best line one symptom, pattern or message format of an entry matched, and its score."""

    score: float
    segment: Segment
    kind: EvidenceKind = EvidenceKind.FUZZY
    symptom: int | None = None
    """The symptom's number in the index, for a FUZZY support."""

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

    def add(self, score: float, label: str, segment: Segment, *,
            kind: EvidenceKind = EvidenceKind.FUZZY, symptom: int | None = None) -> None:
        """Record one scored line: `label` is what matched (symptom text, regex, format)."""
        key = label if kind is EvidenceKind.FUZZY else (
            "grammar" if kind.by_grammar else f"{kind}:{label}")
        if score >= POLICY.corroboration_min:
            self.symptoms_hit.add(key)
        self.best = max(self.best, score)
        self.lines.append(MatchedLine(segment.text[:MAX_QUOTED_CHARS], label, round(score, 3), kind))
        current = self.supports.get(key)
        if current is None or score > current.score:
            self.supports[key] = Support(score, segment, kind, symptom)

    def best_support(self) -> Support | None:
        return max(self.supports.values(), key=lambda s: s.score, default=None)


def separate_supports(hits: EntryHits) -> list[Support]:
    """The best support, then up to POLICY.max_supports others on lines none of the chosen ones cover."""
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


def _explains_line(hits: EntryHits, line: Support, share: float, *, exact_only: bool = False) -> bool:
    return any(s.score >= max(POLICY.corroboration_min, share * line.score) and s.segment.overlaps(line.segment)
               and (not s.fuzzy or not exact_only) for s in hits.supports.values())


def _corroborated_elsewhere(hits: EntryHits, other: EntryHits) -> bool:
    """Does the entry have support on a separate line that `other` does not explain?"""
    theirs = [s.segment for s in other.supports.values() if s.score >= POLICY.support_min]
    return any(not any(s.segment.overlaps(t) for t in theirs) for s in separate_supports(hits)[1:])


def yield_to_specific(index: CatalogIndex, strengths: dict[int, float],
                      hits: dict[int, EntryHits]) -> None:
    """A catch-all ranks below an answerable (medium or better) specific entry that explains its
    best line too: the catch-all names the kind of failure, the specific entry its cause (a
    specific entry that only shares a few words with the line does not count)."""
    specific = [n for n in strengths if not index.entries.fallback[n]
                and strengths[n] >= POLICY.medium]
    for number, strength in strengths.items():
        if not index.entries.fallback[number]:
            continue
        best = hits[number].best_support()
        if best is None:
            continue
        # a line a component's own message format names as the catch-all's is its own, unless
        # a specific entry reads it exactly too (its regex, the grammar): resemblance does not count
        exact = any(s.kind.by_grammar and s.segment.overlaps(best.segment)
                    for s in hits[number].supports.values())
        rivals = [
            strengths[other] for other in specific
            if _explains_line(hits[other], best, 0.0, exact_only=exact)
        ]
        if rivals:
            strengths[number] = min(strength, max(rivals) - POLICY.specific_margin)


def matched_mass(index: CatalogIndex, support: Support) -> float:
    """Weight of the line's tokens that the support's symptom explains."""
    line = index.token_ids_of_segment(support.segment)
    if support.symptom is None:
        return 0.0
    return sum(index.weights[t] for t in index.symptom_tokens(support.symptom) if t in line)


def prefer_fuller_line(index: CatalogIndex, strengths: dict[int, float],
                       hits: dict[int, EntryHits]) -> None:
    """On the leader's own line, a close runner-up whose symptom explains much more of that line
    (its words, weighted) is the better explanation: 'configmap not found' inside a
    'MountVolume.SetUp failed for volume ...: configmap ... not found' line is a mount failure."""
    if len(strengths) < 2:
        return
    leader = max(strengths, key=lambda n: strengths[n])
    own = _best_symptom_support(hits[leader])
    if own is None:
        return
    own_mass = matched_mass(index, own)
    best_rival, best_mass = None, own_mass * POLICY.fuller_line
    for number, strength in strengths.items():
        if number == leader or strength < max(POLICY.medium, strengths[leader] - POLICY.close_rival):
            continue
        for support in hits[number].supports.values():
            if not support.fuzzy or support.score < POLICY.corroboration_min or not support.segment.overlaps(own.segment):
                continue
            mass = matched_mass(index, support)
            if mass > best_mass:
                best_rival, best_mass = number, mass
    if best_rival is not None:
        strengths[leader], strengths[best_rival] = strengths[best_rival], strengths[leader]


def _clause_score(index: CatalogIndex, number: int, text: str, tokens: set[int]) -> float:
    """How well one entry explains one scheduler clause on its own (regex hit = 1.0)."""
    if any(pattern.search(text) for pattern in index.entry_patterns(number)):
        return 1.0
    return max((pair_score(index, symptom, tokens, 1.0) for symptom in index.entry_symptoms(number)),
               default=0.0)


ClauseShare = tuple[int, int]
"""(-tier, nodes) of the likeliest clause an entry explains: larger is the likelier cause."""


def clause_shares(index: CatalogIndex, entries: list[int], segment: Segment) -> dict[int, ClauseShare]:
    """For each entry, the likeliest clause of a multi-clause scheduler line it explains best
    (an entry explaining none is absent); empty when the line is not one."""
    found = clauses(segment.text)
    if len(found) < 2:
        return {}
    shares: dict[int, ClauseShare] = {}
    for clause in found:
        text = f"0/{clause.nodes} nodes are available: {clause.nodes} {clause.text}."
        tokens = index.token_ids_of(text)
        score, winner = max(((_clause_score(index, n, text, tokens), n) for n in entries), default=(0.0, -1))
        if score >= POLICY.clause_min:
            shares[winner] = max(shares.get(winner, (-99, 0)), (-clause.tier, clause.nodes))
    return shares


def order_scheduler_clauses(index: CatalogIndex, strengths: dict[int, float],
                            hits: dict[int, EntryHits]) -> dict[int, int]:
    """Entries answering one multi-clause scheduler message: those whose clause is the likeliest
    kind of cause come first (see intents.scheduling); an entry whose own clause is absent comes
    after them.  Returns, for the first ones, the nodes their clause blocks (a tie-break)."""
    lines: dict[str, tuple[Segment, list[int]]] = {}
    for number, strength in strengths.items():
        best = hits[number].best_support()
        if (strength >= POLICY.medium and best is not None and not best.kind.by_grammar
                and "nodes are available" in best.segment.canonical):
            lines.setdefault(best.segment.canonical, (best.segment, []))[1].append(number)
    blocked: dict[int, int] = {}
    for segment, entries in lines.values():
        rivals = [n for n in strengths if n not in entries and strengths[n] >= POLICY.medium
                  and (best := hits[n].best_support()) is not None and not best.kind.by_grammar
                  and best.segment.overlaps(segment)]
        competing = entries + rivals
        shares = clause_shares(index, competing, segment) if len(competing) > 1 else {}
        if not shares:
            continue
        likeliest = max(tier for tier, _nodes in shares.values())
        leaders = [n for n in competing if n in shares and shares[n][0] == likeliest]
        ceiling = max(strengths[n] for n in leaders) - POLICY.scheduler_margin
        for number in competing:
            if number in leaders:
                blocked[number] = max(blocked.get(number, 0), shares[number][1])
            else:
                strengths[number] = min(strengths[number], ceiling)
    return blocked


def _best_symptom_support(hits: EntryHits) -> Support | None:
    """The best symptom (not regex) support on the lines of the entry's best support."""
    best = hits.best_support()
    if best is None:
        return None
    on_line = [s for s in hits.supports.values() if s.fuzzy and s.segment.overlaps(best.segment)]
    return max(on_line, key=lambda s: s.score, default=None)


def _signature_tokens(index: CatalogIndex, number: int, segment: Segment) -> int:
    """How many distinct words of the line are this entry's own signature words (a compound
    and its pieces, 'port-forward' / 'port' / 'forwarding', count once)."""
    own = {_word_stem(t) for t in segment.tokens if index.signature.get(index.vocab.get(t, -1)) == number}
    pieces = {_word_stem(p) for token in own for p in re.split(r"[^a-z0-9]+", token) if p != token}
    return len(own - pieces)


def _word_stem(token: str) -> str:
    """'forwarding' and 'forward' are one word here."""
    for suffix in ("ing", "ed", "es", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def rare_token_floor(index: CatalogIndex, strengths: dict[int, float],
                     hits: dict[int, EntryHits]) -> None:
    """A clear, unique match on the entry's own rare words is at least medium."""
    if not strengths:
        return
    top = max(strengths, key=lambda n: strengths[n])
    strength = strengths[top]
    runner_up = max((s for n, s in strengths.items() if n != top), default=0.0)
    if not POLICY.rare_min_strength <= strength < POLICY.medium or strength - runner_up < POLICY.rare_unique_gap:
        return
    best = _best_symptom_support(hits[top])
    if best is not None and _signature_tokens(index, top, best.segment) >= POLICY.rare_min_tokens:
        strengths[top] = POLICY.medium


def quiet_when_ambiguous(index: CatalogIndex, strengths: dict[int, float], hits: dict[int, EntryHits]) -> None:
    """Two entries tied below high confidence on the same single line: the line does not tell
    them apart, so neither is an answer (right or quiet)."""
    if len(strengths) < 2:
        return
    first, second = sorted(strengths, key=lambda n: -strengths[n])[:2]
    if index.entries.fallback[first] != index.entries.fallback[second]:
        return  # a catch-all below the specific entry it yielded to: that order is the answer
    top = strengths[first]
    if not POLICY.medium <= top < POLICY.high or top - strengths[second] > POLICY.ambiguity_gap:
        return
    lines = [separate_supports(hits[n]) for n in (first, second)]
    if all(len(chosen) == 1 for chosen in lines) and lines[0][0].segment.overlaps(lines[1][0].segment):
        strengths[first] = strengths[second] = min(strengths[second], POLICY.quiet_score)


def _discriminating(index: CatalogIndex, support: Support) -> bool:
    """Did this support match on a regex or on at least one word few entries use?"""
    if support.symptom is None:
        return True
    limit = max(POLICY.discriminating_min_df, int(POLICY.discriminating_df_share * len(index.entries)))
    line = index.token_ids_of_segment(support.segment)
    return any(index.entry_df[t] <= limit for t in index.symptom_tokens(support.symptom) if t in line)


def needs_a_rare_word(index: CatalogIndex, strengths: dict[int, float], hits: dict[int, EntryHits]) -> None:
    """An entry matched only on words many entries use ('user', 'pods', 'namespace') is no answer;
    a catch-all, whose own word ('CrashLoopBackOff') is one many entries share, is exempt."""
    for number, strength in strengths.items():
        if strength < POLICY.medium or index.entries.fallback[number]:
            continue
        strong = [s for s in hits[number].supports.values() if s.score >= POLICY.corroboration_min]
        if strong and not any(_discriminating(index, s) for s in strong):
            strengths[number] = POLICY.quiet_score


@dataclass(frozen=True)
class Standing:
    """An entry's final strength, and the tie-breaks between entries of equal strength."""

    strength: float
    lines: int = 1
    """Separate lines of the paste that support it."""
    nodes: int = 0
    """Nodes blocked by its clause of a scheduler message."""
    grammar: tuple[int, int] = (1_000_000, 0)
    """Its place among the entries the message grammar names (intents.messages): lower first."""
    explains: int = 0
    """How many other answerable entries of the paste it declares it explains."""

    def key(self) -> tuple[float, int, int, tuple[int, int], int]:
        """Sort key: strongest first, then the one that explains others found beside it (OOMKilled
        before the CrashLoopBackOff it causes), then the better-corroborated, then the grammar's
        order (a scheduler message's likeliest clause first), then the bigger blocker."""
        return (-round(min(1.0, self.strength), 3), -self.explains, -self.lines, self.grammar, -self.nodes)


def rank_strengths(index: CatalogIndex, hits: dict[int, EntryHits],
                   base: dict[int, float], grammar_order: dict[int, tuple[int, int]] | None = None) -> dict[int, Standing]:
    """Apply the cross-entry rules to each entry's own strength (`base`)."""
    strengths = dict(base)
    # a specific entry matched only on common words is no answer, so it is no rival a catch-all
    # yields to either ("0/1 CrashLoopBackOff" resembles a scheduler row, it does not name one)
    needs_a_rare_word(index, strengths, hits)
    yield_to_specific(index, strengths, hits)
    blocked = order_scheduler_clauses(index, strengths, hits)
    rare_token_floor(index, strengths, hits)
    quiet_when_ambiguous(index, strengths, hits)
    order = grammar_order or {}
    answerable = {n for n, strength in strengths.items() if strength >= POLICY.medium}
    return {
        n: Standing(strength, len(separate_supports(hits[n])), blocked.get(n, 0), order.get(n, (1_000_000, 0)),
                    len(index.entries.explains[n] & answerable))
        for n, strength in strengths.items()
    }


def own_strengths(index: CatalogIndex, hits: dict[int, EntryHits], fallback_discount: float) -> dict[int, float]:
    """Each entry's strength from its own hits: corroboration, then the catch-all discount."""
    strengths = {}
    for number, entry_hits in hits.items():
        strength = corroborated(entry_hits)
        if index.entries.fallback[number]:
            strength *= fallback_discount
        strengths[number] = strength
    return strengths
