"""Texts known to hold nothing to redact, so a text shown or stored again and again is scanned once.

Catalog titles and links, subjects and the lines of a paste asked about
again reach redaction on every answer; most hold no secret. A text whose
redaction changed nothing is remembered (bounded: the memory is forgotten
whole when full, and only texts up to `LONGEST` chars are kept), and is
returned as it is the next time. A text with a secret is never kept, so
nothing secret stays in this memory.
"""

from __future__ import annotations

LONGEST = 2_000
"""Longer texts are always scanned (a log, a paste): seldom repeated, and costly to keep."""
REMEMBERED = 8_192

_clean: dict[str, None] = {}  # dict operations are atomic: threads (matching, the writer) share it


def known_clean(text: str) -> bool:
    """Whether `text` was redacted before without any change."""
    return text in _clean


def note_redacted(text: str, redacted: str) -> None:
    """Remember `text` when its redaction changed nothing."""
    if len(text) > LONGEST or redacted != text:
        return
    if len(_clean) >= REMEMBERED:
        _clean.clear()
    _clean[text] = None
