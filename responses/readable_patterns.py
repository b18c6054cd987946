"""A catalog regex as the words it matches, for the catalog pages a person reads.

`(?i)storageclass\\.storage\\.k8s\\.io\\s+"[^"]{1,253}"\\s+not found` is shown as
`storageclass.storage.k8s.io "…" not found`: literal text as itself, any run of characters a
class or a wildcard takes as one "…", spaces as a space, alternatives as `(a | b)`, optional
text kept, anchors and lookarounds left out. The page keeps the regex itself for whoever
wants it (a tooltip). Read with Python's own parser, as responses/site_patterns.py reads
them; a pattern it cannot read is shown as written.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # Python 3.11+ (requires-python)
from collections.abc import Callable
from typing import Any

from responses.site_patterns import marked

GAP = "…"
_SPACE = {"CATEGORY_SPACE"}
_DROP = frozenset({"AT", "ASSERT", "ASSERT_NOT"})
_REPEATS = frozenset({"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"})


def _class(items: Any) -> str:
    """A character class: its one letter (either case), a space, else a gap."""
    ops = {str(op) for op, _ in items}
    values = {str(value) for _, value in items}
    if ops == {"LITERAL"} and len(letters := {chr(int(v)).lower() for v in values}) == 1:
        return letters.pop()
    return " " if ops <= {"CATEGORY"} and values <= _SPACE else GAP


def _repeat(low: int, high: int, body: str) -> str:
    if body == GAP or (low == 0 and high > 1):
        return GAP if body.strip() else body  # "\s*" stays a space
    core = body.strip()
    if low == 0 and len(core) > 1:  # optional words: in brackets
        return _optional(body, core)
    return body


def _optional(body: str, core: str) -> str:
    """Optional words in brackets (a group's own parentheses dropped), its spaces kept outside."""
    if core.startswith("(") and core.endswith(")") and core.count("(") == 1:
        core = core[1:-1]
    return f"{' ' if body.startswith(' ') else ''}[{core}]{' ' if body.endswith(' ') else ''}"


def _branches(branches: Any) -> str:
    """Alternatives joined by " | "; a space all of them start (or end) with goes outside."""
    texts = [_items(branch) for branch in branches]
    lead = " " if all(text.startswith(" ") for text in texts) else ""
    trail = " " if all(text.endswith(" ") for text in texts) else ""
    inner = " | ".join(text[len(lead) : len(text) - len(trail)] for text in texts)
    return f"{lead}({inner}){trail}"


def _items(parsed: Any) -> str:
    return "".join(_item(str(op), value) for op, value in parsed)


_ATOMS: dict[str, Callable[[Any], str]] = {
    "LITERAL": chr,
    "NOT_LITERAL": lambda _value: GAP,
    "ANY": lambda _value: GAP,
    "GROUPREF": lambda _value: GAP,
    "IN": lambda value: _class(value),
    "CATEGORY": lambda value: " " if str(value) in _SPACE else GAP,
}
"""What one character's item reads as."""


def _item(op: str, value: Any) -> str:
    if op in _ATOMS:
        return _ATOMS[op](value)
    if op in _DROP:
        return ""
    if op in ("SUBPATTERN", "ATOMIC_GROUP"):
        return _items(value[-1] if op == "SUBPATTERN" else value)
    if op in _REPEATS:
        low, high, body = value
        return _repeat(low, high, _items(body))
    if op == "BRANCH":
        return _branches(value[1])
    return GAP


def readable(pattern: str) -> str:
    """The words `pattern` matches, gaps as "…" (the pattern as written when Python cannot
    read it)."""
    try:
        parsed = sre_parse.parse(marked(pattern))  # alternatives as written, not merged
    except (re.error, RecursionError, OverflowError):
        return pattern
    # the pattern without the empty markers; alternatives of the whole of it need no brackets
    top = [(op, value) for op, value in parsed if not (str(op) == "SUBPATTERN" and not value[-1])]
    if len(top) == 1 and str(top[0][0]) == "BRANCH":
        text = _branches(top[0][1][1]).strip()[1:-1]
    else:
        text = _items(parsed)
    text = re.sub(rf"(?:{GAP}\s*)+{GAP}", GAP, text)
    return re.sub(r" {2,}", " ", text).strip()
