"""Many requests' writes in one transaction (`write_batch`): the same outcomes as one write at a time."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from bot.storage.base import StoreUnavailable
from bot.storage.records import (
    DiagnosisRecord,
    PendingAction,
    ReplyRecord,
    WorkItem,
    new_action_id,
    new_id,
    utcnow,
)
from bot.storage.writes import AcceptWork, ClaimEvent, FinishWork, RecordAnswer, RememberReply
from tests.storage.backends import opened
from tests.storage.test_unavailable import hold_write_lock

WINDOW = timedelta(minutes=60)


def work(id: str) -> WorkItem:
    now = utcnow()
    return WorkItem(
        id=id,
        kind="paste",
        payload={"text": "OOMKilled token=abc123secretvalue"},
        owner="me",
        lease_until=now + timedelta(seconds=30),
        created_at=now,
    )


def answer(channel: str, fingerprint: str = "fp-oom", *, actions: int = 0) -> RecordAnswer:
    now = utcnow()
    diagnosis = DiagnosisRecord(
        id=new_id(),
        channel=channel,
        subject="pod shop/web-0",
        catalog_ids=["oom-killed", "oom-killed", "crash-loop"],
        body={"title": "OOMKilled", "quote": "password=hunter2hunter2"},
        created_at=now,
    )
    pending = tuple(
        PendingAction(
            id=new_action_id(),
            diagnosis_id=diagnosis.id,
            kind="restart",
            target={"namespace": "shop", "name": "web"},
            channel=channel,
            created_at=now,
            expires_at=now + timedelta(minutes=10),
        )
        for _ in range(actions)
    )
    return RecordAnswer(diagnosis, pending, fingerprint, since=now - WINDOW)


def reply(channel: str, ts: str, fingerprint: str = "fp-oom") -> ReplyRecord:
    now = utcnow()
    return ReplyRecord(
        channel=channel,
        fingerprint=fingerprint,
        message_ts=ts,
        thread_ts=None,
        diagnosis_id=None,
        first_seen=now,
        last_seen=now,
        seen_count=1,
    )


async def test_claims_and_work_are_first_once_within_a_batch_and_across_batches(
    db_url: str,
) -> None:
    now = utcnow()
    async with opened(db_url) as store:
        first = await store.write_batch(
            [
                ClaimEvent("Ev1", now),
                ClaimEvent("Ev1", now),
                AcceptWork(work("paste:1")),
                AcceptWork(work("paste:1")),
                ClaimEvent("Ev2", now),
            ]
        )
        again = await store.write_batch([ClaimEvent("Ev1", now), AcceptWork(work("paste:1"))])
        stored = await store.get_work("paste:1")
    assert first == [True, False, True, False, True]
    assert again == [False, False]
    assert stored is not None and "abc123secretvalue" not in str(
        stored.payload
    )  # redacted at rest, as alone


async def test_an_answer_is_stored_with_its_actions_and_a_repeat_finds_and_bumps_the_reply(
    db_url: str,
) -> None:
    async with opened(db_url) as store:
        one = answer("C1", actions=2)
        [earlier] = await store.write_batch([one])
        assert earlier is None
        saved = await store.get_diagnosis(one.diagnosis.id)
        assert saved is not None and saved.catalog_ids == ["oom-killed", "oom-killed", "crash-loop"]
        assert "hunter2hunter2" not in str(saved.body)
        for action in one.actions:
            pending = await store.get_pending_action(action.id)
            assert pending is not None and pending.state(utcnow()) == "usable"
        # the reply is remembered and the work finished in the same batch as the next answer's look-up
        results = await store.write_batch(
            [RememberReply(reply("C1", "111.1")), answer("C1"), answer("C2")]
        )
        assert results[0] is None and results[2] is None
        bumped = results[1]
        assert (
            isinstance(bumped, ReplyRecord)
            and bumped.message_ts == "111.1"
            and bumped.seen_count == 2
        )
        [third] = await store.write_batch([answer("C1")])
        assert isinstance(third, ReplyRecord) and third.seen_count == 3
        stats = {stat.catalog_id: stat.shown for stat in await store.feedback_stats()}
        assert stats == {"oom-killed": 4, "crash-loop": 4}  # each id once per diagnosis


async def test_a_reply_older_than_the_window_is_not_found(db_url: str) -> None:
    async with opened(db_url) as store:
        old = reply("C1", "1.1")
        stale = utcnow() - WINDOW - timedelta(minutes=1)
        await store.write_batch(
            [RememberReply(ReplyRecord(**{**vars(old), "first_seen": stale, "last_seen": stale}))]
        )
        assert await store.write_batch([answer("C1")]) == [None]  # not found, so not bumped


async def test_finished_work_is_done_and_its_payload_dropped(db_url: str) -> None:
    async with opened(db_url) as store:
        await store.write_batch([AcceptWork(work("paste:1")), AcceptWork(work("paste:2"))])
        await store.write_batch([FinishWork("paste:1", utcnow())])
        done, open_ = await store.get_work("paste:1"), await store.get_work("paste:2")
    assert done is not None and done.done_at is not None and done.payload == {}
    assert open_ is not None and open_.done_at is None


async def test_a_locked_database_is_unavailable_and_nothing_of_the_batch_is_written(
    db_url: str, backend: str, tmp_path: Path
) -> None:
    async with opened(db_url, timeout=0.3, lock_timeout=0.3) as store:
        release = await hold_write_lock(db_url, backend, tmp_path, table="processed_events")
        try:
            with pytest.raises(StoreUnavailable):
                await store.write_batch([ClaimEvent("Ev9", utcnow()), answer("C9")])
        finally:
            await release()
        assert await store.write_batch([ClaimEvent("Ev9", utcnow())]) == [True]


async def test_a_write_lock_held_elsewhere_is_waited_for_without_holding_the_event_loop(
    db_url: str, backend: str, tmp_path: Path
) -> None:
    async with opened(db_url, timeout=5.0) as store:
        await store.write_batch([ClaimEvent("Ev0", utcnow())])  # connected and warm
        release = await hold_write_lock(db_url, backend, tmp_path, table="processed_events")
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())
        writing = asyncio.create_task(store.write_batch([ClaimEvent("Ev1", utcnow())]))
        await asyncio.sleep(0.5)
        assert not writing.done()  # waiting for the other writer's lock ...
        assert ticks >= 10  # ... while the loop goes on
        await release()
        assert await writing == [True]
        ticker.cancel()
