"""Structured logs: one JSON object per line when stderr is not a terminal, with request ids.

- `configure_logging` installs one handler on the root logger: JSON lines
  (ts, level, logger, msg, request_id, exc, plus any `extra=` fields) when the
  stream is not a TTY (a container, a pipe), a human line on a terminal.
  KUBEMEDIC_LOG_FORMAT=json|text overrides the guess.
- `REQUEST_ID` is a context variable the Slack middleware sets for each
  request; asyncio copies the context into tasks created meanwhile, so the
  background work a request spawns logs with the same id.
- `RedactFilter` runs on every record the handler writes: the message, the
  traceback and string extras go through `responses.redaction.redact` (Slack
  tokens, bearer tokens, passwords in URLs, key=value secrets) and the
  configured secret values (bot token, signing secret...) are replaced
  literally, so a log line never carries them even when an error message does.
"""

from __future__ import annotations

import json as jsonlib
import logging
import os
import sys
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TextIO
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from bot.settings import Settings

REQUEST_ID: ContextVar[str | None] = ContextVar("kubemedic_request_id", default=None)
"""The id of the Slack request being handled (None outside one)."""

HANDLER_NAME = "kubemedic"
MIN_SECRET_CHARS = 8
"""Shorter configured values are not replaced literally (they would mangle ordinary words)."""

_RECORD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}
"""Attributes every LogRecord has; anything else on a record came from `extra=`."""


def new_request_id() -> str:
    return os.urandom(6).hex()


def request_id_for(body: Mapping[str, Any]) -> str:
    """Slack's event id when the request has one (its retries share it), else a fresh id."""
    event_id = body.get("event_id")
    if isinstance(event_id, str) and 0 < len(event_id) <= 64:
        return event_id
    return new_request_id()


def extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    """The fields a call added with `extra=`."""
    return {
        key: value
        for key, value in record.__dict__.items()
        if key not in _RECORD_FIELDS and not key.startswith("_")
    }


def settings_secrets(settings: Settings) -> list[str]:
    """The configured secret values that must never be logged."""
    values = [
        secret.get_secret_value()
        for secret in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.signing_key,
            settings.signing_key_previous,
            settings.mcp_token,
            settings.handoff_token,
        )
        if secret is not None
    ]
    try:
        password = urlsplit(settings.database_url).password
    except ValueError:
        password = None
    return [value for value in [*values, password] if value]


class RequestIdFilter(logging.Filter):
    """Puts the current request id on each record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = REQUEST_ID.get()
        return True


class RedactFilter(logging.Filter):
    """Redacts secrets in the message, the traceback and string extras of every record."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = sorted(
            {s for s in secrets if len(s) >= MIN_SECRET_CHARS}, key=len, reverse=True
        )

    def scrub(self, text: str) -> str:
        from responses.redaction import REDACTED, redact  # on the first record, not at start-up

        for secret in self._secrets:
            text = text.replace(secret, REDACTED)
        return redact(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):  # a bad format string: keep the parts
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = self.scrub(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        for key, value in extra_fields(record).items():
            if isinstance(value, str):
                setattr(record, key, self.scrub(value))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record: ts, level, logger, msg, request_id, exc/stack, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        for key, value in extra_fields(record).items():
            entry.setdefault(key, value)
        return jsonlib.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """`[time] LEVEL logger [request-id]: message key=value`, then the traceback, for people."""

    def __init__(self, *, timestamps: bool = True) -> None:
        super().__init__("%(message)s")
        self.timestamps = timestamps

    def format(self, record: logging.LogRecord) -> str:
        extras = "".join(f" {key}={value}" for key, value in extra_fields(record).items())
        body = super().format(record)  # the message, then any traceback
        first, newline, rest = body.partition("\n")
        request_id = getattr(record, "request_id", None)
        head = f"{record.levelname} {record.name}" + (f" [{request_id}]" if request_id else "")
        if self.timestamps:
            head = f"{self.formatTime(record)} {head}"
        return f"{head}: {first}{extras}{newline}{rest}"


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class StartupNoiseFilter(logging.Filter):
    """Drops slack_bolt's two "token will be unused" warnings: bolt reads SLACK_BOT_TOKEN from the
    environment itself and warns that the client and `authorize` kubemedic gives it take
    precedence, which is intended; every `serve` start printed both."""

    NOISE = ("`token` will be unused", "`token` (or SLACK_BOT_TOKEN env variable) will be ignored")

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("slack_bolt") or record.levelno != logging.WARNING:
            return True
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


def configure_logging(
    stream: TextIO | None = None,
    level: int | str = logging.INFO,
    json: bool | None = None,
    *,
    secrets: Iterable[str] = (),
    timestamps: bool = True,
) -> logging.Handler:
    """Send every log record to `stream` (default stderr): JSON lines when `json` is true, or
    when it is None and the stream is not a TTY; otherwise text (with `timestamps`).

    Replaces the handler an earlier call installed (and nothing else), so it can be called
    again; returns the new handler.
    """
    stream = stream if stream is not None else sys.stderr
    use_json = not _is_tty(stream) if json is None else json
    handler = logging.StreamHandler(stream)
    handler.set_name(HANDLER_NAME)
    handler.addFilter(StartupNoiseFilter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactFilter(secrets))
    handler.setFormatter(JsonFormatter() if use_json else TextFormatter(timestamps=timestamps))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    root.setLevel(level.upper() if isinstance(level, str) else level)
    return handler
