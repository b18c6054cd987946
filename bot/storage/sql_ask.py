"""Asking's storage: questions and the team's examples.

A choice claims its question with one `UPDATE ... WHERE state = 'open' RETURNING`, so of
two people clicking at once (on two replicas) exactly one choice is taken and the other is
told who was first. Examples are looked up by the digest of their first words and their
length (an index), newest first; an undone example stays for the audit but answers nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, func, insert, or_, select, update

from bot.storage.ask_records import (
    UNANSWERED,
    AskStats,
    ExampleRecord,
    QuestionRecord,
    QuestionState,
)
from bot.storage.sql_base import SqlBase
from bot.storage.tables import examples, questions

MAX_LEADS = 64
"""Digests one look-up asks for (a paste gives at most POLICY.example_extra_words + 1)."""
MAX_FOUND = 20
MAX_OFFERED = 400
"""Entry ids one question keeps as offered (its candidates, the dialog's options, its searches)."""


def _question(row: Any) -> QuestionRecord:
    return QuestionRecord(**row._mapping)


def _example(row: Any) -> ExampleRecord:
    return ExampleRecord(**row._mapping)


def _examples_found(which: str) -> Select[Any]:
    """`find_examples`' look-up, built once (it is asked for every paste): examples in use whose
    lead is one of `leads` and whose length is between `shortest` and `longest`, newest first; of
    them the confirmed ones (`which` "confirmed"), those and the ones made in `channel` ("mine"),
    or every one ("every")."""
    stmt = select(examples).where(
        examples.c.lead.in_(bindparam("leads", expanding=True)),
        examples.c.length.between(bindparam("shortest"), bindparam("longest")),
        examples.c.undone_at.is_(None),
    )
    confirmed = examples.c.confirmed_by.is_not(None)
    if which == "mine":
        stmt = stmt.where(or_(confirmed, examples.c.channel == bindparam("channel")))
    elif which == "confirmed":
        stmt = stmt.where(confirmed)
    return stmt.order_by(examples.c.chosen_at.desc(), examples.c.id).limit(MAX_FOUND)


_FIND_EXAMPLES = {which: _examples_found(which) for which in ("every", "mine", "confirmed")}


class AskQueries(SqlBase):
    """questions and examples."""

    async def save_question(self, record: QuestionRecord) -> QuestionRecord:
        async with self._tx(write=True) as conn:
            await conn.execute(insert(questions), dataclasses.asdict(record))
        return record

    async def get_question(self, id: str) -> QuestionRecord | None:
        async with self._tx() as conn:
            row = (await conn.execute(select(questions).where(questions.c.id == id))).first()
        return None if row is None else _question(row)

    async def update_question(
        self, id: str, *, now: datetime, **values: str | None
    ) -> QuestionRecord | None:
        """Set message_ts, answer_ts or thread_ts of a question."""
        allowed = {"message_ts", "answer_ts", "thread_ts"}
        if not values or set(values) - allowed:
            raise ValueError(f"update_question sets only {sorted(allowed)}, not {sorted(values)}")
        return await self._update_question(questions.c.id == id, **values, updated_at=now)

    async def claim_question(
        self, id: str, *, state: QuestionState, chosen_id: str | None, by: str, now: datetime
    ) -> QuestionRecord | None:
        """Close an open question with a choice (or "none"); None when it is not open any more."""
        return await self._update_question(
            questions.c.id == id,
            questions.c.state == "open",
            state=state,
            chosen_id=chosen_id,
            chosen_by=by,
            chosen_at=now,
            updated_at=now,
        )

    async def reopen_question(self, id: str, *, now: datetime) -> QuestionRecord | None:
        """A chosen question open again (its choice undone); None when it was not chosen."""
        return await self._update_question(
            questions.c.id == id,
            questions.c.state == "chosen",
            state="open",
            chosen_id=None,
            chosen_by=None,
            chosen_at=None,
            answer_ts=None,
            updated_at=now,
        )

    async def _update_question(self, *where: Any, **values: Any) -> QuestionRecord | None:
        """The question `where` picks with `values` set, as it is now; None when none is picked."""
        stmt = update(questions).where(*where).values(**values).returning(*questions.c)
        async with self._tx(write=True) as conn:
            row = (await conn.execute(stmt)).first()
        return None if row is None else _question(row)

    async def unanswered_questions(
        self, *, since: datetime | None = None, limit: int = 5000
    ) -> list[QuestionRecord]:
        """Direct asks with no candidate and "None of these" choices, with their text, oldest first."""
        stmt = select(questions).where(
            questions.c.state.in_(UNANSWERED),
            questions.c.text.is_not(None),
            questions.c.kind != "which",
        )
        if since is not None:
            stmt = stmt.where(questions.c.created_at >= since)
        async with self._tx() as conn:
            rows = await conn.execute(
                stmt.order_by(questions.c.created_at, questions.c.id).limit(limit)
            )
            return [_question(row) for row in rows]

    async def add_example(self, record: ExampleRecord) -> ExampleRecord:
        async with self._tx(write=True) as conn:
            await conn.execute(insert(examples), dataclasses.asdict(record))
        return record

    async def add_examples(self, records: Sequence[ExampleRecord]) -> int:
        """Many examples in one transaction (an import)."""
        if records:
            async with self._tx(write=True) as conn:
                await conn.execute(insert(examples), [dataclasses.asdict(r) for r in records])
        return len(records)

    async def offer(self, id: str, entry_ids: Sequence[str], *, now: datetime) -> list[str] | None:
        """Add entry ids to what a question offered (kept once each, at most MAX_OFFERED); the ids
        it offers now, or None when there is no such question."""
        async with self._tx(write=True) as conn:
            row = (
                await conn.execute(
                    select(questions.c.offered, questions.c.candidates).where(questions.c.id == id)
                )
            ).first()
            if row is None:
                return None
            before = row.offered
            if before is None:
                before = [candidate.get("id") for candidate in row.candidates or []]
            offered = list(dict.fromkeys([*before, *entry_ids]))[:MAX_OFFERED]
            if offered != before:
                await conn.execute(
                    update(questions)
                    .where(questions.c.id == id)
                    .values(offered=offered, updated_at=now)
                )
        return offered

    async def confirm_examples(self, ids: Sequence[str], *, by: str, now: datetime) -> int:
        """Confirm examples not yet confirmed (they answer in every channel now); how many."""
        if not ids:
            return 0
        unconfirmed = examples.c.confirmed_by.is_(None)
        stmt = (
            update(examples)
            .where(examples.c.id.in_(list(ids)), unconfirmed)
            .values(confirmed_by=by, confirmed_at=now)
        )
        async with self._tx(write=True) as conn:
            return int((await conn.execute(stmt)).rowcount)

    async def undo_examples(self, question_id: str, *, by: str, now: datetime) -> int:
        """The question's examples answer nothing any more; how many were undone."""
        stmt = (
            update(examples)
            .where(examples.c.question_id == question_id, examples.c.undone_at.is_(None))
            .values(undone_at=now, undone_by=by)
        )
        async with self._tx(write=True) as conn:
            return int((await conn.execute(stmt)).rowcount)

    async def find_examples(
        self,
        leads: Sequence[str],
        *,
        shortest: int,
        longest: int,
        channel: str | None = None,
        every_channel: bool = False,
    ) -> list[ExampleRecord]:
        """Examples in use whose lead is one of `leads` and whose length is in range, newest first:
        the confirmed ones and those made in `channel` (every one with `every_channel`)."""
        if not leads:
            return []
        which = "every" if every_channel else "mine" if channel else "confirmed"
        params = {"leads": list(leads)[:MAX_LEADS], "shortest": shortest, "longest": longest}
        if which == "mine":
            params["channel"] = channel
        stmt = _FIND_EXAMPLES[which]
        # asked for every paste, so read at once (`_read_now`)
        return await self._read_now(
            lambda conn: [_example(row) for row in conn.execute(stmt, params)]
        )

    async def list_examples(self, *, undone: bool = False) -> list[ExampleRecord]:
        """Every example in use (with `undone`, the undone ones too), oldest first."""
        stmt = select(examples)
        if not undone:
            stmt = stmt.where(examples.c.undone_at.is_(None))
        async with self._tx() as conn:
            rows = await conn.execute(stmt.order_by(examples.c.chosen_at, examples.c.id))
            return [_example(row) for row in rows]

    async def ask_stats(self) -> AskStats:
        by_state = select(questions.c.state, func.count()).group_by(questions.c.state)
        kept = select(func.count()).select_from(examples).where(examples.c.undone_at.is_(None))
        undone = select(func.count()).select_from(examples).where(examples.c.undone_at.is_not(None))
        async with self._tx() as conn:
            states = {str(state): int(n) for state, n in await conn.execute(by_state)}
            return AskStats(
                questions=states,
                examples=int((await conn.execute(kept)).scalar_one()),
                undone=int((await conn.execute(undone)).scalar_one()),
            )
