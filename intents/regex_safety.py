"""Reject catalog regexes that could backtrack catastrophically.

Python's `re` has no timeout, so the only defence against a pattern like
`(a+)+$` meeting a long hostile paste is to refuse such patterns when the
catalog is loaded.  We walk the parsed pattern and reject any unbounded
repeat that contains another repeat (nested quantifiers), plus
back-references, which cannot be bounded either.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # Python 3.11+ (requires-python)
from collections.abc import Callable
from re._constants import MAXREPEAT
from typing import Any

MAX_PATTERN_LENGTH = 500

_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def check_pattern(pattern: str) -> re.Pattern[str]:
    """Compile `pattern` or raise ValueError saying why it is unsafe or invalid."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"regex longer than {MAX_PATTERN_LENGTH} characters")
    try:
        compiled = re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex {pattern!r}: {exc}") from None
    if _has_nested_unbounded_repeat(parsed, inside_repeat=False):
        raise ValueError(f"regex {pattern!r} nests unbounded quantifiers (catastrophic backtracking)")
    if _uses_backreference(parsed):
        raise ValueError(f"regex {pattern!r} uses a back-reference")
    return compiled


def _children(op: Any, arg: Any) -> list[Any]:
    """Sub-patterns of one parsed node."""
    name = str(op)
    if name in _REPEATS:
        return [arg[2]]
    if name == "SUBPATTERN":
        return [arg[-1]]
    if name == "BRANCH":
        return list(arg[1])
    if name in {"ASSERT", "ASSERT_NOT"}:
        return [arg[1]]
    if name == "GROUPREF_EXISTS":
        return [branch for branch in arg[1:] if branch is not None]
    if name == "ATOMIC_GROUP":
        return [arg]
    return []


def _has_nested_unbounded_repeat(parsed: Any, *, inside_repeat: bool) -> bool:
    for op, arg in parsed:
        repeats = str(op) in _REPEATS and arg[1] > 1
        unbounded = repeats and arg[1] == MAXREPEAT
        if repeats and inside_repeat:
            return True
        for child in _children(op, arg):
            if _has_nested_unbounded_repeat(child, inside_repeat=inside_repeat or unbounded):
                return True
    return False


def _uses_backreference(parsed: Any) -> bool:
    for op, arg in parsed:
        if str(op) in {"GROUPREF", "GROUPREF_EXISTS"}:
            return True
        if any(_uses_backreference(child) for child in _children(op, arg)):
            return True
    return False


def branch_words(pattern: str, keep: Callable[[str], bool] = lambda word: True) -> list[list[str]]:
    """Whole words each match must contain, per alternative: [words] when the pattern has
    required words at top level, one list per branch when it is a top-level alternation
    (`a ...|b ...`) or starts its required part with a group of them (`(a|b)...`), [] when
    some match needs no whole word at all.  Only words `keep` accepts count."""
    words = [word for word in literal_words(pattern) if keep(word)]
    if words:
        return [words]
    items = [item for item in sre_parse.parse(pattern) if str(item[0]) != "AT"]
    if len(items) == 1 and str(items[0][0]) == "BRANCH":
        return _alternatives(items[0], keep)
    for op, arg in items:  # a required group of alternatives: (sigterm|gracefully)...137
        if str(op) == "SUBPATTERN":
            inner = [item for item in arg[-1] if str(item[0]) != "AT"]
            if len(inner) == 1 and str(inner[0][0]) == "BRANCH" and (found := _alternatives(inner[0], keep)):
                return found
    return []


def _alternatives(branch: Any, keep: Callable[[str], bool]) -> list[list[str]]:
    per_branch = [[w for w in _sequence_words(list(alternative)) if keep(w)] for alternative in branch[1][1]]
    return per_branch if all(per_branch) else []


def literal_words(pattern: str) -> list[str]:
    """Whole words (lower-cased) that every match of `pattern` must contain.

    Only top-level literal runs count (nothing inside a group, branch or
    repeat).  A word that touches a group or class inside the pattern is
    dropped (`oomkill(ed|ing)` has no whole word); the pattern's own start
    and end are taken as word boundaries, since catalog signatures are
    written to match whole words.
    """
    return _sequence_words(list(sre_parse.parse(pattern)))


def _sequence_words(items: list[Any]) -> list[str]:
    words: list[str] = []
    run: list[str] = []
    bounded_left = True
    for op, arg in items:
        if str(op) == "LITERAL":
            run.append(chr(arg))
            continue
        words += _whole_words("".join(run), bounded_left, str(op) == "AT")
        run, bounded_left = [], str(op) == "AT"
    words += _whole_words("".join(run), bounded_left, True)
    return words


def _whole_words(run: str, bounded_left: bool, bounded_right: bool) -> list[str]:
    pieces = re.split(r"([^A-Za-z0-9]+)", run.lower())
    if not bounded_left or (pieces and pieces[0] == "" and len(pieces) == 1):
        pieces = pieces[2:] if len(pieces) > 2 else []
    if not bounded_right and pieces and pieces[-1] != "":
        pieces = pieces[:-1]
    return [piece for piece in pieces[::2] if len(piece) >= 3 and piece.isalnum()]
