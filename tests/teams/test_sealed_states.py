"""A Teams confirm card's sealed state, after a key rotation: whoever kept the rotated-out key
(still verifying while KUBEMEDIC_SIGNING_KEY_PREVIOUS is set) cannot seal one that outlives the
TTL; a state the old key sealed before the rotation still confirms within it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.remediation.sealed_clicks import STATE_TTL, TEAMS_DOMAIN, Opened, Refused, SealedClicks
from bot.remediation.tokens import KeyRing
from responses import messages

OLD, NEW = b"o" * 32, b"n" * 32
NOW = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CARD = {"action": "remediate", "value": "btn-1"}


def _seals(keys: KeyRing, at: datetime = NOW) -> SealedClicks:
    return SealedClicks(keys, clock=lambda: at, domain=TEAMS_DOMAIN, chat="Teams")


def test_the_old_key_cannot_seal_a_confirm_state_past_the_ttl() -> None:
    rotated = _seals(KeyRing(NEW, (OLD,)))
    # the old key's holder seals "now" on a clock a year ahead: the expiry is a year away
    in_a_year = NOW.replace(year=2027)
    forged = _seals(KeyRing(OLD), at=in_a_year).seal(CARD, user="aad-mallory")
    refused = rotated.open(forged, user="aad-mallory")
    assert isinstance(refused, Refused)
    assert refused.text == messages.BUTTON_INVALID and "past its TTL" in refused.reason
    assert refused.fields == CARD  # genuine signature: the audit names the button


def test_a_state_sealed_before_the_rotation_still_confirms_within_the_ttl() -> None:
    state = _seals(KeyRing(OLD)).seal(CARD, user="aad-admin")
    assert int(json.loads(state)["expires"]) == int((NOW + STATE_TTL).timestamp())
    opened = _seals(KeyRing(NEW, (OLD,)), at=NOW + STATE_TTL / 2).open(state, user="aad-admin")
    assert isinstance(opened, Opened) and opened.fields == CARD
    # a replica whose clock runs up to a minute behind the sealer's still opens it; two, no
    behind = _seals(KeyRing(NEW, (OLD,)), at=NOW - timedelta(seconds=59))
    assert isinstance(behind.open(state, user="aad-admin"), Opened)
    far_behind = _seals(KeyRing(NEW, (OLD,)), at=NOW - timedelta(minutes=2))
    assert isinstance(far_behind.open(state, user="aad-admin"), Refused)
