"""Questions and the team's examples, on SQLite and PostgreSQL (two stores stand for two replicas)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.answering.examples import TeamExamples, example_of
from bot.storage.ask_records import QuestionRecord, new_question_id
from bot.storage.records import utcnow
from tests.storage.backends import opened
from tests.storage.test_unavailable import hold_write_lock

PASTE = "the init container was killed, exit code 137, no idea why. it happens every night on node worker-3"
NOW = utcnow()
IMPORTED = {"chosen_by": "U1", "chooser": "bob", "chosen_at": NOW, "confirmed_by": "import"}


def question(state: str = "open", **more: object) -> QuestionRecord:
    values: dict[str, object] = {
        "id": new_question_id(),
        "kind": "ask",
        "asked_via": "mention",
        "channel": "C0GENERAL1",
        "thread_ts": "1700000000.000100",
        "asker": "U0ALICE001",
        "text": PASTE,
        "created_at": NOW,
        "candidates": [
            {"id": "oom-killed", "title": "OOMKilled", "line": "x", "why": "y", "score": 0.49}
        ],
    }
    return QuestionRecord(**(values | {"state": state} | more))  # type: ignore[arg-type]


async def test_a_question_round_trips_and_its_id_is_opaque(db_url: str) -> None:
    async with opened(db_url) as store:
        asked = await store.save_question(question())
        assert (
            len(asked.id) >= 20 and asked.id != question().id
        )  # unguessable: a fresh token each time
        await store.update_question(asked.id, message_ts="1700000000.000200", now=NOW)
        stored = await store.get_question(asked.id)
    assert stored is not None and stored.text == PASTE and stored.message_ts == "1700000000.000200"
    assert stored.candidates[0]["id"] == "oom-killed" and stored.state == "open"


async def test_of_many_clicks_on_two_replicas_one_choice_is_taken(db_url: str) -> None:
    async with opened(db_url) as one, opened(db_url) as two:
        asked = await one.save_question(question())
        clicks = [
            (one if n % 2 else two).claim_question(
                asked.id, state="chosen", chosen_id="oom-killed", by=f"U{n}", now=NOW
            )
            for n in range(10)
        ]
        taken = [claim for claim in await asyncio.gather(*clicks) if claim is not None]
        assert len(taken) == 1
        stored = await two.get_question(asked.id)
    assert (
        stored is not None and stored.state == "chosen" and stored.chosen_by == taken[0].chosen_by
    )


async def test_an_undone_choice_opens_the_question_again(db_url: str) -> None:
    async with opened(db_url) as store:
        asked = await store.save_question(question())
        assert await store.claim_question(
            asked.id, state="chosen", chosen_id="oom-killed", by="U1", now=NOW
        )
        await store.update_question(asked.id, answer_ts="1700000000.000300", now=NOW)
        reopened = await store.reopen_question(asked.id, now=NOW)
        assert reopened is not None and reopened.state == "open" and reopened.chosen_id is None
        assert reopened.answer_ts is None
        assert await store.reopen_question(asked.id, now=NOW) is None  # not chosen any more
        assert await store.claim_question(asked.id, state="none", chosen_id=None, by="U2", now=NOW)


async def test_an_example_is_found_for_the_same_paste_and_not_once_undone(db_url: str) -> None:
    async with opened(db_url) as store, opened(db_url) as other_replica:
        record = example_of(
            PASTE,
            "oom-killed",
            chosen_by="U0ALICE001",
            chooser="alice",
            chosen_at=NOW,
            question_id="q-1",
            channel="C0GENERAL1",
        )
        await store.add_example(record)
        examples = TeamExamples(other_replica)
        found = await examples.for_paste(
            f"hey team, seeing this:\n{PASTE}\nthanks", channel="C0GENERAL1"
        )
        assert [(e.entry_id, e.chooser, e.chosen_on) for e in found] == [
            ("oom-killed", "alice", NOW.date().isoformat())
        ]
        assert (
            await examples.for_paste(
                "kubelet: Liveness probe failed: HTTP probe failed", channel="C0GENERAL1"
            )
            == ()
        )
        assert (
            await examples.for_paste(PASTE, channel="C0OTHER0001") == ()
        )  # not confirmed: its channel only
        assert await examples.for_paste(PASTE) == ()
        assert await store.confirm_examples([record.id], by="U0BOB00001", now=NOW) == 1
        assert (
            len(await examples.for_paste(PASTE, channel="C0OTHER0001"))
            == len(await examples.for_paste(PASTE))
            == 1
        )
        assert await store.undo_examples("q-1", by="U0ADMIN0001", now=NOW) == 1
        assert await examples.for_paste(PASTE) == ()
        [kept] = await store.list_examples(undone=True)
        assert kept.undone_by == "U0ADMIN0001" and await store.list_examples() == []


async def test_newer_examples_come_first(db_url: str) -> None:
    async with opened(db_url) as store:
        for days, entry in ((2, "oom-killed"), (1, "exit-code-137-sigkill")):
            await store.add_example(
                example_of(
                    PASTE,
                    entry,
                    chosen_by="U1",
                    chooser="bob",
                    chosen_at=NOW - timedelta(days=days),
                    confirmed_by="import",
                )
            )
        found = await TeamExamples(store).for_paste(PASTE)
    assert [e.entry_id for e in found] == ["exit-code-137-sigkill", "oom-killed"]


async def test_unanswered_asks_and_none_of_these_are_listed_with_their_text(db_url: str) -> None:
    async with opened(db_url) as store:
        for state in ("unanswered", "none", "open"):
            await store.save_question(question(state=state))
        chosen = await store.save_question(question())
        await store.claim_question(
            chosen.id, state="chosen", chosen_id="oom-killed", by="U1", now=NOW
        )
        listed = await store.unanswered_questions()
        stats = await store.ask_stats()
    assert sorted(q.state for q in listed) == ["none", "unanswered"]
    assert stats.questions == {"chosen": 1, "none": 1, "open": 1, "unanswered": 1}


async def test_a_version_3_database_gets_the_asking_tables(db_url: str) -> None:
    async with opened(db_url):
        pass
    engine = create_async_engine(db_url)
    try:
        async with engine.begin() as conn:  # what the schema was before asking
            await conn.execute(text("DROP TABLE examples"))
            await conn.execute(text("DROP TABLE questions"))
            await conn.execute(text("DELETE FROM schema_version WHERE version = 4"))
    finally:
        await engine.dispose()
    async with opened(db_url) as store:
        asked = await store.save_question(question())
        assert await store.get_question(asked.id) is not None


async def test_a_version_4_database_gets_what_questions_offered_and_who_confirmed_examples(
    db_url: str,
) -> None:
    async with opened(db_url) as store:
        await store.add_example(
            example_of(
                PASTE,
                "oom-killed",
                chosen_by="U1",
                chooser="bob",
                chosen_at=NOW,
                channel="C0GENERAL1",
            )
        )
    engine = create_async_engine(db_url)
    try:
        async with engine.begin() as conn:  # what the schema was before version 5
            for table, column in (
                ("questions", "offered"),
                ("examples", "confirmed_by"),
                ("examples", "confirmed_at"),
            ):
                await conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
            await conn.execute(text("UPDATE schema_version SET version = 4"))
    finally:
        await engine.dispose()
    async with opened(db_url) as store:
        [old] = await store.list_examples()
        assert old.confirmed_by is None  # an example made before: its channel only, until confirmed
        asked = await store.save_question(question())
        assert await store.offer(asked.id, ["exit-code-137-sigkill"], now=NOW) == [
            "oom-killed",
            "exit-code-137-sigkill",
        ]
        assert await store.confirm_examples([old.id], by="U0ADMIN0001", now=NOW) == 1


async def test_an_example_is_found_while_another_replica_holds_the_write_lock(
    db_url: str, backend: str, tmp_path: Path
) -> None:
    if backend != "sqlite":  # PostgreSQL's stand-in lock (ACCESS EXCLUSIVE) stops readers too
        pytest.skip("a SQLite writer's lock: on PostgreSQL a writer's row locks stop no reader")
    async with opened(db_url, timeout=0.3) as store:
        await store.add_example(example_of(PASTE, "oom-killed", **IMPORTED))  # type: ignore[arg-type]
        release = await hold_write_lock(db_url, backend, tmp_path, table="examples")
        try:
            found = await TeamExamples(store).for_paste(PASTE)
        finally:
            await release()
    assert [e.entry_id for e in found] == ["oom-killed"]
