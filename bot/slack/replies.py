"""Post a diagnosis to Slack, or update the earlier reply when the problem repeats.

Users of every chat bot complain about repeated notifications: when the same
problem (same fingerprint in the same channel) was answered within the
repeat window, the earlier message is re-rendered with "Seen N times, last
HH:MM" through chat.update instead of posting a new one.  Storage is best
effort here: if the database is down the diagnosis is still posted (without
buttons, which need a stored pending action, and without repeat tracking).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.deps import BotDeps
from bot.slack.flows import Result
from bot.storage.base import StoreUnavailable
from bot.storage.records import DiagnosisRecord
from responses.block_kit import (
    ButtonSpec,
    SeenInfo,
    diagnosis_blocks,
    fallback_text,
    feedback_buttons,
)
from responses.json_view import diagnosis_to_dict

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Posted:
    """Where a diagnosis ended up."""

    channel: str
    ts: str | None
    diagnosis_id: str | None
    repeated: int = 1


async def _save(deps: BotDeps, result: Result, *, channel: str, thread_ts: str | None, user: str | None) -> str | None:
    diagnosis = result.diagnosis
    record = DiagnosisRecord(
        channel=channel, thread_ts=thread_ts, user=user, cluster=diagnosis.cluster,
        subject=diagnosis.subject, catalog_ids=[f.match.id for f in diagnosis.findings],
        body=diagnosis_to_dict(diagnosis), created_at=deps.clock(),
    )
    try:
        return await deps.store.save_diagnosis(record)
    except StoreUnavailable as exc:
        log.warning("diagnosis not stored (%s); posting without buttons", exc)
        return None


async def _buttons(deps: BotDeps, result: Result, diagnosis_id: str | None, *, channel: str,
                   thread_ts: str | None, user: str | None) -> list[ButtonSpec]:
    if diagnosis_id is None:
        return []
    buttons: list[ButtonSpec] = []
    if deps.remediation is not None and result.diagnosis.answer is not None:
        try:
            buttons += await deps.remediation.buttons(
                result, diagnosis_id=diagnosis_id, channel=channel, thread_ts=thread_ts, user=user
            )
        except StoreUnavailable as exc:
            log.warning("no remediation buttons: %s", exc)
    if result.diagnosis.findings:
        buttons += feedback_buttons(diagnosis_id, show_others=len(result.diagnosis.findings) > 1)
    return buttons


async def _earlier(deps: BotDeps, channel: str, fingerprint: str) -> Any:
    since = deps.clock() - timedelta(minutes=deps.settings.repeat_window_minutes)
    try:
        earlier = await deps.store.find_reply(channel=channel, fingerprint=fingerprint, since=since)
        if earlier is None:
            return None
        return await deps.store.bump_reply(channel=channel, fingerprint=fingerprint, now=deps.clock())
    except StoreUnavailable:
        return None


async def publish(deps: BotDeps, client: AsyncWebClient, result: Result, *, channel: str,
                  thread_ts: str | None, user: str | None) -> Posted:
    """Post (or update in place) the diagnosis; returns where it is."""
    diagnosis = result.diagnosis
    top = diagnosis.findings[0].match if diagnosis.findings else None
    deps.metrics.diagnoses.labels(top.id if top else "none", top.confidence if top else "none",
                                  result.source).inc()
    log.info("diagnosed %s: %s", diagnosis.subject, top.id if top else "no problem found",
             extra={"catalog_id": top.id if top else None, "confidence": top.confidence if top else None,
                    "source": result.source})
    diagnosis_id = await _save(deps, result, channel=channel, thread_ts=thread_ts, user=user)
    buttons = await _buttons(deps, result, diagnosis_id, channel=channel, thread_ts=thread_ts, user=user)
    text = fallback_text(diagnosis)
    earlier = await _earlier(deps, channel, result.fingerprint)
    if earlier is not None:
        seen = SeenInfo(earlier.seen_count, earlier.last_seen)
        blocks = await asyncio.to_thread(diagnosis_blocks, diagnosis, buttons=buttons, seen=seen)
        try:
            await client.chat_update(channel=channel, ts=earlier.message_ts, blocks=blocks, text=text)
            return Posted(channel, earlier.message_ts, diagnosis_id, earlier.seen_count)
        except SlackApiError as exc:
            log.info("cannot update the earlier reply (%s); posting a new one", exc.response.get("error"))
    blocks = await asyncio.to_thread(diagnosis_blocks, diagnosis, buttons=buttons)
    response = await client.chat_postMessage(channel=channel, thread_ts=thread_ts, blocks=blocks, text=text)
    ts = response.get("ts")
    if ts:
        try:
            await deps.store.remember_reply(channel=channel, fingerprint=result.fingerprint, message_ts=ts,
                                            thread_ts=thread_ts, diagnosis_id=diagnosis_id, now=deps.clock())
        except StoreUnavailable:
            log.warning("reply not remembered; a repeat will get a new reply")
    return Posted(channel, ts, diagnosis_id)
