"""What a symptom text says: the objects it names and the kind of trouble.

"checkout is failing", "Partial Service Unreachability.", "latency of cart went up": the names
(matched against the namespace's Services, workloads and nodes) and the class (unreachable,
errors, restarts, latency, unavailable) lift the suspects on their chain. Nothing here guesses
a cause: a symptom only reorders what the checks found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.diagnosis.suspects.clues import SymptomClass
from intents.policy import POLICY

_WORD = re.compile(r"[a-z0-9][a-z0-9-]*[a-z0-9]|[a-z0-9]")
_CLASSES: tuple[tuple[SymptomClass, re.Pattern[str]], ...] = (
    (
        "unreachable",
        re.compile(
            r"unreach|can.?not reach|cannot connect|connection refused|"
            r"no endpoints?|\b50[23]\b|not reachable|routing"
        ),
    ),
    ("restarts", re.compile(r"restart|crash|oom|killed|back-?off")),
    ("latency", re.compile(r"laten|slow|timed? ?out|degrad|delay|p9[059]")),
    (
        "unavailable",
        re.compile(
            r"unavailab|disrupt|outage|\bdown\b|not available|pending|"
            r"not (?:start|schedul|running)"
        ),
    ),
    ("errors", re.compile(r"error|fail|\b5\d\d\b|exception|broken|abnormal")),
)
SUFFIXES = ("", "service", "-service", "svc", "-svc", "-api", "-app", "-server", "-deployment")


@dataclass(frozen=True)
class Symptom:
    """The symptom's text, the objects it names and its classes."""

    text: str = ""
    names: frozenset[str] = frozenset()
    classes: frozenset[SymptomClass] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.text.strip())


def _names(words: list[str], known: Iterable[str]) -> frozenset[str]:
    said = {
        word + suffix
        for word in words
        if len(word) >= POLICY.walk_name_prefix
        for suffix in SUFFIXES
    }
    return frozenset(said.intersection(known))


def read_symptom(text: str, known: Iterable[str]) -> Symptom:
    """The symptom of `text`; `known`: the names of the namespace's objects."""
    lowered = " ".join(text.lower().split())[:1000]
    words = _WORD.findall(lowered)
    classes = frozenset(name for name, pattern in _CLASSES if pattern.search(lowered))
    return Symptom(lowered, _names(words, known), classes)
