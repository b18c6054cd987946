"""Button values: an opaque pending-action id and an HMAC of it, nothing else; and the keys behind them.

The value is `"<id>.<signature>"`, where the signature is HMAC-SHA256 of the
id under a server key, truncated to 128 bits and base64url-encoded. A value
that is oversized, malformed, or signed with another key is rejected before
anything is looked up; the comparison is constant-time. Names, namespaces
and parameters never travel in a button: they are loaded from the store by id.

Keys: one master (KUBEMEDIC_SIGNING_KEY, else derived from the chat's own secret) from which each
purpose (remediation buttons, Mattermost contexts, Mattermost dialog states) derives its own key,
so a signature made for one purpose never verifies for another and the master is never used raw.
A configured master must be strong: one a user could guess offline from a sealed state they can
read (a word, a short or repetitive value) would let them seal a state in an admin's name, so it
is refused at start and by `doctor`. KUBEMEDIC_SIGNING_KEY_PREVIOUS keeps states signed before a
rotation valid until they expire; only the current key signs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from pydantic import SecretStr

from bot.errors import UserFacingError
from bot.settings import Settings

MAX_VALUE = 100
"""Far below Slack's 2000-character limit: a real value is about 45 characters."""
MIN_KEY_BYTES = 32
_VALUE = re.compile(r"[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{22}")
_DOMAIN = b"kubemedic remediation button v1\x00"
_DERIVE = b"kubemedic button signing key v1"
_PURPOSE = b"kubemedic signing key v2\x00"
_WORDY = re.compile(r"[A-Za-z][A-Za-z .,'_-]*")
GENERATE = "generate one with `openssl rand -hex 32`"

BUTTONS = "remediation-button"
MATTERMOST_CONTEXT = "mattermost-context"
MATTERMOST_DIALOG = "mattermost-dialog-state"


class NoSigningKey(UserFacingError):
    """Neither KUBEMEDIC_SIGNING_KEY nor a chat secret to derive one from is set."""


class WeakSigningKey(UserFacingError):
    """KUBEMEDIC_SIGNING_KEY (or its _PREVIOUS) is set but guessable."""


@dataclass(frozen=True)
class KeyRing:
    """One purpose's keys: `current` signs; `current` and every `previous` verify."""

    current: bytes
    previous: tuple[bytes, ...] = ()

    @property
    def accepted(self) -> tuple[bytes, ...]:
        return (self.current, *self.previous)


def key_problem(raw: str) -> str | None:
    """Why a configured key is too weak to sign with (None when it is strong enough)."""
    key = raw.strip()
    size = len(key.encode())
    if size < MIN_KEY_BYTES:
        return f"is {size} bytes; it must be at least {MIN_KEY_BYTES} random bytes"
    if len(set(key)) < 12:
        return f"uses only {len(set(key))} distinct characters; it must be random"
    if _WORDY.fullmatch(key):
        return "looks like words (letters only); it must be random"
    for unit in range(1, len(key) // 2 + 1):
        if len(key) % unit == 0 and key[:unit] * (len(key) // unit) == key:
            return "repeats a shorter value; it must be random"
    return None


def _configured(name: str, secret: SecretStr | None) -> bytes | None:
    value = secret.get_secret_value().strip() if secret is not None else ""
    if not value:
        return None
    if (why := key_problem(value)) is not None:
        raise WeakSigningKey(f"{name} {why}: {GENERATE}")
    return value.encode()


def refuse_weak_keys(settings: Settings) -> None:
    """Raise WeakSigningKey, naming the variable and why, when a configured key is guessable."""
    _configured("KUBEMEDIC_SIGNING_KEY", settings.signing_key)
    _configured("KUBEMEDIC_SIGNING_KEY_PREVIOUS", settings.signing_key_previous)


def weak_key_reason(settings: Settings) -> str | None:
    """The one-line reason a configured key is refused (None when every configured key is strong)."""
    try:
        refuse_weak_keys(settings)
    except WeakSigningKey as exc:
        return exc.reason
    return None


def _masters(settings: Settings) -> tuple[bytes, tuple[bytes, ...]]:
    previous = _configured("KUBEMEDIC_SIGNING_KEY_PREVIOUS", settings.signing_key_previous)
    olds = (previous,) if previous is not None else ()
    own = _configured("KUBEMEDIC_SIGNING_KEY", settings.signing_key)
    if own is not None:
        return own, olds
    for secret in (
        settings.slack_signing_secret,
        settings.mattermost_token,
    ):  # Slack's, else Mattermost's bot
        if secret is not None and secret.get_secret_value().strip():
            derived = hmac.new(secret.get_secret_value().encode(), _DERIVE, hashlib.sha256).digest()
            return derived, olds
    raise NoSigningKey(
        "set KUBEMEDIC_SIGNING_KEY (or SLACK_SIGNING_SECRET, KUBEMEDIC_MATTERMOST_TOKEN) to sign buttons"
    )


def _for_purpose(master: bytes, purpose: str) -> bytes:
    return hmac.new(master, _PURPOSE + purpose.encode(), hashlib.sha256).digest()


def signing_keys(settings: Settings, purpose: str) -> KeyRing:
    """The keys of one purpose, derived from KUBEMEDIC_SIGNING_KEY (and its _PREVIOUS), else from the
    chat's secret (stable across restarts). Raises WeakSigningKey or NoSigningKey.

    The keys are never logged; derivation keeps the master itself out of every signature.
    """
    master, previous = _masters(settings)
    return KeyRing(
        _for_purpose(master, purpose), tuple(_for_purpose(old, purpose) for old in previous)
    )


def _signature(action_id: str, key: bytes) -> str:
    digest = hmac.new(key, _DOMAIN + action_id.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sign(action_id: str, keys: KeyRing) -> str:
    """The button value for a pending action id, signed with the current key."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", action_id):
        raise ValueError("pending action ids are 8..64 URL-safe characters")
    return f"{action_id}.{_signature(action_id, keys.current)}"


def verify(value: object, keys: KeyRing) -> str | None:
    """The pending action id if `value` is a well-formed value signed with an accepted key, else None."""
    if not isinstance(value, str) or len(value) > MAX_VALUE or not _VALUE.fullmatch(value):
        return None
    action_id, _, signature = value.partition(".")
    for key in keys.accepted:
        if hmac.compare_digest(signature.encode(), _signature(action_id, key).encode()):
            return action_id
    return None
