"""Which whole words a catalog regex requires, so the matcher runs it only where they occur.

Regexes are compiled and run by RE2 (intents.regex_engine); this module only reads
their structure with Python's parser.  A pattern that parser cannot read (RE2-only
syntax such as `\\pL`) simply files under no word and runs for entries already reached.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # Python 3.11+ (requires-python)
from collections.abc import Callable
from typing import Any


def _parse(pattern: str) -> list[Any]:
    try:
        return list(sre_parse.parse(pattern))
    except (re.error, OverflowError, RecursionError):
        return []


def branch_words(pattern: str, keep: Callable[[str], bool] = lambda word: True) -> list[list[str]]:
    """Whole words each match must contain, per alternative: [words] when the pattern has
    required words at top level, one list per branch when it is a top-level alternation
    (`a ...|b ...`) or starts its required part with a group of them (`(a|b)...`), [] when
    some match needs no whole word at all.  Only words `keep` accepts count."""
    words = [word for word in literal_words(pattern) if keep(word)]
    if words:
        return [words]
    items = [item for item in _parse(pattern) if str(item[0]) != "AT"]
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
    return _sequence_words(_parse(pattern))


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
