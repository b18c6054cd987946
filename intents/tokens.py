"""Split canonical text into the tokens the index weighs.

Compound identifiers are kept whole *and* split, so `node.kubernetes.io/
disk-pressure` matches a paste that says `disk-pressure` and one that says
`disk pressure`; `DEADLINE_EXCEEDED` matches `Deadline Exceeded`.
"""

from __future__ import annotations

import re

from intents.normalize import PLACEHOLDERS

_TOKEN = re.compile(r"[a-z0-9_]+(?:[-.:/'][a-z0-9_]+)*")
_PATH_SEPARATORS = re.compile(r"[./:]")
_WORD_SEPARATORS = re.compile(r"[-_']")

STOPWORDS = (
    frozenset(
        {
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "been",
            "but",
            "by",
            "can",
            "could",
            "did",
            "do",
            "does",
            "for",
            "from",
            "has",
            "had",
            "have",
            "he",
            "her",
            "his",
            "i",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "me",
            "my",
            "no",
            "not",
            "of",
            "on",
            "or",
            "our",
            "she",
            "so",
            "than",
            "that",
            "the",
            "their",
            "them",
            "then",
            "there",
            "these",
            "they",
            "this",
            "to",
            "too",
            "us",
            "was",
            "we",
            "were",
            "what",
            "when",
            "where",
            "which",
            "who",
            "why",
            "will",
            "with",
            "would",
            "you",
            "your",
            "yes",
            "any",
            "all",
            "some",
            "just",
            "also",
            "via",
            "per",
            # the negative contractions of the words above, whole and as their stems
            "don't",
            "doesn't",
            "didn't",
            "isn't",
            "aren't",
            "wasn't",
            "weren't",
            "hasn't",
            "haven't",
            "hadn't",
            "can't",
            "couldn't",
            "won't",
            "wouldn't",
            "shouldn't",
            "don",
            "doesn",
            "didn",
            "isn",
            "aren",
            "wasn",
            "weren",
            "hasn",
            "haven",
            "hadn",
            "couldn",
            "wouldn",
            "shouldn",
        }
    )
    | PLACEHOLDERS
)


def tokenize(canonical_text: str) -> set[str]:
    """The distinct tokens of one canonical (lower-cased, placeholder) text."""
    tokens = set(_TOKEN.findall(canonical_text))
    for whole in [token for token in tokens if not token.isalnum()]:
        for piece in _PATH_SEPARATORS.split(whole):
            tokens.add(piece)
            if not piece.isalnum():
                tokens.update(_WORD_SEPARATORS.split(piece))
    tokens -= STOPWORDS
    return {token for token in tokens if len(token) > 1}
