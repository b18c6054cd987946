"""A secret found once is removed wherever else the same text repeats it.

Logs and tracebacks say a value twice: a frame's locals print `password = 'hunter2x'`, and the
exception below repeats `KeyError: 'hunter2x'`; a client logs `token=abc123...` and then `401
for abc123...`. The rules recognise the value where its context says so; here every value they
replaced (read back by aligning the text before and after) is replaced where it stands alone
again, as a whole token. Only values that cannot be ordinary words are followed: six characters
or more, with a digit or a symbol, on one line.
"""

from __future__ import annotations

from intents.lazy_re import lazy_compile
from responses.redaction.values import REDACTED

MIN_LENGTH = 6
MAX_LENGTH = 300
MAX_VALUES = 64
"""Values followed per text (a text with more is a key dump, each of them already found)."""
_TOKEN_CHAR = lazy_compile(r"[A-Za-z0-9_-]")
_TYPED = lazy_compile(r"[0-9!#$%&*+=?@^~./:-]")


def removed_values(before: str, after: str) -> list[str]:
    """The texts `after` has as [REDACTED] where `before` had them: the unchanged pieces between
    marks are found in order (the last one ends the text); a piece that cannot be found ends the
    reading."""
    pieces = after.split(REDACTED)
    if len(pieces) < 2 or not before.startswith(pieces[0]):
        return []
    values: list[str] = []
    at = len(pieces[0])
    for index, piece in enumerate(pieces[1:], start=1):
        if index == len(pieces) - 1:
            found = len(before) - len(piece) if before.endswith(piece) else -1
        else:
            found = before.find(piece, at + 1) if piece else -1
        if found <= at:
            break
        values.append(before[at:found])
        at = found + len(piece)
    return values


def followed(values: list[str]) -> list[str]:
    """The values worth removing elsewhere: long enough, on one line, not an ordinary word."""
    kept: list[str] = []
    for value in values:
        core = value.strip().strip("\"'`")
        if (
            MIN_LENGTH <= len(core) <= MAX_LENGTH
            and "\n" not in core
            and REDACTED not in core
            and _TYPED.search(core)
            and core not in kept
        ):
            kept.append(core)
    return kept[:MAX_VALUES]


def remove_echoes(before: str, after: str) -> str:
    """`after` (the redacted `before`) with each value the rules replaced also replaced where it
    appears again as a whole token."""
    return remove_values(after, followed(removed_values(before, after)))


def remove_values(text: str, values: list[str]) -> str:
    """`text` with each of `values` replaced where it stands as a whole token."""
    for value in values:
        text = _replace_tokens(text, value)
    return text


def _replace_tokens(text: str, value: str) -> str:
    parts: list[str] = []
    done = at = 0
    while (found := text.find(value, at)) >= 0:
        end = found + len(value)
        glued = (found > 0 and _TOKEN_CHAR.match(text, found - 1)) or (
            end < len(text) and _TOKEN_CHAR.match(text, end)
        )
        if not glued:
            parts += (text[done:found], REDACTED)
            done = end
        at = end
    return "".join(parts) + text[done:]
