"""Diagnoses, no-repeat replies and feedback votes."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.storage.records import DiagnosisRecord, FeedbackStat, ReplyRecord, new_id, utcnow
from bot.storage.writes import RecordAnswer, RememberReply
from tests.storage.backends import opened


async def test_a_diagnosis_round_trips_with_its_json(db_url: str) -> None:
    record = DiagnosisRecord(
        channel="C1",
        thread_ts="1.1",
        message_ts="1.2",
        user="U1",
        cluster="prod",
        namespace="tidb",
        subject="pod tidb/tikv-0",
        catalog_ids=["oom-killed", "crashloop"],
        body={"title": "OOMKilled", "score": 0.93, "steps": ["kubectl describe pod"]},
    )
    async with opened(db_url) as store:
        id = await store.save_diagnosis(record)
        stored = await store.get_diagnosis(id)
        assert await store.get_diagnosis("unknown") is None
    assert stored is not None and stored.created_at is not None
    assert stored.created_at.tzinfo is not None
    assert stored == DiagnosisRecord(**{**vars(record), "id": id, "created_at": stored.created_at})


async def test_replicas_answering_the_same_problem_at_once_count_every_sighting(
    db_url: str,
) -> None:
    """The product's repeat look-up (`write_batch`): one reply, bumped atomically by racing
    replicas, and a fresh reply starts the count again."""
    t0 = utcnow()
    reply = ReplyRecord(
        channel="C1",
        fingerprint="prod/tidb/tikv-0/oom-killed",
        message_ts="10.1",
        thread_ts=None,
        diagnosis_id="d1",
        first_seen=t0,
        last_seen=t0,
        seen_count=1,
    )

    def sighting() -> RecordAnswer:
        diagnosis = DiagnosisRecord(id=new_id(), channel="C1", subject="pod", created_at=utcnow())
        return RecordAnswer(diagnosis, (), reply.fingerprint, since=t0 - timedelta(minutes=10))

    async with opened(db_url) as one, opened(db_url) as two:
        assert await one.write_batch([sighting()]) == [None]  # nothing to bump yet
        await one.write_batch([RememberReply(reply)])
        await asyncio.gather(*((one, two)[i % 2].write_batch([sighting()]) for i in range(10)))
        [found] = await two.write_batch([sighting()])
        assert isinstance(found, ReplyRecord)
        assert (found.seen_count, found.message_ts, found.first_seen) == (12, "10.1", t0)

        later = utcnow()
        fresh = replace(reply, message_ts="99.9", first_seen=later, last_seen=later)
        await two.write_batch([RememberReply(fresh)])
        [again] = await one.write_batch([sighting()])
        assert isinstance(again, ReplyRecord)
        assert (again.seen_count, again.message_ts) == (2, "99.9")  # the count started again


async def test_feedback_later_vote_replaces_and_stats_count_shown(db_url: str) -> None:
    async with opened(db_url) as store:
        d1 = await store.save_diagnosis(DiagnosisRecord(subject="paste", catalog_ids=["a", "b"]))
        d2 = await store.save_diagnosis(DiagnosisRecord(subject="paste", catalog_ids=["a"]))
        await store.save_diagnosis(DiagnosisRecord(subject="paste", catalog_ids=[]))
        await store.add_feedback(diagnosis_id=d1, catalog_id="a", user="U1", verdict="not_this")
        await store.add_feedback(diagnosis_id=d1, catalog_id="a", user="U1", verdict="helpful")
        await store.add_feedback(diagnosis_id=d1, catalog_id="a", user="U2", verdict="helpful")
        await store.add_feedback(diagnosis_id=d2, catalog_id="a", user="U1", verdict="not_this")
        await store.add_feedback(diagnosis_id=d1, catalog_id="b", user="U1", verdict="not_this")
        await store.add_feedback(diagnosis_id=d1, catalog_id="z", user="U1", verdict="helpful")
        with pytest.raises(ValueError):
            await store.add_feedback(
                diagnosis_id=d1,
                catalog_id="a",
                user="U1",
                verdict="meh",  # type: ignore[arg-type]
            )
        stats = await store.feedback_stats()
    assert stats == [
        FeedbackStat(catalog_id="a", helpful=2, not_this=1, shown=2),
        FeedbackStat(catalog_id="b", helpful=0, not_this=1, shown=1),
        # A vote on an id the diagnosis never stored (catalog renamed): still counted.
        FeedbackStat(catalog_id="z", helpful=1, not_this=0, shown=0),
    ]
