"""Issue 76: no regex kubemedic runs can make one call superlinear in the text it reads.

Python's `re` backtracks and holds the GIL for a whole call: three escape patterns in
`clean_text` were cubic in a run of backslashes (8,000 cost 62 s of CPU) and froze the bot. Every
pattern of `intents/`, `bot/` and `responses/` is enumerated from the code (tests/hardening/
regex_linearity.py: the modules' own names, containers and classes, and every literal `re.*`
call), so a pattern added later is checked without editing this file, one test per module.

Two checks, neither a time bound:
- static: the parsed pattern (`re._parser`) holds no unbounded loop inside a loop whose turns can
  split a text two ways, and no unbounded loop followed (through what it could give back) by
  another over overlapping characters. This is the shape of every cubic and exponential case,
  found without running anything.
- empirical: the pattern searches every position of adversarial texts (runs of backslashes,
  quotes, spaces, newlines, nested JSON, long words, a-runs, and runs of each of its own loops'
  characters after the text that reaches the loop) of length n and 8n; the CPU must grow at
  most MAX_GROWTH times (linear: about 8, quadratic: 64). This finds what the shape rules let
  through, such as a search that rescans one run of spaces from each of its positions. A ratio
  of two CPU figures taken moments apart in one process does not move with the machine's speed
  or load as a time bound would; runs too short to read are not compared, and a ratio over the
  bound is measured again, the least of three runs each, before it counts.
"""

from __future__ import annotations

import pytest

from tests.hardening.regex_linearity import (
    MAX_GROWTH,
    Site,
    growth,
    module_patterns,
    product_modules,
    static_problems,
)


@pytest.mark.parametrize("module", product_modules())
def test_every_pattern_of_the_module_reads_its_text_in_linear_time(module: str) -> None:
    problems: list[str] = []
    for site in module_patterns(module):
        problems += [
            f"{site.origin}: {problem}" for problem in static_problems(site.pattern, site.flags)
        ]
        found = growth(site)
        if found is not None and found[0] > MAX_GROWTH:
            problems.append(
                f"{site.origin}: {found[0]:.0f} times the CPU for 8 times the text "
                f"{found[1]!r}... ({site.pattern[:80]!r})"
            )
    assert not problems, "\n".join(problems)


def test_patterns_are_found_wherever_the_code_holds_them() -> None:
    """Module names, a tuple of pairs, a class attribute and a literal call inside a function."""
    origins = {site.origin: site for site in module_patterns("intents.normalize")}
    assert "intents.normalize._ESCAPED_NEWLINE" in origins
    assert any(
        site.startswith("responses.redaction.commands.COMMAND_RULES")
        for site in [s.origin for s in module_patterns("responses.redaction.commands")]
    )
    inline = [s for s in module_patterns("bot.cluster.dump") if ":" in s.origin]
    assert any("==|=|!=" in site.pattern for site in inline)
    assert len(product_modules()) > 300


@pytest.mark.parametrize(
    ("pattern", "superlinear"),
    [
        (r"\\+r?\\+n|\\+n", True),  # issue 76: a backslash run split three ways
        (r"(x|x)*y", True),  # alternatives taking the same text, in a loop
        (r"(.|\s)*ZZZ", True),
        (r"(\w+\s?)*done", True),  # a turn ends in a loop over what starts the next
        (r"(a+)+$", True),
        (r".*x.*y", True),  # the second loop rescans what the first gives back
        (r"\S+/\S+: the server", True),
        (r"(?<!\\)\\++(?:r\\++)?n", False),  # the rewrite: each backslash read once
        (r'[^"]*"[^"]*"', False),  # the quote ends the first loop
        (r"(?:[-.:/'][a-z0-9_]+)*", False),  # each turn starts with a separator
        (r"(?:[a-z0-9-]++\.)+[a-z0-9-]++", False),  # each turn ends with a dot
        (r"(.*)'[ \t]*$", False),  # each quote starts another run of spaces
    ],
)
def test_the_static_check_names_the_shapes_that_backtrack(pattern: str, superlinear: bool) -> None:
    assert bool(static_problems(pattern)) is superlinear


@pytest.mark.parametrize(
    ("pattern", "superlinear"),
    [
        (r"\s+x", True),  # from each space of a run, the rest of the run again
        (r"\\+n", True),  # the old escape pattern, one of its three parts
        (r"(?<!\s)\s+x", False),  # only the run's first space starts a search
        (r"[a-z]+ [0-9]+", True),  # a word's every letter starts a search through it
        (r"(?<![a-z])[a-z]+ [0-9]+", False),
    ],
)
def test_the_empirical_check_finds_a_search_that_rescans_a_run(
    pattern: str, superlinear: bool
) -> None:
    found = growth(Site("table", pattern, 0))
    assert found is not None or not superlinear
    assert (found is not None and found[0] > MAX_GROWTH) is superlinear
