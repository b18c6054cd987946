"""A choice on "Is it one of these?": answer with it, remember it, or hand off; and undo.

The first click closes the question (one atomic update across replicas), records the team's
example (the redacted paste, the entry, who, when; it answers in this channel until confirmed,
bot.answering.examples) and posts that entry's answer in the
thread through the publisher, as if it had matched: the decision's "team example" rule puts
it first, its why saying who chose it. "None of these" closes the question for the hand-off
and for `kubemedic catalog suggest`. An undo (the chooser or an admin) withdraws the example
and opens the question again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from bot.answering.answers import Answers
from bot.answering.candidates import Candidate, stored_candidates
from bot.answering.choice_clicks import ChoiceStore, Click, ClickChecks, Refusal
from bot.answering.chosen import as_chosen, catalog_entry, chosen_effect
from bot.answering.diagnosing import Diagnoser
from bot.answering.examples import clicked_example, teach
from bot.answering.naming import request_of
from bot.answering.ports import PostFailed
from bot.answering.requests import DiagnoseRequest, Place
from bot.answering.results import DiagnoseResult, Posted, Unsure, digest
from bot.errors import UserFacingError
from bot.metrics import Metrics
from bot.storage.ask_records import QuestionRecord
from bot.storage.base import StoreUnavailable
from intents.examples import TeamExample, words_of
from responses import ask_messages as say
from responses.redaction import EMPTY


@dataclass(frozen=True)
class Chosen:
    """The choice was taken; its answer posted (`posted`), or why not: the chat's error code
    (`error`) or a reason for the chooser (`reason`: the cluster cannot be read, ...)."""

    question: QuestionRecord
    candidate: Candidate
    posted: Posted | None
    error: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class NoneChosen:
    """ "None of these": what the hand-off needs (None for a question without text)."""

    question: QuestionRecord
    unsure: Unsure | None
    request: DiagnoseRequest | None


@dataclass(frozen=True)
class Undone:
    """The choice was withdrawn; `question` as it was before (its answer, its candidates)."""

    question: QuestionRecord
    candidates: tuple[Candidate, ...]


class Choosing:
    """Choices, "None of these" and undo on the questions kubemedic asked."""

    def __init__(
        self,
        *,
        store: ChoiceStore,
        checks: ClickChecks,
        answers: Answers,
        metrics: Metrics,
        admins: Collection[str],
    ) -> None:
        self.store = store
        self.checks = checks
        self.answers = answers
        self.diagnoser: Diagnoser = answers.diagnoser
        self.metrics = metrics
        self.admins = frozenset(admins)

    async def choose(self, click: Click) -> Chosen | Refusal:
        """Take candidate `click.number` as the answer."""
        question = await self.checks.question(click, kind="choose")
        if isinstance(question, Refusal):
            return question
        candidates = stored_candidates(question.candidates)
        if click.number is None or not 1 <= click.number <= len(candidates):
            return Refusal(say.QUESTION_GONE)
        chosen = candidates[click.number - 1]
        claimed = await self._claim(question, click, chosen.id)
        if isinstance(claimed, Refusal):
            return claimed
        now = claimed.chosen_at or self.checks.clock()
        try:
            if claimed.text and claimed.kind == "ask":
                await teach(
                    self.store,
                    clicked_example(claimed, claimed.text, chosen.id, click, now),
                    admin=click.user in self.admins,
                )
        except StoreUnavailable:
            await self.store.reopen_question(claimed.id, now=now)
            return Refusal(say.STORE_DOWN)
        await self.checks.done(click, "choose", chosen.id, channel=claimed.channel)
        self.metrics.choices.labels("chosen").inc()
        self.metrics.direct_asks.labels(
            "answered"
        ).inc()  # here, from the catalog: the ask is counted once answered
        return await self._answer(claimed, chosen, click, now)

    async def _claim(
        self, question: QuestionRecord, click: Click, entry: str | None
    ) -> QuestionRecord | Refusal:
        now = self.checks.clock()
        try:
            claimed = await self.store.claim_question(
                question.id,
                state="chosen" if entry else "none",
                chosen_id=entry,
                by=click.user,
                now=now,
            )
            if claimed is None:
                latest = await self.store.get_question(question.id) or question
                return Refusal(say.already_closed(latest.state, latest.chosen_by, latest.chosen_id))
        except StoreUnavailable:
            return Refusal(say.STORE_DOWN)
        return claimed

    async def _answer(
        self, question: QuestionRecord, chosen: Candidate, click: Click, now: datetime
    ) -> Chosen:
        """Diagnose again as if it had matched, and post the answer in the question's thread."""
        thread = question.thread_ts or question.message_ts or click.message_ts
        try:
            result = await self._result(question, chosen, click, now)
            place = Place(question.channel, thread, click.user)
            posted = await self.answers.publisher.publish(result, place)
        except UserFacingError as exc:
            return Chosen(question, chosen, None, reason=exc.reason)
        except PostFailed as exc:
            return Chosen(question, chosen, None, error=exc.error)
        await self.answers.after_post(place, posted)  # an incident channel's summary notes it
        if posted.ts:
            try:
                await self.store.update_question(question.id, answer_ts=posted.ts, now=now)
            except StoreUnavailable:
                pass  # the answer stands; an undo then leaves it as it is
        return Chosen(question, chosen, posted)

    async def _result(
        self, question: QuestionRecord, chosen: Candidate, click: Click, now: datetime
    ) -> DiagnoseResult:
        if question.kind == "which":
            return await self.diagnoser.diagnose(request_of(chosen))
        text = question.text or EMPTY
        day = now.date().isoformat()
        example = TeamExample(chosen.id, words_of(text), click.chooser, day)
        result = await self.diagnoser.paste(text, examples=(example,))
        entry = catalog_entry(self.diagnoser.matcher, chosen.id)
        if entry is None:
            raise UserFacingError(f"catalog entry {chosen.id} is no longer in the catalog")
        diagnosis = as_chosen(
            result.diagnosis,
            entry,
            chosen_effect(click.chooser, day, same_error=True),
            note=say.chosen_note(click.chooser, day),
        )
        # its own reply: never merged into an earlier answer to the same problem
        return dataclasses.replace(
            result,
            diagnosis=diagnosis,
            fingerprint=digest("choice", question.id, chosen.id, now.isoformat()),
        )

    async def none_of_these(self, click: Click) -> NoneChosen | Refusal:
        """Close the question with no answer; what the hand-off needs."""
        question = await self.checks.question(click, kind="choose_none")
        if isinstance(question, Refusal):
            return question
        claimed = await self._claim(question, click, None)
        if isinstance(claimed, Refusal):
            return claimed
        await self.checks.done(click, "choose_none", None, channel=claimed.channel)
        self.metrics.choices.labels("none").inc()
        if not claimed.text:
            return NoneChosen(claimed, None, None)
        request = DiagnoseRequest.paste(claimed.text)
        try:
            result = await self.diagnoser.paste(claimed.text)
        except UserFacingError:
            return NoneChosen(claimed, None, None)
        return NoneChosen(claimed, Unsure(result.diagnosis), request)

    async def undo(self, click: Click) -> Undone | Refusal:
        """Withdraw a choice (the chooser or an admin): its example answers nothing any more."""
        question = await self.checks.question(click, kind="undo_choice")
        if isinstance(question, Refusal):
            return question
        if question.state != "chosen":
            return Refusal(say.NOTHING_TO_UNDO)
        if click.user != question.chosen_by and click.user not in self.admins:
            await self.checks.refused(click, "undo_choice", say.NOT_YOURS_TO_UNDO)
            return Refusal(say.NOT_YOURS_TO_UNDO)
        now = self.checks.clock()
        try:
            await self.store.undo_examples(question.id, by=click.user, now=now)
            if await self.store.reopen_question(question.id, now=now) is None:
                return Refusal(say.NOTHING_TO_UNDO)
        except StoreUnavailable:
            return Refusal(say.STORE_DOWN)
        await self.checks.done(click, "undo_choice", question.chosen_id, channel=question.channel)
        self.metrics.choices.labels("undone").inc()
        return Undone(question, stored_candidates(question.candidates))
