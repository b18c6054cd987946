"""Redaction remembers texts that held nothing to redact, and only those."""

from __future__ import annotations

from responses.redaction import REDACTED, redact
from responses.redaction import memo as clean_texts


def test_a_clean_text_is_remembered_and_a_secret_never_is() -> None:
    clean = "Back-off restarting failed container web in pod shop/web-0 (clean-text test)"
    secret = "db password=hunter2hunter2 (clean-text test)"
    assert redact(clean) == clean and clean_texts.known_clean(clean)
    first, again = redact(secret), redact(secret)
    assert REDACTED in first and first == again
    assert not clean_texts.known_clean(secret)
    assert "hunter2hunter2" not in "".join(clean_texts._clean)


def test_the_memory_is_bounded_and_long_texts_are_not_kept() -> None:
    long_text = "x" * (clean_texts.LONGEST + 1)
    assert redact(long_text) == long_text and not clean_texts.known_clean(long_text)
    for n in range(clean_texts.REMEMBERED + 10):
        redact(f"line {n} of a long incident log (bounded-memory test)")
    assert len(clean_texts._clean) <= clean_texts.REMEMBERED
