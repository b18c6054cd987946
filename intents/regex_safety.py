"""Which whole words a catalog regex requires, so the matcher runs it only where they occur.

Regexes are compiled and run by RE2 (intents.regex_engine); this module only reads
their structure with Python's parser.  A pattern that parser cannot read (RE2-only
syntax such as `\\pL`) simply files under no word and runs for entries already reached.
"""

from __future__ import annotations

import re
import re._constants as sre  # opcodes: compared as ints, not by their str()
import re._parser as sre_parse  # Python 3.11+ (requires-python)
import string
from collections.abc import Callable
from typing import Any

_NOT_ALNUM = re.compile(r"([^A-Za-z0-9]+)")


def _parse(pattern: str) -> list[Any]:
    try:
        return list(sre_parse.parse(pattern))
    except (re.error, OverflowError, RecursionError):
        return []


def branch_words(pattern: str, keep: Callable[[str], bool] = lambda word: True) -> list[list[str]]:
    """Whole words each match must contain, per alternative: [words] when the pattern has
    required words at top level, one list per branch when its first required group of
    alternatives gives every branch some (`a ...|b ...`, `(a|b)...`, and `abc|abd`, whose
    common prefix Python's parser factors out), one list per spelling when an optional run of
    letters decides the word (`pods?`, `fail(?:s|ed)?`), [] when some match needs no whole word
    at all.  Only words `keep` accepts count."""
    return _item_words(_parse(pattern), keep)


def words_and_phrases(
    pattern: str, keep: Callable[[str], bool]
) -> tuple[list[list[str]], tuple[tuple[str, ...], ...]]:
    """`branch_words(pattern, keep)` and `required_phrases(pattern)`, from one parse."""
    items = _parse(pattern)
    return _item_words(items, keep), tuple(dict.fromkeys(_needs(items)))


def required_phrases(pattern: str) -> tuple[tuple[str, ...], ...]:
    """Literal runs every match holds, casefolded: one tuple per place in the pattern, of which
    a match holds at least one phrase (one a branch, for a group of alternatives), every place
    required. A text whose `casefold()` lacks all of one tuple's phrases cannot match, so the
    regex need not run: a casefolded run of ASCII is in the casefolded text wherever its run
    is in the text, and RE2's `(?i)` letters fold to the ASCII ones. () when nothing is
    required (or Python's parser cannot read the pattern)."""
    return tuple(dict.fromkeys(_needs(_parse(pattern))))


_PHRASE_CHARS = frozenset(string.ascii_letters + string.digits + " -_:/'\"=,@#%&;<>!~")
"""Literal characters a phrase may hold: ASCII, none that RE2 could read otherwise inside a
class (`[[:alpha:]]` is a class to RE2, a `]` after one to Python)."""


def _needs(items: list[Any]) -> list[tuple[str, ...]]:
    """The phrases each match holds, one tuple per required place (required_phrases)."""
    needs: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, arg in [*items, (None, None)]:
        if op is sre.LITERAL and chr(arg) in _PHRASE_CHARS:
            run.append(chr(arg))
            continue
        if len(run) >= 3:  # a shorter run filters little and costs a search all the same
            needs.append(("".join(run).casefold(),))
        run = []
        needs += _item_needs(op, arg)
    return needs


