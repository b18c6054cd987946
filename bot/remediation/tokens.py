"""Button values: an opaque pending-action id and an HMAC of it, nothing else.

The value is `"<id>.<signature>"`, where the signature is HMAC-SHA256 of the
id under a server key, truncated to 128 bits and base64url-encoded. A value
that is oversized, malformed, or signed with another key is rejected before
anything is looked up; the comparison is constant-time. Names, namespaces
and parameters never travel in a button: they are loaded from the store by id.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from bot.settings import Settings

MAX_VALUE = 100
"""Far below Slack's 2000-character limit: a real value is about 45 characters."""
_VALUE = re.compile(r"[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{22}")
_DOMAIN = b"kubemedic remediation button v1\x00"
_DERIVE = b"kubemedic button signing key v1"


class NoSigningKey(ValueError):
    """Neither KUBEMEDIC_SIGNING_KEY nor SLACK_SIGNING_SECRET is set."""


def signing_key(settings: Settings) -> bytes:
    """KUBEMEDIC_SIGNING_KEY, else a key derived from SLACK_SIGNING_SECRET or, for Mattermost, the bot token
    (stable across restarts).

    The key is never logged; derivation keeps the Slack secret itself out of button signatures.
    """
    own = settings.signing_key
    if own is not None and own.get_secret_value():
        return own.get_secret_value().encode()
    for secret in (
        settings.slack_signing_secret,
        settings.mattermost_token,
    ):  # Slack's, else Mattermost's bot
        if secret is not None and secret.get_secret_value():
            return hmac.new(secret.get_secret_value().encode(), _DERIVE, hashlib.sha256).digest()
    raise NoSigningKey(
        "set KUBEMEDIC_SIGNING_KEY (or SLACK_SIGNING_SECRET, KUBEMEDIC_MATTERMOST_TOKEN) to sign buttons"
    )


def _signature(action_id: str, key: bytes) -> str:
    digest = hmac.new(key, _DOMAIN + action_id.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(action_id: str, key: bytes) -> str:
    """The button value for a pending action id."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", action_id):
        raise ValueError("pending action ids are 8..64 URL-safe characters")
    return f"{action_id}.{_signature(action_id, key)}"


def verify(value: object, key: bytes) -> str | None:
    """The pending action id if `value` is a well-formed value signed with `key`, else None."""
    if not isinstance(value, str) or len(value) > MAX_VALUE or not _VALUE.fullmatch(value):
        return None
    action_id, _, signature = value.partition(".")
    if not hmac.compare_digest(signature.encode(), _signature(action_id, key).encode()):
        return None
    return action_id
