"""Which catalog regexes the catalog site may run in the browser: those proven to stay fast there.

The matcher runs every regex with RE2, linear in the text whatever the
pattern. A browser's RegExp backtracks: `(x|x)*y` on forty x's, or a loop
whose alternatives overlap (`(?:\\Bl|l[^o])*` on "lelele..."), takes years.
The site therefore runs in the page only the patterns this module proves
cheap for a backtracking engine, and ranks with the symptoms' words alone
for the rest (a team's catalog included).

The proof is an upper bound on the choices a backtracking engine can try
for one search of a text of at most `WINDOW` characters (the page gives a
regex no longer piece): a sequence multiplies its items' choices, an
alternation adds its branches', a loop of one character class (or of
alternatives that no text can take two ways, a prefix code) adds one
choice per count, a loop followed by a character it cannot take adds
none, a short loop (at most SHORT_LOOP times) of anything else multiplies
its body's choices that many times, and any other loop has no bound. A
pattern Python's parser cannot read is not run either.

Python's parser tidies alternatives (`le|l\\w` becomes `l[e\\w]`, one
branch), but a browser runs them as written, so every alternative is first
marked with an empty group `()` that keeps it apart (`marked`).
"""

from __future__ import annotations

import math
import re
import re._parser as sre_parse  # Python 3.11+ (requires-python)
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

WINDOW = 400
"""Longest text the page gives one regex (longer lines are read in overlapping windows, as the matcher does)."""
MAX_CHOICES = 2_000_000.0
"""Most backtracking choices one search may have (a few milliseconds in a browser)."""
SHORT_LOOP = 8
REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})
CHARACTERS = frozenset({"LITERAL", "NOT_LITERAL", "ANY", "IN"})
ALPHABET = "".join(map(chr, range(256))) + "\u0100\u017f\u0391\u0430\u4e2d\u2028\u00a0\ufeff"
"""Characters a class is evaluated on (ASCII and Latin-1, and one of each other kind)."""
_CATEGORIES = {
    "CATEGORY_DIGIT": r"\d",
    "CATEGORY_NOT_DIGIT": r"\D",
    "CATEGORY_SPACE": r"\s",
    "CATEGORY_NOT_SPACE": r"\S",
    "CATEGORY_WORD": r"\w",
    "CATEGORY_NOT_WORD": r"\W",
}
_INLINE_IGNORE_CASE = re.compile(r"\(\?[a-zA-Z]*i")
Chars = frozenset[str]


@lru_cache(maxsize=4096)
def browser_safe(pattern: str) -> bool:
    """Whether a backtracking engine searches any text of WINDOW characters with this pattern
    in at most MAX_CHOICES choices."""
    return search_choices(pattern) <= MAX_CHOICES


def search_choices(pattern: str) -> float:
    """The bound on one search's choices (inf: none, or unreadable)."""
    try:
        parsed = sre_parse.parse(marked(pattern))
    except (re.error, OverflowError, RecursionError):
        return math.inf
    flags = parsed.state.flags
    ignore_case = bool(flags & re.IGNORECASE) or bool(
        _INLINE_IGNORE_CASE.search(pattern)
    )  # the wider sets
    dot_all = bool(flags & re.DOTALL) or "(?s" in pattern
    return WINDOW * _Bound(ignore_case, dot_all).sequence(list(parsed), top=True)


def marked(pattern: str) -> str:
    """`pattern` with `()` at the start of every alternative (after `|`, after a group's opening,
    after the leading flags), so the parser cannot merge alternatives a browser keeps apart."""
    out: list[str] = []
    position, in_class = 0, False
    leading = re.match(r"\(\?[a-zA-Z]+\)", pattern)
    if leading:
        out.append(leading.group())
        position = leading.end()
    out.append("()")
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            out.append(pattern[position : position + 2])
            position += 2
            continue
        out.append(char)
        position += 1
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            taken, position = _class_start(pattern, position)
            out.append(taken)
        elif char == "|":
            out.append("()")
        elif char == "(":
            taken, position = _group_start(pattern, position)
            out.append(taken)
    return "".join(out)


def _class_start(pattern: str, position: int) -> tuple[str, int]:
    """What opens a class after its `[`: a `^`, then a literal `]` first in it; where it ends."""
    taken = ""
    if pattern[position : position + 1] == "^":
        taken, position = "^", position + 1
    if pattern[position : position + 1] == "]":  # a literal ] first in a class
        taken, position = taken + "]", position + 1
    return taken, position


def _group_start(pattern: str, position: int) -> tuple[str, int]:
    """After a group's `(`: its opener (`?:`, `?P<name>`...) and `()`; where it ends. Inline
    flags such as (?i) or a comment start no alternative: nothing is added."""
    opener = re.match(r"\?(?:[:=!]|<[=!]|P<\w+>|[a-zA-Z-]+:)", pattern[position:])
    if opener is None and pattern[position : position + 1] == "?":
        return "", position
    if opener is not None:
        return opener.group() + "()", position + opener.end()
    return "()", position


