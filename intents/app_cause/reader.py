"""Read the cause a text states: its last exception, or the latest line that says why.

A traceback's last exception is the cause when its own line (or pydantic's fields below it)
says one; else a line inside its trace or just above it that does (the log line written
before the crash); else the exception itself, quoted as the app's last exception. A log with
no exception states the cause of its latest line that says one.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from intents.app_cause.model import AppCause
from intents.app_cause.patterns import classify
from intents.app_cause.traces import Raised, last_exception, plain
from intents.lazy_re import lazy_compile

MAX_LINES = 200
"""Lines of a text read, its last ones (a log's end says why it ended)."""
MAX_LINE_CHARS = 2000
MAX_LINES_ABOVE = 1
"""Lines above a trace whose stated cause is the trace's: the error logged just before it."""
MAX_TEXTS = 512

_IN_TRACE = lazy_compile(
    r"^(?:\s|Traceback \(most recent|During handling of|The above exception|Caused by: "
    r"|goroutine \d|panic: |\S[^\s(]*\(.*\)$|\.\.\. \d+ more|$)"  # a call: its first "(" read once
)
"""A line that belongs to a traceback (frames, chained headers, goroutines), not to the log."""


@dataclass(frozen=True)
class _Stated:
    at: int
    kind: str
    values: tuple[tuple[str, str], ...]
    line: str


def _latest_stated(lines: list[str], since: int = 0) -> _Stated | None:
    for at in range(len(lines) - 1, since - 1, -1):
        found = classify(lines[at])
        if found is not None:
            return _Stated(at, found[0], found[1], lines[at].strip())
    return None


def _trace_start(lines: list[str], raised: Raised) -> int:
    """Where the trace that ends in `raised` begins (its first frame or header)."""
    at = raised.at
    while at > 0 and _IN_TRACE.match(lines[at - 1]):
        at -= 1
    return at


def _from_exception(lines: list[str], raised: Raised) -> AppCause:
    exception = (("exception", raised.type),)
    if raised.missing:
        names = tuple(("name", field) for field in raised.missing)
        return AppCause("missing-setting", raised.line, names + exception, raised.type)
    own = classify(raised.line)
    if own is not None:
        values = own[1] or _values_in_trace(lines, raised, own[0])
        return AppCause(own[0], raised.line, values + exception, raised.type)
    stated = _latest_stated(lines, max(0, _trace_start(lines, raised) - MAX_LINES_ABOVE))
    if stated is not None:
        return AppCause(stated.kind, stated.line, stated.values + exception, raised.type)
    return AppCause("exception", raised.line, exception, raised.type)


def _values_in_trace(lines: list[str], raised: Raised, kind: str) -> tuple[tuple[str, str], ...]:
    """The values a line of the same trace states for the same kind of cause (a JVM's last
    `Caused by: java.net.ConnectException: Connection refused` names no host; the driver's
    exception above it, `Connection to orders-db:5432 refused`, does)."""
    for line in reversed(lines[_trace_start(lines, raised) : raised.at]):
        found = classify(line)
        if found is not None and found[0] == kind and found[1]:
            return found[1]
    return ()


@lru_cache(maxsize=MAX_TEXTS)
def read_app_cause(text: str) -> AppCause | None:
    """The cause the text states, or None (a log that says nothing of why)."""
    lines = [plain(line)[:MAX_LINE_CHARS] for line in text.splitlines()[-MAX_LINES:]]
    raised = last_exception(lines)
    stated = _latest_stated(lines, raised.at + 1 if raised is not None else 0)
    if stated is not None:  # a line after the last exception says why (or there is none)
        return AppCause(stated.kind, stated.line, stated.values)
    return _from_exception(lines, raised) if raised is not None else None
