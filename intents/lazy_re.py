"""Regular expressions compiled on first use, each call within this thread's text budget.

A module-level `re.compile` runs at import: the redaction rules, the paste parsers and the
normaliser hold a few hundred patterns, and compiling them all was a third of the time
`kubemedic match` took to start, though a short paste reaches only a few. `lazy_compile`
takes the same arguments and compiles when a method is first called. Every call first checks
the thread's CPU budget (`intents.text_budget`): a hostile text stops at the next call once it
has cost its budget.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from intents.text_budget import check_budget


class LazyPattern:
    """`re.compile(pattern, flags)`, done on first use; the `re.Pattern` methods kubemedic uses."""

    __slots__ = ("_compiled", "_flags", "_pattern")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern = pattern
        self._flags = flags
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern (compiled now if it was not yet)."""
        if self._compiled is None:
            self._compiled = re.compile(self._pattern, self._flags)
        return self._compiled

    @property
    def pattern(self) -> str:
        return self._pattern

    @property
    def flags(self) -> int:
        """The flags it was given (`re.compile`'s own add `re.UNICODE`)."""
        return self._flags

    def search(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        check_budget()
        return self.compiled.search(string, pos, endpos)

    def match(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        check_budget()
        return self.compiled.match(string, pos, endpos)

    def fullmatch(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> re.Match[str] | None:
        check_budget()
        return self.compiled.fullmatch(string, pos, endpos)

    def finditer(
        self, string: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        check_budget()
        return self.compiled.finditer(string, pos, endpos)

    def findall(self, string: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        check_budget()
        return self.compiled.findall(string, pos, endpos)

    def split(self, string: str, maxsplit: int = 0) -> list[str]:
        check_budget()
        return self.compiled.split(string, maxsplit)

    def sub(self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0) -> str:
        check_budget()
        return self.compiled.sub(repl, string, count)

    def subn(
        self, repl: str | Callable[[re.Match[str]], str], string: str, count: int = 0
    ) -> tuple[str, int]:
        check_budget()
        return self.compiled.subn(repl, string, count)

    def __repr__(self) -> str:
        return f"lazy_compile({self._pattern!r}, {self._flags!r})"


def lazy_compile(pattern: str, flags: int = 0) -> LazyPattern:
    """Like `re.compile`, compiling on first use."""
    return LazyPattern(pattern, flags)
