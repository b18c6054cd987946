"""Secrets a traceback says without naming them: the exception of a frame that handled a secret.

A Python traceback prints the failing frame's source, sometimes its locals, then the exception,
whose message repeats the values the frame held: `user = USERS[password]` then
`KeyError: 'hunter2'`; `assert token == expected` then `AssertionError: 'ghp_x' != 'ghp_y'`.
The exception line names no key, so no rule of position can tell; its frame can. When the last
frame's lines name a secret (`password`, `token`, `creds`: `is_secret_key`), the quoted values
of the exception that follows are replaced, but for one the frame's own source spells (a
constant such as `os.environ["DB_PASSWORD"]`'s name, which the reader's answer needs), a
setting's name (`DB_PASSWORD`) or a plain word (`'NoneType' object is not subscriptable`).
pydantic prints a failed field's value under its name (`password` then
`  ... input_value='x', input_type=str]`): a secret field's value goes too.
"""

from __future__ import annotations

from intents.lazy_re import lazy_compile
from responses.redaction.values import REDACTED
from responses.redaction.words import is_secret_key

HEADER = "Traceback (most recent call last):"
MAX_FRAME_LINES = 12
"""Lines of the last frame read for the names it handles (its source and printed locals)."""
_FRAME = lazy_compile(r"\A[ \t]++File \"[^\"\n]{1,500}+\", line \d{1,7}+")
"""A frame's first line: the file and line the code below it stands at."""
_NAME = lazy_compile(r"[A-Za-z_][A-Za-z0-9_]{0,60}+")
"""A name the frame's lines use (`password`, `creds`): a secret's when `is_secret_key` says so."""
_EXCEPTION = lazy_compile(
    r"(?m)^(?:[A-Za-z_]\w{0,100}+\.){0,10}+[A-Za-z_]\w{0,100}?(?:Error|Exception|Failure|Fault)"
    r"[ \t]*+:"
)
"""An exception line (`KeyError: ...`, `requests.exceptions.HTTPError: ...`), maybe with the frame
lines above it but without the header (a chat message quoting the end of a trace)."""


def redact_tracebacks(text: str) -> str:
    """`text` with the values each traceback's exception repeats from a frame that handled a
    secret replaced, and pydantic's input values of secret fields."""
    if HEADER not in text and "input_value=" not in text and not _EXCEPTION.search(text):
        return text
    lines = text.split("\n")
    for at, line in enumerate(lines):
        if HEADER in line:
            _exception_of(lines, at)
        elif "input_value=" in line:
            _input_value(lines, at)
        elif at > 0 and lines[at - 1][:1] in (" ", "\t") and _EXCEPTION.match(line):
            _after_frame_lines(lines, at)
    return "\n".join(lines)


def _after_frame_lines(lines: list[str], at: int) -> None:
    """The exception line at `at` after indented frame lines (no header above them): its values
    replaced when those lines handled a secret."""
    first = at
    while first > max(at - MAX_FRAME_LINES, 0) and lines[first - 1][:1] in (" ", "\t"):
        first -= 1
        if _FRAME.match(lines[first]):
            first += 1
            break
    _replace_if_secret(lines, lines[first:at], at)


def _exception_of(lines: list[str], header: int) -> None:
    """The exception line after the frames below `header`, its values replaced when the last
    frame handled a secret."""
    frame, at = None, header + 1
    while at < len(lines) and (not lines[at].strip() or lines[at][:1] in " \t"):
        if _FRAME.match(lines[at]):
            frame = at
        at += 1
    if frame is None or at >= len(lines):
        return
    _replace_if_secret(lines, lines[frame + 1 : min(at, frame + 1 + MAX_FRAME_LINES)], at)


_QUOTED = lazy_compile(r"'(?:[^'\\\n]|\\.){1,300}+'|\"(?:[^\"\\\n]|\\.){1,300}+\"")
"""A quoted value of the exception line, escapes inside it kept."""
_WORD = lazy_compile(r"\A(?:[A-Za-z_]++|[A-Z][A-Z0-9_]{2,}+)\Z")
"""A word or a setting's name (`NoneType`, `DB_PASSWORD`): what an exception names, not a value."""


def _replace_if_secret(lines: list[str], body: list[str], at: int) -> None:
    """The quoted values of the exception line `at`, replaced when the frame lines `body` name a
    secret."""
    if not any(is_secret_key(name) for line in body for name in _NAME.findall(line)):
        return
    source = "\n".join(body)
    lines[at] = _QUOTED.sub(lambda found: _unless_spelled(found.group(), source), lines[at])


def _unless_spelled(quoted: str, source: str) -> str:
    """A quoted value of the exception, replaced unless the frame's source spells it or it is a
    word or a setting's name."""
    inner = quoted[1:-1]
    if inner in source or _WORD.match(inner) or REDACTED in inner:
        return quoted
    return f"{quoted[0]}{REDACTED}{quoted[-1]}"


_INPUT_VALUE = lazy_compile(
    r"(?P<keep>\binput_value=)(?P<value>'(?:[^'\\\n]|\\.){0,300}+'|\"(?:[^\"\\\n]|\\.){0,300}+\""
    r"|[^,\]\s]++)"
)
_FIELD = lazy_compile(r"\A(?P<field>[A-Za-z_][\w.]{0,200}+)\Z")


def _input_value(lines: list[str], at: int) -> None:
    """pydantic's `input_value=` of a field whose name (the line above) names a secret."""
    field = _FIELD.match(lines[at - 1].strip()) if at > 0 else None
    if field is not None and is_secret_key(field.group("field")):
        lines[at] = _INPUT_VALUE.sub(
            lambda found: found.group("keep") + _replaced(found.group("value")), lines[at]
        )


def _replaced(value: str) -> str:
    if value[:1] in "'\"" and len(value) >= 2:
        return f"{value[0]}{REDACTED}{value[-1]}"
    return REDACTED
