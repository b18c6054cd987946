"""Chat targets Slack told to wait: a 429's Retry-After, kept per target, not slept out.

Slack limits posting per channel (about one message a second) and answers
429 with a Retry-After when a channel or a message is pushed harder. The
sync loop used to sleep that out inside its round (slack_sdk's retry
handler), so one channel's 15 s held back every other channel's posts.
Instead the loop notes the target ("post:C0ALERTS" for a channel's new
messages and thread notes, "edit:<ts>" for one message's edits), skips it
until its time, and goes on with everything else.
"""

from __future__ import annotations

from datetime import datetime, timedelta

DEFAULT_WAIT = 1.0
"""Seconds to hold a target when Slack's 429 names no Retry-After."""
LONGEST_WAIT = 600.0
"""A Retry-After longer than this is held for this long (a bad header must not silence a channel)."""


def posts_in(channel: str) -> str:
    """The target of new messages and thread notes in a channel."""
    return f"post:{channel}"


def edits_of(ts: str) -> str:
    """The target of one message's edits."""
    return f"edit:{ts}"


class Holds:
    """Targets skipped until a time; a target whose time has come is forgotten."""

    def __init__(self) -> None:
        self._until: dict[str, datetime] = {}

    def held(self, target: str, now: datetime) -> bool:
        """Whether `target` must still wait at `now`."""
        until = self._until.get(target)
        if until is None:
            return False
        if now >= until:
            del self._until[target]
            return False
        return True

    def hold(self, target: str, now: datetime, seconds: float | None) -> None:
        """Skip `target` for `seconds` (Slack's Retry-After) from `now`."""
        wait = DEFAULT_WAIT if seconds is None or seconds <= 0 else min(seconds, LONGEST_WAIT)
        self._until[target] = max(self._until.get(target, now), now + timedelta(seconds=wait))

    def until(self, target: str) -> datetime | None:
        """When `target` may be tried again (None: not held)."""
        return self._until.get(target)
