"""What the learned model reads of a paste, and the terms it counts.

The model reads a bounded part of the paste, so its cost does not grow with the paste: the
first `head` characters (where people's own words and the first error usually sit) and then
the lines the rules matched that the head does not hold, up to `lines` characters, each cut
to `line` characters. Both sides of the model use these functions: training
(bench/train_calibration.py) counts terms exactly as the bot does when it asks.

Terms are words and pairs of adjacent words of the product's canonical text
(intents.normalize: lower case, timestamps, numbers, names and ids replaced by placeholders).
Character n-grams were measured too (grouped cross-validation on the development half) and
chose no better among the rules' candidates, at ten times the cost.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from intents.normalize import canonical_lines, clean_text

_WORD = re.compile(r"[a-z][a-z0-9_.-]*[a-z0-9]|[a-z]")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Reading:
    """How much of a paste the model reads (stored with the model, so both sides agree)."""

    head: int = 1600
    lines: int = 800
    line: int = 240


def model_text(paste: str, matched: Iterable[str], reading: Reading) -> str:
    """The paste's head, then the matched lines it lacks, within the reading's bounds."""
    head = paste[: reading.head]
    flat_head = _SPACE.sub(" ", head)
    extra: list[str] = []
    budget = reading.lines
    for line in dict.fromkeys(matched):
        piece = _SPACE.sub(" ", line[: reading.line]).strip()
        if not piece or piece in flat_head or len(piece) > budget:
            continue
        extra.append(piece)
        budget -= len(piece)
    return "\n".join([head, *extra]) if extra else head


def terms(text: str) -> Counter[str]:
    """Word and word-pair counts of the canonical text."""
    canonical = " ".join(line for line in canonical_lines(clean_text(text)) if line)
    words = _WORD.findall(canonical)
    counts = Counter(words)
    counts.update(f"{first} {second}" for first, second in pairwise(words))
    return counts
