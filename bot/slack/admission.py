"""Admission of Slack events (pasted messages, mentions) before bolt acks them, and telling the shed.

bolt acks an event before its listener runs, so the decision is made in a
middleware (`EventListeners.admit_events`): the ack waits (a moment at
most) for a queue slot, which slows down whoever floods us while each event
still gets its ack within Slack's 3 s. The listener reads the decision from
the context (here): an admitted event holds a slot; a shed one is told in its thread that kubemedic is
busy; one past its user's or channel's budget is told privately (for pasted
messages at most once a minute per user, since most messages are chat).
Slash commands decide in their own listener, where the ack can carry the line.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk.errors import SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from bot.answering.admission import Admission, Admitted, Busy, Decision, SlowDown

log = logging.getLogger(__name__)

CONTEXT_KEY = "kubemedic_admission"


def decision_of(context: dict[str, Any]) -> Decision | None:
    """The middleware's decision for this event (None: not decided, e.g. a retried event)."""
    decision = context.get(CONTEXT_KEY)
    return decision if isinstance(decision, Admitted | Busy | SlowDown) else None


async def tell_shed(client: AsyncWebClient, decision: Busy | SlowDown, event: dict[str, Any], *,
                    admission: Admission, pasted: bool) -> None:
    """Tell a shed event's author: busy in the thread; slow down privately (pastes: once a minute)."""
    channel, user = str(event.get("channel") or ""), _str(event.get("user"))
    thread = event.get("thread_ts") or event.get("ts")
    try:
        if isinstance(decision, Busy):
            await client.chat_postMessage(channel=channel, thread_ts=thread, text=decision.line)
        elif user and (not pasted or admission.tell_now(user)):
            await client.chat_postEphemeral(channel=channel, user=user, text=decision.line)
    except SlackClientError as exc:  # counted by the client's error handler (webapi.py)
        log.warning("could not tell %s that its request was shed: %s", channel, exc)


def _str(value: object) -> str | None:
    return str(value) if value else None
