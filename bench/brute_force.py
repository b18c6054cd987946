"""The brute-force baseline: the same scoring, on every (segment, symptom) pair.

No index and no shortlist: rapidfuzz `process.cdist` of every paste segment
against every symptom on one worker, weighted coverage for every pair as a
sparse matrix product, every catalog regex on every segment.  Its top-1
answer is what the indexed matcher must reproduce.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

from intents.decision import EntryBoard, decide_entries
from intents.decision.support import EntryHits
from intents.fields import conflict_factor
from intents.healthy_lines import names_no_failure, states_a_negation
from intents.index import CatalogIndex
from intents.matcher import PreparedPaste, clause_order, credit_grammar
from intents.messages.reader import MessageGrammar
from intents.policy import POLICY
from intents.results import EvidenceKind, Match
from intents.segments import Segment, read_segments


def _symptom_matrix(index: CatalogIndex) -> sparse.csc_matrix:
    rows, cols, values = [], [], []
    for symptom in range(index.symptom_count):
        for token in index.symptom_tokens(symptom):
            rows.append(token)
            cols.append(symptom)
            values.append(index.weights[token])
    shape = (len(index.vocab), index.symptom_count)
    return sparse.csc_matrix((values, (rows, cols)), shape=shape, dtype=np.float32)


class BruteForce:
    """Exhaustive scorer over one index."""

    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self.weights = _symptom_matrix(index)
        self.mass = np.frombuffer(index.symptom_mass, dtype=np.float64).astype(np.float32)
        self.lengths = np.array([len(text) for text in index.symptom_canonical])
        self.grammar = MessageGrammar.for_catalog(index.entries.ids)
        self.negated = np.array(
            [states_a_negation(text) for text in index.symptom_canonical], dtype=bool
        )

    def match(self, text: str, *, top: int = 3) -> list[Match]:
        read = read_segments(text, grammar=self.grammar)
        segments = read.segments
        paste = PreparedPaste.build(self.index, segments)
        rows = [
            (position, token)
            for position, tokens in enumerate(paste.token_sets)
            for token in tokens
        ]
        present = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), ([r for r, _ in rows], [t for _, t in rows])),
            shape=(len(segments), len(self.index.vocab)),
        )
        matched = (present @ self.weights).toarray()
        canon = [segment.canonical for segment in segments]
        partial = process.cdist(
            canon, self.index.symptom_canonical, scorer=fuzz.partial_ratio, workers=1
        )
        whole = process.cdist(canon, self.index.symptom_canonical, scorer=fuzz.ratio, workers=1)
        seg_lengths = np.array([len(c) for c in canon])[:, None]
        similarity = np.where(self.lengths[None, :] <= seg_lengths, partial, whole) / 100.0
        information = np.minimum(1.0, matched / self.index.full_mass)
        scores = (matched / self.mass[None, :]) * information * (0.7 + 0.3 * similarity)
        for symptom in range(self.index.symptom_count):
            entry = self.index.symptom_entry[symptom]
            if self.index.exclude_texts[entry]:
                for position, segment in enumerate(segments):
                    if self.index.excluded(entry, segment.text):
                        scores[position, symptom] = 0.0
        for symptom, stated in self.index.symptom_fields.items():
            for position in range(len(segments)):
                scores[position, symptom] *= conflict_factor(
                    stated, paste.fields_at(position), canon[position]
                )
        quiet = np.array([names_no_failure(text) for text in canon], dtype=bool)
        scores[np.ix_(quiet, self.negated)] *= POLICY.polarity_factor
        hits = self._hits(scores, segments, read.regex_only)
        board = EntryBoard(
            self.index,
            hits,
            texts=[s.text for s in paste.segments] + [s.text for s, _ in read.verdicts],
            grammar=credit_grammar(self.index, read.verdicts, hits),
            clauses=clause_order(self.index, read.verdicts),
        )
        return decide_entries(board, top)

    def _hits(
        self, scores: np.ndarray, segments: list[Segment], regex_only: Sequence[Segment]
    ) -> dict[int, EntryHits]:
        hits: dict[int, EntryHits] = defaultdict(EntryHits)
        best_segment = scores.argmax(axis=0) if len(segments) else np.zeros(0, dtype=int)
        best_score = scores.max(axis=0) if len(segments) else np.zeros(0)
        for symptom in np.nonzero(best_score > 0)[0]:
            entry = self.index.symptom_entry[int(symptom)]
            segment = segments[int(best_segment[symptom])]
            text = self.index.symptom_text(int(symptom))
            hits[entry].add(float(best_score[symptom]), text, segment, symptom=int(symptom))
        for entry in range(len(self.index.pattern_texts)):
            for pattern in self.index.entry_patterns(entry):
                for segment in [*segments, *regex_only]:
                    if pattern.search(segment.text) and not self.index.excluded(
                        entry, segment.text
                    ):
                        hits[entry].add(1.0, pattern.pattern, segment, kind=EvidenceKind.REGEX)
                        break
        return hits
