"""Which catalog regexes the catalog site runs in the browser (issue 51 item 7): a pattern runs
there only when a backtracking engine provably searches a 400-character window in few choices.
Table test, one comment per case on why; the browser's own timing is tests/browser."""

from __future__ import annotations

import pytest

from intents.loader import load_catalog
from responses.site_patterns import browser_safe

OLD_RATE_LIMITER = (
    r"(?im)^(?:[^\nl]|\Bl|l[^\no]|lo[^\nc]|loc[^\nk]|lock\w){0,300}"
    r"client rate limiter wait returned an error: rate: wait\b"
)

CASES = [
    # loops a text can go through two ways: exponential in a browser
    (r"(x|x)*y", False),  # the team entry: both branches take "x"
    (r"(a+)+$", False),  # a loop of loops
    (r"(.|\s)*ZZZ", False),  # "." and "\s" share the space
    (r"(\w+\s?)*done", False),  # "ab" is one word or two
    (r"(?:le|l\w)*q", False),  # Python's parser would merge these into l[e\w]; a browser does not
    (OLD_RATE_LIMITER, False),  # \Bl and l[^o] both take the l of "le"
    (r"(?:ab?|b)*c", False),  # "ab" is ab, or a then b
    # loops a text goes through one way only
    (
        r"(?im)^(?:[^\nl]|\Bl|\bl[^\no]|\blo[^\nc]|\bloc[^\nk]|\block\w){0,300}client rate",
        True,
    ),  # \b vs \B
    (r"(?:ab|cd)*e", True),  # the branches begin with different letters
    (r"\d{1,3}(?:\.\d{1,3}){3}", True),  # short loops
    (r"(?i)due to client-side throttling, not priority and fairness", True),  # no loop at all
    (r"\bspec\.selector: Required value", True),
    # one loop per character of a long run, several times over: too many choices on 400 characters
    (r".*.*.*x", False),
    (r"\S+/\S+: the server", False),  # "a/a/a/..." splits at every slash, then again
    # a loop whose next character it cannot take gives nothing back
    (r"[a-z]+ [0-9]+ [a-z]+:", True),
    # what a browser cannot run as written is left to the symptoms
    (r"(?P<x>a)(?P=x)", False),  # a back-reference
    (r"[unclosed", False),
]


@pytest.mark.parametrize(("pattern", "safe"), CASES)
def test_a_pattern_runs_in_the_browser_only_when_it_cannot_backtrack_far(
    pattern: str, safe: bool
) -> None:
    assert browser_safe(pattern) is safe


def test_most_builtin_patterns_run_in_the_browser() -> None:
    """The catalog's own regexes keep answering in the page (the corpus agreement is tests/browser)."""
    catalog = load_catalog([])
    patterns = [
        p
        for entry in catalog.entries.values()
        for p in (*entry.patterns, *entry.excludes, *entry.requires)
    ]
    running = sum(browser_safe(p) for p in patterns)
    assert running / len(patterns) >= 0.8, f"{running}/{len(patterns)}"
    assert all(browser_safe(p) for p in catalog.entries["api-client-rate-limited"].patterns)
