"""A Teams channel's history, read through Microsoft Graph with the app's own credentials.

The Bot Connector sends and edits but lists nothing, so what the bot did not see (messages
before it joined, a post whose answer was lost in a crash) is read here: `GET /teams/{team}/
channels/{channel}/messages` (top-level messages, newest first, 50 a page, the next page at
`@odata.nextLink`) and `.../messages/{id}/replies`, with a token for
`https://graph.microsoft.com/.default` from the tenant's token endpoint (the RSC permission
`ChannelMessage.Read.Group`, or the application permission `ChannelMessage.Read.All`). A message's
body is HTML; the bot's own cards come back as attachments whose `content` is the card's JSON.
Opt-in (`KUBEMEDIC_TEAMS_GRAPH`): without it the bot reads no history.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from urllib.parse import quote

from bot.outbound.http import OutboundApi
from bot.storage.records import ChannelMessage
from bot.summary.recording import RECORD_CHARS
from bot.teams.connector import AppToken
from responses.redaction import redact_clipped

SCOPE = "https://graph.microsoft.com/.default"
PAGE = 50
MAX_PAGES = 100
TAG = re.compile(r"<[^<>]*>")
"""A tag of the HTML body (linear: a scan from one `<` stops at the next)."""


class TeamsGraph:
    """One team's channels as Microsoft Graph lists them."""

    def __init__(self, api: OutboundApi, tokens: AppToken, *, team: str) -> None:
        self.api, self.tokens, self.team = api, tokens, team

    def _path(self, channel: str, tail: str = "") -> str:
        return f"/teams/{quote(self.team, safe='')}/channels/{quote(channel, safe='')}{tail}"

    async def _get(self, call: str, path: str, params: dict[str, str] | None = None) -> Any:
        headers = {"Authorization": f"Bearer {await self.tokens.get(SCOPE)}"}
        reply = await self.api.request(call, "GET", path, params=params, headers=headers)
        return reply.body if isinstance(reply.body, dict) else {}

    async def channel_name(self, channel: str) -> str:
        """The channel's display name (`GET /teams/{team}/channels/{channel}`)."""
        return str((await self._get("channel", self._path(channel))).get("displayName") or "")

    async def messages(self, channel: str, *, since: datetime) -> AsyncIterator[dict[str, Any]]:
        """The channel's top-level messages created since `since`, newest first; the reading stops
        at a page with no thread active since then."""
        path = self._path(channel, "/messages")
        params: dict[str, str] | None = {"$top": str(PAGE)}
        for _ in range(MAX_PAGES):
            page = await self._get("messages", path, params)
            values = [m for m in page.get("value") or [] if isinstance(m, dict)]
            fresh = [m for m in values if (when(m, "createdDateTime") or since) >= since]
            for message in fresh:
                yield message
            active = any((when(m, "lastModifiedDateTime") or since) >= since for m in values)
            path, params = str(page.get("@odata.nextLink") or ""), None
            if not path or not active:
                return

    async def replies(self, channel: str, message_id: str) -> AsyncIterator[dict[str, Any]]:
        """The replies to one message, every page."""
        path = self._path(channel, f"/messages/{quote(message_id, safe='')}/replies")
        params: dict[str, str] | None = {"$top": str(PAGE)}
        for _ in range(MAX_PAGES):
            page = await self._get("replies", path, params)
            for message in page.get("value") or []:
                if isinstance(message, dict):
                    yield message
            path, params = str(page.get("@odata.nextLink") or ""), None
            if not path:
                return


def when(message: dict[str, Any], field: str) -> datetime | None:
    try:
        return datetime.fromisoformat(str(message.get(field) or ""))
    except ValueError:
        return None


def by_app(message: dict[str, Any], app_id: str) -> bool:
    """Whether the message was sent by the app `app_id` (its bot)."""
    application = (message.get("from") or {}).get("application") or {}
    return str(application.get("id") or "") == app_id


def carries(message: dict[str, Any], marker: str) -> bool:
    """Whether one of the message's cards has an element whose `id` is `marker` (the bot's own
    alert cards carry one; read only on the bot's own messages, each a card of at most 28 KB)."""
    for attachment in message.get("attachments") or []:
        if any(isinstance(e, dict) and e.get("id") == marker for e in _card_body(attachment)):
            return True
    return False


def _card_body(attachment: dict[str, Any]) -> list[Any]:
    """An attachment's card's body elements (none when it holds no card)."""
    try:
        card = json.loads(str(attachment.get("content") or ""))
    except ValueError:
        return []
    body = card.get("body") if isinstance(card, dict) else None
    return body or []


def record_of(message: dict[str, Any], *, channel: str, app_id: str) -> ChannelMessage:
    """A Graph chat message as the incident summary records it: its HTML body as text, redacted
    and capped (run off the event loop)."""
    sender = (message.get("from") or {}).get("user") or {}
    body = message.get("body") or {}
    text = str(body.get("content") or "")
    if body.get("contentType") == "html":
        text = html.unescape(TAG.sub(" ", text[: RECORD_CHARS * 4]))
    deleted = bool(message.get("deletedDateTime"))
    return ChannelMessage(
        channel=channel,
        ts=str(message.get("id") or ""),
        user=str(sender.get("id") or "") or None,
        text="" if deleted else redact_clipped(" ".join(text.split()), RECORD_CHARS),
        thread_ts=str(message.get("replyToId") or "") or None,
        is_bot=not sender or by_app(message, app_id),
        edited=bool(message.get("lastEditedDateTime")),
        deleted=deleted,
        posted_at=when(message, "createdDateTime"),
        updated_at=when(message, "lastModifiedDateTime"),
    )


def person(message: dict[str, Any]) -> tuple[str, str] | None:
    """(id, display name) of the person who sent the message, if a person did."""
    sender = (message.get("from") or {}).get("user") or {}
    if sender.get("id") and sender.get("displayName"):
        return str(sender["id"]), str(sender["displayName"])
    return None


def is_message(message: dict[str, Any]) -> bool:
    """A message someone wrote (not a system event: a member added, a description changed)."""
    return message.get("messageType") == "message"
