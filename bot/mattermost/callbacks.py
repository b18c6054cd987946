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

import hmac
from collections.abc import Mapping
from typing import Any

from bot.remediation.sealed_clicks import MAX_FIELD, MAX_FIELDS, signature
from bot.remediation.tokens import KeyRing

ACTIONS_PATH = "/mattermost/actions"
DIALOGS_PATH = "/mattermost/dialogs"
COMMAND_PATH = "/mattermost/command"
_DOMAIN = b"kubemedic mattermost context v1\x00"


def sealed(keys: KeyRing, fields: Mapping[str, str]) -> dict[str, str]:
    """A context: the fields (the action id, the value, ...) and their signature (current key)."""
    return {**fields, "sig": signature(keys.current, fields, _DOMAIN)}


def opened(keys: KeyRing, context: object) -> dict[str, str] | None:
    """The fields of a context this bot sealed (with at least an action and a value); None otherwise."""
    if not isinstance(context, Mapping) or len(context) > MAX_FIELDS:
        return None
    fields = {k: v for k, v in context.items() if k != "sig"}
    sig = context.get("sig")
    if not isinstance(sig, str) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_FIELD for k, v in fields.items()
    ):
        return None
    if not fields.get("action") or not fields.get("value"):
        return None
    if not any(
        hmac.compare_digest(sig.encode(), signature(key, fields, _DOMAIN).encode())
        for key in keys.accepted
    ):
        return None
    return fields


class Callbacks:
    """Where Mattermost sends clicks (`base_url`, reachable from the Mattermost server) and the keys
    contexts are sealed with."""

    def __init__(self, base_url: str, keys: KeyRing) -> None:
        self.base_url = base_url.rstrip("/")
        self.keys = keys

    @property
    def actions_url(self) -> str:
        return self.base_url + ACTIONS_PATH

    @property
    def dialogs_url(self) -> str:
        return self.base_url + DIALOGS_PATH

    def sealed(self, context: Mapping[str, str]) -> dict[str, Any]:
        """An `integration` of the renderer's unsealed button `context`: the actions URL, sealed."""
        return {"url": self.actions_url, "context": sealed(self.keys, context)}

    def opened(self, context: object) -> dict[str, str] | None:
        return opened(self.keys, context)
