"""Pastes that reach no candidate: counted in /metrics and kept, redacted, for `catalog suggest`.

A pasted message nobody addressed to the bot, whose diagnosis has no candidate any rule found
(the learned decision's own suggestions aside) and whose kubectl output is not all healthy, is
what the catalog does not know yet: it is counted (`kubemedic_unmatched_pastes{via}`) and stored
as an unanswered question with its redacted text, beside the direct asks with no candidate
(bot/answering/asking.py), so `kubemedic catalog suggest` drafts entries from both.
"""

from __future__ import annotations

import logging

from bot.answering.candidates import suggested
from bot.answering.requests import InputKind, Place
from bot.diagnosis.paste import HEALTHY_NOTE
from bot.metrics import Metrics
from bot.runtime.clock import Clock
from bot.storage.ask_base import AskStore
from bot.storage.ask_records import QuestionRecord, new_question_id
from bot.storage.base import StoreUnavailable
from responses.diagnosis import Diagnosis
from responses.redaction import Redacted

log = logging.getLogger(__name__)


def no_candidate(diagnosis: Diagnosis) -> bool:
    """No rule found a candidate (the learned decision's suggestions are none), and the paste's
    kubectl output is not all healthy (a healthy listing is no gap in the catalog)."""
    return all(suggested(f) for f in diagnosis.findings) and not any(
        note.startswith(HEALTHY_NOTE) for note in diagnosis.notes
    )


class UnmatchedPastes:
    """Counts and keeps the pastes that reach no candidate."""

    def __init__(self, *, store: AskStore, clock: Clock, metrics: Metrics) -> None:
        self.store = store
        self.clock = clock
        self.metrics = metrics

    async def note(
        self, text: Redacted, diagnosis: Diagnosis, place: Place, *, kind: InputKind
    ) -> bool:
        """Count and keep `text` (already redacted) when its diagnosis has no candidate; True if it had none."""
        if not text.strip() or not no_candidate(diagnosis):
            return False
        self.metrics.unmatched.labels(kind).inc()
        record = QuestionRecord(
            id=new_question_id(),
            kind="ask",
            state="unanswered",
            asked_via=kind,
            channel=place.channel,
            thread_ts=place.thread_ts,
            asker=place.user,
            text=text,
            created_at=self.clock(),
        )
        try:
            await self.store.save_question(record)
        except StoreUnavailable as exc:
            log.warning("a paste with no candidate was not kept (%s)", exc)
        return True
