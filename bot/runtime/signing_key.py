"""The signing key's one accepted form: what `kubemedic keygen` prints, and nothing a person types.

A rule list of weak keys (too short, words, repeats) always misses the next one people type
(`acme-kubemedic-signing-key-2024!`, the SHA-256 of a word, an unrendered `${...}`), and a user
who can read their own sealed dialog state can test guesses offline. So a configured key must
carry its own proof of origin: `kmsk_` and the base64url of 32 random bytes followed by a 4-byte
checksum of them. A typed key has no valid checksum (one chance in four billion), so it is
refused whatever it looks like. Unset, the bot makes such a key at its first start and keeps it
in its database (bot/remediation/stored_key.py).
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

PREFIX = "kmsk_"
KEY_BYTES = 32
_CHECK_BYTES = 4
_CHECK_DOMAIN = b"kubemedic signing key checksum v1\x00"
_SHAPE = re.compile(r"kmsk_[A-Za-z0-9_-]{48}")
KEYGEN = "make one with `kubemedic keygen`"


class NotGenerated(ValueError):
    """The text is not a key `kubemedic keygen` printed (the reason, one line, no key in it)."""


def _checksum(key: bytes) -> bytes:
    return hashlib.sha256(_CHECK_DOMAIN + key).digest()[:_CHECK_BYTES]


def generate() -> str:
    """A new key: `kmsk_` + base64url(32 random bytes + their checksum), 53 characters."""
    key = secrets.token_bytes(KEY_BYTES)
    return PREFIX + base64.urlsafe_b64encode(key + _checksum(key)).decode()


def decode(text: str) -> bytes:
    """The 32 key bytes of a generated key (whitespace around it ignored); NotGenerated otherwise."""
    value = text.strip()
    if not _SHAPE.fullmatch(value):
        raise NotGenerated(
            f"is not a key from `kubemedic keygen` (it reads {PREFIX} and 48 more characters, "
            f"this one has {len(value)} characters in all)"
        )
    raw = base64.urlsafe_b64decode(value[len(PREFIX) :])  # 48 base64url characters: 36 bytes
    key, check = raw[:KEY_BYTES], raw[KEY_BYTES:]
    if check != _checksum(key):
        raise NotGenerated(
            "does not come from `kubemedic keygen`: its checksum does not match (typed or edited)"
        )
    return key
