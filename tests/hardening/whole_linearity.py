"""Whole functions that read user text, linear as a whole, on adversarial texts built per rule.

Every pattern can be linear and the loop around them not: `positions.substitute` searched again
from just after a key it judged not secret, and each search read the rest of the line, so
`key=key=key=...` cost 2.3 s of CPU on 80,000 characters (issue 83). So each rule of the
redaction room gives texts of its own, repeated to a length: its key and separator (the `keep`
part) and its whole match, the key taken by words judged secret or not (`key`, `mykey`,
`secret_name`, `auth_method`, `keyid`, `keystore`, `private`, `password`); nested quotes and
escapes; a key before a long run of separators. A whole function reads each at n and 8n
characters, and its thread CPU must grow at most `MAX_GROWTH` times (linear: about 8; quadratic:
64). A ratio of two CPU figures taken moments apart in one thread does not move with the
machine's load as a time bound would; one over the bound is measured again, the least of three.
"""

from __future__ import annotations

import functools
import pkgutil
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import responses.redaction
from responses.redaction.positions import keep_end
from tests.hardening.regex_linearity import MAX_GROWTH, module_patterns, sample

KEY_WORDS = (
    "key",
    "KEY",
    "mykey",
    "secret_name",
    "auth_method",
    "keyid",
    "keystore",
    "private",
    "--key",
    "-Dkey",
    "password",
)
"""Keys a rule reads: judged not secret though they hold a gate word, and one judged secret."""
NESTED = ('"', "'", '\\"', '\\\\\\"', '"a":"', '{"a":', "'a': '", "`", "“", "「", "\\n", "%22")
"""Quotes and escapes an attacker nests."""
SEPARATORS = (" ", "\t", "=", ":", "=>", ":=", "：", "-", "\\")
"""Runs after a key: `password` then 80,000 of them."""
CHOICES = 3
"""Alternatives tried at each branch of a rule."""
SHORT = 2_500
"""The shorter length compared (the longer is 8 times it), longer than the texts
`responses.redaction.memo` keeps."""
MEASURABLE = 0.004
"""Thread CPU seconds below which the longer run is too short to compare: no ratio is read."""


@dataclass(frozen=True)
class Adversary:
    """A text of any length: `before`, then `unit` repeated."""

    name: str
    unit: str
    before: str = ""

    def text(self, length: int) -> str:
        count = max(1, (length - len(self.before)) // len(self.unit))
        return self.before + self.unit * count


def redaction_modules() -> list[str]:
    return [
        f"responses.redaction.{module.name}"
        for module in pkgutil.iter_modules(responses.redaction.__path__)
    ]


@functools.cache
def rule_adversaries() -> tuple[Adversary, ...]:
    """One text per rule of the redaction room and key word, and the nested and separator runs."""
    found: dict[str, Adversary] = {}
    for module in redaction_modules():
        for site in module_patterns(module):
            for unit in _units(site.pattern, site.flags):
                found.setdefault(unit, Adversary(site.origin, unit))
    for unit in NESTED:
        found.setdefault(unit, Adversary("nested", unit))
        found.setdefault("password=" + unit, Adversary("nested", "password=" + unit))
    for word in ("password", "key"):
        for unit in SEPARATORS:
            found.setdefault(word + "|" + unit, Adversary("separators", unit, word))
    return tuple(found.values())


def _units(pattern: str, flags: int) -> Iterator[str]:
    """A rule's match and its key part, each with every key word when it reads a key: loops turned
    once with the first alternatives, and loops turned as little as they may with each of the
    first `CHOICES` alternatives (`key=`, not only `key => `)."""
    try:
        heads = [pattern, pattern[: keep_end(pattern)]] if keep_end(pattern) else [pattern]
        for head in heads:
            re.compile(head, flags)
            for word in KEY_WORDS if "(?P<key>" in head else (None,):
                for choice in range(-1, CHOICES):
                    unit = sample(head, flags, key=word, choice=choice)
                    if unit.strip():
                        yield unit
    except re.error:  # an RE2-only pattern (the gitleaks rules): RE2 is linear whatever it reads
        return


def thread_cpu(read: Callable[[str], object], text: str, *, tries: int = 1) -> float:
    best = float("inf")
    for _ in range(tries):
        started = time.thread_time()
        read(text)
        best = min(best, time.thread_time() - started)
    return best


def growth(
    read: Callable[[str], object], adversary: Adversary, length: int = SHORT
) -> float | None:
    """CPU(8n) / CPU(n) of `read` on the adversary's text (n: `length`); None when too short to
    compare."""
    short, long = adversary.text(length), adversary.text(8 * length)
    before, after = thread_cpu(read, short), thread_cpu(read, long)
    if after < MEASURABLE:
        return None
    ratio = after / max(before, 1e-6)
    if ratio > MAX_GROWTH:
        ratio = thread_cpu(read, long, tries=3) / max(thread_cpu(read, short, tries=3), 1e-6)
    return ratio


def superlinear(
    read: Callable[[str], object], adversaries: tuple[Adversary, ...], length: int = SHORT
) -> list[str]:
    """One line per adversary whose text `read` costs more than linear time in."""
    problems = []
    for adversary in adversaries:
        ratio = growth(read, adversary, length)
        if ratio is not None and ratio > MAX_GROWTH:
            problems.append(
                f"{adversary.name}: {ratio:.0f} times the CPU for 8 times "
                f"{adversary.before + adversary.unit[:40]!r}..."
            )
    return problems
