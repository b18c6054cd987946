"""Keep one pinned summary message per incident channel current.

Messages are recorded as they arrive; updates are debounced (the first
message of a burst schedules one update `debounce` seconds later, the rest of
the burst joins it). The summary's ts lives in the store, so a restart or a
second replica edits the same message. Chat calls (bot.summary.chat) stay outside the store's
summary lock: the lock only claims "I am posting" (a claim that expires) and
then records the posted ts, so two replicas never post two summaries.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot.paste_input import MIN_PASTE_CHARS
from bot.runtime.background import Background
from bot.runtime.budget import TEXT_CPU_SECONDS, off_loop
from bot.runtime.clock import Clock
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import ChannelMessage, DiagnosisRecord, SummaryRecord
from bot.summary.backfill import Backfill
from bot.summary.builder import SummaryInputs, build_summary
from bot.summary.channels import IncidentChannels
from bot.summary.chat import ChatError, SummaryChat
from bot.summary.people import People
from bot.summary.recording import diagnosis_id, diagnosis_marker, from_event
from intents.matcher import Matcher
from responses.summary import Summary

log = logging.getLogger(__name__)

CLAIM_SECONDS = 30
BACKFILL_WAIT_SECONDS = 10.0
"""How long the first summary waits for the history read before posting what it has."""
MAX_RECORDED = 20_000
MAX_DIAGNOSES = 200
MAX_AUDIT = 200


class SummaryService:
    """Records incident channels and publishes their summary; one per running bot."""

    def __init__(
        self,
        *,
        store: Store,
        matcher: Matcher,
        clock: Clock,
        background: Background,
        channel_prefix: str,
        debounce: float,
        bot_user_id: str | None,
    ) -> None:
        self.store = store
        self.matcher = matcher
        self.clock = clock
        self.background = background
        self.bot_user_id = bot_user_id
        self.debounce = debounce
        self.channels = IncidentChannels(channel_prefix)
        self.people = People()
        self._pending: set[str] = set()

    # ------------------------------------------------------------------ recording
    async def on_message(
        self, event: dict[str, Any], chat: SummaryChat, *, look_up: bool = True
    ) -> bool:
        """Record a Slack-shaped message event of an incident channel; False elsewhere (its
        text is not read: most channels are not incidents)."""
        channel = str(event.get("channel") or "")
        if not channel or not await self.channels.name_if_incident(chat, channel, look_up=look_up):
            return False
        record = await off_loop(TEXT_CPU_SECONDS, from_event, event, bot_user_id=self.bot_user_id)
        return record is not None and await self.on_record(record, chat, look_up=look_up)

    async def on_record(
        self, record: ChannelMessage, chat: SummaryChat, *, look_up: bool = True
    ) -> bool:
        """Record a message of an incident channel and schedule an update; False elsewhere.

        `look_up=False`: only a channel whose name is already known is looked at (no chat call).
        """
        channel = record.channel
        if (
            not channel
            or await self.channels.name_if_incident(chat, channel, look_up=look_up) is None
        ):
            return False
        await self.store.record_channel_message(record)
        self.schedule_update(channel, chat)
        return True

    async def on_diagnosis(
        self,
        chat: SummaryChat,
        *,
        channel: str,
        ts: str | None,
        diagnosis: str | None,
        thread_ts: str | None,
    ) -> None:
        """Note a diagnosis kubemedic posted in an incident channel (the timeline shows it)."""
        if not ts or not diagnosis or await self.channels.name_if_incident(chat, channel) is None:
            return
        marker = diagnosis_marker(
            channel, ts, diagnosis, thread_ts=thread_ts, bot_user_id=self.bot_user_id
        )
        await self.store.record_channel_message(marker)
        self.schedule_update(channel, chat)

    # ------------------------------------------------------------------ debounced updates
    def schedule_update(
        self, channel: str, chat: SummaryChat, *, delay: float | None = None
    ) -> None:
        """One update for the burst this message belongs to."""
        if channel in self._pending:
            return
        self._pending.add(channel)
        self.background.spawn(self._later(channel, chat, self.debounce if delay is None else delay))

    async def _later(self, channel: str, chat: SummaryChat, delay: float) -> None:
        await asyncio.sleep(delay)
        self._pending.discard(channel)
        try:
            await self.publish(channel, chat)
        except (StoreUnavailable, ChatError) as exc:
            log.warning("summary of %s not updated: %s", channel, exc)
        except Exception:
            log.exception("summary of %s failed", channel)

    # ------------------------------------------------------------------ building
    async def build(
        self,
        channel: str,
        chat: SummaryChat | None = None,
        *,
        extra: list[ChannelMessage] | None = None,
    ) -> Summary:
        """The channel's summary from the store (plus `extra` messages not stored)."""
        inputs = await self._inputs(channel, extra or [])
        # matching thousands of messages is CPU work: off the event loop
        summary = await asyncio.to_thread(
            build_summary, inputs, matcher=self.matcher, now=self.clock()
        )
        if chat is None:
            return summary
        users = [p.user for p in summary.involved] + [t.who for t in summary.timeline if t.who]
        people = await self.people.names(chat, users)
        return replace(summary, people=people)

    async def _inputs(self, channel: str, extra: list[ChannelMessage]) -> SummaryInputs:
        """What the store holds for the channel: people's messages, the bot's diagnoses there,
        the remediations and the feedback."""
        store = self.store
        recorded = await store.list_channel_messages(channel, limit=MAX_RECORDED)
        messages = [m for m in recorded if diagnosis_id(m) is None] + extra
        diagnoses = await self._diagnoses(recorded)
        record = await store.get_summary(channel)
        return SummaryInputs(
            channel=self.channels.known(channel) or channel,
            messages=messages,
            diagnoses=diagnoses,
            partial=bool(record and record.state.get("partial")),
            audit=list(reversed(await store.list_audit(channel=channel, limit=MAX_AUDIT))),
            feedback=await store.feedback_stats(),
        )

    async def _diagnoses(self, recorded: list[ChannelMessage]) -> list[DiagnosisRecord]:
        """The latest diagnoses the bot posted in the channel, of pastes still there."""
        deleted = {
            m.ts for m in recorded if m.deleted
        }  # a paste taken back takes its diagnosis along
        markers = [d for m in recorded if (d := diagnosis_id(m)) and m.thread_ts not in deleted][
            -MAX_DIAGNOSES:
        ]
        return [d for d in [await self.store.get_diagnosis(i) for i in markers] if d is not None]

    # ------------------------------------------------------------------ publishing
    async def publish(self, channel: str, chat: SummaryChat) -> str | None:
        """Post (and pin) or update the channel's one summary message; returns its id."""
        summary = await self.build(channel, chat)
        action, ts = await self._claim(channel, replace=False)
        if action == "update" and ts:
            try:
                await chat.update_summary(channel, ts, summary)
                await self._recheck_actions(channel, chat)
                return ts
            except ChatError as exc:
                if not exc.gone:
                    raise
                action, ts = await self._claim(channel, replace=True)
        if action != "post":
            self.schedule_update(channel, chat)
            return None
        return await self._post(channel, chat, summary)

    async def _post(self, channel: str, chat: SummaryChat, summary: Summary) -> str:
        try:
            ts = await chat.post_summary(channel, summary)
        except ChatError:
            await self._save(channel, ts=None)
            raise
        try:
            await chat.pin(channel, ts)
        except ChatError as exc:
            log.info("summary of %s not pinned: %s", channel, exc.error)
        await self._save(channel, ts=ts)  # the posting claim holds off other replicas until here
        return ts

    async def _claim(self, channel: str, *, replace: bool) -> tuple[str, str | None]:
        """("update", ts), ("post", None) with a posting claim taken, or ("busy", None)."""
        now = self.clock()
        async with self.store.summary_lock(channel) as current:
            state = dict(current.state) if current else {}
            ts = None if replace or current is None else current.message_ts
            if ts:
                return "update", ts
            claimed = state.get("posting_since")
            if claimed and now - datetime.fromisoformat(claimed) < timedelta(seconds=CLAIM_SECONDS):
                return "busy", None
            state["posting_since"] = now.isoformat()
            await self.store.save_summary(_record(channel, None, state))
            return "post", None

    async def _save(self, channel: str, *, ts: str | None) -> None:
        async with self.store.summary_lock(channel) as current:
            state = {
                k: v for k, v in (current.state if current else {}).items() if k != "posting_since"
            }
            await self.store.save_summary(_record(channel, ts, state))

    async def _recheck_actions(self, channel: str, chat: SummaryChat) -> None:
        """A remediation still running when the summary was built gets one more update."""
        rows = await self.store.list_audit(channel=channel, outcome="started", limit=5)
        recent = self.clock() - timedelta(minutes=2)
        if any((row.created_at or recent) > recent for row in rows):
            self.schedule_update(channel, chat, delay=max(self.debounce, 1.0))

    # ------------------------------------------------------------------ joining
    async def start(self, channel: str, chat: SummaryChat) -> str | None:
        """Back-fill once (waiting a bounded time), then publish; the rest arrives as an update."""
        reading = asyncio.get_running_loop().create_task(self.backfill(channel, chat))
        done, _ = await asyncio.wait({reading}, timeout=BACKFILL_WAIT_SECONDS)
        ts = await self.publish(channel, chat)
        if not done:
            reading.add_done_callback(lambda _task: self.schedule_update(channel, chat))
        return ts

    async def backfill(self, channel: str, chat: SummaryChat) -> bool:
        """Read the channel's history once per channel (across restarts and replicas)."""
        now = self.clock()
        async with self.store.summary_lock(channel) as current:
            state = dict(current.state) if current else {}
            if "backfill" in state:
                return False
            state["backfill"] = {"started": now.isoformat()}
            await self.store.save_summary(
                _record(channel, current.message_ts if current else None, state)
            )
        reader = Backfill(chat, self.store, self._is_error)
        result = await reader.run(channel, now=now)
        async with self.store.summary_lock(channel) as current:
            state = dict(current.state) if current else {}
            state["backfill"] = {
                "started": now.isoformat(),
                "messages": result.messages,
                "threads": result.threads,
            }
            state["partial"] = result.partial
            await self.store.save_summary(
                _record(channel, current.message_ts if current else None, state)
            )
        return True

    def _is_error(self, text: str) -> bool:
        found = (
            self.matcher.match(text[:4000], top=1) if len(text.strip()) >= MIN_PASTE_CHARS else []
        )
        return bool(found) and found[0].confidence in ("high", "medium")


def _record(channel: str, ts: str | None, state: dict[str, Any]) -> SummaryRecord:
    return SummaryRecord(channel=channel, message_ts=ts, state=state)
