"""Score a paste against the catalog and return the entries that explain it.

A (segment, symptom) pair scores by how much of the symptom's weight the
segment contains (weighted coverage), scaled by how much information that
is (one rare token is a strong hint, three common words are not), times a
rapidfuzz similarity that rewards the same words in the same order, and
discounted when the two disagree on a value that matters (exit code,
Reason; see intents.fields).  A catalog regex that hits scores 1.0.  How
an entry's pairs and the other entries' combine into its final strength is
in intents.decision.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from intents.decision import EntryBoard, GrammarPlace, decide_entries
from intents.decision.support import EntryHits
from intents.fields import Field, conflict_factor, fields, termination_reasons, with_paste_reasons
from intents.healthy_lines import (
    names_no_failure,
    reports_normal_event,
    states_a_negation,
    states_success,
)
from intents.index import CatalogIndex
from intents.messages.reader import LineVerdict, MessageGrammar
from intents.pairs import fuzzy_similarity, score_of_weight
from intents.policy import POLICY
from intents.results import EvidenceKind, Match
from intents.schema import CatalogEntry
from intents.segments import Segment, read_segments


def _once(store: dict[int, bool], position: int, judge: Callable[[], bool]) -> bool:
    """A per-segment judgement, computed the first time it is asked for (symptoms ask many times)."""
    found = store.get(position)
    if found is None:
        found = store[position] = judge()
    return found


@dataclass
class PreparedPaste:
    """A paste's segments with their token ids, and where each token occurs."""

    segments: list[Segment]
    token_sets: list[frozenset[int]]
    positions: dict[int, list[int]]
    """Where each token occurs, in the segments fuzzy symptoms may read."""
    pattern_positions: dict[int, list[int]]
    """Where each token occurs, also in the lines only catalog regexes may read."""
    _fields: dict[int, frozenset[Field]] | None = None
    _reasons: frozenset[Field] | None = None
    _lines: dict[tuple[int, int], list[int]] | None = None
    _quiet: dict[int, bool] = field(default_factory=dict)
    _normal: dict[int, bool] = field(default_factory=dict)
    _folded: dict[int, str] = field(default_factory=dict)

    def folded_at(self, position: int) -> str:
        """The segment's text, case-folded (computed once, on demand)."""
        found = self._folded.get(position)
        if found is None:
            found = self._folded[position] = self.segments[position].text.casefold()
        return found

    def same_line(self, position: int) -> list[int]:
        """The segments cut from the same single line as this one (a long line's windows), itself
        included: what a line-level guard such as an entry's `excludes` must see as one."""
        span = self.segments[position].span
        if span[0] < 0 or span[0] != span[1]:
            return [position]
        if self._lines is None:
            self._lines = defaultdict(list)
            for number, segment in enumerate(self.segments):
                if segment.span[0] >= 0 and segment.span[0] == segment.span[1]:
                    self._lines[segment.span].append(number)
        return self._lines[span]

    def fields_at(self, position: int) -> frozenset[Field]:
        """The (field, value) pairs one segment states (computed once, on demand); a segment
        with an exit code but no termination reason takes the paste's (see intents.fields)."""
        if self._fields is None:
            self._fields = {}
        found = self._fields.get(position)
        if found is None:
            found = fields(self.segments[position].canonical)
            found = self._fields[position] = with_paste_reasons(found, self._paste_reasons)
        return found

    def names_no_failure_at(self, position: int) -> bool:
        """The segment names no failure, negation or trouble (see intents.healthy_lines)."""
        return _once(
            self._quiet, position, lambda: names_no_failure(self.segments[position].canonical)
        )

    def reads_as_normal_at(self, position: int) -> bool:
        """The segment reports progress (a Normal event) or success and names no failure: no
        failure symptom may read it."""
        text = self.segments[position].text
        return _once(
            self._normal, position, lambda: reports_normal_event(text) or states_success(text)
        )

    def _paste_reasons(self) -> frozenset[Field]:
        if self._reasons is None:
            self._reasons = termination_reasons(segment.canonical for segment in self.segments)
        return self._reasons

    @classmethod
    def build(
        cls, index: CatalogIndex, segments: list[Segment], regex_only: Sequence[Segment] = ()
    ) -> PreparedPaste:
        vocab = index.vocab
        every = [*segments, *regex_only]
        token_sets = [frozenset(vocab[t] for t in seg.tokens if t in vocab) for seg in every]
        positions: dict[int, list[int]] = defaultdict(list)
        for position, tokens in enumerate(token_sets):
            for token in tokens:
                positions[token].append(position)
        if not regex_only:
            return cls(every, token_sets, positions, positions)
        fuzzy: dict[int, list[int]] = {}
        for token, found in positions.items():
            kept = [p for p in found if p < len(segments)]
            if kept:
                fuzzy[token] = kept
        return cls(every, token_sets, fuzzy, positions)


