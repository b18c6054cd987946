"""The catalog, indexed for matching.

Token weights are inverse document frequencies over entries, so words every
entry uses ("error", "failed", "pod") weigh almost nothing and words one
entry owns ("runAsNonRoot", "Multi-Attach", "disk-pressure") weigh most.
Only discriminating tokens get postings lists, which keeps a lookup
proportional to the paste's rare tokens, not to catalog size x paste size.

Tokens are small integers and symptoms live in flat arrays, so a 10,000
entry catalog (70,000 symptoms) stays within tens of megabytes and can be
saved and re-loaded quickly (see `intents.index_cache`).
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Sequence

from intents.entry_store import EntryStore
from intents.normalize import canonical, clean_text
from intents.regex_safety import literal_words
from intents.schema import CatalogEntry
from intents.tokens import STOPWORDS, tokenize

_WORDS = re.compile(r"[a-z]{2,}")
MIN_INDEX_DF = 64
SIGNAL_DF_FRACTION = 0.05
HAPAX_WEIGHT = 0.5
"""A token written once in the whole catalog is more likely an example value
(a pod or image name) than a signature; it counts for less."""
INDEX_DF_FRACTION = 0.005


class CatalogIndex:
    """Vocabulary, weights, symptom arrays, postings and compiled patterns."""

    def __init__(self, entries: Sequence[CatalogEntry]) -> None:
        self.vocab: dict[str, int] = {}
        self.symptom_entry = array("i")
        self.symptom_ordinal = array("i")
        self.symptom_canonical: list[str] = []
        self.token_offsets = array("i", [0])
        self.token_ids = array("i")
        self.symptom_texts: list[str] = []
        self.pattern_texts = [tuple(entry.patterns) for entry in entries]
        for number, entry in enumerate(entries):
            for ordinal, symptom in enumerate(entry.symptoms):
                self._add_symptom(number, ordinal, symptom)
        self.entries = EntryStore(entries)
        owners, uses = self._owners()
        self.pattern_anchors = self._pattern_anchors(owners)
        missing = len(self.vocab) - len(owners)
        owners += [set() for _ in range(missing)]
        uses += [0] * missing
        self.entry_df = array("i", (len(o) for o in owners))
        self.weights = self._idf(owners, uses)
        self.symptom_mass = array("d", (self._mass(s) for s in range(len(self.symptom_entry))))
        self.full_mass = 1.2 * math.log(len(self.entries) + 1) if self.entries else 1.0
        self.common_lists: list[tuple[int, ...]] = []
        self.postings = self._postings()
        self.signal_words = self._signal_words()
        self.anchored_patterns = frozenset(
            key for keys in self.pattern_anchors.values() for key in keys
        )
        self._patterns: list[list[re.Pattern[str]]] | None = None

    def __getstate__(self) -> dict[str, object]:
        return {key: value for key, value in self.__dict__.items() if key != "_patterns"} | {
            "_patterns": None
        }

    def _add_symptom(self, entry_number: int, ordinal: int, symptom: str) -> None:
        key = canonical(clean_text(symptom).replace("\n", " "))
        for token in tokenize(key):
            self.token_ids.append(self.vocab.setdefault(token, len(self.vocab)))
        self.token_offsets.append(len(self.token_ids))
        self.symptom_entry.append(entry_number)
        self.symptom_ordinal.append(ordinal)
        self.symptom_canonical.append(key)
        self.symptom_texts.append(symptom)

    @property
    def symptom_count(self) -> int:
        return len(self.symptom_entry)

    def symptom_tokens(self, number: int) -> array[int]:
        """Token ids of one symptom."""
        return self.token_ids[self.token_offsets[number] : self.token_offsets[number + 1]]

    def symptom_text(self, number: int) -> str:
        """The symptom as the catalog author wrote it."""
        return self.symptom_texts[number]

    @property
    def patterns(self) -> list[list[re.Pattern[str]]]:
        """Compiled catalog regexes per entry (compiled on first use)."""
        if self._patterns is None:
            self._patterns = [[re.compile(p) for p in texts] for texts in self.pattern_texts]
        return self._patterns

    def _pattern_anchors(self, owners: list[set[int]]) -> dict[int, list[tuple[int, int]]]:
        """token id -> (entry, pattern number) for patterns that require that whole word."""

        def rarity(word: str) -> int:
            return len(owners[self.vocab[word]]) if word in self.vocab else 0

        anchors: dict[int, list[tuple[int, int]]] = {}
        for number, texts in enumerate(self.pattern_texts):
            for ordinal, pattern in enumerate(texts):
                words = [w for w in literal_words(pattern) if w not in STOPWORDS]
                if words:
                    token = self.vocab.setdefault(min(words, key=rarity), len(self.vocab))
                    anchors.setdefault(token, []).append((number, ordinal))
        return anchors

    def _mass(self, number: int) -> float:
        return sum(self.weights[token] for token in self.symptom_tokens(number))

    def _owners(self) -> tuple[list[set[int]], list[int]]:
        """For each token: the entries that use it, and how many symptoms do."""
        owners: list[set[int]] = [set() for _ in self.vocab]
        uses = [0] * len(self.vocab)
        for number in range(self.symptom_count):
            entry = self.symptom_entry[number]
            for token in self.symptom_tokens(number):
                owners[token].add(entry)
                uses[token] += 1
        return owners, uses

    def _idf(self, owners: list[set[int]], uses: list[int]) -> array[float]:
        total = len(self.entries) + 1
        return array(
            "d",
            (
                max(0.02, math.log(total / max(1, len(o)))) * (HAPAX_WEIGHT if n == 1 else 1.0)
                for o, n in zip(owners, uses)
            ),
        )

    def is_relevant(self, line: str) -> bool:
        """Could this raw line contribute to a match? (shares a word with a discriminating token)"""
        return not self.signal_words.isdisjoint(_WORDS.findall(line.lower()))

    def _signal_words(self) -> frozenset[str]:
        """Words of rare tokens: whole words, or the rarest word of a rare compound."""
        limit = max(2, int(SIGNAL_DF_FRACTION * len(self.entries)))
        words: set[str] = set()
        for token, number in self.vocab.items():
            if self.entry_df[number] > limit:
                continue
            pieces = [p for p in _WORDS.findall(token) if p in self.vocab]
            if pieces:
                words.add(min(pieces, key=lambda p: self.entry_df[self.vocab[p]]))
        anchors = {word for word, number in self.vocab.items() if number in self.pattern_anchors}
        return frozenset(words | anchors)

    def _postings(self) -> dict[int, array[int]]:
        """Postings of discriminating tokens; a symptom with none is filed under its rarest token."""
        counts: dict[int, int] = {}
        for token in self.token_ids:
            counts[token] = counts.get(token, 0) + 1
        limit = max(MIN_INDEX_DF, int(INDEX_DF_FRACTION * self.symptom_count))
        postings: dict[int, array[int]] = {}
        self.common_lists = []
        for number in range(self.symptom_count):
            tokens = self.symptom_tokens(number)
            indexed = [t for t in tokens if counts[t] <= limit]
            if not indexed and tokens:
                indexed = [min(tokens, key=lambda t: (counts[t], t))]
            for token in indexed:
                postings.setdefault(token, array("i")).append(number)
            self.common_lists.append(tuple(t for t in tokens if t not in indexed))
        return postings

    def common_tokens(self, number: int) -> tuple[int, ...]:
        """Token ids of a symptom that are not in its postings (too common to index)."""
        return self.common_lists[number]
