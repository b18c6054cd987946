"""Slack's events read into the interaction flow: messages, @mentions, direct messages, channels.

A message event becomes an `Arrival` for the shared admission list and is stored as durable work
before bolt acks it (bot.answering.arrivals): a pasted error is answered in its thread when the
use case says so, a mention or a direct message is a direct ask, like `/diagnose`. A channel
message naming the bot is read from its own app_mention event. Incident channels record every
message and start their summary when the bot joins them or one is created.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.answering.arrivals import Arrival, Inbox, first_text, skip_reason
from bot.runtime.background import Background
from bot.summary.incidents import IncidentSummaries

log = logging.getLogger(__name__)

ANSWERED_SUBTYPES = {None, "thread_broadcast", "file_share"}
BOT_KEYS = ("bot_id", "bot_profile")
MENTION = re.compile(
    r"<@[A-Z0-9]{1,40}(?:\|[^>]{0,200})?>"
)  # bounded: an unclosed one is read once


def unaddressed(text: str) -> str:
    """A message to the bot without its name in it."""
    return MENTION.sub(" ", text)


def arrival_of(event: dict[str, Any], bot_user_id: str | None) -> Arrival:
    """A Slack message event (or app_mention) as the shared admission list reads it; a channel
    message naming the bot is an `echo`: its app_mention event is the one read."""
    text, user = first_text(event.get("text")), first_text(event.get("user")) or None
    mention, direct = event.get("type") == "app_mention", event.get("channel_type") == "im"
    names_bot = f"<@{bot_user_id}" in text and bool(MENTION.search(text)) if bot_user_id else False
    return Arrival(
        text=text,
        channel=first_text(event.get("channel")),
        ts=first_text(event.get("ts")),
        thread_ts=event.get("thread_ts"),
        user=user,
        by_self=user is not None and user == bot_user_id,
        by_bot=any(event.get(key) for key in BOT_KEYS) or event.get("subtype") == "bot_message",
        system=event.get("subtype") not in ANSWERED_SUBTYPES,
        direct=direct,
        addressed=mention,
        echo=names_bot and not (mention or direct),
    )


class EventListeners:
    """Message, app_mention and channel event listeners."""

    def __init__(
        self,
        *,
        inbox: Inbox,
        summaries: IncidentSummaries,
        background: Background,
        bot_user_id: str | None,
    ) -> None:
        self.inbox, self.summaries, self.background, self.bot_user_id = (
            inbox,
            summaries,
            background,
            bot_user_id,
        )

    def register(self, app: AsyncApp) -> None:
        app.event("message")(self.on_message)
        app.event("app_mention")(self.on_mention)
        app.event("member_joined_channel")(self.on_member_joined)
        app.event("channel_created")(self.on_channel_created)

    def _bot(self, context: dict[str, Any]) -> str | None:
        return self.bot_user_id or context.get("bot_user_id")

    def stored_as_work(self, body: dict[str, Any], context: dict[str, Any]) -> bool:
        """Whether this event becomes work (a message read, a mention): its work item, one per event id,
        is what makes a repeated delivery count once (bot.slack.middleware claims the others)."""
        event = body.get("event")
        if body.get("type") != "event_callback" or not isinstance(event, dict):
            return False
        if event.get("type") == "app_mention":
            return True
        return (
            event.get("type") == "message"
            and skip_reason(arrival_of(event, self._bot(context))) is None
        )

    async def on_message(
        self, event: dict[str, Any], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        arrival = arrival_of(event, self._bot(context))
        taken = await self.inbox.arrive(arrival, _event_key(body, event))
        if not arrival.direct:  # no channel look-up for a message waiting for a slot now
            self.background.spawn(
                self.summaries.on_message(event, overloaded=taken is not None and not taken.slot)
            )

    async def on_mention(
        self, event: dict[str, Any], body: dict[str, Any], context: dict[str, Any]
    ) -> None:
        await self.inbox.arrive(arrival_of(event, self._bot(context)), _event_key(body, event))

    async def on_member_joined(self, event: dict[str, Any], context: dict[str, Any]) -> None:
        log.debug("member %s joined %s", event.get("user"), event.get("channel"))
        self.background.spawn(
            self.summaries.on_member_joined(
                channel=str(event.get("channel") or ""),
                user=event.get("user"),
                bot_user_id=self._bot(context),
            )
        )

    async def on_channel_created(self, event: dict[str, Any]) -> None:
        log.debug("channel created: %s", (event.get("channel") or {}).get("name"))
        created = event.get("channel") or {}
        self.background.spawn(
            self.summaries.on_channel_created(
                channel=str(created.get("id") or ""), name=str(created.get("name") or "")
            )
        )


def _event_key(body: dict[str, Any], event: dict[str, Any]) -> str:
    return str(body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}")
