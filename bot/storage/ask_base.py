"""What asking needs from storage (`SqlStore` provides it).

- save_question, get_question, update_question (the question's message, the answer posted):
  the question behind every choice button; its id is all a button carries.
- claim_question(id, state, chosen_id, by, now): of concurrent choices on any replica exactly
  one closes an open question; reopen_question: its choice undone.
- unanswered_questions: direct asks with no candidate and "None of these" (with their
  redacted text), for `kubemedic catalog suggest`.
- offer(id, entry_ids): what a question offered grows (a pick must name one of them).
- add_example, add_examples, undo_examples, confirm_examples, find_examples (by lead digest
  and length, newest first, undone ones left out; the confirmed ones and those of one channel,
  unless every channel is asked for), list_examples; ask_stats.
Old questions and undone examples go with retention (bot/storage/sql_retention.py). Every
method raises StoreUnavailable when the database is down.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.storage.ask_records import AskStats, ExampleRecord, QuestionRecord, QuestionState


class AskStore(Protocol):
    """Storage for questions and the team's examples."""

    async def save_question(self, record: QuestionRecord) -> QuestionRecord: ...
    async def get_question(self, id: str) -> QuestionRecord | None: ...
    async def update_question(
        self, id: str, *, now: datetime, **values: str | None
    ) -> QuestionRecord | None: ...
    async def claim_question(
        self, id: str, *, state: QuestionState, chosen_id: str | None, by: str, now: datetime
    ) -> QuestionRecord | None: ...
    async def reopen_question(self, id: str, *, now: datetime) -> QuestionRecord | None: ...
    async def unanswered_questions(
        self, *, since: datetime | None = None, limit: int = 5000
    ) -> list[QuestionRecord]: ...

    async def add_example(self, record: ExampleRecord) -> ExampleRecord: ...
    async def add_examples(self, records: Sequence[ExampleRecord]) -> int: ...
    async def offer(
        self, id: str, entry_ids: Sequence[str], *, now: datetime
    ) -> list[str] | None: ...
    async def confirm_examples(self, ids: Sequence[str], *, by: str, now: datetime) -> int: ...
    async def undo_examples(self, question_id: str, *, by: str, now: datetime) -> int: ...
    async def find_examples(
        self,
        leads: Sequence[str],
        *,
        shortest: int,
        longest: int,
        channel: str | None = None,
        every_channel: bool = False,
    ) -> list[ExampleRecord]: ...
    async def list_examples(self, *, undone: bool = False) -> list[ExampleRecord]: ...
    async def ask_stats(self) -> AskStats: ...
