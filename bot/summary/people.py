"""Display names for the user ids in a summary, so it names people without pinging them.

A `<@U123>` mention in a posted message notifies that person; a summary
naming everyone who acted would ping them all. Names come from the chat,
remembered for the life of the process, and a bounded number is asked per
summary; an id that cannot be resolved is shown as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.summary.chat import ChatError, SummaryChat

log = logging.getLogger(__name__)

LOOKUPS_PER_SUMMARY = 20
MAX_CACHED = 5000


class People:
    """A cache of user id -> display name."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    async def names(self, chat: SummaryChat, users: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(users))
        lookups = 0
        for user in wanted:
            if user in self._names or lookups >= LOOKUPS_PER_SUMMARY:
                continue
            name = await self._lookup(chat, user)
            if name is None:  # no person's id (a bot's): shown as it is
                continue
            lookups += 1
            self._names[user] = name
            if len(self._names) > MAX_CACHED:
                self._names.pop(next(iter(self._names)))
        return {user: self._names[user] for user in wanted if user in self._names}

    async def _lookup(self, chat: SummaryChat, user: str) -> str | None:
        try:
            return await chat.user_name(user)
        except ChatError as exc:
            log.info("name of user %s not read: %s", user, exc.error)
            return user
