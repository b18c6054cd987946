"""Catalog regexes are filed under the whole words every match must contain."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?i)x509: certificate (expired|unknown)", [["x509", "certificate"]]),
        (r"(?i)temporary failure in name resolution|getaddrinfo EAI_AGAIN",
         [["temporary", "failure", "name", "resolution"], ["getaddrinfo", "eai", "again"]]),
        # 137 becomes a number placeholder in pastes: the group of alternatives is used instead
        (r"(?i)(sigterm|gracefully)[^\n]{0,120}\b137\b", [["sigterm"], ["gracefully"]]),
        # a group glued to a word makes one whole word per branch
        (r"(?i)\boomkill(ed|ing)\b", [["oomkilled"], ["oomkilling"]]),
        # Python's parser factors the common prefix out of `KubeNodeNotReady|KubeNodeUnreachable`
        (r"(?i)\bKubeNodeNotReady\b|\bKubeNodeUnreachable\b", [["kubenodenotready"], ["kubenodeunreachable"]]),
        (r"(?i)\b(?:crashloopbackoff|crash loop backoff)\b", [["crashloopbackoff"], ["crash", "loop", "backoff"]]),
        # a required separator class ends a word; an optional one does not
        (r"(?i)\bno[ _]healthy[ _]upstream\b", [["healthy", "upstream"]]),
        (r"(?i)\bliveness\s+probes? fail", [["liveness", "fail"]]),
        (r"(?i)\bexit(ed)?( with)?( code| status)?:?\s*\(?143\)?(\D|$)", []),  # no whole word: runs
        # only for entries already reached
    ],
)
def test_regexes_are_filed_under_a_word_each_match_must_contain(pattern: str, expected: list[list[str]]) -> None:
    from intents.regex_safety import branch_words

    assert branch_words(pattern, lambda word: not word.isdigit()) == expected


def test_a_pattern_only_re2_reads_files_under_no_word() -> None:
    from intents.regex_safety import branch_words

    assert branch_words(r"\pL+ quota exceeded") == []  # Python's parser cannot read \pL: run for reached entries
