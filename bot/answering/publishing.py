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
from dataclasses import dataclass
from datetime import timedelta

from bot.answering.ports import PostFailed, RemediationPort
from bot.answering.requests import Place
from bot.answering.results import DiagnoseResult, Posted
from bot.answering.surface import ChatPoster
from bot.metrics import Metrics
from bot.runtime.clock import Clock
from bot.runtime.ledger import Ledger
from bot.storage.base import Store, StoreUnavailable
from bot.storage.records import DiagnosisRecord, PendingAction, ReplyRecord, new_id
from bot.storage.writes import RecordAnswer
from responses.answer_actions import ButtonSpec, SeenInfo, reply_buttons
from responses.chat import AnswerMessage
from responses.diagnosis import Diagnosis
from responses.json_view import diagnosis_record_dict

log = logging.getLogger(__name__)


class Publisher:
    """Stores a diagnosis, offers its buttons, and posts it (or updates the earlier reply)."""

    def __init__(
        self,
        *,
        store: Store,
        surface: ChatPoster,
        metrics: Metrics,
        clock: Clock,
        repeat_window_minutes: float,
        remediation: RemediationPort | None,
        ledger: Ledger | None = None,
        tickets: bool = False,
    ) -> None:
        self.ledger = ledger or Ledger(store)
        self.surface = surface
        self.metrics = metrics
        self.clock = clock
        self.repeat_window = timedelta(minutes=repeat_window_minutes)
        self.remediation = remediation
        self.tickets = tickets
        """Jira is set up: answers with a finding offer "Open ticket"."""
        self._problems: weakref.WeakValueDictionary[tuple[str, str], asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        self._stored: dict[int, tuple[Diagnosis, dict[str, object]]] = {}
        """What is stored of the latest diagnoses, by the id of each (kept with it, so the id
        names no other while it is here): see `_stored_view`."""

    async def publish(self, result: DiagnoseResult, place: Place) -> Posted:
        """Post (or update in place) the diagnosis; PostFailed when the chat refuses it."""
        diagnosis = result.diagnosis
        top = diagnosis.findings[0].match if diagnosis.findings else None
        self.metrics.diagnoses.labels(
            top.id if top else "none", top.confidence if top else "none", result.source
        ).inc()
        if log.isEnabledFor(logging.INFO):
            log.info(
                "diagnosed %s: %s",
                diagnosis.subject,
                top.id if top else "no problem found",
                extra={
                    "catalog_id": top.id if top else None,
                    "confidence": top.confidence if top else None,
                    "source": result.source,
                },
            )
        async with self._one_at_a_time(place.channel, result.fingerprint):
            recorded = await self._record(result, place)
            return await self._post_or_update(result, place, recorded)

    def _one_at_a_time(self, channel: str, fingerprint: str) -> asyncio.Lock:
        """The same problem in the same channel is recorded and posted (or updated) by one task at a time,
        so two pastes of one error arriving together give one reply and one "Seen 2 times" update."""
        lock = self._problems.get((channel, fingerprint))
        if lock is None:
            lock = self._problems[(channel, fingerprint)] = asyncio.Lock()
        return lock

    async def _record(self, result: DiagnoseResult, place: Place) -> Recorded:
        """Store the diagnosis with the pending actions behind its buttons and find the earlier reply, in
        one write (the ledger's); when the database is down, post without buttons or repeat tracking."""
        diagnosis, now = result.diagnosis, self.clock()
        record = DiagnosisRecord(
            id=new_id(),
            channel=place.channel,
            thread_ts=place.thread_ts,
            user=place.user,
            cluster=diagnosis.cluster,
            subject=diagnosis.subject,
            catalog_ids=[f.match.id for f in diagnosis.findings],
            body=_body(result, self._stored_view(diagnosis)),
            created_at=now,
        )
        offered = await self._offered(result, record.id, place)
        try:
            earlier = await self.ledger.record(
                RecordAnswer(
                    record,
                    tuple(pending for pending, _ in offered),
                    result.fingerprint,
                    since=now - self.repeat_window,
                )
            )
        except StoreUnavailable as exc:
            log.warning("diagnosis not stored (%s); posting without buttons", exc)
            return Recorded(None, [], None)
        buttons = reply_buttons(
            diagnosis, [button for _, button in offered], record.id, ticket=self.tickets
        )
        return Recorded(record.id, buttons, earlier)

    def _stored_view(self, diagnosis: Diagnosis) -> dict[str, object]:
        """`diagnosis_record_dict(diagnosis)`, made once for one (frozen) diagnosis told many times (a
        storm's asks of one pod in the same second: bot/answering/diagnosing.py `Aged`). Shared by
        the records made of it: a record's body is only read (bound redacted, as new containers,
        and written), never changed."""
        kept = self._stored.get(id(diagnosis))
        if kept is not None and kept[0] is diagnosis:
            return kept[1]
        view = diagnosis_record_dict(diagnosis)
        if len(self._stored) >= STORED_VIEWS_KEPT:
            self._stored.clear()
        self._stored[id(diagnosis)] = (diagnosis, view)
        return view

    async def _offered(
        self, result: DiagnoseResult, diagnosis_id: str, place: Place
    ) -> list[tuple[PendingAction, ButtonSpec]]:
        if self.remediation is None or result.diagnosis.answer is None:
            return []
        return await self.remediation.offer(result, diagnosis_id=diagnosis_id, place=place)

    async def _post_or_update(
        self, result: DiagnoseResult, place: Place, recorded: Recorded
    ) -> Posted:
        diagnosis, earlier = result.diagnosis, recorded.earlier
        if earlier is not None:
            seen = SeenInfo(earlier.seen_count, earlier.last_seen)
            try:
                await self.surface.replace(
                    place.channel,
                    earlier.message_ts,
                    AnswerMessage(diagnosis, tuple(recorded.buttons), seen),
                )
                return Posted(
                    place.channel, earlier.message_ts, recorded.diagnosis_id, earlier.seen_count
                )
            except PostFailed as exc:
                log.info("cannot update the earlier reply (%s); posting a new one", exc.error)
        ts = await self.surface.post(place, AnswerMessage(diagnosis, tuple(recorded.buttons)))
        if ts:  # written with the end of this work (the ledger keeps the order), not waited for
            now = self.clock()
            self.ledger.remember(
                ReplyRecord(
                    channel=place.channel,
                    fingerprint=result.fingerprint,
                    message_ts=ts,
                    thread_ts=place.thread_ts,
                    diagnosis_id=recorded.diagnosis_id,
                    first_seen=now,
                    last_seen=now,
                    seen_count=1,
                )
            )
        return Posted(place.channel, ts, recorded.diagnosis_id)


MAX_KEPT_TEXT = 16 * 1024
"""The longest pasted text kept with its diagnosis (a longer one's "Not this" pick becomes no example)."""


STORED_VIEWS_KEPT = 64
"""Diagnoses whose stored view is kept (`Publisher._stored_view`)."""


def _body(result: DiagnoseResult, body: dict[str, object]) -> dict[str, object]:
    """What is stored of the diagnosis (`body`, its stored view); a paste's redacted text too, when
    it is not long, for the "Not this" dialog to record the pick as a team example."""
    kept = result.source == "paste" and result.text and len(result.text) <= MAX_KEPT_TEXT
    return body | {"text": result.text} if kept else body


@dataclass(frozen=True)
class Recorded:
    """A diagnosis as stored before it is posted: its id and buttons (none when the store is down) and the
    earlier reply to the same problem, its count bumped."""

    diagnosis_id: str | None
    buttons: list[ButtonSpec]
    earlier: ReplyRecord | None
