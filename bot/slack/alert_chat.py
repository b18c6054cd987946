"""The sync loop's chat: alert and watcher messages posted, edited and threaded in Slack.

Renders the stored state with responses.alert_blocks; Slack's own errors
(not_in_channel, channel_not_found) are refusals, an unreachable Slack is
a transient failure the sync loop retries. A 429 is not waited out here
(the bot's client would sleep its Retry-After inside the sync round and
hold back every channel): it reaches the loop with its Retry-After, and the
loop holds back only that channel or message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from bot.noise.chat import ChatFailed, view_of
from bot.storage.alert_records import AlertThread
from responses.alert_blocks import (
    alert_blocks,
    fallback_text,
    note_blocks,
    rollup_blocks,
    rollup_text,
)
from responses.alert_view import note_text
from responses.mrkdwn import safe

__all__ = ["METADATA_EVENT", "SlackAlertChat", "retry_after"]

METADATA_EVENT = "kubemedic_alert"
"""Message metadata naming the noise key, so an in-doubt post can be found again."""


class SlackAlertChat:
    """AlertChat over the bot's Web API client."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.base = client
        self._own: AsyncWebClient | None = None

    @property
    def client(self) -> AsyncWebClient:
        """The bot's client (its token, URL, kept-alive session, counting handlers) without the
        handler that sleeps out a 429."""
        if self._own is None or self._own.session is not self.base.session:
            handlers = [
                h
                for h in self.base.retry_handlers
                if not isinstance(h, AsyncRateLimitErrorRetryHandler)
            ]
            self._own = AsyncWebClient(
                token=self.base.token,
                base_url=self.base.base_url,
                timeout=self.base.timeout,
                session=self.base.session,
                retry_handlers=handlers,
            )
        return self._own

    async def post(self, thread: AlertThread, *, now: datetime) -> str:
        view = view_of(thread, now)
        response = await self._call(
            self.client.chat_postMessage,
            channel=thread.channel,
            text=fallback_text(view),
            blocks=alert_blocks(view),
            unfurl_links=False,
            metadata={"event_type": METADATA_EVENT, "event_payload": {"key": thread.key}},
        )
        return str(response["ts"])

    async def find(self, thread: AlertThread, *, since: datetime) -> str | None:
        response = await self._call(
            self.client.conversations_history,
            channel=thread.channel,
            oldest=f"{since.timestamp():.6f}",
            limit=200,
            include_all_metadata=True,
        )
        for message in response.get("messages") or []:
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("key") == thread.key and not message.get("thread_ts"):
                return str(message["ts"])
        return None

    async def update(self, thread: AlertThread, *, now: datetime) -> None:
        view = view_of(thread, now)
        await self._call(
            self.client.chat_update,
            channel=thread.channel,
            ts=thread.message_ts,
            text=fallback_text(view),
            blocks=alert_blocks(view),
        )

    async def reply(self, thread: AlertThread, note: dict[str, Any], *, now: datetime) -> None:
        await self._call(
            self.client.chat_postMessage,
            channel=thread.channel,
            thread_ts=thread.message_ts,
            text=safe(note_text(note), 3000),
            blocks=note_blocks(note),
        )

    async def post_rollup(self, channel: str, titles: list[str], total: int) -> str:
        text = rollup_text(titles, total)
        response = await self._call(
            self.client.chat_postMessage,
            channel=channel,
            text=text,
            blocks=rollup_blocks(titles, total),
            unfurl_links=False,
        )
        return str(response["ts"])

    async def update_rollup(self, channel: str, ts: str, titles: list[str], total: int) -> None:
        await self._call(
            self.client.chat_update,
            channel=channel,
            ts=ts,
            text=rollup_text(titles, total),
            blocks=rollup_blocks(titles, total),
        )

    async def link(self, thread: AlertThread) -> str | None:
        """The message's permalink (chat.getPermalink)."""
        if thread.message_ts is None:
            return None
        response = await self._call(
            self.client.chat_getPermalink, channel=thread.channel, message_ts=thread.message_ts
        )
        return str(response.get("permalink") or "") or None

    @staticmethod
    async def _call(method: Any, **kwargs: Any) -> Any:
        try:
            return await method(**kwargs)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "error")
            if exc.response.status_code == 429 or error == "ratelimited":
                raise ChatFailed(error, retry_after=retry_after(exc.response.headers)) from exc
            raise ChatFailed(error) from exc
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise ChatFailed(f"Slack unreachable: {exc}", transient=True) from exc


def retry_after(headers: Any) -> float | None:
    """Seconds from a Retry-After header (delta-seconds; anything else counts as absent)."""
    for name, value in dict(headers or {}).items():
        if str(name).lower() == "retry-after":
            text = value[0] if isinstance(value, list) and value else value
            try:
                return max(0.0, float(str(text).strip()))
            except ValueError:
                return None
    return None
