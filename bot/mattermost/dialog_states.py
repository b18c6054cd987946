"""Mattermost's dialog states: its confirmations and "Not this" picks, sealed to their clicker.

The sealing is chat-neutral (bot/remediation/sealed_clicks.py); this is Mattermost's domain of it.
"""

from __future__ import annotations

from bot.remediation.sealed_clicks import MATTERMOST_DOMAIN, Opened, Refused, SealedClicks
from bot.remediation.tokens import KeyRing
from bot.runtime.clock import Clock

__all__ = ["DialogStates", "Opened", "Refused"]


class DialogStates(SealedClicks):
    """Seals dialog states at the click and opens them at the submission."""

    def __init__(self, keys: KeyRing, *, clock: Clock) -> None:
        super().__init__(keys, clock=clock, domain=MATTERMOST_DOMAIN, chat="Mattermost")
