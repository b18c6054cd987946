"""A click's confirmation, sealed to its clicker: the confirming step acts as no one else.

A chat whose buttons cannot ask first (Mattermost, Teams) shows the question itself and carries
the click to the answer: Mattermost hands a dialog's `state` to the clicker's own client and does
not sign the submission it later POSTs back; Teams carries a confirm card's data through the
clicker's client. Either way a client could send that state itself. The state therefore seals the
clicker the chat vouched for at the click, an expiry and a one-time nonce under the bot's key, in
a domain of each chat's own (a state is never accepted as a button context, nor a context as a
state, nor one chat's as another's). The confirmation acts only when its user is the sealed
clicker, before the expiry, and once: a spent nonce is remembered until its state would have
expired anyway (per replica: the remediation use case itself never acts twice on one button). An
expiry further than the TTL from now is refused too: whoever holds a key that still verifies (the
rotated-out KUBEMEDIC_SIGNING_KEY_PREVIOUS) cannot seal a state that outlives the TTL.
Mattermost's dialogs use it as `DialogStates` (bot/mattermost/dialog_states.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import secrets
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from bot.remediation.tokens import KeyRing
from bot.runtime import json_depth
from bot.runtime.clock import Clock
from responses import messages

log = logging.getLogger(__name__)

STATE_TTL = timedelta(minutes=10)
"""How long a confirmation may stay open before it is refused."""
CLOCK_SKEW_SECONDS = 60
"""How far ahead of this replica's clock another replica's may be when it seals a state."""
MAX_FIELD = 2000
MAX_FIELDS = 8
"""A sealed click's fields: at most this many, each at most MAX_FIELD characters."""
MAX_SPENT = 20_000
"""Spent nonces remembered at most (oldest first forgotten; expiry refuses those soon after)."""
MAX_STATE = 8 * 1024
MATTERMOST_DOMAIN = b"kubemedic mattermost dialog state v1\x00"
TEAMS_DOMAIN = b"kubemedic teams confirm state v1\x00"
_SEALED = ("user", "expires", "nonce")


@dataclass(frozen=True)
class Opened:
    """A state this bot sealed for this submitter, in time and not yet spent."""

    fields: dict[str, str]
    user: str
    """The clicker Mattermost vouched for, who is also the submitter."""
    nonce: str


@dataclass(frozen=True)
class Refused:
    """Why a submission's state was refused: `reason` for the audit, `text` for the submitter."""

    reason: str
    text: str
    fields: dict[str, str] | None = None
    """The state's own fields when it was genuine (for the audit); None when forged."""
    user: str = ""
    """The clicker sealed into a genuine state."""


def signature(key: bytes, fields: Mapping[str, str], domain: bytes) -> str:
    """`fields` signed with `key` under `domain` (an HMAC of their canonical JSON, 16 bytes)."""
    canonical = json.dumps(
        dict(sorted(fields.items())), separators=(",", ":"), ensure_ascii=False
    ).encode()
    digest = hmac.new(key, domain + canonical, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class SealedClicks:
    """Seals clicks at the click and opens them at the confirmation (see the module doc)."""

    def __init__(self, keys: KeyRing, *, clock: Clock, domain: bytes, chat: str) -> None:
        self._keys, self._clock, self._domain, self._chat = keys, clock, domain, chat
        self._spent: OrderedDict[str, float] = OrderedDict()

    def seal(self, fields: Mapping[str, str], *, user: str) -> str:
        """The dialog's `state`: `fields`, the clicker, the expiry and a nonce, signed."""
        expires = self._clock() + STATE_TTL
        sealed = {
            **fields,
            "user": user,
            "expires": str(int(expires.timestamp())),
            "nonce": secrets.token_urlsafe(12),
        }
        return json.dumps({**sealed, "sig": signature(self._keys.current, sealed, self._domain)})

    def open(self, raw: object, *, user: str) -> Opened | Refused:
        """The state's fields if `user` may act on it now; otherwise why not."""
        fields = self._verified(raw)
        if fields is None:
            return Refused("dialog state not sealed by this bot", messages.BUTTON_INVALID)
        own = {k: v for k, v in fields.items() if k not in _SEALED}
        clicker = fields["user"]
        now = self._clock().timestamp()
        if not fields["expires"].isdigit() or int(fields["expires"]) < now:
            return Refused("dialog state expired", messages.DIALOG_EXPIRED, own, clicker)
        if int(fields["expires"]) > now + STATE_TTL.total_seconds() + CLOCK_SKEW_SECONDS:
            # no state this bot seals outlives its TTL: one that does was sealed elsewhere (with a
            # key still verifying, KUBEMEDIC_SIGNING_KEY_PREVIOUS), so it is not this bot's
            return Refused(
                "dialog state expires past its TTL", messages.BUTTON_INVALID, own, clicker
            )
        if clicker != user:
            # the claimed user stays out of the audit's reason: rows stay one per clicker and button
            log.info("%s confirmation opened by %s submitted as %.64r", self._chat, clicker, user)
            return Refused(
                "dialog submitted as another user than its clicker",
                messages.DIALOG_NOT_YOURS,
                own,
                clicker,
            )
        self._forget_expired(now)
        if fields["nonce"] in self._spent:
            return Refused("dialog state already used", messages.DIALOG_USED, own, clicker)
        return Opened(own, clicker, fields["nonce"])

    def spend(self, opened: Opened) -> None:
        """Mark the state used: the same state submitted again is refused."""
        self._spent[opened.nonce] = self._clock().timestamp() + STATE_TTL.total_seconds()
        while len(self._spent) > MAX_SPENT:
            self._spent.popitem(last=False)

    def _forget_expired(self, now: float) -> None:
        while self._spent and next(iter(self._spent.values())) < now:
            self._spent.popitem(last=False)

    def _verified(self, raw: object) -> dict[str, str] | None:
        if not isinstance(raw, str) or len(raw) > MAX_STATE:
            return None
        try:
            state = json_depth.loads(raw)
        except ValueError:  # not JSON, or nested past json_depth.MAX_DEPTH
            return None
        if not isinstance(state, dict) or len(state) > MAX_FIELDS + len(_SEALED):
            return None
        sig = state.pop("sig", None)
        if not isinstance(sig, str):
            return None
        if not all(isinstance(v, str) and len(v) <= MAX_FIELD for v in state.values()):
            return None
        if not all(state.get(k) for k in (*_SEALED, "action", "value")):
            return None
        if not any(
            hmac.compare_digest(sig.encode(), signature(key, state, self._domain).encode())
            for key in self._keys.accepted
        ):
            return None
        return state
