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

import gc
import math
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache

from intents.entry_store import EntryStore
from intents.fields import ENTRY_LEVEL, GENERIC_VALUE_TOKENS, Field, fields
from intents.keywords import subject_pattern
from intents.normalize import canonical, clean_text
from intents.policy import POLICY
from intents.regex_engine import Regex, compile_regex
from intents.regex_safety import words_and_phrases
from intents.schema import CatalogEntry
from intents.segments import Segment
from intents.tokens import STOPWORDS, tokenize

_WORDS = re.compile(r"[a-z]{2,}")


Guard = tuple[Regex, ...]
Phrases = tuple[tuple[str, ...], ...]
"""What a regex's match holds, casefolded: one of each tuple's phrases (regex_safety.required_phrases)."""


@contextmanager
def collector_paused() -> Iterator[None]:
    """Reading a catalog, building or unpickling its index creates a million small objects that
    all live on: collecting cycles among them meanwhile only wastes time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=4096)
def _is_token(word: str) -> bool:
    """Can `word` appear as a paste token? Numbers ("413", "x509") become placeholders."""
    return tokenize(canonical(word)) == {word}


def _anchor_word(word: str) -> bool:
    return word not in STOPWORDS and _is_token(word)


def _any(guard: Guard, text: str) -> bool:
    if not guard:
        return False
    folded = text.casefold()
    return any(pattern.may_match(folded) and pattern.search(text) for pattern in guard)


class CatalogIndex:
    """Vocabulary, weights, symptom arrays, postings and compiled patterns."""

    @collector_paused()
    def __init__(self, entries: Sequence[CatalogEntry]) -> None:
        self.vocab: dict[str, int] = {}
        self.symptom_entry = array("i")
        self.symptom_ordinal = array("i")
        self.symptom_canonical: list[str] = []
        self.token_offsets = array("i", [0])
        self.token_ids = array("i")
        self.symptom_texts: list[str] = []
        self.symptom_fields: dict[int, frozenset[Field]] = {}
        subjects = [tokenize(canonical(clean_text(f"{e.title} {e.summary}"))) for e in entries]
        self.pattern_texts = [tuple(entry.patterns) for entry in entries]
        self.exclude_texts = [tuple(entry.excludes) for entry in entries]
        self.require_texts = [tuple(entry.requires) for entry in entries]
        for number, entry in enumerate(entries):
            for ordinal, symptom in enumerate(entry.symptoms):
                self._add_symptom(number, ordinal, symptom)
        self.entries = EntryStore(entries)
        self._entry_level_fields()
        owners, uses = self._owners()
        self.pattern_phrases: list[list[Phrases]] = []
        self.pattern_anchors = self._pattern_anchors(owners)
        missing = len(self.vocab) - len(owners)
        owners += [set() for _ in range(missing)]
        uses += [0] * missing
        self.entry_df = array("i", (len(o) for o in owners))
        self.weights = self._idf(owners, uses, subjects)
        self.signature = self._signature(owners, uses, subjects)
        self.symptom_mass = array("d", (self._mass(s) for s in range(len(self.symptom_entry))))
        self.full_mass = (
            POLICY.full_mass_factor * math.log(len(self.entries) + 1) if self.entries else 1.0
        )
        self.common_lists: list[tuple[int, ...]] = []
        self.postings = self._postings()
        self.common_mass = self._common_mass()
        self.signal_words = self._signal_words()
        self.anchored_patterns = frozenset(
            key for keys in self.pattern_anchors.values() for key in keys
        )
        self._patterns: dict[tuple[int, int], Regex] = {}
        self._guards: dict[int, tuple[Guard, Guard]] = {}
        self._subjects: dict[int, re.Pattern[str] | None] = {}

    def __getstate__(self) -> dict[str, object]:
        compiled = ("_patterns", "_guards", "_subjects")
        return {key: value for key, value in self.__dict__.items() if key not in compiled} | {
            "_patterns": {},
            "_guards": {},
            "_subjects": {},
        }

    def guards(self, entry_number: int) -> tuple[Guard, Guard]:
        """The entry's compiled `excludes` and `requires` regexes."""
        found = self._guards.get(entry_number)
        if found is None:
            found = (
                tuple(compile_regex(p) for p in self.exclude_texts[entry_number]),
                tuple(compile_regex(p) for p in self.require_texts[entry_number]),
            )
            self._guards[entry_number] = found
        return found

    def excluded(self, entry_number: int, text: str) -> bool:
        """True when `text` shows the healthy opposite of this entry's symptoms."""
        return _any(self.guards(entry_number)[0], text)

    def requirement_missing(self, entry_number: int, texts: Sequence[str]) -> bool:
        """True when the entry `requires` something none of `texts` shows."""
        required = self.guards(entry_number)[1]
        return bool(required) and not any(_any(required, text) for text in texts)

    def names_subject(self, entry_number: int, texts: Sequence[str]) -> bool:
        """True when one of `texts` names what the entry is about (intents.keywords: its
        product, its tags that name a component or an object)."""
        if entry_number not in self._subjects:
            entry = self.entries[entry_number]
            self._subjects[entry_number] = subject_pattern(entry.product, entry.tags)
        pattern = self._subjects[entry_number]
        return pattern is not None and any(pattern.search(text) for text in texts)

    def _add_symptom(self, entry_number: int, ordinal: int, symptom: str) -> None:
        key = canonical(clean_text(symptom).replace("\n", " "))
        for token in sorted(tokenize(key)):  # sorted: token ids never depend on the hash seed
            self.token_ids.append(self.vocab.setdefault(token, len(self.vocab)))
        self.token_offsets.append(len(self.token_ids))
        self.symptom_entry.append(entry_number)
        self.symptom_ordinal.append(ordinal)
        self.symptom_canonical.append(key)
        self.symptom_texts.append(symptom)
        stated = fields(key)
        if stated:
            self.symptom_fields[len(self.symptom_texts) - 1] = stated

    @property
    def symptom_count(self) -> int:
        return len(self.symptom_entry)

    def symptom_tokens(self, number: int) -> array[int]:
        """Token ids of one symptom."""
        return self.token_ids[self.token_offsets[number] : self.token_offsets[number + 1]]

    def entry_symptoms(self, entry_number: int) -> range:
        """Symptom numbers of one entry (symptoms are stored entry by entry)."""
        first = bisect_left(self.symptom_entry, entry_number)
        last = bisect_left(self.symptom_entry, entry_number + 1)
        return range(first, last)

    def symptom_text(self, number: int) -> str:
        """The symptom as the catalog author wrote it."""
        return self.symptom_texts[number]

    def entry_pattern(self, entry_number: int, ordinal: int) -> Regex:
        """One of the entry's catalog regexes (RE2), compiled on first use: a paste runs a few,
        and compiling all of them would be most of a short `kubemedic match`."""
        key = (entry_number, ordinal)
        found = self._patterns.get(key)
        if found is None:
            found = self._patterns[key] = compile_regex(self.pattern_texts[entry_number][ordinal])
        return found

    def may_match(self, entry_number: int, ordinal: int, folded: str) -> bool:
        """False when `folded` (a text's `casefold()`, which maps every letter RE2's `(?i)`
        takes for an ASCII one to it) lacks every phrase of one place the regex requires: it
        cannot match there, and is neither compiled nor run."""
        places = self.pattern_phrases[entry_number][ordinal]
        return all(any(phrase in folded for phrase in place) for place in places)

    def entry_patterns(self, entry_number: int) -> Iterator[Regex]:
        """The entry's catalog regexes in order, each compiled when the iteration reaches it."""
        for ordinal in range(len(self.pattern_texts[entry_number])):
            yield self.entry_pattern(entry_number, ordinal)

    def _pattern_anchors(self, owners: list[set[int]]) -> dict[int, list[tuple[int, int]]]:
        """token id -> (entry, pattern number) for patterns that require that whole word; a
        top-level alternation (`a|b`) is filed under a word of each branch."""

        def rarity(word: str) -> int:
            number = self.vocab.get(word)
            return len(owners[number]) if number is not None and number < len(owners) else 0

        anchors: dict[int, list[tuple[int, int]]] = {}
        for number, texts in enumerate(self.pattern_texts):
            self.pattern_phrases.append([])
            for ordinal, pattern in enumerate(texts):
                branches, phrases = words_and_phrases(pattern, _anchor_word)
                self.pattern_phrases[number].append(phrases)
                if not branches:
                    continue
                for words in branches:
                    token = self.vocab.setdefault(
                        min(words, key=lambda w: (rarity(w), w)), len(self.vocab)
                    )
                    if (number, ordinal) not in anchors.setdefault(token, []):
                        anchors[token].append((number, ordinal))
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

    def _idf(
        self, owners: list[set[int]], uses: list[int], subjects: list[set[str]]
    ) -> array[float]:
        total = len(self.entries) + 1
        words = {number: token for token, number in self.vocab.items()}
        weights = array("d")
        for number, (entries, count) in enumerate(zip(owners, uses)):
            weight = max(POLICY.min_token_weight, math.log(total / max(1, len(entries))))
            token = words[number]
            if token in GENERIC_VALUE_TOKENS:
                weight = min(weight, POLICY.generic_weight)
            elif count == 1 and not any(token in subjects[e] for e in entries):
                weight *= POLICY.hapax_weight
            weights.append(weight)
        return weights

    def _entry_level_fields(self) -> None:
        """Add to each symptom the entry-level fields (exit codes, termination reasons) of its entry."""
        per_entry: dict[int, set[Field]] = {}
        for symptom, stated in self.symptom_fields.items():
            per_entry.setdefault(self.symptom_entry[symptom], set()).update(
                f for f in stated if f[0] in ENTRY_LEVEL
            )
        for entry_number, shared in per_entry.items():
            for symptom in self.entry_symptoms(entry_number):
                self.symptom_fields[symptom] = (
                    self.symptom_fields.get(symptom, frozenset()) | shared
                )

    def _signature(
        self, owners: list[set[int]], uses: list[int], subjects: list[set[str]]
    ) -> dict[int, int]:
        """Token id -> entry, for words one entry owns and means: used by it alone, in several of
        its symptoms or in its title/summary (not a one-off example value), not a bare number."""
        found = {}
        for token, number in self.vocab.items():
            entries = owners[number] if number < len(owners) else set()
            if len(entries) != 1 or len(token) < 3 or token in GENERIC_VALUE_TOKENS:
                continue
            if not _WORDS.search(token):
                continue
            (entry,) = entries
            if uses[number] >= 2 or token in subjects[entry]:
                found[number] = entry
        return found

    def token_ids_of(self, text: str) -> set[int]:
        """Ids of the catalog tokens in a raw text (cleaned and canonicalised here)."""
        vocab = self.vocab
        return {vocab[t] for t in tokenize(canonical(clean_text(text))) if t in vocab}

    def token_ids_of_segment(self, segment: Segment) -> set[int]:
        """Ids of the catalog tokens of a paste segment."""
        vocab = self.vocab
        return {vocab[t] for t in segment.tokens if t in vocab}

    def is_relevant(self, line: str) -> bool:
        """Could this raw line contribute to a match? (shares a word with a discriminating token)"""
        return not self.signal_words.isdisjoint(_WORDS.findall(line.lower()))

    def _signal_words(self) -> frozenset[str]:
        """Words of rare tokens: whole words, or the rarest word of a rare compound."""
        limit = max(2, int(POLICY.signal_df_fraction * len(self.entries)))
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
        limit = max(POLICY.min_index_df, int(POLICY.index_df_fraction * self.symptom_count))
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

    def _common_mass(self) -> array[float]:
        """Per symptom, the weight of its common (unindexed) tokens: a bound the shortlist uses
        to skip symptoms that cannot reach the minimum coverage."""
        weights = self.weights
        return array("d", (sum(weights[t] for t in common) for common in self.common_lists))
