"""The team's examples in the bot: made from a choice, found for a paste.

`example_of` turns a choice into the stored record (its look-up digest and length from the
redacted text's normalised words); `TeamExamples.for_text` finds the examples a paste may read
the same as, as the decision reads them (intents.examples.TeamExample), newest first. A
database that is down means no examples for this paste, never a failed answer.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from bot.storage.ask_base import AskStore
from bot.storage.ask_records import ExampleRecord, ExampleSource
from bot.storage.base import StoreUnavailable
from bot.storage.records import new_id
from intents.examples import TeamExample, lead_of, lookup, words_of
from responses.redact import redact

log = logging.getLogger(__name__)


def example_of(text: str, entry_id: str, *, chosen_by: str, chooser: str, chosen_at: datetime,
               channel: str | None = None, question_id: str | None = None,
               source: ExampleSource = "choice") -> ExampleRecord:
    """The record of one choice (`text` is redacted again: it is what gets stored)."""
    text = redact(text)
    words = words_of(text)
    return ExampleRecord(id=new_id(), entry_id=entry_id, text=text, lead=lead_of(words), length=len(words),
                         chosen_by=chosen_by, chooser=chooser or chosen_by, chosen_at=chosen_at, channel=channel,
                         question_id=question_id, source=source)


def as_team_example(record: ExampleRecord) -> TeamExample:
    return TeamExample(entry_id=record.entry_id, words=words_of(record.text), chooser=record.chooser,
                       chosen_on=record.chosen_at.date().isoformat())


class TeamExamples:
    """The examples a paste may read the same as, from the store every replica shares."""

    def __init__(self, store: AskStore) -> None:
        self.store = store

    async def for_words(self, words: Sequence[str], *, at_most: int | None = None) -> tuple[TeamExample, ...]:
        """Stored examples whose digest and length fit `words` (the decision checks the rest);
        `at_most`: `words` are the paste's first words, and it has no more than this many."""
        wanted = lookup(words, at_most=at_most)
        if wanted is None:
            return ()
        try:
            found = await self.store.find_examples(wanted.leads, shortest=wanted.shortest, longest=wanted.longest)
        except StoreUnavailable as exc:
            log.warning("team examples not read (%s); answering without them", exc)
            return ()
        return tuple(as_team_example(record) for record in found)

    async def for_paste(self, text: str) -> tuple[TeamExample, ...]:
        """The examples a paste may read the same as (its head is read on a worker thread)."""
        head = await asyncio.to_thread(head_words, text)
        return await self.for_words(head, at_most=len(text))


HEAD_CHARS = 4000
"""Characters of a paste read to find its candidate examples (its first few hundred words)."""


def head_words(text: str) -> tuple[str, ...]:
    """The normalised words of the paste's beginning, redacted as stored examples are."""
    return words_of(redact(text[:HEAD_CHARS]))
