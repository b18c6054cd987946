"""Secret redaction, one room: every text matched, stored, posted, logged or handed off is
`Redacted`, made here and nowhere else.

The entry point is `redact` (with `redact_paste` for a paste the matcher reads, `redact_clipped`
for a text cut to a length and `redact_json` for a JSON value); a model field typed `Redacted`
redacts what it is given; `already_redacted` marks what a redacting column stored; and
`shown_by_request` is the one way out, for a command whose user asked to see secrets
(`--show-secrets`). The rules are this
package's other modules (`entry` says which does what). It imports nothing else of `responses/`
or `bot/` (`.importlinter`), so every room may use it.
"""

from responses.redaction.entry import (
    EMPTY,
    REDACTED,
    Redacted,
    already_redacted,
    redact,
    redact_clipped,
    redact_json,
    redact_paste,
    redacted_again,
    shown_by_request,
)

__all__ = [
    "EMPTY",
    "REDACTED",
    "Redacted",
    "already_redacted",
    "redact",
    "redact_clipped",
    "redact_json",
    "redact_paste",
    "redacted_again",
    "shown_by_request",
]
