"""The "Details" button: the answer's folded parts, posted in its thread.

Block Kit has no collapsible section, so the reply's first screen ends in a
Details button. A click is acked at once; the stored details are posted in the
answer's thread (privately, through response_url, when the answer itself was
private or the bot cannot post there), and the button gives way to a line
saying where they are, so the thread gets them once.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.details import DetailsLookup
from bot.runtime.background import Background
from bot.slack.responding import responder
from responses import messages
from responses.block_kit import details_blocks
from responses.block_notices import details_moved
from responses.buttons import SHOW_DETAILS

log = logging.getLogger(__name__)
MAX_VALUE = 200


class DetailsListener:
    """Answers Details clicks."""

    def __init__(self, *, lookup: DetailsLookup, background: Background, client: AsyncWebClient) -> None:
        self.lookup = lookup
        self.background = background
        self.client = client

    def register(self, app: AsyncApp) -> None:
        """Register before the catch-all for unknown buttons (bot.slack.actions)."""
        app.action(SHOW_DETAILS)(self.show)

    async def show(self, ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        self.background.spawn(self._post(body, action))

    async def _post(self, body: dict[str, Any], action: dict[str, Any]) -> None:
        value = action.get("value")
        respond = responder(body.get("response_url"), self.client, "ephemeral")
        found = await self.lookup.details(value if isinstance(value, str) and len(value) <= MAX_VALUE else None)
        if isinstance(found, str):
            await respond(text=found)
            return
        blocks, text = details_blocks(found.details, title=found.title), messages.details_fallback(found.title)
        message, container = body.get("message") or {}, body.get("container") or {}
        channel = str((body.get("channel") or {}).get("id") or container.get("channel_id") or "")
        ts = str(message.get("ts") or container.get("message_ts") or "")
        if container.get("is_ephemeral") or not channel or not ts:  # a private answer gets private details
            await respond(blocks=blocks, text=text)
            return
        try:
            await self.client.chat_postMessage(channel=channel, thread_ts=message.get("thread_ts") or ts,
                                               blocks=blocks, text=text)
        except SlackApiError as exc:
            log.info("details not posted in %s (%s); told the clicker privately", channel, exc.response.get("error"))
            await respond(blocks=blocks, text=text)
            return
        await self._without_button(channel, ts, message, str((body.get("user") or {}).get("id") or ""))

    async def _without_button(self, channel: str, ts: str, message: dict[str, Any], user: str) -> None:
        moved = details_moved(message.get("blocks") or [], user or None)
        if moved is None:
            return
        try:
            await self.client.chat_update(channel=channel, ts=ts, blocks=moved, text=str(message.get("text") or ""))
        except SlackApiError as exc:  # the details are posted; the button stays
            log.info("Details button not replaced in %s: %s", channel, exc.response.get("error"))
