"""Column types that hold only redacted text: the one choke point for secrets at rest.

Every free-text column the store writes (work payloads, diagnoses, channel messages, audit
results, incident summaries, pending action targets) has one of these types. A value that is
`Redacted` already (a paste redacted where it arrived) is written as it is; anything else is
redacted when it is bound to a statement, whatever method, listener or future code path wrote
it. What comes back is marked `Redacted` (`already_redacted`): it was redacted on the way in, so a
stored paste answered by another replica is not redacted twice.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Dialect, Text
from sqlalchemy.types import TypeDecorator

from responses.redaction import Redacted, already_redacted, redact, redact_json


class RedactedText(TypeDecorator[str]):
    """Text stored with its secrets replaced by [REDACTED]."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else redact(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Redacted | None:
        return None if value is None else already_redacted(value)


class RedactedJSON(TypeDecorator[Any]):
    """JSON stored with every string redacted and secret-named fields blanked."""

    impl = JSON
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return redact_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return already_redacted(value)
