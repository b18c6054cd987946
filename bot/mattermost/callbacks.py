"""Signed button contexts: what a Mattermost click means, minted by the bot and checked on return.

Mattermost does not sign the requests it sends a bot for a click or a dialog; it sends back,
unchanged, the private `context` the bot put in the button's `integration` (the server strips
it from every post a client reads). So the context carries the action id and the button's
opaque value with an HMAC-SHA256 of both under the bot's signing key, and a click whose context
does not verify is refused before anything is looked up. The remediation value inside is
itself the remediation service's signed pending-action id: the same allowlists, expiry, UID
preconditions and audit apply as in Slack. Dialog states are signed the same way.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

from responses.answer_actions import ButtonSpec

ACTIONS_PATH = "/mattermost/actions"
DIALOGS_PATH = "/mattermost/dialogs"
COMMAND_PATH = "/mattermost/command"
MAX_FIELD = 2000
_DOMAIN = b"kubemedic mattermost context v1\x00"


def _signature(key: bytes, action: str, value: str) -> str:
    digest = hmac.new(key, _DOMAIN + action.encode() + b"\x00" + value.encode(), hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def sealed(key: bytes, action: str, value: str) -> dict[str, str]:
    """The context (or dialog state) for a button: action id, value, signature."""
    return {"action": action, "value": value, "sig": _signature(key, action, value)}


def opened(key: bytes, context: object) -> tuple[str, str] | None:
    """(action id, value) of a context this bot sealed; None for anything else."""
    if not isinstance(context, Mapping):
        return None
    action, value, sig = context.get("action"), context.get("value"), context.get("sig")
    if not all(isinstance(part, str) and 0 < len(part) <= MAX_FIELD for part in (action, value, sig)):
        return None
    assert isinstance(action, str) and isinstance(value, str) and isinstance(sig, str)
    if not hmac.compare_digest(sig.encode(), _signature(key, action, value).encode()):
        return None
    return action, value


class Callbacks:
    """Where Mattermost sends clicks (`base_url`, reachable from the Mattermost server) and the key."""

    def __init__(self, base_url: str, key: bytes) -> None:
        self.base_url = base_url.rstrip("/")
        self.key = key

    @property
    def actions_url(self) -> str:
        return self.base_url + ACTIONS_PATH

    @property
    def dialogs_url(self) -> str:
        return self.base_url + DIALOGS_PATH

    def integration(self, spec: ButtonSpec, number: int = 0) -> dict[str, Any]:
        """A button's `integration`: the actions URL and its sealed context."""
        return {"url": self.actions_url, "context": sealed(self.key, spec.action_id, spec.value)}

    def opened(self, context: object) -> tuple[str, str] | None:
        return opened(self.key, context)
