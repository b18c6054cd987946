"""The team's examples: a paste someone told kubemedic the answer to, recognised when it returns.

An example is a redacted paste and the catalog entry a person chose for it. A later paste
"reads the same" when its words, after the normalisation the matcher uses (transport damage
undone; timestamps, addresses, numbers and generated pod-name suffixes replaced by
placeholders; object names kept), hold the example's words in order with few words around
them (a greeting, a shell prompt). So the same error pasted again through another terminal,
quoted, wrapped, with a restarted pod's new suffix or later times is recognised; a paste that
only shares some lines with it, or shows other objects in the same state, is not.

Finding candidates must be cheap for a store of thousands of examples: an example is looked up
by a digest of its first words (`lead`) and its length, and `lookup` says which digests and
lengths a paste can match; `reads_the_same` then decides. Both read their numbers from POLICY.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from intents.normalize import canonical_lines, clean_text, fold_misspellings
from intents.policy import POLICY

_WORD = re.compile(r"[a-z0-9]+")
MAX_WORDS = 20_000
"""Words read from one text (a 40 KB paste has about 6,000)."""


@dataclass(frozen=True)
class TeamExample:
    """One recorded choice, as the decision reads it."""

    entry_id: str
    words: tuple[str, ...]
    chooser: str
    """Who chose it, as people know them (a Slack handle)."""
    chosen_on: str
    """The day it was chosen (YYYY-MM-DD)."""


@dataclass(frozen=True)
class Lookup:
    """Which stored examples a paste can read the same as: these leads, lengths in this range."""

    leads: tuple[str, ...]
    shortest: int
    longest: int


def words_of(text: str) -> tuple[str, ...]:
    """The words that decide "the same error": normalised, placeholders for what varies."""
    lines = canonical_lines(fold_misspellings(clean_text(text)), names=False)
    words: list[str] = []
    for line in lines:
        words.extend(_WORD.findall(line))
        if len(words) >= MAX_WORDS:
            return tuple(words[:MAX_WORDS])
    return tuple(words)


def lead_of(words: Sequence[str]) -> str:
    """The digest an example is found by: its first `POLICY.example_lead_words` words."""
    head = " ".join(words[: POLICY.example_lead_words])
    return hashlib.sha256(head.encode()).hexdigest()[:32]


def lookup(words: Sequence[str], *, at_most: int | None = None) -> Lookup | None:
    """The leads and lengths of every example a paste can read the same as (None: too short).

    `words` are the paste's words, or only its first ones when `at_most` bounds how many it has
    (reading the head of a long paste is enough to find the candidates; the decision reads
    all of it before one answers)."""
    if len(words) < POLICY.example_min_words:
        return None
    starts = range(min(POLICY.example_extra_words, len(words) - POLICY.example_min_words) + 1)
    leads = tuple(dict.fromkeys(lead_of(words[start:]) for start in starts))
    if at_most is not None:
        return Lookup(leads, POLICY.example_min_words, max(at_most, len(words)))
    return Lookup(
        leads, max(POLICY.example_min_words, len(words) - POLICY.example_extra_words), len(words)
    )


def reads_the_same(example: Sequence[str], paste: Sequence[str]) -> bool:
    """The paste holds the example's words in order, with at most `example_extra_words` other
    words around them and never more than the example has: the same error, told again."""
    extra = len(paste) - len(example)
    if len(example) < POLICY.example_min_words or not 0 <= extra <= POLICY.example_extra_words:
        return False
    if extra > len(example) * POLICY.example_extra_share:
        return False
    width = len(example)
    return any(tuple(paste[start : start + width]) == tuple(example) for start in range(extra + 1))


def matching_example(examples: Sequence[TeamExample], paste: Sequence[str]) -> TeamExample | None:
    """The first example (the caller orders them, newest first) the paste reads the same as."""
    return next((example for example in examples if reads_the_same(example.words, paste)), None)
