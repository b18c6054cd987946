"""Ask when unsure: a direct ask without an answer gets "Is it one of these?".

A slash command, a mention or a direct message whose diagnosis has no high or medium answer
but has candidates (bot.answering.candidates) is stored as a question, with the redacted
paste, before the question is posted: its buttons carry only the question's opaque id. A
direct ask with no candidate at all is stored too ("unanswered"), for `kubemedic catalog
suggest`; a pasted message nobody addressed to the bot never reaches this module. When the
question cannot be posted the caller answers as before (the closest matches, the hand-off).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from bot.answering.candidates import Candidate, offered
from bot.answering.ports import PostFailed
from bot.answering.requests import DiagnoseRequest, InputKind, Place
from bot.answering.results import Unsure
from bot.answering.surface import ChatPoster
from bot.diagnosis.paste import HEALTHY_NOTE
from bot.metrics import Metrics
from bot.runtime.clock import Clock
from bot.storage.ask_base import AskStore
from bot.storage.ask_records import QuestionKind, QuestionRecord, QuestionState, new_question_id
from bot.storage.base import StoreUnavailable
from responses.chat import QuestionMessage
from responses.redaction import Redacted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asked:
    """The question was posted."""

    question: QuestionRecord
    ts: str | None


@dataclass(kw_only=True, eq=False)
class Asking:
    """Stores and posts questions for direct asks kubemedic is unsure about."""

    store: AskStore
    surface: ChatPoster
    clock: Clock
    metrics: Metrics

    async def after_unsure(
        self, answer: Unsure, request: DiagnoseRequest, place: Place, *, kind: InputKind
    ) -> Asked | None:
        """Ask "Is it one of these?" when there are candidates; None: nothing was asked."""
        if request.verb != "paste" or not request.text.strip():
            return None
        candidates = offered(answer.diagnosis)
        text = request.text
        if not candidates:
            if not any(note.startswith(HEALTHY_NOTE) for note in answer.diagnosis.notes):
                await self._keep(text, place, kind=kind)
            return None
        return await self.ask("ask", candidates, place, kind=kind, text=text)

    async def ask(
        self,
        kind_of: QuestionKind,
        candidates: Sequence[Candidate],
        place: Place,
        *,
        kind: InputKind,
        text: Redacted | None,
    ) -> Asked | None:
        """Store the question, then post it; None when either fails (the caller answers as before)."""
        question = self._question(
            kind_of, "open", place, kind=kind, text=text, candidates=candidates
        )
        try:
            await self.store.save_question(question)
        except StoreUnavailable as exc:
            log.warning("question not stored (%s); answering without it", exc)
            return None
        try:
            ts = await self.surface.post(
                place,
                QuestionMessage(question.id, tuple(candidates), which=question.kind == "which"),
            )
        except PostFailed as exc:
            log.info("question not posted in %s: %s", place.channel, exc.error)
            return None
        self.metrics.choices.labels("asked").inc()
        if ts:
            await self._note_message(question.id, ts)
        return Asked(question, ts)

    async def _keep(self, text: Redacted, place: Place, *, kind: InputKind) -> None:
        """A direct ask with no candidate: kept for `kubemedic catalog suggest`."""
        self.metrics.choices.labels("unanswered").inc()
        self.metrics.unmatched.labels(kind).inc()
        try:
            await self.store.save_question(
                self._question("ask", "unanswered", place, kind=kind, text=text)
            )
        except StoreUnavailable as exc:
            log.warning("unanswered ask not kept (%s)", exc)

    async def _note_message(self, question_id: str, ts: str) -> None:
        try:
            await self.store.update_question(question_id, message_ts=ts, now=self.clock())
        except StoreUnavailable as exc:  # the clicks carry the message; only an undo misses it
            log.warning("question %s: its message not noted (%s)", question_id, exc)

    def _question(
        self,
        kind_of: QuestionKind,
        state: QuestionState,
        place: Place,
        *,
        kind: InputKind,
        text: Redacted | None,
        candidates: Sequence[Candidate] = (),
    ) -> QuestionRecord:
        return QuestionRecord(
            id=new_question_id(),
            kind=kind_of,
            state=state,
            asked_via=kind,
            channel=place.channel,
            thread_ts=place.thread_ts,
            asker=place.user,
            text=text,
            candidates=[c.stored() for c in candidates],
            created_at=self.clock(),
        )