@dataclass(frozen=True)
class Scored:
    """A paste's scored lines per entry: what the decision's entry rules start from. The rules
    never change it, so one scoring can be decided again (without a rule, to see what it does)."""

    index: CatalogIndex
    hits: dict[int, EntryHits]
    texts: tuple[str, ...] = ()
    grammar: dict[int, GrammarPlace] = field(default_factory=dict)
    clauses: dict[int, int] = field(default_factory=dict)

    def decide(self, top: int) -> list[Match]:
        """The entry rules on a fresh board: the best `top` entries as matches."""
        board = EntryBoard(
            self.index,
            self.hits,
            texts=self.texts,
            grammar=dict(self.grammar),
            clauses=dict(self.clauses),
        )
        return decide_entries(board, top)


class Matcher:
    """Matches pasted text against one catalog index."""

    def __init__(self, index: CatalogIndex, grammar: MessageGrammar | None = None) -> None:
        self.index = index
        self.grammar = (
            grammar if grammar is not None else MessageGrammar.for_catalog(index.entries.ids)
        )

    @cached_property
    def _negated(self) -> list[bool]:
        """Per symptom: it states a negation ("was not created", "has no endpoints")."""
        return [states_a_negation(text) for text in self.index.symptom_canonical]

    @classmethod
    def from_entries(cls, entries: Sequence[CatalogEntry]) -> Matcher:
        return cls(CatalogIndex(entries))

    def match(self, text: str, *, top: int = 3) -> list[Match]:
        """The `top` best entries for a paste, best first (possibly all low confidence)."""
        return self.score(text).decide(top)

    def score(self, text: str) -> Scored:
        """Every entry's scored lines for a paste, before the decision's rules run on them."""
        read = read_segments(text, relevant=self.index.is_relevant, grammar=self.grammar)
        return self.score_segments(
            read.segments, verdicts=read.verdicts, regex_only=read.regex_only
        )

    def score_segments(
        self,
        segments: list[Segment],
        *,
        verdicts: Sequence[tuple[Segment, LineVerdict]] = (),
        regex_only: Sequence[Segment] = (),
    ) -> Scored:
        paste = PreparedPaste.build(self.index, segments, regex_only)
        hits: dict[int, EntryHits] = defaultdict(EntryHits)
        for symptom in self._shortlist(paste):
            self._score_symptom(symptom, paste, hits)
        self._score_patterns(paste, hits)
        grammar = credit_grammar(self.index, verdicts, hits)  # adds the formats' lines to the hits
        return Scored(
            self.index,
            dict(hits),
            texts=tuple(
                [segment.text for segment in paste.segments] + [s.text for s, _ in verdicts]
            ),
            grammar=grammar,
            clauses=clause_order(self.index, verdicts),
        )

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
        common_mass = index.common_mass
        ranked = []
        for symptom, present in reached.items():
            needed = POLICY.min_coverage * mass[symptom]
            if present + common_mass[symptom] < needed:
                continue
            for token in common[symptom]:
                if token in present_tokens:
                    present += weights[token]
            if present >= needed:
                ranked.append((present / mass[symptom] * min(1.0, present / full), symptom))
        return [symptom for _score, symptom in heapq.nlargest(POLICY.shortlist_symptoms, ranked)]

    def _score_symptom(
        self, symptom: int, paste: PreparedPaste, hits: dict[int, EntryHits]
    ) -> None:
        index = self.index
        overlap: dict[int, float] = defaultdict(float)
        for token in index.symptom_tokens(symptom):
            for position in paste.positions.get(token, ()):
                overlap[position] += index.weights[token]
        # overlap[p] is the weight pair_score would sum for segment p, in the same order
        best_positions = heapq.nlargest(
            POLICY.segments_per_symptom, overlap, key=overlap.__getitem__
        )
        scored = sorted(
            ((score_of_weight(index, symptom, overlap[p], 1.0), p) for p in best_positions),
            reverse=True,
        )
        text = index.symptom_text(symptom)
        entry_hits = hits[index.symptom_entry[symptom]]
        stated = index.symptom_fields.get(symptom)
        tried = 0
        for ceiling, position in scored:
            support = entry_hits.supports.get(text)
            if (
                tried >= POLICY.fuzzy_segments
                or ceiling < POLICY.fuzzy_ceiling_min
                or (support is not None and ceiling <= support.score)
            ):
                break
            segment = paste.segments[position]
            # a segment showing the healthy opposite is skipped without using up a try, so a
            # healthy row grouped with its neighbours cannot hide the unhealthy row itself
            if self._excluded(
                index.symptom_entry[symptom], paste, position
            ) or paste.reads_as_normal_at(position):
                continue
            tried += 1
            similarity = fuzzy_similarity(index.symptom_canonical[symptom], segment.canonical)
            score = score_of_weight(index, symptom, overlap[position], similarity)
            if stated:
                score *= conflict_factor(stated, paste.fields_at(position), segment.canonical)
            if self._negated[symptom] and paste.names_no_failure_at(position):
                score *= POLICY.polarity_factor
            entry_hits.add(score, text, segment, symptom=symptom)

    def _score_patterns(self, paste: PreparedPaste, hits: dict[int, EntryHits]) -> None:
        """Run each catalog regex on the segments holding the whole word it requires.

        Patterns with no such word run only for entries already shortlisted,
        on the segments that share tokens with the entry.
        """
        index = self.index
        runs: dict[tuple[int, int], list[int]] = {}
        for token, anchored in index.pattern_anchors.items():
            positions = paste.pattern_positions.get(token)
            if positions:
                for key in anchored:
                    earlier = runs.get(key)
                    merged = positions if earlier is None else sorted(set(earlier) | set(positions))
                    runs[key] = merged[: POLICY.pattern_segments]
        for entry_number in list(hits):
            keys = [(entry_number, o) for o in range(len(index.pattern_texts[entry_number]))]
            unanchored = [k for k in keys if k not in runs and k not in index.anchored_patterns]
            if unanchored:
                positions = self._entry_positions(entry_number, paste)  # the same for each
                runs.update(dict.fromkeys(unanchored, positions))
        for (entry_number, ordinal), positions in runs.items():
            for position in positions:
                if not index.may_match(entry_number, ordinal, paste.folded_at(position)):
                    continue
                pattern = index.entry_pattern(entry_number, ordinal)
                segment = paste.segments[position]
                if pattern.search(segment.text) and not self._excluded(
                    entry_number, paste, position
                ):
                    hits[entry_number].add(1.0, pattern.pattern, segment, kind=EvidenceKind.REGEX)
                    break

    def _excluded(self, entry_number: int, paste: PreparedPaste, position: int) -> bool:
        """The entry's `excludes` hold for the line this segment comes from (any of its windows)."""
        return any(
            self.index.excluded(entry_number, paste.segments[p].text)
            for p in paste.same_line(position)
        )

    def _entry_positions(self, entry_number: int, paste: PreparedPaste) -> list[int]:
        positions: set[int] = set()
        entry_tokens = self._entry_tokens(entry_number)
        for token in entry_tokens:
            positions.update(paste.pattern_positions.get(token, ()))
        return sorted(positions)[: POLICY.pattern_segments]

    def _entry_tokens(self, entry_number: int) -> set[int]:
        index = self.index
        tokens: set[int] = set()
        first = bisect_left(index.symptom_entry, entry_number)
        for symptom in range(first, index.symptom_count):
            if index.symptom_entry[symptom] != entry_number:
                break
            tokens.update(index.symptom_tokens(symptom))
        return tokens


