"""Publish a diagnosis, or update the earlier reply when the problem repeats.

Users of every chat bot complain about repeated notifications: when the same
problem (same fingerprint in the same channel) was answered within the
repeat window, the earlier message is re-rendered with "Seen N times, last
HH:MM" instead of posting a new one. Storage is best effort here: if the
database is down the diagnosis is still posted (without buttons, which need
a stored pending action, and without repeat tracking).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from datetime import timedelta

from bot.answering.ports import Poster, PostFailed, RemediationPort
from bot.answering.requests import Place
from bot.answering.results import DiagnoseResult, Posted
from bot.metrics import Metrics
from bot.runtime.clock import Clock
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import DiagnosisRecord, ReplyRecord
from responses.block_notices import SeenInfo
from responses.buttons import ButtonSpec, reply_buttons
from responses.json_view import diagnosis_record_dict

log = logging.getLogger(__name__)


class Publisher:
    """Stores a diagnosis, offers its buttons, and posts it (or updates the earlier reply)."""

    def __init__(self, *, store: Store, poster: Poster, metrics: Metrics, clock: Clock,
                 repeat_window_minutes: float, remediation: RemediationPort | None) -> None:
        self.store = store
        self.poster = poster
        self.metrics = metrics
        self.clock = clock
        self.repeat_window = timedelta(minutes=repeat_window_minutes)
        self.remediation = remediation
        self._problems: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary())

    async def publish(self, result: DiagnoseResult, place: Place) -> Posted:
        """Post (or update in place) the diagnosis; PostFailed when the chat refuses it."""
        diagnosis = result.diagnosis
        top = diagnosis.findings[0].match if diagnosis.findings else None
        self.metrics.diagnoses.labels(top.id if top else "none", top.confidence if top else "none",
                                      result.source).inc()
        log.info("diagnosed %s: %s", diagnosis.subject, top.id if top else "no problem found",
                 extra={"catalog_id": top.id if top else None,
                        "confidence": top.confidence if top else None, "source": result.source})
        diagnosis_id = await self._save(result, place)
        buttons = await self._buttons(result, diagnosis_id, place)
        async with self._one_at_a_time(place.channel, result.fingerprint):
            return await self._post_or_update(result, place, diagnosis_id, buttons)

    def _one_at_a_time(self, channel: str, fingerprint: str) -> asyncio.Lock:
        """The same problem in the same channel is posted or updated by one task at a time, so two
        pastes of one error arriving together give one reply and one "Seen 2 times" update."""
        lock = self._problems.get((channel, fingerprint))
        if lock is None:
            lock = self._problems[(channel, fingerprint)] = asyncio.Lock()
        return lock

    async def _post_or_update(self, result: DiagnoseResult, place: Place, diagnosis_id: str | None,
                              buttons: list[ButtonSpec]) -> Posted:
        diagnosis = result.diagnosis
        earlier = await self._earlier(place.channel, result.fingerprint)
        if earlier is not None:
            seen = SeenInfo(earlier.seen_count, earlier.last_seen)
            try:
                await self.poster.update(place.channel, earlier.message_ts, diagnosis, buttons=buttons,
                                         seen=seen)
                return Posted(place.channel, earlier.message_ts, diagnosis_id, earlier.seen_count)
            except PostFailed as exc:
                log.info("cannot update the earlier reply (%s); posting a new one", exc.error)
        ts = await self.poster.post(place, diagnosis, buttons=buttons)
        if ts:
            try:
                await self.store.remember_reply(channel=place.channel, fingerprint=result.fingerprint,
                                                message_ts=ts, thread_ts=place.thread_ts,
                                                diagnosis_id=diagnosis_id, now=self.clock())
            except StoreUnavailable:
                log.warning("reply not remembered; a repeat will get a new reply")
        return Posted(place.channel, ts, diagnosis_id)

    async def _save(self, result: DiagnoseResult, place: Place) -> str | None:
        diagnosis = result.diagnosis
        record = DiagnosisRecord(
            channel=place.channel, thread_ts=place.thread_ts, user=place.user, cluster=diagnosis.cluster,
            subject=diagnosis.subject, catalog_ids=[f.match.id for f in diagnosis.findings],
            body=diagnosis_record_dict(diagnosis), created_at=self.clock(),
        )
        try:
            return await self.store.save_diagnosis(record)
        except StoreUnavailable as exc:
            log.warning("diagnosis not stored (%s); posting without buttons", exc)
            return None

    async def _buttons(self, result: DiagnoseResult, diagnosis_id: str | None, place: Place) -> list[ButtonSpec]:
        if diagnosis_id is None:
            return []
        remediation: list[ButtonSpec] = []
        if self.remediation is not None and result.diagnosis.answer is not None:
            try:
                remediation = await self.remediation.buttons(result, diagnosis_id=diagnosis_id, place=place)
            except StoreUnavailable as exc:
                log.warning("no remediation buttons: %s", exc)
        return reply_buttons(result.diagnosis, remediation, diagnosis_id)

    async def _earlier(self, channel: str, fingerprint: str) -> ReplyRecord | None:
        since = self.clock() - self.repeat_window
        try:
            earlier = await self.store.find_reply(channel=channel, fingerprint=fingerprint, since=since)
            if earlier is None:
                return None
            return await self.store.bump_reply(channel=channel, fingerprint=fingerprint, now=self.clock())
        except StoreUnavailable:
            return None
