"""A structured log line's message and its error, joined as Go's error wrapping prints them.

Structured loggers print an error apart from the message it explains: zerolog
(Traefik v3) as `ERR Cannot create service error="service not found" ...`,
its JSON as `{"error":"service not found",...,"message":"Cannot create
service"}`, klog's structured calls as `"Error syncing" err="..."`, logrus
and logfmt as `msg="..." error="..."`.  The same event printed by an older
release, or by `fmt.Errorf("%s: %w")`, reads "Cannot create service: service
not found", which is how intents/messages/data writes a wrapper.  `joined`
gives that text so one format reads every frame.

Only string operations and bounded regexes: linear in the line.
"""

from __future__ import annotations

import re

_ERROR_KEY = re.compile(r'(?:^|[\s,{])"?(?:error|err)"?\s{0,3}[=:]\s{0,3}')
_MESSAGE_KEY = re.compile(r'(?:^|[\s,{])"?(?:msg|message)"?\s{0,3}[=:]\s{0,3}')
_LEVEL = re.compile(
    r"(?:^|\s)(?:TRC|DBG|INF|WRN|ERR|FTL|PNC|[IWEF]\d{4} [\d:.]{8,15}\s+\d+ [\w.-]{1,80}:\d{1,6}\])\s+"
)
_KEY_AFTER = re.compile(r'(?<!\s)\s+"?[\w.-]{1,60}"?\s{0,3}[=:]')  # from a space run's start
MAX_VALUE = 2_000


def _bare_word(line: str, start: int) -> str:
    """An unquoted value: up to a space, a comma or a brace."""
    end = start
    while end < len(line) and end - start < MAX_VALUE and line[end] not in " \t,}":
        end += 1
    return line[start:end]


def _value(line: str, start: int) -> str:
    """The value that starts at `start`: a quoted string up to the quote that closes the field
    (followed by another key, a comma, a brace or the end; inner quotes were unescaped by the
    paste cleaner), or a bare word."""
    if start >= len(line):
        return ""
    if line[start] != '"':
        return _bare_word(line, start)
    position = start + 1
    limit = min(len(line), start + 1 + MAX_VALUE)
    while position < limit:
        quote = line.find('"', position, limit)
        if quote < 0:
            return line[start + 1 : limit]
        rest = line[quote + 1 : quote + 80]
        if not rest.strip() or rest.lstrip()[:1] in ",}" or _KEY_AFTER.match(rest):
            return line[start + 1 : quote]
        position = quote + 1
    return line[start + 1 : limit]


def _message(line: str, error_at: int) -> str:
    """The message field's value, or the free text a console logger prints between the level
    (or klog's header) and the error field."""
    keyed = _MESSAGE_KEY.search(line)
    if keyed is not None:
        return _value(line, keyed.end())
    level = _LEVEL.search(line, 0, error_at)
    if level is None:
        return ""
    text = line[level.end() : error_at].strip()
    if text.startswith('"'):
        text = _value(text, 0)
    return text


def joined(line: str) -> str | None:
    """ "<message>: <error>" when the line is a structured log event with both, else None."""
    if "err" not in line:
        return None
    error = _ERROR_KEY.search(line)
    if error is None:
        return None
    cause = _value(line, error.end()).strip()
    message = _message(line, error.start()).strip().rstrip(":")
    if not cause or not message or cause in message:
        return None
    return f"{message}: {cause}"