def credit_grammar(
    index: CatalogIndex, verdicts: Sequence[tuple[Segment, LineVerdict]], hits: dict[int, EntryHits]
) -> dict[int, GrammarPlace]:
    """Each entry a line's grammar reading names gets that line at full score (POLICY.open_score
    when a wrapper leaves its detail to the matcher).  Returns each such entry's place in
    the reading order (first line first, a scheduler message's likeliest clause first):
    a tie-break between entries the grammar names.  An entry whose own regex recognises a
    message line the grammar read is a more specific reading of it and takes its place
    just before the grammar's answer."""
    numbers = index.entries.number_of
    order: dict[int, GrammarPlace] = {}
    for segment, verdict in verdicts:
        for answer in verdict.answers:
            entry_number = numbers.get(answer)
            if entry_number is None:
                continue
            wrapper = answer in verdict.open_answers
            score = POLICY.open_score if wrapper else 1.0
            kind = EvidenceKind.WRAPPER if wrapper else EvidenceKind.GRAMMAR
            hits[entry_number].add(score, _format_label(verdict, answer), segment, kind=kind)
            order.setdefault(entry_number, (len(order), 0))
            if verdict.clauses:
                continue
            for number, entry_hits in hits.items():
                if (
                    number != entry_number
                    and number not in order
                    and any(
                        s.kind is EvidenceKind.REGEX and s.segment.span == segment.span
                        for s in entry_hits.supports.values()
                    )
                ):
                    order[number] = (order[entry_number][0], -1)
    return order


def _format_label(verdict: LineVerdict, answer: str) -> str:
    """Which component's message format named the entry ("kubelet/pull-failed")."""
    for reading in verdict.readings:
        if reading.answer == answer:
            return f"{reading.format.component}/{reading.format.id}"
    first = verdict.readings[0].format if verdict.readings else None
    return f"{first.component}/{first.id}" if first else "message format"


def clause_order(
    index: CatalogIndex, verdicts: Sequence[tuple[Segment, LineVerdict]]
) -> dict[int, int]:
    """Each entry a scheduler message's clauses name, by its place in the scheduler reading
    (intents.scheduling: the clause whose fix would let the pod schedule first)."""
    order: dict[int, int] = {}
    for _segment, verdict in verdicts:
        if verdict.clauses:
            for answer in verdict.answers:
                number = index.entries.number_of.get(answer)
                if number is not None:
                    order.setdefault(number, len(order))
    return order
