"""Message events (pasted errors), @mentions, and channel lifecycle events.

A pasted message gets a threaded reply only when the top match is high or
medium confidence; chat, bots (ours included) and edits stay unanswered,
and each channel has a reply budget so a flood of pasted logs cannot make
the bot spam.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import BadInput
from bot.slack import incident
from bot.slack.answer import answer
from bot.slack.deps import BotDeps
from bot.slack.flows import diagnose_paste
from bot.slack.replies import publish
from bot.slack.request_text import parse_request
from responses import messages

log = logging.getLogger(__name__)

ANSWERED_SUBTYPES = {None, "thread_broadcast", "file_share"}
MIN_PASTE_CHARS = 12
_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


def skip_reason(event: dict[str, Any], bot_user_id: str | None) -> str | None:
    """Why a message event is not a paste to answer, or None when it is."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("subtype") == "bot_message":
        return "bot"
    if bot_user_id and event.get("user") == bot_user_id:
        return "self"
    if event.get("subtype") not in ANSWERED_SUBTYPES:
        return "subtype"
    if len(str(event.get("text") or "").strip()) < MIN_PASTE_CHARS:
        return "short"
    if _MENTION.search(str(event.get("text") or "")) and bot_user_id and f"<@{bot_user_id}" in str(event.get("text")):
        return "mention"  # answered by the app_mention listener
    return None


EVENT_FIELDS = ("type", "subtype", "text", "channel", "ts", "thread_ts", "user")


def _fields(event: dict[str, Any]) -> dict[str, Any]:
    """What answering an event needs, as stored durable work."""
    return {key: event[key] for key in EVENT_FIELDS if key in event}


def _event_key(body: dict[str, Any], event: dict[str, Any]) -> str:
    return str(body.get("event_id") or f"{event.get('channel')}:{event.get('ts')}")


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Register message, app_mention and channel event listeners."""
    incident.register(app, deps)

    work = deps.work
    assert work is not None, "create_app sets up the work queue first"
    client = work.client

    @work.handler("paste")
    async def answer_paste(event: dict[str, Any], attempt: int) -> None:
        result = await diagnose_paste(deps, str(event["text"]))
        if result.diagnosis.answer is None:
            deps.metrics.skipped.labels("low_confidence").inc()
            return
        channel = str(event["channel"])
        assert deps.limiter is not None
        if not deps.limiter.allow(channel):
            deps.metrics.skipped.labels("rate_limited").inc()
            return
        thread_ts = event.get("thread_ts") or event.get("ts")
        posted = await publish(deps, client, result, channel=channel, thread_ts=thread_ts, user=event.get("user"))
        await incident.on_diagnosis(deps, client, channel=channel, ts=posted.ts,
                                    diagnosis_id=posted.diagnosis_id, thread_ts=thread_ts)

    @app.event("message")
    async def on_message(event: dict[str, Any], body: dict[str, Any], context: dict[str, Any]) -> None:
        deps.spawn(incident.on_message(deps, event, client))
        reason = skip_reason(event, deps.bot_user_id or context.get("bot_user_id"))
        if reason is not None:
            deps.metrics.skipped.labels(reason).inc()
            return
        await work.submit("paste", _event_key(body, event), _fields(event))

    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], body: dict[str, Any]) -> None:
        await work.submit("mention", _event_key(body, event), _fields(event))

    @work.handler("mention")
    async def answer_mention(event: dict[str, Any], attempt: int) -> None:
        channel, thread_ts = str(event["channel"]), event.get("thread_ts") or event.get("ts")

        async def say(**message: Any) -> None:
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **message)

        text = _MENTION.sub(" ", str(event.get("text") or ""))
        try:
            request = parse_request(text)
        except BadInput as exc:
            await say(text=messages.user_error(exc.reason))
            return
        if request.verb == "help":
            from responses.block_kit import usage_blocks

            await say(blocks=usage_blocks(), text=messages.USAGE_TITLE)
            return
        await answer(deps, client, request, channel=channel, user=event.get("user"),
                     thread_ts=thread_ts, say_private=say)

    @app.event("member_joined_channel")
    async def on_member_joined(event: dict[str, Any], client: AsyncWebClient, context: dict[str, Any]) -> None:
        log.debug("member %s joined %s", event.get("user"), event.get("channel"))
        deps.spawn(incident.on_member_joined(deps, event, client, deps.bot_user_id or context.get("bot_user_id")))

    @app.event("channel_created")
    async def on_channel_created(event: dict[str, Any], client: AsyncWebClient) -> None:
        log.debug("channel created: %s", (event.get("channel") or {}).get("name"))
        deps.spawn(incident.on_channel_created(deps, event, client))
