""" "Not this" leads somewhere: the other candidates and the catalog, and the pick replaces the answer.

The click opens the dialog first (Slack honours its trigger for 3 s), then records the "not
this" vote as before and stores a question for the answer (its redacted paste, kept with the
diagnosis, and its other candidates), whose id the dialog carries.
The catalog search puts what the matcher reads in the query first, in the decision's order,
then entries whose id, title or tags hold every word of it. The question keeps what was
offered (the candidates, what the search reads in the paste, and what each search of the
dialog answered): a pick must name one of those. The pick, by whoever opened the dialog,
becomes a team example (a paste's answer only; it answers in this channel until confirmed,
bot.answering.examples) and the answer that replaces the old one, with its own stored
diagnosis behind its buttons.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.answering.candidates import Candidate, stored_candidates
from bot.answering.choice_clicks import ChoiceStore, Click, ClickChecks, Refusal
from bot.answering.chosen import as_chosen, catalog_entry, chosen_effect
from bot.answering.diagnosing import Diagnoser
from bot.answering.examples import clicked_example, teach
from bot.answering.feedback import Feedback
from bot.metrics import Metrics
from bot.storage.ask_records import QuestionRecord, new_question_id
from bot.storage.base import StoreUnavailable
from bot.storage.records import DiagnosisRecord, new_id
from intents.examples import TeamExample, words_of
from intents.schema import CatalogEntry
from responses import ask_messages as say
from responses import messages
from responses.diagnosis import Diagnosis
from responses.json_view import diagnosis_record_dict
from responses.redaction import Redacted

MAX_OPTIONS = 25
MAX_QUERY = 200


@dataclass(frozen=True)
class Dialog:
    """What the "Not this" dialog offers: the other candidates, and what was answered."""

    question: QuestionRecord
    answered: str | None
    others: tuple[Candidate, ...]


@dataclass(frozen=True)
class Picked:
    """The pick, as the answer that replaces the old one (`diagnosis_id`: behind its buttons)."""

    question: QuestionRecord
    entry_id: str
    diagnosis: Diagnosis
    diagnosis_id: str | None


def _others(matches: list[dict[str, object]]) -> tuple[Candidate, ...]:
    return tuple(
        Candidate(
            id=str(m["id"]),
            title=str(m.get("title", m["id"])),
            line="",
            why="",
            score=float(str(m.get("score", 0.0))),
        )
        for m in matches[1:]
        if "id" in m
    )


@dataclass(kw_only=True, eq=False)
class Picking:
    """The "Not this" dialog: open it, search the catalog, take the pick."""

    store: ChoiceStore
    checks: ClickChecks
    diagnoser: Diagnoser
    feedback: Feedback
    metrics: Metrics

    async def open(self, click: Click) -> Dialog | Refusal:
        """The dialog for the answer whose diagnosis id the button carried (read only: Slack gives a
        dialog 3 s to open; `keep` stores its question and the vote afterwards)."""
        try:
            record = (
                await self.store.get_diagnosis(click.question_id) if click.question_id else None
            )
        except StoreUnavailable:
            return Refusal(messages.STORE_DOWN)
        if record is None:
            return Refusal(messages.UNKNOWN_DIAGNOSIS)
        matches = record.body.get("matches") or []
        question = self._question(click, record, matches)
        answered = str(matches[0]["id"]) if matches and "id" in matches[0] else None
        return Dialog(question, answered, stored_candidates(question.candidates))

    def _question(
        self, click: Click, record: DiagnosisRecord, matches: list[dict[str, object]]
    ) -> QuestionRecord:
        """The "Not this" question about the stored diagnosis `record` (its other matches)."""
        text = record.body.get("text")
        return QuestionRecord(
            id=new_question_id(),
            kind="not_this",
            asked_via="message",
            channel=click.channel or str(record.channel),
            thread_ts=click.thread_ts,
            message_ts=click.message_ts,
            asker=click.user,
            text=text if isinstance(text, Redacted) else None,  # stored, so redacted
            candidates=[c.stored() for c in _others(matches)],
            diagnosis_id=record.id,
            created_at=self.checks.clock(),
        )

    async def options(self, dialog: Dialog) -> list[tuple[str, str]]:
        """(id, title) a dialog offers besides its search: the other candidates, then what the
        search reads in the pasted text (what was answered left out)."""
        options = [(c.id, c.title) for c in dialog.others]
        if dialog.question.text:
            options += await asyncio.to_thread(self.search, dialog.question.text)
        shown = dict(options).items()
        return [(entry, title) for entry, title in shown if entry != dialog.answered]

    async def keep(self, dialog: Dialog, click: Click, offered: Sequence[str] = ()) -> str:
        """Store the dialog's question (with the entry ids it `offered`) and the "not this" vote;
        the line to show the voter."""
        ids = dict.fromkeys([*(c.id for c in dialog.others), *offered])
        question = replace(dialog.question, offered=list(ids))
        try:
            await self.store.save_question(question)
        except StoreUnavailable:
            return messages.STORE_DOWN
        return await self.feedback.vote(
            dialog.question.diagnosis_id, user=click.user, helpful=False
        )

    async def offer(self, question_id: str, entry_ids: Sequence[str]) -> None:
        """What a search of the dialog answered is offered too (a database down: not offered)."""
        if not question_id or not entry_ids:
            return
        try:
            await self.store.offer(question_id[:200], entry_ids, now=self.checks.clock())
        except StoreUnavailable:
            pass

    async def offered(self, question_id: str, entry_id: str) -> bool:
        """Whether the dialog's question offered `entry_id` (a question not found: not offered)."""
        try:
            question = await self.store.get_question(question_id[:200]) if question_id else None
        except StoreUnavailable:
            return True  # the pick itself says the database is down
        return question is not None and question.offers(entry_id)

    def search(self, query: str) -> list[tuple[str, str]]:
        """(id, title) of the entries for a query: what the matcher reads in it first, in the
        decision's order; then entries holding every word of it in their id, title or tags."""
        query = query.strip()[:MAX_QUERY]
        read = (
            [m.entry for m in self.diagnoser.matcher.match(query, top=MAX_OPTIONS)] if query else []
        )
        words = query.lower().split()

        def where(entry: CatalogEntry) -> int | None:
            """0: the words are all in its id, 1: in its title, 2: in its tags (None: not all of them)."""
            for place, text in enumerate((entry.id, entry.title, " ".join(entry.tags))):
                if all(word in text.lower() for word in words):
                    return place
            return None

        hits = sorted(
            (
                (place, entry.id, entry)
                for entry in self.diagnoser.matcher.index.entries
                if words and (place := where(entry)) is not None
            ),
            key=lambda hit: hit[:2],
        )
        found = {entry.id: entry for entry in [*read, *(entry for _p, _i, entry in hits)]}
        return [(entry.id, entry.title) for entry in found.values()][:MAX_OPTIONS]

    async def pick(self, click: Click, entry_id: str) -> Picked | Refusal:
        """Take `entry_id` as the answer of the dialog's question (only its opener may)."""
        question = await self.checks.question(click, kind="not_this_pick")
        if isinstance(question, Refusal):
            return question
        if question.kind != "not_this" or question.asker != click.user:
            await self.checks.refused(click, "not_this_pick", say.NOT_YOUR_DIALOG)
            return Refusal(say.NOT_YOUR_DIALOG)
        entry = catalog_entry(self.diagnoser.matcher, entry_id)
        if entry is None:
            return Refusal(say.MODAL_UNKNOWN_ENTRY)
        if not question.offers(entry.id):
            await self.checks.refused(click, "not_this_pick", say.MODAL_NOT_OFFERED)
            return Refusal(say.MODAL_NOT_OFFERED)
        now = self.checks.clock()
        try:
            claimed = await self.store.claim_question(
                question.id, state="chosen", chosen_id=entry.id, by=click.user, now=now
            )
            if claimed is None:
                return Refusal(
                    say.already_closed(question.state, question.chosen_by, question.chosen_id)
                )
            if claimed.text:
                await teach(
                    self.store,
                    clicked_example(claimed, claimed.text, entry.id, click, now, "not_this"),
                    admin=click.user in self.checks.admins,
                )
            await self.store.update_question(claimed.id, answer_ts=claimed.message_ts, now=now)
        except StoreUnavailable:
            return Refusal(messages.STORE_DOWN)
        await self.checks.done(click, "not_this_pick", entry.id, channel=claimed.channel)
        self.metrics.choices.labels("picked").inc()
        day = now.date().isoformat()
        diagnosis = await self._diagnosis(claimed, entry.id, click.chooser, day)
        chosen = as_chosen(
            diagnosis,
            entry,
            chosen_effect(click.chooser, day, same_error=bool(claimed.text)),
            note=say.chosen_note(click.chooser, day),
        )
        return Picked(claimed, entry.id, chosen, await self._stored(chosen, claimed, click))

    async def _diagnosis(
        self, question: QuestionRecord, entry_id: str, chooser: str, day: str
    ) -> Diagnosis:
        """The paste diagnosed again with the pick as its example; for a cluster answer, its stored subject."""
        if question.text:
            example = TeamExample(entry_id, words_of(question.text), chooser, day)
            return (await self.diagnoser.paste(question.text, examples=(example,))).diagnosis
        record = (
            await self.store.get_diagnosis(question.diagnosis_id) if question.diagnosis_id else None
        )
        return Diagnosis(
            subject=record.subject if record else "the answer",
            cluster=record.cluster if record else None,
        )

    async def _stored(
        self, diagnosis: Diagnosis, question: QuestionRecord, click: Click
    ) -> str | None:
        """The new answer stored, so its feedback buttons work (None when the database is down)."""
        record = DiagnosisRecord(
            id=new_id(),
            channel=question.channel,
            thread_ts=question.thread_ts,
            message_ts=question.message_ts,
            user=click.user,
            cluster=diagnosis.cluster,
            subject=diagnosis.subject,
            catalog_ids=[f.match.id for f in diagnosis.findings],
            body=diagnosis_record_dict(diagnosis)
            | ({"text": question.text} if question.text else {}),
            created_at=self.checks.clock(),
        )
        try:
            return await self.store.save_diagnosis(record)
        except StoreUnavailable:
            return None
