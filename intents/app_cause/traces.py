"""The last exception a log shows, as the common runtimes print one.

Python prints the exception after its frames (`Traceback (most recent call last):`, then the
unindented `Type: message`, and for pydantic the fields below it); the JVM prints the root
cause last (`Caused by: Type: message`, then `at` frames); Go prints `panic: message` before
its goroutines; Node prints `Error: message` above its `at` frames. The latest one in the log
is the one that ended the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from intents.lazy_re import lazy_compile

MAX_DETAIL_LINES = 12
"""Lines after a Python exception read as its detail (pydantic's fields and their errors)."""

_PREFIX = lazy_compile(
    r"^(?:\d{4}-\d\d-\d\d[T ][\d:.,]{5,20}(?:Z|[+-]\d\d:?\d\d)?\s{1,4}"
    r"|\d{4}/\d\d/\d\d [\d:.]{8,15}\s|[\w.-]{1,100} {1,40}\| )"
)
"""A timestamp `kubectl logs --timestamps` or a logger put before each line, or the service name
`docker compose logs` puts there."""
_PY_HEADER = "Traceback (most recent call last):"
_PY_RAISED = lazy_compile(r"^(?P<type>[A-Za-z_][\w.]{0,200})(?::\s?(?P<message>.{0,2000}))?$")
_JAVA_CAUSE = lazy_compile(
    r"^\s{0,8}(?:Caused by: |Exception in thread \"[^\"]{0,200}\" )"
    r"(?P<type>[\w.$]{1,200})(?::\s?(?P<message>.{0,2000}))?$"
)
_GO_PANIC = lazy_compile(r"^(?:panic|fatal error): (?P<message>.{1,2000})$")
_NODE_RAISED = lazy_compile(
    r"^(?:Uncaught )?(?P<type>[A-Z][\w.]{0,100}(?:Error|Exception))(?: \[\w{1,60}\])?"
    r": (?P<message>.{0,2000})$"
)
_FRAME = lazy_compile(r"^\s{1,12}at ")
_PYDANTIC_MISSING = lazy_compile(r"^\s{1,8}[Ff]ield required\b")
_FIELD = lazy_compile(r"^(?P<field>[A-Za-z_][\w.]{0,200})$")


@dataclass(frozen=True)
class Raised:
    """The last exception: where it stands, its line (with its detail), its type and fields."""

    at: int
    line: str
    type: str
    missing: tuple[str, ...] = ()
    """Fields a pydantic ValidationError says are required and missing."""


def plain(line: str) -> str:
    """The line without a timestamp prefix or a trailing carriage return."""
    line = line.rstrip("\r")
    found = _PREFIX.match(line)
    return line[found.end() :] if found else line


def _python(lines: list[str]) -> Raised | None:
    header = next((at for at in range(len(lines) - 1, -1, -1) if _PY_HEADER in lines[at]), None)
    if header is None:
        return None
    for at in range(header + 1, len(lines)):
        line = lines[at]
        if not line.strip() or line[:1].isspace():
            continue  # its frames and their source lines
        found = _PY_RAISED.match(line.strip())
        if found is None:
            return None
        detail = lines[at + 1 : at + 1 + MAX_DETAIL_LINES]
        missing = tuple(
            named.group("field")
            for before, after in pairwise(detail)
            if _PYDANTIC_MISSING.match(after) and (named := _FIELD.match(before.strip()))
        )
        shown = [line.strip(), *(f"{name}: Field required" for name in missing)]
        return Raised(at, " ".join(shown), found.group("type"), missing)
    return None


def _java(lines: list[str]) -> Raised | None:
    for at in range(len(lines) - 1, -1, -1):
        found = _JAVA_CAUSE.match(lines[at])
        if found is not None:
            return Raised(at, lines[at].strip(), found.group("type"))
    return None


def _go(lines: list[str]) -> Raised | None:
    for at in range(len(lines) - 1, -1, -1):
        found = _GO_PANIC.match(lines[at])
        if found is not None:
            kind = "panic" if lines[at].startswith("panic") else "fatal error"
            return Raised(at, lines[at].strip(), kind)
    return None


def _node(lines: list[str]) -> Raised | None:
    for at in range(len(lines) - 2, -1, -1):
        found = _NODE_RAISED.match(lines[at])
        if found is not None and _FRAME.match(lines[at + 1]):
            return Raised(at, lines[at].strip(), found.group("type"))
    return None


def last_exception(lines: list[str]) -> Raised | None:
    """The latest exception the lines show (their timestamps already removed), or None."""
    found = [raised for read in (_python, _java, _go, _node) if (raised := read(lines))]
    return max(found, key=lambda raised: raised.at) if found else None
