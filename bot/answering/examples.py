"""The team's examples in the bot: made from a choice, confirmed, found for a paste.

`example_of` turns a choice into the stored record (its look-up digest and length from the
redacted text's normalised words); `TeamExamples.for_paste` finds the examples a paste may read
the same as, as the decision reads them (intents.examples.TeamExample), newest first. A
database that is down means no examples for this paste, never a failed answer.

One person's choice must not rewrite the answer for everyone: an example answers only in the
channel it was made in until it is confirmed, by an admin (their own choice is confirmed as
made), by a second person making the same choice for the same error, or by a second person
(or an admin) finding its answer helpful (`teach`, `confirm_helpful`); an import is confirmed by
whoever imports it. Even confirmed, it never outranks a confirmed or high-confidence catalog
match (the decision's "team example" rule). A second person is a different user id of the same
chat: one person may have a Slack and a Mattermost account on one database, and nothing ties
the two ids together (`another_person`).
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from bot.answering.choice_clicks import Click
from bot.storage.ask_base import AskStore
from bot.storage.ask_records import ExampleRecord, ExampleSource, QuestionRecord
from bot.storage.base import StoreUnavailable
from bot.storage.records import new_id
from intents.examples import TeamExample, lead_of, lookup, reads_the_same, words_of
from responses.redaction import Redacted

log = logging.getLogger(__name__)
_CHATS = (("slack", re.compile(r"[UW][A-Z0-9]{6,20}")), ("mattermost", re.compile(r"[a-z0-9]{26}")))
"""A user id's chat, by its shape: Slack's U or W, capitals and digits; Mattermost's 26 lower-case
letters and digits."""


def chat_of(user: str) -> str:
    """Which chat a user id is from ("other": an import's name, a chat of unknown ids)."""
    return next((chat for chat, shape in _CHATS if shape.fullmatch(user)), "other")


def another_person(first: str, second: str) -> bool:
    """Whether two choosers are surely two people: different ids of the same chat."""
    return first != second and chat_of(first) == chat_of(second)


def example_of(
    text: Redacted,
    entry_id: str,
    *,
    chosen_by: str,
    chooser: str,
    chosen_at: datetime,
    channel: str | None = None,
    question_id: str | None = None,
    source: ExampleSource = "choice",
    confirmed_by: str | None = None,
    confirmed_at: datetime | None = None,
) -> ExampleRecord:
    """The record of one choice (`text`: the redacted paste, as it is stored)."""
    words = words_of(text)
    return ExampleRecord(
        id=new_id(),
        entry_id=entry_id,
        text=text,
        lead=lead_of(words),
        length=len(words),
        chosen_by=chosen_by,
        chooser=chooser or chosen_by,
        chosen_at=chosen_at,
        channel=channel,
        question_id=question_id,
        source=source,
        confirmed_by=confirmed_by,
        confirmed_at=confirmed_at if confirmed_by else None,
    )


def clicked_example(
    question: QuestionRecord,
    text: Redacted,
    entry_id: str,
    click: Click,
    now: datetime,
    source: ExampleSource = "choice",
) -> ExampleRecord:
    """The example a click on a question teaches: its text answered by the entry chosen."""
    found = example_of(text, entry_id, chosen_by=click.user, chooser=click.chooser, chosen_at=now)
    return replace(found, channel=question.channel, question_id=question.id, source=source)


async def _same(store: AskStore, text: Redacted, entry_id: str) -> list[ExampleRecord]:
    """The examples in use, in any channel, for this entry that `text` reads the same as."""
    words = words_of(text)
    wanted = lookup(words)
    if wanted is None:
        return []
    found = await store.find_examples(
        wanted.leads, shortest=wanted.shortest, longest=wanted.longest, every_channel=True
    )
    return [
        record
        for record in found
        if record.entry_id == entry_id and reads_the_same(words_of(record.text), words)
    ]


async def teach(store: AskStore, record: ExampleRecord, *, admin: bool) -> ExampleRecord:
    """Store a choice's example: confirmed at once when an admin made it or a second person had
    made the same one (which is confirmed with it); StoreUnavailable when the database is down."""
    same = await _same(store, record.text, record.entry_id)
    others = [r for r in same if another_person(r.chosen_by, record.chosen_by)]
    if admin or others:
        record = replace(record, confirmed_by=record.chosen_by, confirmed_at=record.chosen_at)
    stored = await store.add_example(record)
    unconfirmed = [r.id for r in others if r.confirmed_by is None]
    await store.confirm_examples(unconfirmed, by=record.chosen_by, now=record.chosen_at)
    return stored


async def confirm_helpful(
    store: AskStore, text: Redacted, entry_id: str, *, user: str, admin: bool, now: datetime
) -> int:
    """A "Helpful" vote on an answer a team example gave: the examples behind it that someone else
    made (any, for an admin) are confirmed by the voter; how many."""
    ids = [
        r.id
        for r in await _same(store, text, entry_id)
        if r.confirmed_by is None and (admin or another_person(r.chosen_by, user))
    ]
    return await store.confirm_examples(ids, by=user, now=now)


def as_team_example(record: ExampleRecord) -> TeamExample:
    return TeamExample(
        entry_id=record.entry_id,
        words=words_of(record.text),
        chooser=record.chooser,
        chosen_on=record.chosen_at.date().isoformat(),
    )


class TeamExamples:
    """The examples a paste may read the same as, from the store every replica shares."""

    def __init__(self, store: AskStore) -> None:
        self.store = store

    async def for_words(
        self, words: Sequence[str], *, at_most: int | None = None, channel: str | None = None
    ) -> tuple[TeamExample, ...]:
        """Stored examples whose digest and length fit `words` (the decision checks the rest) and
        that may answer in `channel` (None: the confirmed ones only); `at_most`: `words` are the
        paste's first words, and it has no more than this many."""
        wanted = lookup(words, at_most=at_most)
        if wanted is None:
            return ()
        try:
            found = await self.store.find_examples(
                wanted.leads, shortest=wanted.shortest, longest=wanted.longest, channel=channel
            )
        except StoreUnavailable as exc:
            log.warning("team examples not read (%s); answering without them", exc)
            return ()
        return tuple(as_team_example(record) for record in found)

    async def for_paste(
        self, text: Redacted, *, channel: str | None = None
    ) -> tuple[TeamExample, ...]:
        """The examples a paste in `channel` may read the same as (its head is read on a worker
        thread: a user's text is never read on the event loop)."""
        head = await asyncio.to_thread(head_words, text)
        return await self.for_words(head, at_most=len(text), channel=channel)


HEAD_CHARS = 4000
"""Characters of a paste read to find its candidate examples (its first few hundred words)."""


def head_words(text: Redacted) -> tuple[str, ...]:
    """The normalised words of the (redacted) paste's beginning, as stored examples' are."""
    return words_of(text[:HEAD_CHARS])
