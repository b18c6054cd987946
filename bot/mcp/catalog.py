"""The catalog for agents: one entry in full, and a keyword search over all of them.

The search compares the query's words with each entry's words (rapidfuzz's ratio, so
a typo or a plural still counts; a word the query begins counts in full): its id
counts most, then its title and tags, its summary, its symptoms. It finds an entry
by what people call it ("oom", "image pull secret"); pasted error text is for
`match_error`, which reads it the way the matcher does.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process, utils

from bot.errors import BadInput
from intents.checked import as_dict
from intents.schema import CatalogEntry
from responses.agent_models import CatalogEntryView, CatalogSearchResult, SearchHit

SUGGESTIONS = 3
MIN_SUGGESTION = 60.0
"""Least similarity (0..100) for an id to be offered as "did you mean"."""
TITLE_WEIGHT = 0.95
SUMMARY_WEIGHT = 0.9
SYMPTOM_WEIGHT = 0.8
MIN_WORD_SIMILARITY = 80.0
"""Least similarity (0..100) of a query word and a catalog word to count (a typo or a plural)."""
MIN_PREFIX = 3


def entry_view(entry: CatalogEntry) -> CatalogEntryView:
    plain = {
        "id": entry.id,
        "title": entry.title,
        "summary": entry.summary,
        "symptoms": list(entry.symptoms),
        "root_cause": entry.root_cause,
        "fix": [as_dict(step, exclude_none=True) for step in entry.fix],
        "links": [{"url": link.url, "title": link.title} for link in entry.links],
        "sources": list(entry.sources),
        "tags": list(entry.tags),
        "cluster_checks": [rule.describe for rule in entry.evidence],
    }
    return CatalogEntryView.model_validate(plain)


def find_entry(entries: Sequence[CatalogEntry], entry_id: str) -> CatalogEntry:
    """The entry with this id; BadInput naming the closest ids when there is none."""
    wanted = entry_id.strip()
    for entry in entries:
        if entry.id == wanted:
            return entry
    ids = [entry.id for entry in entries]
    close = [
        name
        for name, score, _ in process.extract(
            wanted, ids, scorer=fuzz.WRatio, limit=SUGGESTIONS, processor=utils.default_process
        )
        if score >= MIN_SUGGESTION
    ]
    hint = f"; closest: {', '.join(close)}" if close else "; catalog_search finds entries by words"
    raise BadInput(f"no catalog entry {wanted[:80]!r}{hint}")


def _words(text: str) -> frozenset[str]:
    return frozenset(utils.default_process(text).split())


def _groups(entry: CatalogEntry) -> list[tuple[float, frozenset[str]]]:
    """An entry's words by how much a hit on them counts: its id, its title and tags, its summary,
    its symptoms."""
    return [
        (1.0, _words(entry.id.replace("-", " "))),
        (TITLE_WEIGHT, _words(" ".join([entry.title, *entry.tags]))),
        (SUMMARY_WEIGHT, _words(entry.summary)),
        (SYMPTOM_WEIGHT, _words(" ".join(entry.symptoms))),
    ]


def _similar(term: str, vocabulary: list[str]) -> dict[str, float]:
    """Catalog words like `term` (0..1): a word it begins counts in full, a misspelling in part."""
    close = {
        word: score / 100
        for word, score, _ in process.extract(
            term, vocabulary, scorer=fuzz.ratio, limit=None, score_cutoff=MIN_WORD_SIMILARITY
        )
    }
    if len(term) >= MIN_PREFIX:
        close.update({word: 1.0 for word in vocabulary if word.startswith(term)})
    return close


def _hits(words: frozenset[str], similar: list[dict[str, float]]) -> float:
    """Over the query's words, the sum of the best likeness any of `words` has to each."""
    return sum(max((sims.get(word, 0.0) for word in words), default=0.0) for sims in similar)


def search(entries: Sequence[CatalogEntry], query: str, top: int) -> CatalogSearchResult:
    """The `top` entries most like `query`, best first: for each group of an entry's words, the
    mean over the query's words of the best catalog word they hit, weighted; the best group counts."""
    terms = sorted(_words(query))
    groups = [_groups(entry) for entry in entries]
    vocabulary = sorted(set().union(*(words for entry in groups for _w, words in entry)))
    similar = [_similar(term, vocabulary) for term in terms]
    scored: list[tuple[float, float, str, int]] = []
    for number, entry_groups in enumerate(groups):
        per_group = [
            weight * _hits(words, similar) / max(len(terms), 1) for weight, words in entry_groups
        ]
        if max(per_group) > 0:  # ties: the entry the query's words hit in more places first
            scored.append((-max(per_group), -sum(per_group), entries[number].id, number))
    hits = [
        SearchHit(
            id=entries[n].id,
            title=entries[n].title,
            summary=entries[n].summary,
            tags=list(entries[n].tags),
            score=round(-negative, 3),
        )
        for negative, _spread, _id, n in sorted(scored)[:top]
    ]
    return CatalogSearchResult(query=query, hits=hits)
