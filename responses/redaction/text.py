"""`Redacted`: a text that went through redaction, so a sink can ask for one and mypy checks it.

Storage, the fleet wire, the MCP tools and the renderers take `Redacted`, never a plain `str`; a
boundary (a chat arrival, the CLI's paste, `--from-outputs`, a cluster reader, the fleet wire)
makes it once with `responses.redaction.redact`, and whatever comes after passes it on instead of
redacting again. Only this room makes one (`tests/responses/test_redaction_room.py` checks the
source); operations that keep a text redacted keep the type.
"""

from __future__ import annotations


class Redacted(str):
    """A text with every secret the rules recognise replaced by `[REDACTED]`."""

    __slots__ = ()

    def clip(self, limit: int) -> Redacted:
        """The first `limit` characters: a cut redacted text holds no secret the whole did not."""
        return self if len(self) <= limit else Redacted(self[:limit])

    def lines_of(self) -> list[Redacted]:
        """The text's lines, each still redacted (they were redacted together, in place)."""
        return [Redacted(line) for line in self.split("\n")]


def shown_by_request(text: str) -> Redacted:
    """`text` as it is, for a user who asked to see secrets (`kubemedic ... --show-secrets`):
    the one way out, named so a reader of the call site sees the choice."""
    return Redacted(text)
