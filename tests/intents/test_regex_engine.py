"""Every catalog regex runs on RE2: hostile shapes are linear, what RE2 cannot run is refused."""

from __future__ import annotations

import pytest

from bot.diagnosis.paste import diagnose_paste
from intents.checked import as_dict, validate
from intents.loader import SET_BY_LOADER, load_catalog
from intents.matcher import Matcher
from intents.regex_engine import compile_regex
from intents.schema import CatalogEntry
from intents.text_budget import TooCostlyToRead, text_budget

TEN_KB = 10_000
HOSTILE = {  # the catastrophic-backtracking shapes, each with the paste that triggers it in a backtracker
    r"(x|x)*y": "x" * TEN_KB,
    r"(.|\s)*\bZZZ\b": "a b\n" * (TEN_KB // 4),
    r"(a+)+$": "a" * TEN_KB + "!",
    r"(\w+\s?)*done": "word " * (TEN_KB // 5) + "!",
    r"(x+x+)+y": "x" * TEN_KB,
    r"^(([a-z])+.)+[A-Z]([a-z])+$": "a" * TEN_KB + "!",
    r"(?i)(\d+|\w+)*:": "1a" * (TEN_KB // 2),
}
SYMPTOM = "frobnicator quantum flux overload detected"


@pytest.mark.parametrize(("pattern", "paste"), list(HOSTILE.items()), ids=list(HOSTILE))
def test_catastrophic_shapes_search_10_kb_to_the_end(pattern: str, paste: str) -> None:
    """No bait matches; a backtracking engine never gets to say so (the suite's timeout fails
    it), RE2 does in linear time."""
    assert compile_regex(pattern).search(paste) is None


def test_hostile_user_entries_answer_a_10_kb_hostile_paste() -> None:
    hostile = validate(
        CatalogEntry,
        {
            "id": "hostile-regex",
            "title": "Hostile",
            "summary": "s",
            "symptoms": [SYMPTOM],
            "patterns": list(HOSTILE),
            "root_cause": "r",
            "fix": [{"text": "t"}],
            "links": [{"url": "https://example.com/x", "title": "t"}],
            "sources": ["x"],
        },
    )
    entries = sorted([*load_catalog().entries.values(), hostile], key=lambda entry: entry.id)
    matcher = Matcher.from_entries(entries)
    for body in HOSTILE.values():
        paste = f"{SYMPTOM} {body}"  # one line: the windows the entry reaches hold the bait
        found = [finding.match.id for finding in diagnose_paste(matcher, paste).findings]
        assert found[:1] == ["hostile-regex"]  # a backtracking engine never returns


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"TooManyRequests(?!\): the server)", "lookaround is not supported"),
        (r"(?<!not )oomkilled", "lookaround is not supported"),
        (r"(a|b)\1", "back-references are not supported"),
        (r"[unclosed", "missing ]"),
        (r"a{0,2000}", "invalid repetition size"),
        ("a" * 600, "longer than 500 characters"),
    ],
)
def test_what_re2_cannot_run_is_refused_with_the_reason(pattern: str, why: str) -> None:
    with pytest.raises(ValueError) as refused:
        compile_regex(pattern)
    assert why in str(refused.value)


def test_a_search_started_past_the_budget_stops_the_worker() -> None:
    regex = compile_regex(r"(?i)oom")
    with text_budget(60):
        assert regex.search("OOMKilled") is not None
        with text_budget(0), pytest.raises(TooCostlyToRead):
            regex.search("OOMKilled")
        assert regex.fullmatch("oom") is not None  # the inner budget ended with its block
    assert regex.search("no") is None  # no budget outside


def test_every_builtin_regex_compiles() -> None:
    """The built-in catalog loads without compiling its regexes (`regexes_proven`): this is
    what proves they all compile, by validating each entry again as a team's would be."""
    for entry in load_catalog().entries.values():
        validate(CatalogEntry, as_dict(entry, exclude=frozenset(SET_BY_LOADER)))
