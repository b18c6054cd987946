"""Nesting limits for JSON from the network: deep documents get a one-line refusal, not a 500.

`json.loads` of 50,000 nested brackets raises RecursionError, which is not a
ValueError, so it escaped every handler as an HTTP 500 with a traceback; and a
document just under the interpreter's limit would still crash whatever walks it
recursively later (redaction, storage).  Slack's and Alertmanager's payloads are
a few levels deep, so anything past MAX_DEPTH is refused.
"""

from __future__ import annotations

import json
import re
from typing import Any

from intents.normalize import scalar_text

MAX_DEPTH = 64


class TooDeep(ValueError):
    """The document nests more than MAX_DEPTH levels (a ValueError: callers answer 400)."""

    def __init__(self) -> None:
        super().__init__(f"JSON nested more than {MAX_DEPTH} levels deep")


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def loads(text: str | bytes) -> Any:
    """`json.loads`, raising TooDeep for a document nested past MAX_DEPTH (ValueError otherwise);
    a surrogate escaped alone (`"\\ud800"`, valid JSON) is read as U+FFFD, in keys too: no
    encoder takes one."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise TooDeep() from None
    check_depth(value)
    escaped = text.decode("ascii", "replace") if isinstance(text, bytes) else text
    return _scalar(value) if _SURROGATE_ESCAPE.search(escaped) else value


def _scalar(value: Any) -> Any:
    """`value` (parsed JSON, at most MAX_DEPTH deep) with every text `scalar_text`."""
    if isinstance(value, str):
        return scalar_text(value)
    if isinstance(value, dict):
        return {scalar_text(key): _scalar(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_scalar(item) for item in value]
    return value


def check_depth(value: Any) -> None:
    """Raise TooDeep when `value` (parsed JSON) nests past MAX_DEPTH; iterative, so it cannot overflow."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        children = (
            current.values()
            if isinstance(current, dict)
            else current
            if isinstance(current, list)
            else ()
        )
        for child in children:
            if isinstance(child, (dict, list)):
                if depth + 1 > MAX_DEPTH:
                    raise TooDeep()
                stack.append((child, depth + 1))


class NotAnObject(ValueError):
    """A body that is not the JSON object expected; the message is one line (callers answer 400)."""


def loads_object(body: bytes, *, expected: str) -> dict[str, Any]:
    """The JSON object in `body`; NotAnObject saying why not: malformed, too deep, or another
    value than an object (`expected` names the object, e.g. "Alertmanager's webhook payload")."""
    try:
        document = loads(body)
    except TooDeep as exc:
        raise NotAnObject(str(exc)) from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise NotAnObject(f"malformed JSON: {' '.join(str(exc).split())[:200]}") from None
    if not isinstance(document, dict):
        raise NotAnObject(f"expected {expected}")
    return document
