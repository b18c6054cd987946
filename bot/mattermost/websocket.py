"""The bot account's WebSocket (/api/v4/websocket): posted messages and mentions, no inbound port.

The connection authenticates with the bot token in the upgrade's Authorization header (an
`authentication_challenge` is the fallback servers accept), waits for `hello`, then hands every
event to `on_event`. It reconnects with back-off (1 s doubling to 30 s) when Mattermost closes
it or cannot be reached, and pings every 30 s so a dead link is noticed. `/readyz` fails while
it is down (`problem`). Events missed while down are not replayed: Mattermost keeps no queue for
bots, as Slack's Socket Mode does not either.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from bot.mattermost.client import MattermostClient
from bot.runtime import json_depth

log = logging.getLogger(__name__)

BACKOFF = (1.0, 2.0, 4.0, 8.0, 16.0, 30.0)
HEARTBEAT = 30.0
OnEvent = Callable[[dict[str, Any]], Awaitable[None]]


class MattermostSocket:
    """Keeps one WebSocket open and dispatches its events."""

    def __init__(self, client: MattermostClient, on_event: OnEvent) -> None:
        self.client = client
        self.on_event = on_event
        self.connected = asyncio.Event()
        self.last_error: str | None = "not connected yet"
        self._task: asyncio.Task[None] | None = None

    def problem(self) -> str | None:
        """Why the bot cannot hear Mattermost now (None: connected)."""
        return None if self.connected.is_set() else f"Mattermost WebSocket down: {self.last_error}"

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                await self._connect_once()
                failures = 0
                self.last_error = "closed by Mattermost"
            except aiohttp.WSServerHandshakeError as exc:
                self.last_error = f"refused ({exc.status})"
            except (aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
                self.last_error = str(exc) or type(exc).__name__
            self.connected.clear()
            delay = BACKOFF[min(failures, len(BACKOFF) - 1)]
            failures += 1
            log.warning("Mattermost WebSocket: %s; reconnecting in %.0f s", self.last_error, delay)
            await asyncio.sleep(delay)

    async def _connect_once(self) -> None:
        async with self.client.session.ws_connect(
            self.client.websocket_url, headers=self.client.auth_headers(), heartbeat=HEARTBEAT
        ) as socket:
            async for message in socket:
                if message.type != aiohttp.WSMsgType.TEXT:
                    break
                try:
                    event = json_depth.loads(message.data)
                except ValueError as exc:  # one unreadable event never closes the connection
                    log.warning("Mattermost event not read: %s", exc)
                    continue
                if not isinstance(event, dict):
                    continue
                if event.get("event") == "hello":
                    self.connected.set()
                    log.info(
                        "Mattermost WebSocket connected (server %s)",
                        (event.get("data") or {}).get("server_version"),
                    )
                elif event.get("event"):
                    await self._dispatch(event)

    async def _dispatch(self, event: dict[str, Any]) -> None:
        try:
            await self.on_event(event)
        except Exception:  # one bad event never closes the connection
            log.exception("Mattermost event %s not handled", event.get("event"))


def posted_post(event: dict[str, Any]) -> dict[str, Any] | None:
    """The post of a `posted` (or `post_edited`, `post_deleted`) event: JSON inside the event's JSON."""
    raw = (event.get("data") or {}).get("post")
    try:
        post = json_depth.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None
    return post if isinstance(post, dict) and post.get("id") and post.get("channel_id") else None


def mentions(event: dict[str, Any]) -> list[str]:
    raw = (event.get("data") or {}).get("mentions")
    try:
        found = json_depth.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return []
    return [str(user) for user in found] if isinstance(found, list) else []
