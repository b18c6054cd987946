"""Model fields for pasted text: redacted as the model is built (a chat's form, a stored payload)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

from responses.redaction.entry import Redacted, redact_paste


def _pasted(value: object) -> object:
    return redact_paste(value) if isinstance(value, str) else value


Pasted = Annotated[Redacted, BeforeValidator(_pasted)]
"""A model field holding a paste: redacted as the matcher reads it (`redact_paste`: a terminal's
wrapping undone first), so what is stored is what is answered."""