class _Bound:
    def __init__(self, ignore_case: bool, dot_all: bool) -> None:
        self.ignore_case = ignore_case
        self.dot_all = dot_all

    def sequence(self, items: Sequence[Any], *, top: bool = False) -> float:
        total = 1.0
        for position, (op, arg) in enumerate(items):
            name = str(op)
            if name in REPEATS:
                follow = self.first(items[position + 1 :])
                total *= self.loop(arg, follow, last=top and position == len(items) - 1)
            elif name == "SUBPATTERN":
                total *= self.sequence(list(arg[-1]))
            elif name == "BRANCH":
                total *= sum(self.sequence(list(branch)) for branch in arg[1])
            elif name not in CHARACTERS and name != "AT":
                return math.inf  # back-references, lookaround, conditionals
            if total > MAX_CHOICES:
                return math.inf
        return total

    def loop(self, arg: Any, follow: Chars | None, *, last: bool) -> float:
        low, high, body = int(arg[0]), min(int(arg[1]), WINDOW), list(arg[2])
        if high <= 1:
            return (high - low + 1) * self.sequence(body)
        single = self.character(body[0]) if len(body) == 1 else None
        if single is not None:
            if last or (follow is not None and not (single & follow)):
                return 1.0  # nothing after it can take what it gave back
            return float(high - low + 1)
        if self.prefix_code(body):
            return float(high - low + 1)
        if high <= SHORT_LOOP:
            inner = self.sequence(body)
            return math.inf if inner > MAX_CHOICES else (high - low + 1) * inner**high
        return math.inf

    def prefix_code(self, body: list[Any]) -> bool:
        """Alternatives of fixed length that no text can take two ways (none a prefix of another)."""
        words = self.words(body)
        if not words or any(not any(chars for _, chars in word) for word in words):
            return False
        return all(_apart(a, b) for i, a in enumerate(words) for b in words[i + 1 :])

    def words(self, items: list[Any]) -> list[list[tuple[str, Chars]]] | None:
        """Each alternative as (assertion, characters) steps; None when one is not of fixed length."""
        spelled: list[list[tuple[str, Chars]]] = [[]]
        pending = ""
        for op, arg in items:
            name = str(op)
            if name == "AT" and str(arg) in ("AT_BOUNDARY", "AT_NON_BOUNDARY"):
                pending = str(arg)
                continue
            chars = self.character((op, arg))
            if chars is not None:
                spelled = [[*word, (pending, chars)] for word in spelled]
            elif name in ("SUBPATTERN", "BRANCH"):
                branches = [list(arg[-1])] if name == "SUBPATTERN" else [list(b) for b in arg[1]]
                tails = [self.words(branch) for branch in branches]
                if (
                    pending
                    or any(tail is None for tail in tails)
                    or (name == "SUBPATTERN" and arg[1:3] != (0, 0))
                ):
                    return None
                alternatives = [
                    alternative for tail in tails if tail is not None for alternative in tail
                ]
                spelled = [
                    [*word, *alternative] for word in spelled for alternative in alternatives
                ]
                if len(spelled) > 64:
                    return None
            else:
                return None
            pending = ""
        return None if pending else spelled

    def first(self, items: Sequence[Any]) -> Chars | None:
        """The characters a match of `items` can begin with (None: unknown or possibly empty)."""
        for op, arg in items:
            name = str(op)
            if name == "AT":
                continue
            chars = self.character((op, arg))
            if chars is not None:
                return chars
            if name in REPEATS and arg[0] >= 1:
                return self.first(list(arg[2]))
            if name == "SUBPATTERN":
                if not arg[-1]:
                    continue  # an alternative's mark
                return self.first(list(arg[-1]))
            return None
        return None

    def character(self, item: Any) -> Chars | None:
        """The characters one single-character item matches, else None."""
        op, arg = item
        name = str(op)
        if name == "LITERAL":
            return self._cased({chr(arg)})
        if name == "NOT_LITERAL":
            return frozenset(ALPHABET) - self._cased({chr(arg)})
        if name == "ANY":
            return frozenset(ALPHABET) if self.dot_all else frozenset(ALPHABET) - {"\n"}
        if name == "IN":
            return self._class(arg)
        return None

    def _class(self, members: list[Any]) -> Chars:
        found: set[str] = set()
        negate = False
        for op, arg in members:
            name = str(op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                found.add(chr(arg))
            elif name == "RANGE":
                found.update(c for c in ALPHABET if arg[0] <= ord(c) <= arg[1])
            elif name == "CATEGORY":
                found.update(
                    c for c in ALPHABET if re.fullmatch(_CATEGORIES.get(str(arg), r"[\s\S]"), c)
                )
        cased = self._cased(found)
        return frozenset(ALPHABET) - cased if negate else cased

    def _cased(self, chars: set[str]) -> Chars:
        if not self.ignore_case:
            return frozenset(chars)
        return frozenset(
            chars | {c.lower() for c in chars} | {c.upper() for c in chars if len(c.upper()) == 1}
        )


def _apart(a: list[tuple[str, Chars]], b: list[tuple[str, Chars]]) -> bool:
    """Some step both have differs for sure: disjoint characters, or \\b against \\B."""
    for (assert_a, chars_a), (assert_b, chars_b) in zip(a, b, strict=False):
        if not (chars_a & chars_b) or {assert_a, assert_b} == {"AT_BOUNDARY", "AT_NON_BOUNDARY"}:
            return True
    return False
