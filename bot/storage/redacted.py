"""Column types that redact on the way in: the one choke point for secrets at rest.

Every free-text column the store writes (work payloads, diagnoses, channel
messages, audit results, incident summaries, pending action targets) has one
of these types, so a value is redacted when it is bound to a statement -
whatever method, listener or future code path wrote it. Callers redact what
they show or match earlier (pastes, pod logs); redaction is idempotent, so
the second pass here changes nothing for them and catches everything else.
Reading is untouched: what was stored is what comes back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Dialect, Text
from sqlalchemy.types import TypeDecorator

from responses.redaction import redact, redact_json


class RedactedText(TypeDecorator[str]):
    """Text stored with its secrets replaced by [REDACTED]."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else redact(value)


class RedactedJSON(TypeDecorator[Any]):
    """JSON stored with every string redacted and secret-named fields blanked."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return redact_json(value)
