"""Each channel's posting budget: Slack allows about one message per second per channel.

New messages and thread notes of alerts and the watcher take a slot; a
message that finds no slot waits for the next sync round (it is not
dropped), so a storm is posted at the channel's pace and never faster.
Edits of existing messages do not take slots (chat.update has its own,
per-message rate, kept by the sync loop's edit interval).
"""

from __future__ import annotations

import time
from collections.abc import Callable


class ChannelBudget:
    """At most one message per `interval` seconds in each channel."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self._last: dict[str, float] = {}

    def free(self, channel: str) -> bool:
        """Whether the channel's slot is free now (without taking it)."""
        last = self._last.get(channel)
        return last is None or self.clock() - last >= self.interval

    def take(self, channel: str) -> bool:
        """Take the channel's slot if it is free now."""
        now = self.clock()
        last = self._last.get(channel)
        if last is not None and now - last < self.interval:
            return False
        self._last[channel] = now
        return True

    def spent(self, channel: str) -> None:
        """The message taking the slot has reached the chat: the next slot starts now, so the
        spacing holds where Slack counts it too (network delays vary)."""
        if channel in self._last:
            self._last[channel] = self.clock()

    def wait(self, channel: str) -> float:
        """Seconds until the channel's next slot."""
        last = self._last.get(channel)
        return 0.0 if last is None else max(0.0, self.interval - (self.clock() - last))
