"""Catalog regexes are filed under the whole words every match must contain."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?i)x509: certificate (expired|unknown)", [["x509", "certificate"]]),
        (
            r"(?i)temporary failure in name resolution|getaddrinfo EAI_AGAIN",
            [["temporary", "failure", "name", "resolution"], ["getaddrinfo", "eai", "again"]],
        ),
        # 137 becomes a number placeholder in pastes: the group of alternatives is used instead
        (r"(?i)(sigterm|gracefully)[^\n]{0,120}\b137\b", [["sigterm"], ["gracefully"]]),
        # a group glued to a word makes one whole word per branch
        (r"(?i)\boomkill(ed|ing)\b", [["oomkilled"], ["oomkilling"]]),
        # Python's parser factors the common prefix out of `KubeNodeNotReady|KubeNodeUnreachable`
        (
            r"(?i)\bKubeNodeNotReady\b|\bKubeNodeUnreachable\b",
            [["kubenodenotready"], ["kubenodeunreachable"]],
        ),
        (
            r"(?i)\b(?:crashloopbackoff|crash loop backoff)\b",
            [["crashloopbackoff"], ["crash", "loop", "backoff"]],
        ),
        # a required separator class ends a word; an optional one does not
        (r"(?i)\bno[ _]healthy[ _]upstream\b", [["healthy", "upstream"]]),
        (r"(?i)\bliveness\s+probes? fail", [["liveness", "fail"]]),
        # an optional run of letters decides the word: filed under every spelling of the first
        # group that has one whatever is chosen
        (
            r"(?i)\b(?:pods?|containers?)\b[^.\n]{0,40}\b(?:OOMs?|OOMed)\b",
            [["pods"], ["pod"], ["containers"], ["container"]],
        ),
        (r"(?i)\bfail(?:s|ed)?\b", [["fails"], ["failed"], ["fail"]]),
        (r"(?i)\b(?:keeps?|kept)(?: on)? restarting\b", [["restarting"]]),
        (r"(?i)\bexit(ed)?( with)?( code| status)?:?\s*\(?143\)?(\D|$)", []),  # no whole word: runs
        # only for entries already reached
    ],
)
def test_regexes_are_filed_under_a_word_each_match_must_contain(
    pattern: str, expected: list[list[str]]
) -> None:
    from intents.regex_safety import branch_words

    assert branch_words(pattern, lambda word: not word.isdigit()) == expected


def test_a_later_group_files_the_pattern_when_the_first_cannot() -> None:
    """The parser inlines `(?:...)` groups; when a branch of the first names no word the index may
    use ("can't" is a stopword), every branch of a later required group still files it."""
    from intents.regex_safety import branch_words

    pattern = r"(?i)\b(?:cannot|can't)\b (?:\w+ ){0,3}?(?:service ip|clusterip)\b"
    assert branch_words(pattern, lambda word: word not in {"can", "not"}) == [
        ["service"],
        ["clusterip"],
    ]


def test_a_pattern_only_re2_reads_files_under_no_word() -> None:
    from intents.regex_safety import branch_words

    assert (
        branch_words(r"\pL+ quota exceeded") == []
    )  # Python's parser cannot read \pL: run for reached entries


# Catalog patterns that file under no whole word, so they run only for an entry the fuzzy
# shortlist already reached: exit codes, table rows and a few sentence shapes. A pattern added
# without a word to file it under (a rewrite that loses its anchor) fails here. Counted the way
# the index files them: stopwords ("can", "not") and placeholders ("413") anchor nothing.
UNANCHORED_PATTERNS = {
    "istio-route-not-found-404": 1,  # Envoy's response flag NR: two letters
    "mesh-sidecar-not-injected": 1,  # istioctl analyze codes IST0102/IST0103
    "container-name-reserved": 1,
    "executable-not-found": 1,
    "exit-code-134-abort": 1,
    "exit-code-139-segfault": 1,
    "exit-code-143-sigterm": 1,
    "kubelet-serving-certificate-invalid": 1,
    "liveness-probe-failed": 1,
    "loadbalancer-service-pending": 1,
    "node-not-ready": 1,
    "pod-evicted": 1,
}


def test_catalog_patterns_keep_a_whole_word_to_run_under() -> None:
    from collections import Counter

    from intents.index import CatalogIndex
    from intents.loader import load_catalog

    index = CatalogIndex(list(load_catalog().entries.values()))
    unanchored = Counter(
        index.entries[number].id
        for number, texts in enumerate(index.pattern_texts)
        for ordinal in range(len(texts))
        if (number, ordinal) not in index.anchored_patterns
    )
    grown = {
        entry: count
        for entry, count in unanchored.items()
        if count > UNANCHORED_PATTERNS.get(entry, 0)
    }
    assert not grown, (
        f"patterns with no whole word to file them under (they run only once fuzzy matching reached the entry): {grown}"
    )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        # every required place: a literal run, then each group of alternatives (one phrase a branch)
        (
            r"(?i)\b(?:fail(?:ed|s)?|unable|error) to (?:init|load) (?:the )?cni\b",
            (("fail", "unable", "error"), (" to ",), ("init", "load"), ("cni",)),
        ),
        # casefolded; a `[` or `]` ends a phrase (RE2 reads `[[:alpha:]]` as one class)
        (r"ERROR 1045\b|\[1045\] Access denied", (("error 1045", " access denied"),)),
        # an optional group or a repeat that may be absent requires nothing
        (r"(?i)x509: certificate (?:has )?expired", (("x509: certificate ",), ("expired",))),
        (r"(?i)pods?( are)? evicted", (("pod",), (" evicted",))),
        # a branch that requires nothing leaves its group out
        (r"(?i)(?:oom|\d+) killed", ((" killed",),)),
        # RE2-only syntax Python cannot read: nothing (the regex always runs)
        (r"\pL+ quota exceeded", ()),
    ],
)
def test_regexes_require_the_literal_phrases_each_match_holds(
    pattern: str, expected: tuple[tuple[str, ...], ...]
) -> None:
    from intents.regex_safety import required_phrases

    assert required_phrases(pattern) == expected


def test_no_catalog_regex_is_skipped_on_a_line_it_matches() -> None:
    """The phrase filter is only a shortcut: wherever RE2 finds a catalog regex (patterns,
    excludes, requires) in one of the catalog's own symptoms, as written, in capitals or with
    letters RE2's `(?i)` folds to ASCII ones, the filter lets it run."""
    from intents.loader import load_catalog
    from intents.regex_engine import compile_regex

    tried = 0
    for entry in load_catalog().entries.values():
        texts = [*entry.symptoms, entry.title, entry.summary]
        for pattern in (*entry.patterns, *entry.excludes, *entry.requires):
            regex = compile_regex(pattern)
            for text in texts:
                if regex.search(text) is None:
                    continue
                for seen in (text, text.upper(), text.replace("k", "\u212a")):
                    if regex.search(seen) is not None:
                        tried += 1
                        assert regex.may_match(seen.casefold()), (pattern, seen)
    assert tried > 1000
