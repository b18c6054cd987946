"""Secrets generated from the rule set's own regexes, as gitleaks makes its own test examples.

gitleaks' rule sources test each rule on secrets drawn at random from the rule's regex
(`secrets.NewSecret(regex)`) and wrapped in assignment lines. Here the same: a string drawn
from each rule's regex in `responses.redaction.rules_gitleaks` (Python's regex parser walks
the pattern; RE2 syntax is the same for what the rules use), kept when the rule itself
finds it and its secret passes the rule's entropy floor and allowlists, then set in a log
line as it would arrive. Deterministic: one seed per rule.
"""

from __future__ import annotations

import random
import re
import string
import warnings
from re import _constants as sre  # the parser's node kinds
from re import _parser

import re2

from responses.redaction import shapes as secret_shapes
from responses.redaction.rules_gitleaks import RULES

_SPACE = " "
_CATEGORY = {
    sre.CATEGORY_DIGIT: string.digits,
    sre.CATEGORY_WORD: string.ascii_letters + string.digits + "_",
    sre.CATEGORY_SPACE: _SPACE,
}
_PRINTABLE = string.ascii_letters + string.digits + "_-./+="


def _choices(items: list[tuple[object, object]], rng: random.Random) -> str:
    """A character from an IN set (literals, ranges, categories; negated sets draw from the rest)."""
    pool: list[str] = []
    negate = False
    for kind, value in items:
        if kind is sre.NEGATE:
            negate = True
        elif kind is sre.LITERAL:
            pool.append(chr(value))  # type: ignore[arg-type]
        elif kind is sre.RANGE:
            low, high = value  # type: ignore[misc]
            pool.extend(chr(c) for c in range(low, min(high, 126) + 1))
        elif kind is sre.CATEGORY:
            pool.extend(_CATEGORY.get(value, ""))  # type: ignore[call-overload]
    if negate:
        pool = [c for c in _PRINTABLE if c not in pool]
    pool = [c for c in pool if c.isprintable() and c != "\n"] or list(_PRINTABLE)
    return rng.choice(pool)


def _emit(pattern: _parser.SubPattern, rng: random.Random, out: list[str]) -> None:
    for kind, value in pattern:
        if kind is sre.LITERAL:
            out.append(chr(value))
        elif kind is sre.NOT_LITERAL:
            out.append(rng.choice([c for c in _PRINTABLE if ord(c) != value]))
        elif kind is sre.ANY:
            out.append(rng.choice(_PRINTABLE))
        elif kind is sre.IN:
            out.append(_choices(value, rng))
        elif kind is sre.BRANCH:
            _emit(rng.choice(value[1]), rng, out)
        elif kind is sre.SUBPATTERN:
            _emit(value[3], rng, out)
        elif kind in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, high, inner = value
            high = low + 4 if high == sre.MAXREPEAT else high
            lazy = kind is sre.MIN_REPEAT
            for _ in range(
                low
                if lazy and low == 0
                else rng.randint(low, max(low, min(high, low + 4)))
                if high - low > 8
                else rng.randint(low, high)
            ):
                _emit(inner, rng, out)
        elif kind is sre.CATEGORY:
            out.append(rng.choice(_CATEGORY.get(value, "a")))
        # AT (anchors, \b) and assertions emit nothing


def draw(regex: str, rng: random.Random) -> str:
    """A string drawn from an RE2 rule regex (flags inside the pattern dropped, `\\z` as `\\Z`)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = _parser.parse(regex.replace("(?i)", "").replace("\\z", "\\Z"))
    out: list[str] = []
    _emit(parsed, rng, out)
    return "".join(out)


def rule_samples() -> dict[str, tuple[str, str]]:
    """Rule id -> (secret, the line it arrives in), for every rule a sample could be drawn for."""
    samples: dict[str, tuple[str, str]] = {}
    for index, (rule_id, keywords, regex, group, _floor, _allow) in enumerate(RULES):
        if rule_id.endswith(":nearby"):
            continue
        rng = random.Random(f"{rule_id}-51")
        compiled = re2.compile(regex)
        for _attempt in range(40):
            drawn = draw(regex, rng).strip()
            found = compiled.search(drawn)
            span = found and secret_shapes._secret_span(found, group)
            if not found or not span:
                continue
            secret = drawn[span[0] : span[1]]
            if (
                len(secret) < 8
                or not secret_shapes._kept(index, secret)
                or re.search(r"\s", secret)
            ):
                continue
            word = keywords[0] if keywords else rule_id.split("-")[0]
            samples[rule_id] = (
                secret,
                (
                    f"E1126 10:02:03.123456 1 client.go:88] {word} request failed: "
                    f"401 Unauthorized, {drawn} rejected"
                ),
            )
            break
    return samples
