"""The sync loop's chat: alert and watcher messages posted, edited and threaded in Slack.

Renders the stored state with responses.alert_blocks; Slack's own errors
(not_in_channel, channel_not_found) are refusals, an unreachable Slack is
a transient failure the sync loop retries.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.noise.sync import ChatFailed
from bot.storage.alert_records import AlertThread
from responses.alert_blocks import (
    alert_blocks,
    fallback_text,
    note_blocks,
    rollup_blocks,
    rollup_text,
)
from responses.alert_view import AlertView, note_text
from responses.mrkdwn import safe

METADATA_EVENT = "kubemedic_alert"
"""Message metadata naming the noise key, so an in-doubt post can be found again."""


def view_of(thread: AlertThread, now: datetime) -> AlertView:
    """The state to render: counts over the subjects failing now."""
    restarts = sum(thread.counters.get(subject, 0) for subject in thread.subjects)
    return AlertView(key=thread.key, source=thread.source, status=thread.status, title=thread.title,
                     detail=thread.detail, subjects=len(thread.subjects), restarts=restarts, seen=thread.seen,
                     first_seen=thread.first_seen, last_seen=thread.last_seen, resolved_at=thread.resolved_at,
                     mention=thread.mention, muted_until=thread.muted_until,
                     mute_until_resolved=thread.mute_until_resolved, muted_by=thread.muted_by, now=now)


class SlackAlertChat:
    """AlertChat over the bot's Web API client."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        view = view_of(thread, now)
        response = await self._call(self.client.chat_postMessage, channel=thread.channel,
                                    text=fallback_text(view), blocks=alert_blocks(view), unfurl_links=False,
                                    metadata={"event_type": METADATA_EVENT, "event_payload": {"key": thread.key}})
        return str(response["ts"])

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        response = await self._call(self.client.conversations_history, channel=thread.channel,
                                    oldest=f"{since.timestamp():.6f}", limit=200, include_all_metadata=True)
        for message in response.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == thread.key and not message.get("thread_ts"):
                return str(message["ts"])
        return None

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        view = view_of(thread, now)
        await self._call(self.client.chat_update, channel=thread.channel, ts=thread.message_ts,
                         text=fallback_text(view), blocks=alert_blocks(view))

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        await self._call(self.client.chat_postMessage, channel=thread.channel, thread_ts=thread.message_ts,
                         text=safe(note_text(note), 3000), blocks=note_blocks(note))

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        text = rollup_text(titles, total)
        response = await self._call(self.client.chat_postMessage, channel=channel, text=text,
                                    blocks=rollup_blocks(titles, total), unfurl_links=False)
        return str(response["ts"])

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        await self._call(self.client.chat_update, channel=channel, ts=ts, text=rollup_text(titles, total),
                         blocks=rollup_blocks(titles, total))

    @staticmethod
    async def _call(method: Any, **kwargs: Any) -> Any:
        try:
            return await method(**kwargs)
        except SlackApiError as exc:
            raise ChatFailed(str(exc.response.get("error") or "error")) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ChatFailed(f"Slack unreachable: {exc}", transient=True) from exc