def _item_needs(op: Any, arg: Any) -> list[tuple[str, ...]]:
    """What a group, a repeat of at least one, or a group of alternatives requires."""
    if op is sre.SUBPATTERN:
        return _needs(list(arg[-1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and arg[0] >= 1:
        return _needs(list(arg[2]))
    if op is not sre.BRANCH:
        return []
    per_branch = [_needs(list(branch)) for branch in arg[1]]
    if not all(per_branch):
        return []
    # each branch's most selective place: the one whose shortest phrase is longest
    chosen = [max(needs, key=lambda place: min(map(len, place))) for needs in per_branch]
    return [tuple(dict.fromkeys(phrase for place in chosen for phrase in place))]


def _item_words(items: list[Any], keep: Callable[[str], bool]) -> list[list[str]]:
    """The first way of reading the sequence that gives every match some word (branch_words)."""
    for reading in (
        _required_words,
        _per_expansion,
        _spelled_group,
        _per_spelling,
        _required_group,
    ):
        if found := reading(items, keep):
            return found
    return []


def _kept_words(sequences: list[list[Any]], keep: Callable[[str], bool]) -> list[list[str]]:
    """The kept words of each sequence; [] unless every sequence has some."""
    words = [[w for w in _sequence_words(sequence) if keep(w)] for sequence in sequences]
    return words if words and all(words) else []


def _required_words(items: list[Any], keep: Callable[[str], bool]) -> list[list[str]]:
    return _kept_words([items], keep)


def _per_expansion(items: list[Any], keep: Callable[[str], bool]) -> list[list[str]]:
    return _kept_words(_expansions(items), keep)


def _per_spelling(items: list[Any], keep: Callable[[str], bool]) -> list[list[str]]:
    """Every spelling of the whole pattern."""
    return _kept_words(_spellings(items), keep)


def _required_group(items: list[Any], keep: Callable[[str], bool]) -> list[list[str]]:
    """A required group of alternatives: (sigterm|gracefully)...137, or one the parser inlined:
    (?:cannot|can't)...(?:service ip|clusterip)."""
    for op, arg in items:
        branch = (op, arg) if op is sre.BRANCH else _only_branch(op, arg)
        if branch is not None and (found := _alternatives(branch, keep)):
            return found
    return []


def _only_branch(op: Any, arg: Any) -> Any:
    """The group's one group of alternatives (boundaries aside), else None."""
    if op is not sre.SUBPATTERN:
        return None
    inner = [item for item in arg[-1] if item[0] is not sre.AT]
    return inner[0] if len(inner) == 1 and inner[0][0] is sre.BRANCH else None


def _literal_then_branch(inner: list[Any]) -> bool:
    """A group of literals (and anchors) ending in alternatives."""
    return (
        bool(inner)
        and inner[-1][0] is sre.BRANCH
        and all(kind in (sre.LITERAL, sre.AT) for kind, _ in inner[:-1])
    )


def _expansions(items: list[Any]) -> list[list[Any]]:
    """The sequence once per branch of its first required group of alternatives, with what
    comes before and after it (`x(?:ab|cd)y` -> `xaby`, `xcdy`); [] when it has none."""
    for position, (op, arg) in enumerate(items):
        before, after = items[:position], items[position + 1 :]
        if op is sre.BRANCH:
            return [before + list(branch) + after for branch in arg[1]]
        if op is not sre.SUBPATTERN:
            continue
        inner = list(arg[-1])
        if _literal_then_branch(inner):
            return [before + inner[:-1] + list(branch) + after for branch in inner[-1][1][1]]
    return []


MAX_SPELLINGS = 64
"""How many spellings of a pattern (each branch and each optional letter run taken or not) are
written out to find the words each must contain; a pattern with more runs unfiled."""


def _spellings(items: list[Any]) -> list[list[Any]]:
    """The sequence written out once per choice of every group of alternatives and every optional
    run of letters (`pods?` -> `pod`, `pods`); [] when that makes more than MAX_SPELLINGS."""
    spelled: list[list[Any]] = [[]]
    for op, arg in items:
        choices = _choices(op, arg)
        if choices is None:
            spelled = [sequence + [(op, arg)] for sequence in spelled]
            continue
        spelled = [sequence + list(choice) for sequence in spelled for choice in choices]
        if len(spelled) > MAX_SPELLINGS:
            return []
    return spelled if len(spelled) > 1 else []


def _spelled_group(items: list[Any], keep: Callable[[str], bool]) -> list[list[str]]:
    """Words per spelling of the first group (a group of alternatives, or an optional run of
    letters, taken or not; optional runs inside written out) whose every spelling, read with the
    letters and the boundary around it, holds a whole word; [] when no group does."""
    for position, (op, arg) in enumerate(items):
        if op not in (sre.BRANCH, sre.SUBPATTERN, sre.MAX_REPEAT):
            continue
        spellings = _choices(op, arg)
        if not spellings or len(spellings) > MAX_SPELLINGS:
            continue
        before, after = _around(items, position)
        words = [
            [w for w in _sequence_words(before + spelling + after) if keep(w)]
            for spelling in spellings
        ]
        if all(words):
            return words
    return []


def _around(items: list[Any], position: int) -> tuple[list[Any], list[Any]]:
    """The letters before and after one item, each with the one item beyond them (a boundary)."""
    start = position
    while start > 0 and items[start - 1][0] is sre.LITERAL:
        start -= 1
    end = position + 1
    while end < len(items) and items[end][0] is sre.LITERAL:
        end += 1
    return items[max(0, start - 1) : position], items[position + 1 : end + 1]


def _choices(op: Any, arg: Any) -> list[list[Any]] | None:
    """What one item can be written as, when it is a choice: the branches of a group of
    alternatives, or an optional run of letters with and without it (each written out in turn);
    None for any other item."""
    spell = _CHOICES.get(op)
    return spell(arg) if spell is not None else None


def _branch_choices(arg: Any) -> list[list[Any]] | None:
    branches = [_spellings(list(branch)) or [list(branch)] for branch in arg[1]]
    return [spelling for spellings in branches for spelling in spellings]


def _group_choices(arg: Any) -> list[list[Any]] | None:
    return _spellings(list(arg[-1])) or None


def _optional_choices(arg: Any) -> list[list[Any]] | None:
    low, high, inner = arg[0], arg[1], list(arg[2])
    if (low, high) != (0, 1) or any(item[0] not in _SPELLABLE for item in inner):
        return None
    return [*(_spellings(inner) or [inner]), []]


_SPELLABLE = (sre.LITERAL, sre.SUBPATTERN, sre.BRANCH)
_CHOICES: dict[Any, Callable[[Any], list[list[Any]] | None]] = {
    sre.BRANCH: _branch_choices,
    sre.SUBPATTERN: _group_choices,
    sre.MAX_REPEAT: _optional_choices,
}


def _alternatives(branch: Any, keep: Callable[[str], bool]) -> list[list[str]]:
    """The words of each alternative of a required group, read as a pattern of its own (so its
    optional runs are spelled out too); [] when one alternative has none."""
    per_branch = [_item_words(list(alternative), keep) for alternative in branch[1][1]]
    return [words for found in per_branch for words in found] if all(per_branch) else []


def _sequence_words(items: list[Any]) -> list[str]:
    words: list[str] = []
    run: list[str] = []
    bounded_left = True
    for op, arg in items:
        if op is sre.LITERAL:
            run.append(chr(arg))
            continue
        boundary = op is sre.AT or _separator(op, arg)
        words += _whole_words("".join(run), bounded_left, boundary)
        run, bounded_left = [], boundary
    words += _whole_words("".join(run), bounded_left, True)
    return words


def _separator(op: Any, arg: Any) -> bool:
    """A required character that cannot be part of a word (`[ _-]`, `\\s`, `\\s+`): the words
    on either side of it end there."""
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
        low, _high, repeated = arg
        return low >= 1 and len(repeated) == 1 and _separator(*repeated[0])
    if op is not sre.IN or any(kind is sre.NEGATE for kind, _ in arg):
        return False
    return all(_not_word(kind, value) for kind, value in arg)


def _not_word(kind: Any, value: Any) -> bool:
    """A set's member that is no word character: punctuation, or a space class."""
    return (kind is sre.LITERAL and not chr(value).isalnum()) or (
        kind is sre.CATEGORY and value is sre.CATEGORY_SPACE
    )


def _whole_words(run: str, bounded_left: bool, bounded_right: bool) -> list[str]:
    pieces = _NOT_ALNUM.split(run.lower())
    if not bounded_left or (pieces and pieces[0] == "" and len(pieces) == 1):
        pieces = pieces[2:] if len(pieces) > 2 else []
    if not bounded_right and pieces and pieces[-1] != "":
        pieces = pieces[:-1]
    return [piece for piece in pieces[::2] if len(piece) >= 3 and piece.isalnum()]
