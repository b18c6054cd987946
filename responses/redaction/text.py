"""`Redacted`: a text that went through redaction, so a sink can ask for one and mypy checks it.

Storage, the fleet wire, the MCP tools and the diagnosis of a paste take `Redacted`, never a
plain `str`; a boundary (a chat arrival, the CLI's paste, `--from-outputs`, a cluster reader, the
fleet wire) makes it once with `responses.redaction.redact`, and whatever comes after passes it on
instead of redacting again. Only this room makes one (`tests/responses/test_redaction_room.py`
reads the source for it): `redact` and its kin, `already_redacted` for what a redacting column
stored or a diagnosis holds, and `shown_by_request`, the one way out (`--show-secrets`).
Operations that cannot make a secret out of a redacted text (trimming its ends, cutting it short)
keep the type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pydantic loads only where a model is built: `kubemedic match` starts without it
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class Redacted(str):
    """A text with every secret the rules recognise replaced by `[REDACTED]`."""

    __slots__ = ()

    def clip(self, limit: int) -> Redacted:
        """The first `limit` characters: a cut redacted text holds no secret the whole did not."""
        return self if len(self) <= limit else Redacted(self[:limit])

    def strip(self, chars: str | None = None) -> Redacted:
        """Without the characters at its ends (nothing inside moves)."""
        return Redacted(str.strip(self, chars))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        """A model field of this type holds only redacted text: validating the model redacts a
        plain `str` (a message from outside: the fleet wire, a stored payload) and keeps a
        `Redacted` as it is; it is written as a plain JSON string."""
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            _validated,
            json_schema_input_schema=core_schema.str_schema(),
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )


EMPTY = Redacted("")
"""No text: nothing to redact (a request that carries no paste)."""


class Shown(Redacted):
    """A text shown as it is because its user asked to see secrets (`shown_by_request`)."""

    __slots__ = ()


def shown_by_request(text: str) -> Redacted:
    """`text` as it is, for a user who asked to see secrets (`kubemedic ... --show-secrets`):
    the one way out, named so a reader of the call site sees the choice."""
    return Shown(text)


def already_redacted(value: Any) -> Any:
    """A JSON value whose every string was redacted before, its strings marked `Redacted` without
    a second pass: what a column that redacts everything written to it gives back
    (bot/storage/redacted.py), and a diagnosis as JSON (`responses.json_view`: every entry point
    of a diagnosis takes `Redacted` text; the rest is the bot's own words)."""
    if isinstance(value, str):
        return value if isinstance(value, Redacted) else Redacted(value)
    if isinstance(value, dict):
        return {key: already_redacted(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [already_redacted(item) for item in value]
    return value


def _validated(value: object) -> Redacted:
    from responses.redaction.entry import redact  # the entry point imports this module

    if not isinstance(value, str):
        raise ValueError("a text is expected")  # noqa: TRY004 (pydantic reports a ValueError)
    return redact(value)
