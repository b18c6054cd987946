"""Every regex the product holds, found for real, and two checks that each stays linear in the text.

Python's `re` backtracks and holds the GIL for a whole call: one call that is cubic in a run of
backslashes froze the bot for a minute (issue 76). So every pattern in `intents/`, `bot/` and
`responses/` is enumerated from the code itself, not from a list: the objects the modules hold
(`re.compile`, `lazy_compile`, in tuples, dicts and classes) and the literal patterns of every
`re.*(...)` call in their source, so a pattern added later is checked without editing a test.

Two checks, neither a time bound:
- `static_problems` reads the parsed pattern (`re._parser`) for the shapes that make one match
  attempt superlinear: a loop inside a loop whose iterations can split a text two ways, and a
  loop followed (through what it could also take) by another loop over overlapping characters
  (`\\\\+r?\\\\+n`: each backslash run splits n ways, then n ways again).
- `growth` runs the pattern over every position of adversarial texts (runs of backslashes,
  quotes, spaces, newlines, nested JSON, long words, `a`-runs, and runs built from the
  pattern's own loops after the text that reaches them) of length n and 8n and compares the CPU
  each took. Linear work grows about 8 times, quadratic 64; anything above `MAX_GROWTH` fails.
  A ratio of two CPU figures taken in one process moments apart does not depend on the
  machine's speed or load the way a time bound does, and the margin is wide (3x over linear,
  2.7x under quadratic); a ratio is re-measured before it is reported.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import itertools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from re import _constants as sre
from re import _parser
from typing import Any

from intents.lazy_re import LazyPattern

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("intents", "bot", "responses")
WIDE = 32
"""A loop that may run more times than this is wide: the adversarial texts run it long."""
LONG = 1_000
"""A loop that may run more times than this is unbounded for the static check (a shorter one costs
a constant per position, which the empirical check measures)."""
MAX_GROWTH = 24.0
"""CPU(8n) / CPU(n) above which a pattern is superlinear (linear: about 8; quadratic: 64)."""
MEASURABLE = 0.001
"""CPU seconds below which a run is too short to compare (a quadratic pattern over the ladder's
longest text takes far longer)."""
ALPHABET = "".join(map(chr, range(128))) + "\u00a0\u00e9\u0100\u0391\u0430\u4e2d\u2028\u2502\ufeff"
"""Characters a class is evaluated on: ASCII, and one of each other kind a paste holds."""
UNITS = (
    "\\",
    '"',
    "'",
    " ",
    "\t",
    "\n",
    "a",
    "a ",
    "0",
    "-",
    ":",
    ".",
    "/",
    "=",
    "(",
    '{"a":',
    "\\n",
    "é",
    "a-",
    "a.",
)
"""Runs an attacker pastes: backslashes, quotes, spaces, newlines, nested JSON, long words, a-runs."""
TAILS = ("", "!", "\x01")
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_CATEGORY = {
    sre.CATEGORY_DIGIT: r"\d",
    sre.CATEGORY_NOT_DIGIT: r"\D",
    sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S",
    sre.CATEGORY_WORD: r"\w",
    sre.CATEGORY_NOT_WORD: r"\W",
}
_CALLS = frozenset(
    {"compile", "search", "match", "fullmatch", "sub", "subn", "findall", "finditer", "split"}
)
Chars = frozenset[str]


@dataclass(frozen=True)
class Site:
    """One pattern and where the code holds it."""

    origin: str
    pattern: str
    flags: int

    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.pattern, self.flags)


# -- enumeration -------------------------------------------------------------------------------


def product_modules() -> list[str]:
    """Every module of the product's packages, read from the file tree (entry points that run on
    import aside)."""
    names: list[str] = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__main__":
                continue
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def module_patterns(name: str) -> list[Site]:
    """The patterns module `name` defines (in its own names, their containers and classes) and
    calls `re` with literally anywhere in its source, once each."""
    module = importlib.import_module(name)
    source = Path(inspect.getfile(module))
    tree = ast.parse(source.read_text(), str(source))
    found: dict[tuple[str, int], str] = {}
    for key in _defined(tree):
        for pattern, flags in _held(getattr(module, key, None), depth=0, seen=set()):
            found.setdefault((pattern, flags), f"{name}.{key}")
    for pattern, flags, line in _called(tree):
        found.setdefault((pattern, flags), f"{name}:{line}")
    return [Site(origin, pattern, flags) for (pattern, flags), origin in found.items()]


def product_patterns() -> list[Site]:
    """Every pattern of every product module."""
    return [site for name in product_modules() for site in module_patterns(name)]


def _defined(tree: ast.Module) -> list[str]:
    """The names a module's own top level binds (not the ones it imports)."""
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.ClassDef):
            names.append(node.name)
    return names


