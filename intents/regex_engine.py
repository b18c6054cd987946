"""The one engine for every regex a catalog directory supplies: RE2, linear in the text.

Catalog patterns, excludes, requires, evidence rules' regexes and alert label
conditions are compiled by `compile_regex` and run by google-re2, whose matching
time is linear in the text whatever the pattern: `(x|x)*y`, `(.|\\s)*` or `(a+)+$`
cannot backtrack.  RE2 has no lookaround and no back-references; `compile_regex`
refuses what it cannot run, with RE2's own reason.

The CPU budget of `intents.text_budget` is the backstop on top: inside it, a search started
after the thread spent its budget raises `TooCostlyToRead`, so a worker thread matching a
paste against a huge catalog stops within one (linear, bounded) search of its budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from typing import Protocol, cast

import re2  # google-re2: no type information (ignore_missing_imports)

from intents.regex_safety import required_phrases
from intents.text_budget import check_budget

MAX_PATTERN_LENGTH = 500
MAX_PROGRAM_BYTES = 8 << 20
"""RE2's memory cap per compiled regex (its default): a pattern needing more is refused."""

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # refusals are reported by the caller, not printed to stderr
_OPTIONS.max_mem = MAX_PROGRAM_BYTES


class RegexMatch(Protocol):
    """The parts of a match object callers use."""

    def start(self, group: int = 0) -> int: ...
    def end(self, group: int = 0) -> int: ...
    def group(self, group: int = 0) -> str: ...


class _Compiled(Protocol):
    def search(self, text: str) -> RegexMatch | None: ...
    def fullmatch(self, text: str) -> RegexMatch | None: ...


class Regex:
    """One compiled catalog regex (RE2), checked against this thread's budget."""

    __slots__ = ("_compiled", "_phrases", "pattern")

    def __init__(self, pattern: str, compiled: _Compiled) -> None:
        self.pattern = pattern
        self._compiled = compiled
        self._phrases: tuple[tuple[str, ...], ...] | None = None

    def may_match(self, folded: str) -> bool:
        """False when `folded` (a text's `casefold()`) lacks every phrase of one place the
        pattern requires (regex_safety.required_phrases, read on the first call): no match
        there, and no call into RE2."""
        if self._phrases is None:
            self._phrases = required_phrases(self.pattern)
        return all(any(phrase in folded for phrase in place) for place in self._phrases)

    def search(self, text: str) -> RegexMatch | None:
        """The leftmost match anywhere in `text`, or None."""
        check_budget()
        return self._compiled.search(text)

    def fullmatch(self, text: str) -> RegexMatch | None:
        """A match of the whole of `text`, or None."""
        check_budget()
        return self._compiled.fullmatch(text)

    def __repr__(self) -> str:
        return f"Regex({self.pattern!r})"


@lru_cache(maxsize=8192)
def compile_regex(pattern: str) -> Regex:
    """`pattern` compiled by RE2, or ValueError saying why RE2 cannot run it."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"regex longer than {MAX_PATTERN_LENGTH} characters")
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raise ValueError(f"RE2 cannot run regex {pattern!r}: {_reason(exc)}") from None
    return Regex(pattern, cast(_Compiled, compiled))


_CHECK_AT_LOAD: ContextVar[bool] = ContextVar("check_regexes_at_load", default=True)


@contextmanager
def regexes_proven() -> Iterator[None]:
    """Within the block, `check_regex` does not compile and entries do not try their guards on
    their own symptoms (`regexes_checked`): for the built-in catalog, which the fast tier proves
    (tests/intents/test_regex_engine.py). Compiling its 1,800 regexes at each start was a sixth
    of a short `kubemedic match`, and a paste runs a few: each compiles on its first use."""
    token = _CHECK_AT_LOAD.set(False)
    try:
        yield
    finally:
        _CHECK_AT_LOAD.reset(token)


def regexes_checked() -> bool:
    """Are regexes checked as they are validated (outside `regexes_proven`)?"""
    return _CHECK_AT_LOAD.get()


def check_regex(pattern: str) -> str:
    """`pattern`, once RE2 compiles it (ValueError saying why not), unless `regexes_proven`."""
    if _CHECK_AT_LOAD.get():
        compile_regex(pattern)
    return pattern


def _reason(exc: Exception) -> str:
    reason = exc.args[0] if exc.args else str(exc)
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    if any(f"invalid perl operator: {lookaround}" in text for lookaround in ("(?<", "(?=", "(?!")):
        return f"{text} (lookaround is not supported: use an `excludes` regex or an explicit alternation)"
    if "invalid escape sequence: \\" in text and text[-1:].isdigit():
        return f"{text} (back-references are not supported)"
    return text


def search(pattern: str, text: str) -> RegexMatch | None:
    """Compile (cached) and search: the short form for one-off checks."""
    return compile_regex(pattern).search(text)
