"""Secrets inside an escaped string: found in the decoded text, removed from the escaped one.

A log line often carries another text escaped inside it: a JSON log's `"msg"` with `\\n` for
its line breaks and `\\"` for its quotes (a paste inside a structured log, JSON inside JSON), a
form body with `%3D` for `=` and `%26` for `&`, an HTML page with `&lt;password&gt;`. The rules
read lines, quotes and separators, so the escaped form hides a value from them: the line after
`Password:\\n` is no line, `password%3Dx` is no `key=value`. So each escaping the text shows is
decoded (backslash escapes up to three levels deep, percent-encoding, HTML entities), the decoded
text is redacted, and what that replaces is mapped back to the characters it came from and
masked there (`responses.redaction.wraps.mask`). The text keeps its escaping; only the secret
goes. A text with no escape sequence is not decoded at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from intents.lazy_re import LazyPattern, lazy_compile
from responses.redaction.wraps import Span, replaced_spans

Redact = Callable[[str], str]
_BACKSLASH = lazy_compile(
    r"\\u(?P<high>[dD][89abAB][0-9a-fA-F]{2})\\u(?P<low>[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|\\(?:u(?P<code>[0-9a-fA-F]{4})|(?P<char>[nrt\"'\\/]))"
)
"""A backslash escape; a surrogate pair's two escapes are one character (an emoji)."""
_SIMPLE = {"n": "\n", "r": "", "t": "\t", '"': '"', "'": "'", "\\": "\\", "/": "/"}
_PERCENT = lazy_compile(r"%(?P<hex>[0-9a-fA-F]{2})")
_ENTITY = lazy_compile(
    r"&(?:(?P<name>lt|gt|quot|amp|apos);|#(?P<dec>\d{1,5});|#[xX](?P<hex>[0-9a-fA-F]{1,4});)"
)
_NAMED = {"lt": "<", "gt": ">", "quot": '"', "amp": "&", "apos": "'"}
_DEPTH = 3
"""Backslash escaping this deep is decoded (a JSON string in a JSON string in a log line)."""


def _backslash(match: re.Match[str]) -> str:
    if match.group("high"):
        high, low = int(match.group("high"), 16), int(match.group("low"), 16)
        return chr(0x10000 + (high - 0xD800) * 0x400 + low - 0xDC00)
    code = match.group("code")
    return _character(int(code, 16)) if code else _SIMPLE[match.group("char")]


def _character(number: int) -> str:
    """The character numbered `number`; U+FFFD for a lone surrogate or a number beyond Unicode
    (no encoder takes one, and the rules encode what they read)."""
    return chr(number) if number < 0x110000 and not 0xD800 <= number < 0xE000 else "\ufffd"


def _percent(match: re.Match[str]) -> str:
    return chr(int(match.group("hex"), 16))


def _entity(match: re.Match[str]) -> str:
    if match.group("name"):
        return _NAMED[match.group("name")]
    number = int(match.group("dec")) if match.group("dec") else int(match.group("hex"), 16)
    return _character(number) if number else match.group(0)


Decode = Callable[[re.Match[str]], str]
_DECODERS: tuple[tuple[LazyPattern, Decode, tuple[str, ...], int], ...] = (
    (_BACKSLASH, _backslash, ("\\n", '\\"', "\\u00", "\\t", "\\'"), _DEPTH),
    (_PERCENT, _percent, ("%3d", "%26", "%22", "%0a"), 1),
    (_ENTITY, _entity, ("&lt;", "&gt;", "&quot;", "&#"), 1),
)
"""Each escaping: its sequence, what a sequence stands for, the signs that a text uses it (lower
case), and how many levels of it are decoded."""


def _decoded(text: str, pattern: LazyPattern, replace: Decode) -> tuple[str, list[int]]:
    """`text` decoded, and where each decoded character's sequence starts in `text` (one more
    entry: the end), so a span (s, e) of the decoded text is (starts[s], starts[e]) of `text`."""
    parts: list[str] = []
    starts: list[int] = []
    done = 0
    for match in pattern.finditer(text):
        parts.append(text[done : match.start()])
        starts.extend(range(done, match.start()))
        char = replace(match)
        parts.append(char)
        starts.extend([match.start()] * len(char))
        done = match.end()
    parts.append(text[done:])
    starts.extend(range(done, len(text) + 1))
    return "".join(parts), starts


def _escaped_lines(lowered: str, signs: tuple[str, ...]) -> list[Span]:
    """The stretches of whole lines holding one of `signs`, adjacent ones merged: an escaped
    string never crosses a real line break, so only these lines are decoded."""
    stretches: list[Span] = []
    for sign in signs:
        at = lowered.find(sign)
        while at >= 0:
            begin = lowered.rfind("\n", 0, at) + 1
            end = lowered.find("\n", at)
            end = len(lowered) if end < 0 else end
            stretches.append((begin, end))
            at = lowered.find(sign, end)
    merged: list[Span] = []
    for begin, end in sorted(stretches):
        if merged and begin <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((begin, end))
    return merged


def _decoded_spans(
    text: str, pattern: LazyPattern, replace: Decode, depth: int, redact: Redact
) -> list[Span]:
    """Spans of `text` that `redact` finds in `text` decoded once, twice... up to `depth`."""
    spans: list[Span] = []
    current, raw = text, list(range(len(text) + 1))
    for _level in range(depth):
        decoded, starts = _decoded(current, pattern, replace)
        if decoded == current:
            break
        raw = [raw[at] for at in starts]  # decoded position -> position in `text`
        found = replaced_spans(decoded, redact(decoded))
        for start, end in [(0, len(decoded))] if found is None else found:
            spans.append((raw[start], raw[end]))
        current = decoded
    return spans


def escaped_spans(text: str, redact: Redact) -> list[Span]:
    """Spans of `text` that `redact` finds in its decoded forms (none when nothing is escaped):
    only the lines showing an escaping are decoded."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower to two characters: keep offsets
        lowered = text.translate(_ASCII_LOWER)
    spans: list[Span] = []
    for pattern, replace, signs, depth in _DECODERS:
        for begin, end in _escaped_lines(lowered, signs):
            found = _decoded_spans(text[begin:end], pattern, replace, depth, redact)
            spans += [(begin + start, begin + stop) for start, stop in found]
    return spans


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