def _held(value: Any, *, depth: int, seen: set[int]) -> Iterator[tuple[str, int]]:
    """Patterns in a module-level value: itself, or inside its tuples, lists, sets, dicts, class."""
    if id(value) in seen or depth > 4:
        return
    seen.add(id(value))
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield value.pattern, value.flags & ~re.UNICODE
    elif isinstance(value, LazyPattern):
        yield value.pattern, value.flags
    elif isinstance(value, (tuple, list, set, frozenset)):
        for item in value:
            yield from _held(item, depth=depth + 1, seen=seen)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _held(item, depth=depth + 1, seen=seen)
    elif inspect.isclass(value):
        for item in vars(value).values():
            yield from _held(item, depth=depth + 1, seen=seen)


def _called(tree: ast.Module) -> Iterator[tuple[str, int, int]]:
    """Literal patterns of `re.<call>(...)` and `lazy_compile(...)` anywhere in a module's source
    (inside functions too): (pattern, flags, line)."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        by_re = (
            isinstance(function, ast.Attribute)
            and isinstance(function.value, ast.Name)
            and function.value.id == "re"
            and function.attr in _CALLS
        )
        lazy = isinstance(function, ast.Name) and function.id == "lazy_compile"
        first = node.args[0]
        if (by_re or lazy) and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, _flags(node), node.lineno


def _flags(call: ast.Call) -> int:
    """The `re.X | re.Y` flags a call passes by keyword or as its flags argument (0 if none)."""
    given = [k.value for k in call.keywords if k.arg == "flags"]
    attribute = getattr(call.func, "attr", "compile")
    position = {"compile": 1, "sub": 4, "subn": 4, "split": 3}.get(attribute, 2)
    if attribute == "compile" or isinstance(call.func, ast.Name):
        position = 1
    if len(call.args) > position:
        given.append(call.args[position])
    flags = 0
    for expression in given:
        for node in ast.walk(expression):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                flags |= int(getattr(re, node.attr, 0))
    return flags & ~re.UNICODE


# -- the static check --------------------------------------------------------------------------


class _Reader:
    """Character sets and loop shapes of one parsed pattern."""

    def __init__(self, flags: int) -> None:
        self.ignore_case = bool(flags & re.IGNORECASE)
        self.dot_all = bool(flags & re.DOTALL)

    def chars(self, item: tuple[Any, Any]) -> Chars:
        """Every character `item` can consume anywhere inside it."""
        op, arg = item
        if op is sre.LITERAL:
            return self._cased({chr(arg)})
        if op is sre.NOT_LITERAL:
            return frozenset(ALPHABET) - self._cased({chr(arg)})
        if op is sre.ANY:
            return frozenset(ALPHABET) if self.dot_all else frozenset(ALPHABET) - {"\n"}
        if op is sre.IN:
            return self._class(arg)
        return frozenset().union(*(self.chars(child) for child in _children(item)))

    def first(self, items: list[tuple[Any, Any]]) -> Chars:
        """Characters a match of `items` can begin with."""
        found: set[str] = set()
        for item in items:
            op, arg = item
            if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
                continue
            if op is sre.BRANCH:
                for branch in arg[1]:
                    found |= self.first(list(branch))
            elif op in _REPEATS:
                found |= self.first(list(arg[2]))
            elif op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
                found |= self.first(_body(item))
            else:
                found |= self.chars(item)
            if not nullable(item):
                break
        return frozenset(found)

    def _class(self, members: list[Any]) -> Chars:
        found: set[str] = set()
        negate = False
        for op, arg in members:
            if op is sre.NEGATE:
                negate = True
            elif op is sre.LITERAL:
                found.add(chr(arg))
            elif op is sre.RANGE:
                found.update(c for c in ALPHABET if arg[0] <= ord(c) <= arg[1])
            elif op is sre.CATEGORY:
                found.update(c for c in ALPHABET if re.fullmatch(_CATEGORY.get(arg, r"\S"), c))
        cased = self._cased(found)
        return frozenset(ALPHABET) - cased if negate else cased

    def _cased(self, chars: set[str]) -> Chars:
        if not self.ignore_case:
            return frozenset(chars)
        return frozenset(chars | {c.lower() for c in chars} | {c.upper() for c in chars})


def _body(item: tuple[Any, Any]) -> list[tuple[Any, Any]]:
    """The items inside a group, loop or assertion (an atomic group's argument is its body)."""
    op, arg = item
    return list(arg if op is sre.ATOMIC_GROUP else arg[-1])


def _children(item: tuple[Any, Any]) -> list[tuple[Any, Any]]:
    op, arg = item
    if op is sre.BRANCH:
        return [child for branch in arg[1] for child in branch]
    if op in _REPEATS or op in (sre.SUBPATTERN, sre.ATOMIC_GROUP, sre.ASSERT, sre.ASSERT_NOT):
        return _body(item)
    return []


def nullable(item: tuple[Any, Any]) -> bool:
    """Whether `item` can match the empty string."""
    op, arg = item
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return True
    if op in _REPEATS:
        return arg[0] == 0 or all(nullable(child) for child in arg[2])
    if op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
        return all(nullable(child) for child in _body(item))
    if op is sre.BRANCH:
        return any(all(nullable(child) for child in branch) for branch in arg[1])
    return op is sre.GROUPREF


def _wide(item: tuple[Any, Any], *, over: int = WIDE) -> bool:
    """A loop whose count can vary over more than `over` turns."""
    op, arg = item
    return op in _REPEATS and arg[1] - arg[0] > over


def _unbounded(item: tuple[Any, Any]) -> bool:
    return _wide(item, over=LONG)


def _varies(items: list[tuple[Any, Any]]) -> bool:
    """Whether a sequence can take texts of different lengths."""
    for op, arg in items:
        if op in _REPEATS and (arg[0] != arg[1] or _varies(list(arg[2]))):
            return True
        if op is sre.BRANCH or (
            op in (sre.SUBPATTERN, sre.ATOMIC_GROUP) and _varies(_body((op, arg)))
        ):
            return True
    return False


def static_problems(pattern: str, flags: int = 0) -> list[str]:
    """The superlinear shapes in a pattern (empty when none): nested loops that split a text two
    ways, and adjacent loops over overlapping characters."""
    parsed = _parser.parse(pattern, flags)
    reader = _Reader(flags | parsed.state.flags)
    problems: list[str] = []
    _check_sequence(list(parsed), reader, problems)
    return problems


def _check_sequence(items: list[tuple[Any, Any]], reader: _Reader, problems: list[str]) -> None:
    flat = _flattened(items)
    for index, item in enumerate(flat):
        op, arg = item
        if op in _REPEATS:
            if _unbounded(item):
                _check_nested(item, reader, problems)
                if op is not sre.POSSESSIVE_REPEAT:
                    _check_following(flat, index, reader, problems)
            _check_sequence(list(arg[2]), reader, problems)
        elif op is sre.BRANCH:
            for branch in arg[1]:
                _check_sequence(list(branch), reader, problems)
        elif op in (sre.ATOMIC_GROUP, sre.ASSERT, sre.ASSERT_NOT):
            _check_sequence(_body(item), reader, problems)


def _flattened(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The sequence with plain groups opened (a group's items are the sequence's)."""
    flat: list[tuple[Any, Any]] = []
    for op, arg in items:
        if op is sre.SUBPATTERN:
            flat.extend(_flattened(list(arg[-1])))
        else:
            flat.append((op, arg))
    return flat


def _check_nested(loop: tuple[Any, Any], reader: _Reader, problems: list[str]) -> None:
    """An unbounded loop whose turns can split one text two ways: a varying part at the end of a
    turn over the characters a turn starts with (`(\\w+\\s?)*`), or alternatives that take the
    same text (`(x|x)*`, `(.|\\s)*`). A possessive loop never splits a text again."""
    if loop[0] is sre.POSSESSIVE_REPEAT:
        return
    body = _flattened(list(loop[1][2]))
    starts = reader.first(body)
    if any(reader.chars(tail) & starts for tail in _tail_loops(body)):
        problems.append(f"a loop's turn ends in a loop over what starts a turn: {_show(loop)}")
    elif _alike_alternatives(body, reader):
        problems.append(f"alternatives in a loop take the same text: {_show(loop)}")


def _tail_loops(items: list[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """The varying loops a sequence can end with (only items that may be empty after them)."""
    for item in reversed(_flattened(items)):
        op, arg = item
        if op in _REPEATS and (arg[0] != arg[1] or _varies(list(arg[2]))):
            yield item
        elif op is sre.BRANCH:
            for branch in arg[1]:
                yield from _tail_loops(list(branch))
        if not nullable(item):
            return


def _alike_alternatives(items: list[tuple[Any, Any]], reader: _Reader) -> bool:
    """Two alternatives of a group that can take the same text: of one length, with overlapping
    characters at each position, or both unbounded and starting alike."""
    for op, arg in _flattened(items):
        if op is not sre.BRANCH:
            continue
        branches = [_flattened(list(branch)) for branch in arg[1]]
        for index, one in enumerate(branches):
            for other in branches[index + 1 :]:
                if _same_text(one, other, reader):
                    return True
    return False


def _same_text(one: list[Any], other: list[Any], reader: _Reader) -> bool:
    """Whether two alternatives may take one text: equal single-character spellings that overlap
    at every position, or both holding an unbounded loop with no spelled start apart."""
    first, second = _spellings(one, reader), _spellings(other, reader)
    whole = [spelling for spelling, complete in (*first, *second) if complete]
    if len(first) == len(second) == 1 and len(whole) == 2:
        a, b = whole
        return len(a) == len(b) and all(x & y for x, y in zip(a, b, strict=True))
    unbounded = all(any(_unbounded(item) for item in branch) for branch in (one, other))
    apart = all(
        any(not (x & y) for x, y in zip(a, b, strict=False)) for a, _ in first for b, _ in second
    )
    return unbounded and not apart and bool(reader.first(one) & reader.first(other))


def _spellings(
    items: list[tuple[Any, Any]], reader: _Reader, limit: int = 16
) -> list[tuple[list[Chars], bool]]:
    """Each way a sequence can start, as the characters of each position up to its first item that
    is neither a single character nor a group of alternatives (several, for alternatives), and
    whether that was the whole sequence."""
    spelled: list[tuple[list[Chars], bool]] = [([], True)]
    for index, (op, arg) in enumerate(items):
        if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            spelled = [([*word, reader.chars((op, arg))], True) for word, _ in spelled]
        elif op is sre.BRANCH and len(spelled) * len(arg[1]) <= limit:
            rest = items[index + 1 :]
            return [
                ([*word, *tail], done and not rest)
                for word, _ in spelled
                for branch in arg[1]
                for tail, done in _spellings(_flattened(list(branch)), reader, limit)
            ]
        elif op is not sre.AT:
            return [(word, False) for word, _ in spelled]
    return spelled


def _check_following(
    flat: list[tuple[Any, Any]], index: int, reader: _Reader, problems: list[str]
) -> None:
    """A wide loop, then (through items that could take what it gives back) another wide loop
    over its characters."""
    taken = reader.chars(flat[index])
    if _follower(flat[index + 1 :], taken, reader, _terminator(flat[index], reader)) is _SHARED:
        problems.append(f"a loop is followed by another over its characters: {_show(flat[index])}")


_SHARED, _STOPPED = "shared", "stopped"


def _terminator(loop: tuple[Any, Any], reader: _Reader) -> tuple[Chars, ...]:
    """The characters that end every turn of a loop (`(?:[a-z]+\\.)+`: the dot), when one does:
    what it gives back ends there, so a loop after it that cannot take one rescans nothing."""
    for item in reversed(_flattened(list(loop[1][2]))):
        if item[0] in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
            return (reader.chars(item),)
        if not nullable(item):
            return ()
    return ()


def _follower(
    items: list[tuple[Any, Any]], taken: Chars, reader: _Reader, passed: tuple[Chars, ...] = ()
) -> str | None:
    """_SHARED when an unbounded loop that can start with one of `taken` comes before anything that
    cannot (_STOPPED); None when the items end first. `passed`: the characters of the items in
    between; a loop none of one of them can be part of rescans nothing (`(.*)'[ \\t]*$`: each
    quote starts another run of spaces)."""
    for item in _flattened(items):
        op, arg = item
        shared = op in _REPEATS and _unbounded(item) and reader.first(list(arg[2])) & taken
        if shared and all(between & reader.chars(item) for between in passed):
            return _SHARED
        if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
            continue
        if op is sre.BRANCH:
            found = [_follower(list(branch), taken, reader, passed) for branch in arg[1]]
            if _SHARED in found:
                return _SHARED
            if all(result is _STOPPED for result in found):
                return _STOPPED
            continue
        if op in _REPEATS or op is sre.ATOMIC_GROUP:
            inner = _follower(_body(item), taken, reader, passed)
            if inner is _SHARED:
                return _SHARED
            if inner is _STOPPED and not nullable(item):
                return _STOPPED
            continue
        if not reader.chars(item) & taken:
            return _STOPPED  # the loop cannot give back past this item
        passed = (*passed, reader.chars(item))
    return None


def _show(item: tuple[Any, Any]) -> str:
    arg = item[1]
    high = "" if arg[1] == sre.MAXREPEAT else arg[1]
    return f"{{{arg[0]},{high}}} over {''.join(sorted(_Reader(0).chars(item)))[:24]!r}"


# -- the empirical check -----------------------------------------------------------------------


def adversarial_texts(site: Site) -> list[Callable[[int], str]]:
    """Texts of a given length the pattern may be slow on: the generic runs one of its wide loops
    reads, and runs of each wide loop's characters after a text that reaches the loop. A pattern
    without a wide loop gets none: each attempt is bounded, so a search is linear."""
    parsed = _parser.parse(site.pattern, site.flags)
    reader = _Reader(site.flags | parsed.state.flags)
    loops = list(_loop_runs(list(parsed), reader, ""))
    looped = frozenset().union(*(taken for _before, taken in loops))
    texts = [_run(unit, tail) for unit in UNITS if set(unit) & looped for tail in TAILS]
    for prefix, taken in loops:
        for char in sorted(taken, key=_printable_first)[:2]:
            texts.append(_run(char, "\x01", before=prefix))
            texts.append(_run(prefix + char, "\x01"))
    return texts


def _run(unit: str, tail: str, before: str = "") -> Callable[[int], str]:
    def text(length: int) -> str:
        return before + unit * max(1, (length - len(before)) // len(unit)) + tail

    return text


def _loop_runs(
    items: list[tuple[Any, Any]], reader: _Reader, before: str
) -> Iterator[tuple[str, Chars]]:
    """(text reaching a wide loop, the characters the loop takes) for each wide loop."""
    done = before
    for item in _flattened(items):
        op, arg = item
        if op in _REPEATS:
            if _wide(item):
                yield done, reader.chars(item)
            yield from _loop_runs(list(arg[2]), reader, done)
        elif op is sre.BRANCH:
            for branch in arg[1]:
                yield from _loop_runs(list(branch), reader, done)
        done += _sample(item, reader)


def _printable_first(char: str) -> tuple[bool, str]:
    return (not char.isprintable() or char.isspace() and char != " ", char)


def _sample(
    item: tuple[Any, Any], reader: _Reader, group: tuple[int, str] = (-1, ""), choice: int = -1
) -> str:
    """A short text `item` matches: the first alternative and each loop turned once (or, with a
    `choice`, that alternative and each loop turned as few times as it may), group `group[0]`
    taken by the text `group[1]`."""
    op, arg = item
    if op in (sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.IN):
        chars = sorted(reader.chars(item), key=_printable_first)
        return chars[0] if chars else ""
    if op in _REPEATS:
        turns = arg[0] if choice >= 0 else max(arg[0], 1)
        return "".join(_sample(child, reader, group, choice) for child in arg[2]) * turns
    if op is sre.BRANCH:
        branch = arg[1][min(max(choice, 0), len(arg[1]) - 1)]
        return "".join(_sample(child, reader, group, choice) for child in branch)
    if op is sre.SUBPATTERN and arg[0] == group[0]:
        return group[1]
    if op in (sre.SUBPATTERN, sre.ATOMIC_GROUP):
        return "".join(_sample(child, reader, group, choice) for child in _body(item))
    return ""


def sample(pattern: str, flags: int = 0, *, key: str | None = None, choice: int = -1) -> str:
    """A short text `pattern` matches (lookarounds aside; `_sample`), its `key` group taken by
    `key`."""
    parsed = _parser.parse(pattern, flags)
    reader = _Reader(flags | parsed.state.flags)
    group = (parsed.state.groupdict.get("key", -1), key or "") if key is not None else (-1, "")
    return "".join(_sample(item, reader, group, choice) for item in parsed)


def cpu(compiled: re.Pattern[str], text: str, *, tries: int = 1) -> float:
    """The least CPU of `tries` searches of every position of `text` (as `sub` and `finditer` do)."""
    best = float("inf")
    for _ in range(tries):
        started = time.process_time()
        for _found in compiled.finditer(text):
            pass
        best = min(best, time.process_time() - started)
    return best


SHORTEST = 125
"""The shortest text tried: each longer one is 8 times the one before, up to 64 times this."""


def lengths(site: Site) -> tuple[int, int, int]:
    """The ladder of lengths n, 8n, 64n: n at least twice the longest bounded loop, so a loop of
    at most 300 turns (a constant per position) shows its linear growth, not its filling up."""
    parsed = _parser.parse(site.pattern, site.flags)
    bounds = [arg[1] for op, arg in _loops(list(parsed)) if arg[1] != sre.MAXREPEAT]
    shortest = max([SHORTEST, *(2 * bound for bound in bounds if bound <= 4 * LONG)])
    return shortest, 8 * shortest, 64 * shortest


def _loops(items: list[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    for item in items:
        if item[0] in _REPEATS and _wide(item):
            yield item
        yield from _loops(_children(item))


def growth(site: Site) -> tuple[float, str] | None:
    """The largest CPU growth over 8 times the length among the adversarial texts, and the
    text's start; None when every run is too short to compare."""
    compiled = site.compiled()
    ladder = lengths(site)
    worst: tuple[float, str] | None = None
    for text in adversarial_texts(site):
        found = _text_growth(compiled, text, ladder)
        if found is not None and (worst is None or found > worst[0]):
            worst = (found, text(40)[:40])
    return worst


def _text_growth(
    compiled: re.Pattern[str], text: Callable[[int], str], ladder: tuple[int, int, int]
) -> float | None:
    """CPU growth from length n/8 to n at the first rung n whose run is long enough to read
    (None: none is): a cubic pattern shows at the second rung already, before the third could
    take minutes. A growth above MAX_GROWTH is measured again, the least of three runs each."""
    spent = cpu(compiled, text(ladder[0]))
    for shorter, longer in itertools.pairwise(ladder):
        before, spent = spent, cpu(compiled, text(longer))
        if spent >= MEASURABLE:
            ratio = spent / max(before, 1e-7)
            if ratio > MAX_GROWTH:
                ratio = cpu(compiled, text(longer), tries=3) / max(
                    cpu(compiled, text(shorter), tries=3), 1e-7
                )
            return ratio
    return None
