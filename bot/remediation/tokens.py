"""Button values: an opaque pending-action id and an HMAC of it, nothing else; and the keys behind them.

The value is `"<id>.<signature>"`, where the signature is HMAC-SHA256 of the
id under a server key, truncated to 128 bits and base64url-encoded. A value
that is oversized, malformed, or signed with another key is rejected before
anything is looked up; the comparison is constant-time. Names, namespaces
and parameters never travel in a button: they are loaded from the store by id.

Keys: one master (KUBEMEDIC_SIGNING_KEY, else the key the bot generated at its first start and
keeps in its database: bot/remediation/stored_key.py) from which each purpose (remediation buttons,
Mattermost contexts, Mattermost dialog states) derives its own key, so a signature made for one
purpose never verifies for another and the master is never used raw. A configured master must come
from `kubemedic keygen` (bot/runtime/signing_key.py): a key a user could guess offline from a
sealed state they can read would let them seal a state in an admin's name, so anything else is
refused at start and by `doctor`. KUBEMEDIC_SIGNING_KEY_PREVIOUS (generated too) keeps states
signed before a rotation valid until they expire; only the current key signs.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass

from pydantic import SecretStr

from bot.errors import UserFacingError
from bot.runtime import signing_key
from bot.runtime.shared_secrets import typed_secrets
from bot.settings import Settings

MAX_VALUE = 100
"""Far below Slack's 2000-character limit: a real value is about 45 characters."""
_VALUE = re.compile(r"[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{22}")
_DOMAIN = b"kubemedic remediation button v1\x00"
_PURPOSE = b"kubemedic signing key v2\x00"

BUTTONS = "remediation-button"
MATTERMOST_CONTEXT = "mattermost-context"
MATTERMOST_DIALOG = "mattermost-dialog-state"


class NoSigningKey(UserFacingError):
    """No key to sign with: KUBEMEDIC_SIGNING_KEY is unset and the stored key was not read."""


class WeakSigningKey(UserFacingError):
    """KUBEMEDIC_SIGNING_KEY (or its _PREVIOUS), or a shared secret the operator chose, is set but
    does not come from `kubemedic keygen`."""


@dataclass(frozen=True)
class KeyRing:
    """One purpose's keys: `current` signs; `current` and every `previous` verify."""

    current: bytes
    previous: tuple[bytes, ...] = ()

    @property
    def accepted(self) -> tuple[bytes, ...]:
        return (self.current, *self.previous)


def _configured(name: str, secret: SecretStr | None) -> bytes | None:
    value = secret.get_secret_value().strip() if secret is not None else ""
    if not value:
        return None
    try:
        return signing_key.decode(value)
    except signing_key.NotGenerated as exc:
        raise WeakSigningKey(f"{name} {exc}: {signing_key.KEYGEN}, or unset it") from None


def refuse_weak_keys(settings: Settings) -> None:
    """Raise WeakSigningKey, naming the variable and why, when a configured key or an
    operator-chosen shared secret (bot/runtime/shared_secrets.py) is not generated."""
    _configured("KUBEMEDIC_SIGNING_KEY", settings.signing_key)
    _configured("KUBEMEDIC_SIGNING_KEY_PREVIOUS", settings.signing_key_previous)
    for reason in typed_secrets(settings)[:1]:
        raise WeakSigningKey(reason)


def weak_key_reason(settings: Settings) -> str | None:
    """The one-line reason a configured signing key is refused (None when each is generated)."""
    try:
        _configured("KUBEMEDIC_SIGNING_KEY", settings.signing_key)
        _configured("KUBEMEDIC_SIGNING_KEY_PREVIOUS", settings.signing_key_previous)
    except WeakSigningKey as exc:
        return exc.reason
    return None


def _masters(settings: Settings) -> tuple[bytes, tuple[bytes, ...]]:
    previous = _configured("KUBEMEDIC_SIGNING_KEY_PREVIOUS", settings.signing_key_previous)
    own = _configured("KUBEMEDIC_SIGNING_KEY", settings.signing_key)
    if own is None:
        raise NoSigningKey(
            "no signing key: set KUBEMEDIC_SIGNING_KEY (`kubemedic keygen`), or start with a "
            "database, where the bot keeps the key it makes"
        )
    return own, (previous,) if previous is not None else ()


def _for_purpose(master: bytes, purpose: str) -> bytes:
    return hmac.new(master, _PURPOSE + purpose.encode(), hashlib.sha256).digest()


def signing_keys(settings: Settings, purpose: str) -> KeyRing:
    """The keys of one purpose, derived from KUBEMEDIC_SIGNING_KEY (and its _PREVIOUS): the configured
    key, or the stored one `with_signing_key` put there. Raises WeakSigningKey or NoSigningKey.

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
