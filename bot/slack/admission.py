"""Telling the asker of a Slack request that kubemedic will not work on it now.

No decision waits: every request is acked at once (bot.answering.admission).
One past its user's or channel's budget is told privately to slow down (for
pasted messages at most once a minute per user, since most messages are
chat; a slash command's ack carries the line). One that got no queue slot in
time is told `kubemedic is busy ...` afterwards, once: through the command's
response_url, or in the thread of a message or mention (the work queue's
shedders, registered by the listeners).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.admission import Admission, SlowDown, busy_line

log = logging.getLogger(__name__)


async def tell_slow_down(client: AsyncWebClient, decision: SlowDown, event: dict[str, Any], *,
                         admission: Admission, pasted: bool) -> None:
    """Tell an event's author privately to slow down (for pasted messages at most once a minute)."""
    channel, user = str(event.get("channel") or ""), _str(event.get("user"))
    if not user or (pasted and not admission.tell_now(user)):
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=decision.line)
    except SlackClientError as exc:  # counted by the client's error handler (webapi.py)
        log.warning("could not tell %s to slow down: %s", channel, exc)


async def tell_busy_in_thread(client: AsyncWebClient, *, channel: str, thread: str | None, ahead: int,
                              retry_after: int) -> None:
    """The busy line in the thread of a message or mention that got no slot in time."""
    try:
        await client.chat_postMessage(channel=channel, thread_ts=thread, text=busy_line(ahead, retry_after))
    except SlackClientError as exc:
        log.warning("could not tell %s that kubemedic is busy: %s", channel, exc)


def _str(value: object) -> str | None:
    return str(value) if value else None
