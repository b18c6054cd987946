"""The JSON arrays of a Slack export, read one element at a time, within limits.

A day file, users.json and channels.json are each one JSON array of
objects. Parsing a whole file at once turns 30 MB of `{},` into ten million
dictionaries (gigabytes) before a single message is looked at; here each
element is decoded, checked and handed on before the next, so memory stays
near the file's own size. Whatever no Slack export holds is refused in one
line: an element nested past json_depth.MAX_DEPTH (a 100,000-deep array
overflows the parser), a number longer than Python converts (4,300 digits),
a file that is not an array of objects.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from bot.errors import BadInput
from bot.runtime import json_depth

_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def elements(data: bytes, where: str, *, what: str) -> Iterator[dict[str, Any]]:
    """Each object of the JSON array in `data` (BadInput naming `where` when it is not `what`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{where} is not UTF-8 text") from None
    position = _skip(text, 0)
    if text[position : position + 1] != "[":
        _not(text, position, where, what)
    position = _skip(text, position + 1)
    if text[position : position + 1] == "]":
        return _end(text, position + 1, where)
    while True:
        value, position = _decode(text, position, where)
        if not isinstance(value, dict):
            raise BadInput(f"{where} is not {what}")
        yield value
        position = _skip(text, position)
        following = text[position : position + 1]
        if following == "]":
            return _end(text, position + 1, where)
        if following != ",":
            _broken(text, position, where, "Expecting ',' delimiter")
        position = _skip(text, position + 1)


def _decode(text: str, position: int, where: str) -> tuple[Any, int]:
    try:
        value, end = _DECODER.raw_decode(text, position)
        json_depth.check_depth(value)
    except json.JSONDecodeError as exc:
        _broken(text, exc.pos, where, exc.msg)
    except (RecursionError, json_depth.TooDeep):
        raise BadInput(
            f"{where} is nested more than {json_depth.MAX_DEPTH} levels deep; "
            "no Slack export is: not read"
        ) from None
    except ValueError:  # Python's limit on converting a long number (4,300 digits)
        raise BadInput(
            f"{where} holds a number of thousands of digits; no Slack export does: not read"
        ) from None
    return value, end


def _skip(text: str, position: int) -> int:
    found = _SPACE.match(text, position)
    return found.end() if found else position


def _end(text: str, position: int, where: str) -> None:
    position = _skip(text, position)
    if position != len(text):
        _broken(text, position, where, "Extra data")


def _not(text: str, position: int, where: str, what: str) -> None:
    if position >= len(text):
        _broken(text, position, where, "Expecting value")
    try:  # valid JSON of another shape, or not JSON at all?
        _DECODER.raw_decode(text, position)
    except (ValueError, RecursionError):
        _broken(text, position, where, "Expecting value")
    raise BadInput(f"{where} is not {what}")


def _broken(text: str, position: int, where: str, message: str) -> None:
    line = text.count("\n", 0, position) + 1
    raise BadInput(f"{where} is not JSON: {message} at line {line}")
