"""Catalog regexes that could backtrack catastrophically are refused at load time."""

from __future__ import annotations

import pytest

from intents.regex_safety import check_pattern

REFUSED = [
    r"(a+)+$",  # classic exponential blow-up
    r"(.*)*x",  # star inside star
    r"(\w+\s?)*done",  # word-and-space repeated
    r"(?:x{1,3})+y",  # bounded repeat inside an unbounded one
    r"(a|b)\1",  # back-reference
    r"[unclosed",  # not a regex at all
    "a" * 600,  # too long to review
]
ACCEPTED = [
    r"(?i)cluster id mismatch",
    r"exit code:?\s*137",
    r"(?i)multi-attach error for volume",
    r"(foo|bar)+baz",  # alternation of literals under + is linear
    r"had (untolerated )?taint \{node\.kubernetes\.io/disk-pressure",
]


@pytest.mark.parametrize("pattern", REFUSED)
def test_dangerous_or_invalid_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError):
        check_pattern(pattern)


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_ordinary_signatures_are_accepted(pattern: str) -> None:
    assert check_pattern(pattern).pattern == pattern


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?i)x509: certificate (expired|unknown)", [["x509", "certificate"]]),
        (r"(?i)temporary failure in name resolution|getaddrinfo EAI_AGAIN",
         [["temporary", "failure", "name", "resolution"], ["getaddrinfo", "eai", "again"]]),
        # 137 becomes a number placeholder in pastes: the group of alternatives is used instead
        (r"(?i)(sigterm|gracefully)[^\n]{0,120}\b137\b", [["sigterm"], ["gracefully"]]),
        (r"(?i)\boomkill(ed|ing)\b", []),  # no whole word: runs only for entries already reached
    ],
)
def test_regexes_are_filed_under_a_word_each_match_must_contain(pattern: str, expected: list[list[str]]) -> None:
    from intents.regex_safety import branch_words

    assert branch_words(pattern, lambda word: not word.isdigit()) == expected
