"""Slack glue for incident channels: joining, creation, messages, clicks, `/diagnose summary`.

The listeners in `events.py` and `answer.py` call in here; this module turns
Slack events into `SummaryService` calls and never lets a summary problem
break a reply (failures are logged). There is one service per running bot,
kept with its `BotDeps`, so debounce timers and name caches are shared.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.deps import BotDeps
from bot.storage.base import StoreUnavailable
from bot.summary.recording import from_message
from bot.summary.service import SummaryService
from responses.summary_blocks import summary_blocks, summary_fallback

log = logging.getLogger(__name__)

EPHEMERAL_HISTORY = 200
"""Messages read (one page) for the summary of an ordinary channel."""
PINNED_NOTE = "The incident summary is pinned in this channel and was just brought up to date."
NO_SUMMARY = "Sorry, the summary could not be built right now; the error was logged."
_SERVICE_KEY = "_kubemedic_summary_service"


def service_for(deps: BotDeps) -> SummaryService:
    """The bot's one SummaryService (created on first use)."""
    service = deps.__dict__.get(_SERVICE_KEY)
    if service is None:
        service = deps.__dict__[_SERVICE_KEY] = SummaryService(deps)
    return service


async def on_message(deps: BotDeps, event: dict[str, Any], client: AsyncWebClient) -> None:
    """Record a message of an incident channel (best effort)."""
    try:
        await service_for(deps).on_message(event, client)
    except (StoreUnavailable, SlackApiError) as exc:
        log.warning("message not recorded for the summary: %s", exc)
    except Exception:
        log.exception("recording a message for the summary failed")


async def on_diagnosis(deps: BotDeps, client: AsyncWebClient, *, channel: str, ts: str | None,
                       diagnosis_id: str | None, thread_ts: str | None) -> None:
    """Note a diagnosis kubemedic posted (best effort)."""
    try:
        await service_for(deps).on_diagnosis(client, channel=channel, ts=ts, diagnosis=diagnosis_id,
                                             thread_ts=thread_ts)
    except Exception:
        log.exception("noting a diagnosis for the summary failed")


async def on_member_joined(deps: BotDeps, event: dict[str, Any], client: AsyncWebClient,
                           bot_user_id: str | None) -> None:
    """The bot was added to an incident channel: back-fill once, then post the summary."""
    channel = str(event.get("channel") or "")
    if not channel or not bot_user_id or event.get("user") != bot_user_id:
        return
    service = service_for(deps)
    if await service.channels.name_if_incident(client, channel) is None:
        return
    await _start(service, channel, client)


async def on_channel_created(deps: BotDeps, event: dict[str, Any], client: AsyncWebClient) -> None:
    """An incident channel was created: join it, then post the summary."""
    created = event.get("channel") or {}
    channel, name = str(created.get("id") or ""), str(created.get("name") or "")
    service = service_for(deps)
    if not channel or not service.channels.is_incident_name(name):
        return
    service.channels.remember(channel, name)
    try:
        await client.conversations_join(channel=channel)
    except SlackApiError as exc:
        log.warning("cannot join incident channel %s: %s", name, exc.response.get("error"))
        return
    await _start(service, channel, client)


async def _start(service: SummaryService, channel: str, client: AsyncWebClient) -> None:
    try:
        await service.start(channel, client)
    except (StoreUnavailable, SlackApiError) as exc:
        log.warning("no summary for %s: %s", channel, exc)


async def answer_summary(deps: BotDeps, client: AsyncWebClient, *, channel: str, say_private: Any) -> None:
    """`/diagnose summary`: the pinned message in incident channels, an ephemeral one elsewhere."""
    service = service_for(deps)
    try:
        if await service.channels.name_if_incident(client, channel) is not None:
            await service.start(channel, client)
            await say_private(text=PINNED_NOTE)
            return
        summary = await service.build(channel, client, extra=await _recent(deps, client, channel))
    except Exception:
        log.exception("summary of %s failed", channel)
        await say_private(text=NO_SUMMARY)
        return
    await say_private(blocks=summary_blocks(summary), text=summary_fallback(summary))


async def _recent(deps: BotDeps, client: AsyncWebClient, channel: str) -> list[Any]:
    """One page of an ordinary channel's recent history (not stored); empty when unreadable."""
    try:
        response = await client.conversations_history(channel=channel, limit=EPHEMERAL_HISTORY)
    except SlackApiError as exc:
        log.info("history of %s not read: %s", channel, exc.response.get("error"))
        return []
    found = (from_message(channel, m, bot_user_id=deps.bot_user_id) for m in response.get("messages") or [])
    return sorted((m for m in found if m is not None), key=lambda m: float(m.ts))


def register(app: AsyncApp, deps: BotDeps) -> None:
    """Nudge the summary after button clicks in incident channels (the audit log changes)."""

    @app.middleware
    async def summary_after_clicks(body: dict[str, Any], client: AsyncWebClient, next: Any) -> Any:
        response = await next()
        if body.get("type") == "block_actions":
            channel = str((body.get("channel") or {}).get("id") or "")
            service = service_for(deps)
            if channel and service.channels.is_incident_name(service.channels.known(channel) or ""):
                service.schedule_update(channel, client)
        return response
