"""api-client-rate-limited's limiter pattern was rewritten so a backtracking engine (the catalog
site's browser) never tries one line two ways (issue 51 item 7). It must match what the old one
matched: the same span on 10,000 random lines built around the phrase, whose text before it
(up to 250 characters) mixes the letters of "lock", the word itself, and other words."""

from __future__ import annotations

import random

from intents.loader import load_catalog
from intents.regex_engine import compile_regex
from tests.responses.test_site_patterns import OLD_RATE_LIMITER

PHRASES = [
    "client rate limiter Wait returned an error: rate: Wait(n=1) would exceed context deadline",
    "Client Rate Limiter Wait returned an error: rate: wait",
    "client rate limiter wait returned an error: rate: waits",
]
PIECES = [
    *'lLoOcCkK x-_.:/"=\n9é',
    "lock",
    "LOCK",
    "lock:",
    "locks",
    "block",
    " lo",
    "loc ",
    "Failed to update lock",
    "leaderelection.go:369 ",
    "error retrieving resource lock kube-system/x: ",
]


def random_line(chance: random.Random) -> str:
    before = "".join(chance.choice(PIECES) for _ in range(chance.randint(0, 40)))[:250]
    after = "".join(chance.choice(PIECES) for _ in range(chance.randint(0, 4)))
    return before + chance.choice(PHRASES) + after


def test_the_rewritten_limiter_pattern_matches_what_the_old_one_matched() -> None:
    [new] = [
        p
        for p in load_catalog([]).entries["api-client-rate-limited"].patterns
        if "client rate limiter" in p
    ]
    old, rewritten = compile_regex(OLD_RATE_LIMITER), compile_regex(new)
    chance = random.Random(51)
    matched = 0
    for _ in range(10_000):
        line = random_line(chance)
        before, after = old.search(line), rewritten.search(line)
        assert (before and (before.start(), before.end())) == (
            after and (after.start(), after.end())
        ), line
        matched += before is not None
    assert (
        1_000 < matched < 9_000
    )  # both kinds of line were tried: with a lock before the phrase, and without
