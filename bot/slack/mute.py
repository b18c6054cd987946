"""The Mute buttons under alert and watcher messages: ack, hand to `Muting`, answer privately.

Registered before the catch-all button listener (bot/slack/actions.py).
The message itself shows the mute at the leader's next sync round.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.noise.muting import Muting
from bot.slack.render import Say
from bot.slack.responding import responder
from responses.alert_view import MUTE_ACTION_PREFIX

Spawn = Callable[[Coroutine[Any, Any, None]], None]


def register(app: AsyncApp, *, muting: Muting, spawn: Spawn, client: AsyncWebClient) -> None:
    """`spawn` runs the click's work after the ack went out (the bot's background tasks); the private
    answer goes through the click's response_url over `client`'s shared session."""

    @app.action(re.compile(f"^{MUTE_ACTION_PREFIX}"))
    async def mute(ack: AsyncAck, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        user = str((body.get("user") or {}).get("id", ""))
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id", ""))
        respond = responder(body.get("response_url"), client, "ephemeral")
        spawn(_mute(muting, str(action.get("value", "")), user, channel, respond))


async def _mute(muting: Muting, value: str, user: str, channel: str, respond: Say) -> None:
    result = await muting.click(value, user=user, channel=channel)
    await respond(text=result.text)
