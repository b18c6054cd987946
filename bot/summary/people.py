"""Display names for the user ids in a summary, so it names people without pinging them.

A `<@U123>` mention in a posted message notifies that person; a summary
naming everyone who acted would ping them all. Names come from users.info,
remembered for the life of the process, and a bounded number is asked per
summary; an id that cannot be resolved is shown as it is.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger(__name__)

LOOKUPS_PER_SUMMARY = 20
MAX_CACHED = 5000


class People:
    """A cache of user id -> display name."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}

    async def names(self, client: AsyncWebClient, users: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(users))
        lookups = 0
        for user in wanted:
            if user in self._names or lookups >= LOOKUPS_PER_SUMMARY or not user.startswith(("U", "W")):
                continue
            lookups += 1
            self._names[user] = await self._lookup(client, user)
            if len(self._names) > MAX_CACHED:
                self._names.pop(next(iter(self._names)))
        return {user: self._names[user] for user in wanted if user in self._names}

    async def _lookup(self, client: AsyncWebClient, user: str) -> str:
        try:
            found = (await client.users_info(user=user)).get("user") or {}
        except SlackApiError as exc:
            log.info("users.info %s: %s", user, exc.response.get("error"))
            return user
        profile = found.get("profile") or {}
        return str(profile.get("display_name") or found.get("real_name") or found.get("name") or user)
